// SPDX-License-Identifier: EUPL-1.2
// Cases that had one SMS step of the contact plan in a given wording, and what became of them: for the
// "which SMS wording works" counts (store, page, CSV). Rows straight into the store, as the plan job,
// the SMS sender, the resident's link and staff would leave them.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../../src/server/store/index.ts';
import type { SmsStatus } from '../../src/server/store/schema.ts';

export interface VariantGroup {
  municipality: string;
  step?: string;
  variant: string | null;
  /** cases whose SMS was sent at `sentAt` */
  sent: number;
  /** the first this many of them opened their link */
  opened?: number;
  /** the first this many finished the conversation through it (at most `opened`); the next opened one only started it */
  finished?: number;
  /** the first this many asked for a call-back */
  callback?: number;
  /** the first this many were reached (twice each: a case counts once); every case also has an attempt without contact */
  reached?: number;
  sentAt: string;
  /** cases whose SMS was not sent (yet): pending, or failed or cancelled before it went; they did everything, and must not count */
  unsent?: number;
  /** what the unsent SMS are, in turn; against a running server only ones no sender picks up (failed, cancelled) */
  unsentStatuses?: readonly Exclude<SmsStatus, 'sent' | 'delivered'>[];
}

const code = () => randomBytes(8).toString('hex').toUpperCase().slice(0, 13);

/** Adds the group's cases; returns their ids. */
export async function addVariantCases(store: Store, g: VariantGroup): Promise<string[]> {
  const db = store.db;
  const step = g.step ?? 'sms';
  const opened = g.opened ?? 0;
  const finished = g.finished ?? 0;
  if (finished > opened) throw new Error('a finished conversation needs an opened link');
  const at = g.sentAt;
  const ids: string[] = [];
  for (let i = 0; i < g.sent + (g.unsent ?? 0); i++) {
    const sent = i < g.sent;
    // an unsent SMS's case did everything: only the SMS decides whether it counts
    const n = sent ? i : 0;
    const caseId = randomUUID();
    ids.push(caseId);
    await db.insertInto('cases').values({ id: caseId, municipality: g.municipality, case_ref: `V-${caseId.slice(0, 13)}`, created_at: at, updated_at: at }).execute();
    const taskId = randomUUID();
    const unsentStatuses = g.unsentStatuses ?? ['pending', 'failed', 'cancelled'];
    const status: SmsStatus = sent ? 'delivered' : (unsentStatuses[(i - g.sent) % unsentStatuses.length] ?? 'pending');
    await db
      .insertInto('plan_tasks')
      .values({ id: taskId, municipality: g.municipality, case_id: caseId, step_id: step, action: 'sms', due_at: at, day_part: null, urgent: 0, status: sent ? 'done' : status === 'pending' ? 'open' : 'skipped', reason: null, attempt_id: null, variant: g.variant, created_at: at, updated_at: at })
      .execute();
    await db
      .insertInto('sms_outbox')
      .values({
        id: randomUUID(),
        municipality: g.municipality,
        case_id: caseId,
        task_id: taskId,
        phone: null,
        body: null,
        language: 'nl',
        variant: g.variant,
        status,
        not_before: at,
        // queued an hour before it went: the period is the sending day
        created_at: new Date(Date.parse(at) - 3_600_000).toISOString(),
        sent_at: sent ? at : null,
      })
      .execute();
    let inviteId: string | null = null;
    if (n < opened) {
      inviteId = randomUUID();
      await db
        .insertInto('invites')
        .values({ id: inviteId, code: code(), municipality: g.municipality, topic: null, channel: 'sms', case_ref: null, case_id: caseId, batch_id: null, batch_row: null, check_word: 'appel', created_at: at, expires_at: '2099-01-01T00:00:00.000Z', opened_count: 1, first_opened_at: at, last_opened_at: at })
        .execute();
    } else {
      // a link never opened
      await db
        .insertInto('invites')
        .values({ id: randomUUID(), code: code(), municipality: g.municipality, topic: null, channel: 'sms', case_ref: null, case_id: caseId, batch_id: null, batch_row: null, check_word: 'appel', created_at: at, expires_at: '2099-01-01T00:00:00.000Z' })
        .execute();
    }
    if (inviteId && (n < finished || n === finished)) {
      await db
        .insertInto('conversations')
        .values({ id: randomUUID(), municipality: g.municipality, channel: 'sms', language: 'nl', topic: null, invite_id: inviteId, last_step: n < finished ? 'done' : 'topic', answers: '{}', outcome: n < finished ? 'self' : null, started_at: at, updated_at: at, finished_at: n < finished ? at : null })
        .execute();
    }
    if (n < (g.callback ?? 0)) {
      await db
        .insertInto('callback_requests')
        .values({ id: randomUUID(), reference: code(), municipality: g.municipality, conversation_id: null, invite_id: inviteId, channel: 'sms', language: 'nl', topic: 'energy', urgent: 0, answers: '{}', phone: null, first_name: null, consent: 1, created_at: at, updated_at: at, closed_at: null, personal_data_deleted_at: null, case_id: caseId })
        .execute();
    }
    const attempt = (reached: 0 | 1) => ({ id: randomUUID(), municipality: g.municipality, case_id: caseId, request_id: null, staff_id: null, kind: 'phone' as const, reached, result: null, note_code: null, on_date: at.slice(0, 10), day_part: 'morning' as const, created_at: at });
    await db.insertInto('case_attempts').values(attempt(0)).execute();
    if (n < (g.reached ?? 0)) await db.insertInto('case_attempts').values([attempt(1), attempt(1)]).execute();
  }
  return ids;
}
