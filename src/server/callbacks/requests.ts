// SPDX-License-Identifier: EUPL-1.2
/**
 * Creating a call-back request: validation, idempotency and storage, for API and form posts; with
 * its outbox event when the municipality hands requests to a case system.
 */
import { createHash } from 'node:crypto';
import {
  invalidParamsOf,
  storedAnswers,
  supplementSchema,
  validateCallbackRequest,
  type InvalidParam,
  type Supplement,
  type ValidCallbackRequest,
} from '../../lib/callback-request.ts';
import { connectorFor } from '../connector/connectors.ts';
import { callbackCreatedEvent, callbackSupplementedEvent } from '../connector/event.ts';
import { findMunicipality } from '../municipalities.ts';
import {
  createCallbackRequest,
  getCallbackRequest,
  supplementCallbackRequest,
  type CallbackRequestInput,
} from '../store/callbacks.ts';
import { upsertConversationProgress } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import { getInvite } from '../store/invites.ts';
import { kindOfChannel } from '../store/attempts.ts';
import type { ContactKind } from '../../lib/ddas.ts';

export type CreateOutcome =
  | {
      kind: 'created' | 'replay';
      status: number;
      body: { id: string; reference: string; status: string; createdAt: string };
    }
  | { kind: 'invalid'; invalid: InvalidParam[] }
  | { kind: 'conflict' };

/** A call-back request from the no-JavaScript conversation: checked, then stored. */
export async function submitCallbackRequest(
  store: Store,
  body: unknown,
  idempotencyKey: string | null,
): Promise<CreateOutcome> {
  const validation = validateCallbackRequest(body);
  if (!validation.ok) return { kind: 'invalid', invalid: validation.invalid };
  return storeCallbackRequest(store, validation.value, idempotencyKey);
}

/** A request the schema passed (the API route's, or submitCallbackRequest's): its municipality and invitation checked, then stored once. */
export async function storeCallbackRequest(
  store: Store,
  req: ValidCallbackRequest,
  idempotencyKey: string | null,
): Promise<CreateOutcome> {
  const municipality = await findMunicipality(store, req.municipality);
  if (!municipality) {
    return { kind: 'invalid', invalid: [{ name: 'municipality', code: 'unknown', reason: 'No such municipality.' }] };
  }
  let caseRef: string | null = null;
  let caseId: string | null = null;
  let reachedThrough: ContactKind | null = null;
  if (req.inviteId) {
    // The link a resident came through is counted per channel: it must be a real invite of this municipality.
    const invite = await getInvite(store, req.inviteId);
    if (!invite || invite.municipality !== req.municipality) {
      return {
        kind: 'invalid',
        invalid: [{ name: 'inviteId', code: 'unknown', reason: 'No such invite for this municipality.' }],
      };
    }
    caseRef = invite.caseRef;
    caseId = invite.caseId;
    // the resident answered the link: reached contact through its channel, unless the municipality counts only staff's
    if (caseId && municipality.ddas.portalCountsReached) reachedThrough = kindOfChannel(invite.channel);
  }
  const answers = storedAnswers(req);
  const input: CallbackRequestInput = {
    municipality: req.municipality,
    conversationId: req.conversationId ?? null,
    inviteId: req.inviteId ?? null,
    channel: req.channel,
    language: req.language,
    topic: req.topic,
    urgent: req.urgent,
    answers,
    phone: req.phoneE164,
    firstName: req.firstName?.trim() || null,
    consent: req.consent,
    caseId,
    reachedThrough,
  };
  // Only while the connector is usable at this moment; otherwise the request waits in the staff queue only.
  const outbox = connectorFor(municipality) ? callbackCreatedEvent(input, caseRef) : undefined;
  const result = await createCallbackRequest(store, input, {
    // a repeat under the key must be the same request; without a key nothing is compared
    ...(idempotencyKey ? { idempotencyKey, requestHash: createHash('sha256').update(JSON.stringify(req)).digest('hex') } : {}),
    ...(outbox ? { outbox } : {}),
  });
  if ('conflict' in result) return { kind: 'conflict' };
  const outcome = result as { status: number; body: unknown; replay?: boolean };
  if (!outcome.replay && req.conversationId) {
    await upsertConversationProgress(store, {
      id: req.conversationId,
      municipality: req.municipality,
      channel: req.channel,
      language: req.language,
      topic: req.topic,
      inviteId: req.inviteId ?? null,
      lastStep: 'done',
      answers: { topic: req.topic, ...answers },
      outcome: 'callback',
      finished: true,
    });
  }
  const parsed = (typeof outcome.body === 'string' ? JSON.parse(outcome.body) : outcome.body) as {
    id: string;
    reference: string;
    status: string;
    createdAt: string;
  };
  return { kind: outcome.replay ? 'replay' : 'created', status: outcome.status, body: parsed };
}

export type SupplementOutcome =
  { kind: 'ok' } | { kind: 'invalid'; invalid: InvalidParam[] } | { kind: 'notFound' } | { kind: 'closed' };

/** The optional answers after sending (PUT /api/v1/terugbelverzoeken/{id}/aanvulling and the no-JS path). */
export async function supplementRequest(store: Store, id: string, body: unknown): Promise<SupplementOutcome> {
  const parsed = supplementSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', invalid: invalidParamsOf(parsed.error, body) };
  return storeSupplement(store, id, parsed.data);
}

/** Answers the supplement schema passed, added to the request when it still takes them. */
export async function storeSupplement(store: Store, id: string, supplement: Supplement): Promise<Exclude<SupplementOutcome, { kind: 'invalid' }>> {
  const { conversationId, firstName, ...answers } = supplement;
  const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined));
  const existing = await getCallbackRequest(store, id);
  if (!existing) return { kind: 'notFound' };
  const municipality = await findMunicipality(store, existing.municipality);
  const outbox = municipality && connectorFor(municipality) ? callbackSupplementedEvent : undefined;
  const change = { answers: given, ...(firstName !== undefined ? { firstName: firstName.trim() || null } : {}) };
  const result = await supplementCallbackRequest(store, id, conversationId, change, outbox);
  // the conversation's own progress report (island or no-JS path) counts the new answers
  return result.kind === 'ok' ? { kind: 'ok' } : result;
}
