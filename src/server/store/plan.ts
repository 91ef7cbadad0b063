// SPDX-License-Identifier: EUPL-1.2
/**
 * The contact plan in the store: what the plan needs to know of each open case, the steps a case
 * had (plan_tasks, once per case and step), today's calls and visits for staff, and recording one
 * as a DDAS contact attempt.
 */
import { randomUUID } from 'node:crypto';
import type { PlanCase } from '../../lib/contact-plan.ts';
import type { DayPart, SignalPartner } from '../../lib/ddas.ts';
import { insertAttempt } from './attempts.ts';
import { breather, type Store } from './index.ts';
import type { ContactResult, PlanTasksTable } from './schema.ts';

export type PlanCaseRow = PlanCase & { id: string };

const CHUNK = 500;

/** Every open case of the municipality that has a signal, with what the plan needs to know of it. */
export async function openPlanCases(store: Store, municipality: string): Promise<PlanCaseRow[]> {
  const db = store.db;
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'created_at', 'sms_stopped_at', 'number_failed_at', 'sms_phone'])
    .where('municipality', '=', municipality)
    .where('status', '=', 'open')
    .where((eb) => eb.exists(eb.selectFrom('signals').select('signals.id').whereRef('signals.case_id', '=', 'cases.id')))
    .orderBy('created_at')
    .execute();
  const out: PlanCaseRow[] = [];
  for (let i = 0; i < cases.length; i += CHUNK) {
    await breather();
    const ids = cases.slice(i, i + CHUNK).map((c) => c.id);
    const [crisis, opened, attempts, requests, taken] = await Promise.all([
      db.selectFrom('signals').select('case_id').where('case_id', 'in', ids).where('crisis', '=', 1).execute(),
      db.selectFrom('invites').select('case_id').where('case_id', 'in', ids).where('first_opened_at', 'is not', null).execute(),
      db.selectFrom('case_attempts').select(['case_id', 'kind', 'reached', 'day_part']).where('case_id', 'in', ids).orderBy('on_date').orderBy('created_at').execute(),
      db.selectFrom('callback_requests').select('case_id').where('case_id', 'in', ids).execute(),
      db.selectFrom('plan_tasks').select(['case_id', 'step_id']).where('case_id', 'in', ids).execute(),
    ]);
    const has = (rows: { case_id: string | null }[]) => new Set(rows.map((r) => r.case_id));
    const crisisOf = has(crisis);
    const openedOf = has(opened);
    const requestOf = has(requests);
    const attemptsOf = Map.groupBy(attempts, (a) => a.case_id ?? '');
    const takenOf = Map.groupBy(taken, (t) => t.case_id);
    for (const c of cases.slice(i, i + CHUNK)) {
      const tried = attemptsOf.get(c.id) ?? [];
      out.push({
        id: c.id,
        createdAt: c.created_at,
        crisis: crisisOf.has(c.id),
        linkOpened: openedOf.has(c.id),
        reached: tried.some((a) => Number(a.reached) === 1),
        callbackRequested: requestOf.has(c.id),
        closed: false,
        smsStopped: c.sms_stopped_at !== null,
        numberFailed: c.number_failed_at !== null,
        // the mobile number the case system gave with the batch, for the plan's own SMS
        hasPhone: c.sms_phone !== null,
        stepsTaken: (takenOf.get(c.id) ?? []).map((t) => t.step_id),
        dayPartsTried: tried.filter((a) => a.kind === 'phone' || a.kind === 'home_visit').map((a) => a.day_part),
      });
    }
  }
  return out;
}

export type NewPlanTask = Omit<PlanTasksTable, 'updated_at'>;

/** Records steps; a step a case had already is left as it is (another instance may have been first). Returns how many were new. */
export async function insertPlanTasks(store: Store, tasks: readonly NewPlanTask[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < tasks.length; i += 200) {
    const result = await store.db
      .insertInto('plan_tasks')
      .values(tasks.slice(i, i + 200).map((t) => ({ ...t, updated_at: t.created_at })))
      .onConflict((oc) => oc.columns(['case_id', 'step_id']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
    await breather();
  }
  return added;
}

export interface TaskItem {
  id: string;
  caseId: string;
  caseRef: string;
  municipality: string;
  action: 'call' | 'visit';
  dueAt: string;
  dayPart: DayPart | null;
  urgent: boolean;
  demo: boolean;
  partners: SignalPartner[];
  dayPartsTried: DayPart[];
}

/** Open calls and visits of these municipalities due before `until`: urgent first, then the oldest. */
export async function openTasks(store: Store, municipalities: readonly string[], until: string): Promise<TaskItem[]> {
  if (municipalities.length === 0) return [];
  const rows = await store.db
    .selectFrom('plan_tasks')
    .innerJoin('cases', 'cases.id', 'plan_tasks.case_id')
    .select(['plan_tasks.id as id', 'plan_tasks.case_id as case_id', 'cases.case_ref as case_ref', 'cases.demo as demo', 'plan_tasks.municipality as municipality', 'plan_tasks.action as action', 'plan_tasks.due_at as due_at', 'plan_tasks.day_part as day_part', 'plan_tasks.urgent as urgent'])
    .where('plan_tasks.municipality', 'in', [...municipalities])
    .where('plan_tasks.status', '=', 'open')
    .where('plan_tasks.action', 'in', ['call', 'visit'])
    .where('plan_tasks.due_at', '<', until)
    .where('cases.status', '=', 'open')
    .orderBy('plan_tasks.urgent', 'desc')
    .orderBy('plan_tasks.due_at')
    .orderBy('plan_tasks.id')
    .limit(500)
    .execute();
  const ids = [...new Set(rows.map((r) => r.case_id))];
  const partners = new Map<string, SignalPartner[]>();
  const tried = new Map<string, DayPart[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    for (const s of await store.db.selectFrom('signals').select(['case_id', 'partner']).where('case_id', 'in', chunk).execute()) {
      const list = partners.get(s.case_id) ?? [];
      if (!list.includes(s.partner)) list.push(s.partner);
      partners.set(s.case_id, list);
    }
    const attempts = await store.db.selectFrom('case_attempts').select(['case_id', 'day_part']).where('case_id', 'in', chunk).where('kind', 'in', ['phone', 'home_visit']).orderBy('on_date').execute();
    for (const a of attempts) {
      const list = tried.get(a.case_id ?? '') ?? [];
      if (!list.includes(a.day_part)) list.push(a.day_part);
      tried.set(a.case_id ?? '', list);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseRef: r.case_ref,
    municipality: r.municipality,
    action: r.action as 'call' | 'visit',
    dueAt: r.due_at,
    dayPart: r.day_part,
    urgent: Number(r.urgent) === 1,
    demo: Number(r.demo) === 1,
    partners: partners.get(r.case_id) ?? [],
    dayPartsTried: tried.get(r.case_id) ?? [],
  }));
}

/** How many steps wait or are open, per action and status, for these municipalities (the staff screen says so). */
export async function taskCounts(store: Store, municipalities: readonly string[]): Promise<{ action: string; status: string; n: number }[]> {
  if (municipalities.length === 0) return [];
  const rows = await store.db
    .selectFrom('plan_tasks')
    .select(['action', 'status', (eb) => eb.fn.countAll().as('n')])
    .where('municipality', 'in', [...municipalities])
    .where('status', 'in', ['open', 'waiting'])
    .groupBy(['action', 'status'])
    .execute();
  return rows.map((r) => ({ action: r.action, status: r.status, n: Number(r.n) }));
}

/**
 * One tap on a call or visit: the DDAS attempt (Telefoon or Huisbezoek, now's date and part of the
 * day), the task done. A wrong number also stops the case's SMS (its number failed). 'notFound' for
 * a task that is not open in these municipalities (another's, or done already).
 */
export async function completeTask(
  store: Store,
  input: { id: string; municipalities: readonly string[]; staffId: string; result: ContactResult; at: string },
): Promise<{ kind: 'ok'; caseId: string; municipality: string } | { kind: 'notFound' }> {
  if (input.municipalities.length === 0) return { kind: 'notFound' };
  return store.db.transaction().execute(async (trx) => {
    const task = await trx
      .selectFrom('plan_tasks')
      .select(['id', 'case_id', 'municipality', 'action'])
      .where('id', '=', input.id)
      .where('municipality', 'in', [...input.municipalities])
      .where('status', '=', 'open')
      .where('action', 'in', ['call', 'visit'])
      .executeTakeFirst();
    if (!task) return { kind: 'notFound' as const };
    const attemptId = randomUUID();
    await insertAttempt(trx, {
      id: attemptId,
      municipality: task.municipality,
      caseId: task.case_id,
      requestId: null,
      staffId: input.staffId,
      kind: task.action === 'visit' ? 'home_visit' : 'phone',
      reached: input.result === 'reached',
      result: input.result,
      at: input.at,
    });
    const done = await trx.updateTable('plan_tasks').set({ status: 'done', attempt_id: attemptId, updated_at: input.at }).where('id', '=', task.id).where('status', '=', 'open').executeTakeFirst();
    // tapped twice at once: the second one changes nothing
    if (Number(done.numUpdatedRows) === 0) throw new Error('task completed by another request');
    // reached: the plan has done its work, its other steps go
    if (input.result === 'reached') {
      await trx.updateTable('plan_tasks').set({ status: 'skipped', reason: 'planStopped', updated_at: input.at }).where('case_id', '=', task.case_id).where('status', 'in', ['open', 'waiting']).execute();
    }
    if (input.result === 'wrong_number') await trx.updateTable('cases').set({ number_failed_at: input.at, updated_at: input.at }).where('id', '=', task.case_id).where('number_failed_at', 'is', null).execute();
    await trx.updateTable('cases').set({ updated_at: input.at }).where('id', '=', task.case_id).execute();
    return { kind: 'ok' as const, caseId: task.case_id, municipality: task.municipality };
  });
}

/** Once the plan has stopped for a case (reached, call-back, closed), its open and waiting steps are skipped. */
export async function skipRemainingTasks(store: Store, caseIds: readonly string[], at: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < caseIds.length; i += CHUNK) {
    const r = await store.db
      .updateTable('plan_tasks')
      .set({ status: 'skipped', reason: 'planStopped', updated_at: at })
      .where('case_id', 'in', caseIds.slice(i, i + CHUNK))
      .where('status', 'in', ['open', 'waiting'])
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** The letters of the plan that wait for the next print round of one municipality: the task and its case. */
export async function openLetterTasks(store: Store, municipality: string, until: string): Promise<{ id: string; caseId: string; caseRef: string }[]> {
  const rows = await store.db
    .selectFrom('plan_tasks')
    .innerJoin('cases', 'cases.id', 'plan_tasks.case_id')
    .select(['plan_tasks.id as id', 'plan_tasks.case_id as case_id', 'cases.case_ref as case_ref'])
    .where('plan_tasks.municipality', '=', municipality)
    .where('plan_tasks.action', '=', 'letter')
    .where('plan_tasks.status', '=', 'open')
    .where('plan_tasks.due_at', '<', until)
    .where('cases.status', '=', 'open')
    .orderBy('plan_tasks.due_at')
    .orderBy('plan_tasks.id')
    .limit(5000)
    .execute();
  return rows.map((r) => ({ id: r.id, caseId: r.case_id, caseRef: r.case_ref }));
}

/** Letters printed: their tasks are done. */
export async function markTasksDone(store: Store, ids: readonly string[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await store.db.updateTable('plan_tasks').set({ status: 'done', updated_at: at }).where('id', 'in', ids.slice(i, i + CHUNK)).where('status', '=', 'open').execute();
  }
}
