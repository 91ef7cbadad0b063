// SPDX-License-Identifier: EUPL-1.2
/**
 * Making invitations: one at a time or a batch from the case system's CSV, each with its code,
 * link, check word, SMS text and QR code; reading a batch back as CSV or as a printable sheet.
 */
import { createHash, randomUUID } from 'node:crypto';
import { TOPICS, type Topic } from '../../../flows/resident.ts';
import { formatInviteCode, generateInviteCode, pickCheckWord } from '../../lib/invite-code.ts';
import { inviteSmsText } from '../../lib/invite-sms.ts';
import { qrSvg } from './print.ts';
import { findMunicipality } from '../municipalities.ts';
import { isUniqueViolation } from '../store/callbacks.ts';
import type { Store } from '../store/index.ts';
import { appConfig, publicUrl } from '../runtime.ts';
import { recordCase, type SignalInput } from '../store/cases.ts';
import { insertAttempts, kindOfChannel } from '../store/attempts.ts';
import {
  findActiveInviteOfCase,
  findIdempotencyClaim,
  findInviteByCode,
  getInvite,
  insertInvites,
  type BatchLine,
  type IdempotencyClaim,
  type Invite,
  type InviteBatch,
  type InviteChannel,
  type NewInvite,
} from '../store/invites.ts';

export const INVITE_CHANNELS = ['sms', 'letter-qr'] as const satisfies readonly InviteChannel[];
export const CASE_REF_MAX = 100;
/** A new code is taken already with odds of (codes stored) in 2.4 × 10^19; three draws are plenty. */
const MAX_ATTEMPTS = 3;

export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

/** What the API answers for one invitation. */
export interface InviteView {
  id: string;
  /** as printed: XXXX-XXXX-XXXXX */
  code: string;
  link: string;
  /** the SMS to send, for the sms channel; null for letters */
  smsText: string | null;
  checkWord: string;
  expiresAt: string;
  qrSvgUrl: string;
}

export function inviteLink(publicUrl: string, code: string): string {
  return `${publicUrl}/s/${code}`;
}

export function qrSvgPath(code: string): string {
  return `/api/v1/uitnodigingen/${code}/qr.svg`;
}

export function isTopic(value: string): value is Topic {
  return (TOPICS as readonly string[]).includes(value);
}

/**
 * Why a case number cannot be used, or null when it can. Control characters would break the
 * CSV and the letter; a leading = + - @ would make a spreadsheet run the cell as a formula
 * when staff open the batch CSV (CSV injection).
 */
export function caseRefProblem(value: string): { code: string; kind: 'tooLong' | 'control' | 'formula'; reason: string } | null {
  if (value.length > CASE_REF_MAX) return { code: 'tooLong', kind: 'tooLong', reason: `is longer than ${CASE_REF_MAX} characters` };
  if (/\p{Cc}/u.test(value)) return { code: 'invalid', kind: 'control', reason: 'contains a control character (a tab or line break)' };
  if (/^[=+\-@]/.test(value))
    return { code: 'invalid', kind: 'formula', reason: 'may not start with = + - or @ (a spreadsheet would read it as a formula)' };
  return null;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

export interface Presentation {
  publicUrl: string;
  municipalityName: string;
}

export async function presentation(store: Store, municipality: string): Promise<Presentation> {
  const m = await findMunicipality(store, municipality);
  if (!m) throw new Error(`Municipality ${municipality} is not in the database`);
  return { publicUrl: publicUrl(), municipalityName: m.name };
}

export function viewOf(
  invite: Pick<Invite, 'id' | 'code' | 'channel' | 'checkWord' | 'expiresAt'>,
  p: Presentation,
): InviteView {
  const link = inviteLink(p.publicUrl, invite.code);
  return {
    id: invite.id,
    code: formatInviteCode(invite.code),
    link,
    // Throws SmsTextError when even the shortest wording is over 160 characters.
    smsText:
      invite.channel === 'sms'
        ? inviteSmsText({ municipalityName: p.municipalityName, link, checkWord: invite.checkWord })
        : null,
    checkWord: invite.checkWord,
    expiresAt: invite.expiresAt,
    qrSvgUrl: qrSvgPath(invite.code),
  };
}

/** An invitation to draw: `row` is its data row in a batch's CSV (1-based), null outside a batch. */
export interface Draft {
  caseRef: string | null;
  topic: Topic | null;
  row: number | null;
}

export function drawInvites(
  drafts: readonly Draft[],
  base: { municipality: string; channel: InviteChannel; batchId: string | null; now: string; ttlDays: number },
): NewInvite[] {
  const expiresAt = addDays(base.now, base.ttlDays);
  return drafts.map((d) => ({
    id: randomUUID(),
    code: generateInviteCode(),
    municipality: base.municipality,
    topic: d.topic,
    channel: base.channel,
    caseRef: d.caseRef,
    batchId: base.batchId,
    batchRow: d.row,
    checkWord: pickCheckWord(),
    createdAt: base.now,
    expiresAt,
  }));
}

/**
 * Stores freshly drawn invitations, drawing again if a code happens to be taken. The SMS texts
 * are made first, so a link too long for an SMS fails before anything is stored.
 */
export async function storeDrawn(
  store: Store,
  make: () => NewInvite[],
  p: Presentation,
  options: { batch?: (invites: readonly NewInvite[]) => InviteBatch & { lines: readonly BatchLine[] }; idempotency?: IdempotencyClaim },
): Promise<{ kind: 'inserted'; invites: NewInvite[] } | { kind: 'replay'; body: string } | { kind: 'conflict' }> {
  for (let attempt = 1; ; attempt++) {
    const invites = make();
    for (const invite of invites) viewOf(invite, p);
    try {
      const batch = options.batch?.(invites);
      const result = await insertInvites(store, invites, {
        ...(batch ? { batch } : {}),
        ...(options.idempotency ? { idempotency: options.idempotency } : {}),
      });
      if (result.kind === 'inserted') return { kind: 'inserted', invites };
      return result;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * The portal's own contact attempt: a case's personal link made to go out by SMS or on a letter
 * is an attempt of that kind (SMS/Whatsapp, Brief), not (yet) reached, on the day it was made.
 */
export async function linkSent(store: Store, input: { municipality: string; caseIds: readonly string[]; channel: InviteChannel; at: string }): Promise<void> {
  const kind = kindOfChannel(input.channel);
  await insertAttempts(
    store,
    input.caseIds.map((caseId) => ({ id: randomUUID(), municipality: input.municipality, caseId, requestId: null, staffId: null, kind, reached: false, at: input.at })),
  );
}

/** What the API answers for one invitation: with signals, what became of each. */
export type InviteAnswer = InviteView & { vroegsignalen?: { ID: string; ontvangen: 'nieuw' | 'bekend' }[] };

export type CreateInviteOutcome =
  /** `existing`: the case has a working personal link already, and that is the one */
  | { kind: 'created' | 'replay' | 'existing'; invite: InviteAnswer; existing?: boolean }
  | { kind: 'conflict' }
  | { kind: 'otherCase'; refs: string[] };

/** `body` names what the first request made, so a retry can answer with it. */
export function claimFor(
  municipality: string,
  key: string | null,
  request: unknown,
  body: unknown,
): IdempotencyClaim | undefined {
  if (!key) return undefined;
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  // Scoped per municipality: one municipality's keys can neither collide with nor replay another's.
  return { scope: `invites:${municipality}`, key, requestHash, body: JSON.stringify(body) };
}

/**
 * One invitation (the input is validated by the API layer). With a case reference it belongs to
 * that household's case, and the signals sent with it are added to the case; a case that has a
 * working personal link keeps it, so a resident never gets two.
 */
export async function createInvite(
  store: Store,
  municipality: string,
  input: { caseRef: string | null; topic: Topic | null; channel: InviteChannel; signals?: readonly SignalInput[] },
  idempotencyKey: string | null = null,
): Promise<CreateInviteOutcome> {
  const p = await presentation(store, municipality);
  const { inviteTtlDays } = appConfig();
  const id = randomUUID();
  const claim = claimFor(municipality, idempotencyKey, { kind: 'invite', ...input }, { invite: id });
  if (claim) {
    const earlier = await findIdempotencyClaim(store, claim);
    if (earlier?.kind === 'conflict') return earlier;
    if (earlier?.kind === 'replay') return replayed(store, earlier.body, p);
  }
  const now = new Date().toISOString();
  let caseId: string | null = null;
  let signals: InviteAnswer['vroegsignalen'];
  // the view, with what became of the signals when there were any
  const answer = (view: InviteView): InviteAnswer => (signals ? { ...view, vroegsignalen: signals } : view);
  if (input.caseRef !== null) {
    const recorded = await recordCase(store, { municipality, caseRef: input.caseRef, signals: input.signals ?? [], now });
    if (recorded.kind === 'otherCase') return recorded;
    caseId = recorded.caseId;
    if (input.signals?.length) signals = recorded.signals.map((s) => ({ ID: s.ref, ontvangen: s.kind === 'known' ? 'bekend' : 'nieuw' }));
    const working = await findActiveInviteOfCase(store, caseId, now);
    if (working) {
      // a retry with the same key answers the same, and does not count the signals (or the sending) again
      if (claim) await insertInvites(store, [], { idempotency: { ...claim, body: JSON.stringify({ invite: working.id, existing: true }) } });
      await linkSent(store, { municipality, caseIds: [caseId], channel: input.channel, at: now });
      return { kind: 'existing', invite: answer(viewOf({ ...working, channel: input.channel }, p)) };
    }
  }
  const result = await storeDrawn(
    store,
    () => {
      const [invite] = drawInvites([{ caseRef: input.caseRef, topic: input.topic, row: null }], {
        municipality,
        channel: input.channel,
        batchId: null,
        now,
        ttlDays: inviteTtlDays,
      });
      return [{ ...(invite as NewInvite), id, caseId }];
    },
    p,
    claim ? { idempotency: claim } : {},
  );
  if (result.kind === 'conflict') return result;
  if (result.kind === 'replay') return replayed(store, result.body, p);
  if (caseId) await linkSent(store, { municipality, caseIds: [caseId], channel: input.channel, at: now });
  return { kind: 'created', invite: answer(viewOf(result.invites[0] as NewInvite, p)) };
}

async function replayed(store: Store, body: string, p: Presentation): Promise<CreateInviteOutcome> {
  const earlier = JSON.parse(body) as { invite: string; existing?: boolean };
  const first = await getInvite(store, earlier.invite);
  if (!first) throw new Error('The invitation an idempotency key points to is gone');
  return { kind: 'replay', invite: viewOf(first, p), existing: earlier.existing === true };
}

/** One invitation's QR code as SVG, or null when the code is unknown or another municipality's. */
export async function inviteQrSvg(store: Store, municipality: string, code: string): Promise<string | null> {
  const invite = await findInviteByCode(store, code);
  if (!invite || invite.municipality !== municipality) return null;
  return qrSvg(inviteLink(publicUrl(), invite.code));
}
