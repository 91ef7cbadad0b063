// SPDX-License-Identifier: EUPL-1.2
/**
 * DDAS cases and their signals: one case per household (case reference) and municipality, its
 * signals recognised by the case system's own signal ID, and the one personal link of a case.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { EndResult, SignalPartner, SignalStatus } from '../../lib/ddas.ts';
import { isUniqueViolation } from './callbacks.ts';
import type { Store } from './index.ts';
import type { CaseRow, Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A signal as the case system sends it (in the portal's codes; src/lib/ddas.ts). */
export interface SignalInput {
  /** the case system's own signal ID */
  ref: string;
  partner: SignalPartner;
  amount?: number | null;
  arisenOn?: string | null;
  signalledOn?: string | null;
  crisis?: boolean;
  warmHandover?: boolean;
  status?: SignalStatus | null;
}

/** What became of one signal: new, or known already (sent again). */
export type SignalOutcome = { ref: string; kind: 'new' | 'known' };

export type CaseOutcome =
  | { kind: 'recorded'; caseId: string; created: boolean; signals: SignalOutcome[] }
  /** these signal IDs belong to another household's case: nothing was stored */
  | { kind: 'otherCase'; refs: string[] };

/**
 * The case of this household, made when it is new, with these signals added: a signal ID seen
 * before in this municipality is not stored twice (its count goes up, and what it says now is
 * kept). A signal ID of another household's case stores nothing at all, and says which. Safe when two
 * deliveries of the same case race: the (municipality, case_ref) key lets one create it.
 */
export async function recordCase(
  store: Store,
  input: { municipality: string; caseRef: string; signals: readonly SignalInput[]; now: string; demo?: boolean },
): Promise<CaseOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.db.transaction().execute((trx) => recordIn(trx, input));
    } catch (error) {
      // the other delivery made the case (or the signal) first: the second try finds it
      if (!isUniqueViolation(error) || attempt >= 2) throw error;
    }
  }
}

async function recordIn(
  trx: Db,
  input: { municipality: string; caseRef: string; signals: readonly SignalInput[]; now: string; demo?: boolean },
): Promise<CaseOutcome> {
  const existing = await trx
    .selectFrom('cases')
    .select('id')
    .where('municipality', '=', input.municipality)
    .where('case_ref', '=', input.caseRef)
    .executeTakeFirst();
  const refs = input.signals.map((s) => s.ref);
  const known = new Map(
    refs.length === 0
      ? []
      : (
          await trx
            .selectFrom('signals')
            .innerJoin('cases', 'cases.id', 'signals.case_id')
            .select(['signals.id as id', 'signals.case_id as case_id', 'signals.signal_ref as signal_ref', 'cases.case_ref as case_ref'])
            .where('signals.municipality', '=', input.municipality)
            .where('signals.signal_ref', 'in', refs)
            .execute()
        ).map((r) => [r.signal_ref, r] as const),
  );
  // Told by the case reference, not the case id: a delivery racing this one may have made the case since it was looked up.
  const elsewhere = refs.filter((ref) => {
    const k = known.get(ref);
    return k !== undefined && k.case_ref !== input.caseRef;
  });
  if (elsewhere.length > 0) return { kind: 'otherCase', refs: elsewhere };
  const madeMeanwhile = [...known.values()].find((k) => k.case_ref === input.caseRef)?.case_id;
  const caseId = existing?.id ?? madeMeanwhile ?? randomUUID();
  if (!existing && !madeMeanwhile) {
    await trx
      .insertInto('cases')
      .values({ id: caseId, municipality: input.municipality, case_ref: input.caseRef, demo: input.demo ? 1 : 0, created_at: input.now, updated_at: input.now, end_result: null, closed_at: null })
      .execute();
  }
  const signals: SignalOutcome[] = [];
  for (const s of input.signals) {
    const fields = {
      partner: s.partner,
      amount: s.amount ?? null,
      arisen_on: s.arisenOn ?? null,
      signalled_on: s.signalledOn ?? null,
      crisis: s.crisis ? (1 as const) : (0 as const),
      warm_handover: s.warmHandover ? (1 as const) : (0 as const),
      status: s.status ?? null,
      updated_at: input.now,
    };
    const before = known.get(s.ref);
    if (before) {
      await trx
        .updateTable('signals')
        .set((eb) => ({ ...fields, times_received: eb('times_received', '+', 1) }))
        .where('id', '=', before.id)
        .execute();
      signals.push({ ref: s.ref, kind: 'known' });
    } else {
      await trx
        .insertInto('signals')
        .values({ id: randomUUID(), case_id: caseId, municipality: input.municipality, signal_ref: s.ref, ...fields, created_at: input.now, data_deleted_at: null })
        .execute();
      signals.push({ ref: s.ref, kind: 'new' });
    }
  }
  if (existing || madeMeanwhile) await trx.updateTable('cases').set({ updated_at: input.now }).where('id', '=', caseId).execute();
  return { kind: 'recorded', caseId, created: !existing && !madeMeanwhile, signals };
}

/**
 * What the case system said of how to reach the resident (a batch's `telefoon` and `taal`): the
 * mobile number (E.164) for the contact plan's SMS and the resident's language. Only an open case
 * takes them, and a number only while the resident has not said STOP and no SMS to the case
 * failed (the plan sends no SMS there then, so the number is not kept). A value left out (null)
 * keeps what the case has; a new one replaces it. Says whether the number is on the case now.
 */
export async function setCaseContact(
  store: Store,
  caseId: string,
  input: { smsPhone: string | null; language: string | null; at: string },
): Promise<{ smsPhone: boolean }> {
  return store.db.transaction().execute(async (trx) => {
    if (input.language !== null) {
      await trx.updateTable('cases').set({ language: input.language, updated_at: input.at }).where('id', '=', caseId).where('status', '=', 'open').execute();
    }
    if (input.smsPhone === null) return { smsPhone: false };
    const result = await trx
      .updateTable('cases')
      .set({ sms_phone: input.smsPhone, updated_at: input.at })
      .where('id', '=', caseId)
      .where('status', '=', 'open')
      .where('sms_stopped_at', 'is', null)
      .where('number_failed_at', 'is', null)
      .executeTakeFirst();
    return { smsPhone: Number(result.numUpdatedRows) > 0 };
  });
}

export interface Signal {
  ref: string;
  partner: SignalPartner;
  amount: number | null;
  arisenOn: string | null;
  signalledOn: string | null;
  crisis: boolean;
  warmHandover: boolean;
  status: SignalStatus | null;
  timesReceived: number;
}

/** A case's signals, oldest first; another municipality's case has none. */
export async function listSignals(store: Store, municipality: string, caseId: string): Promise<Signal[]> {
  const rows = await store.db
    .selectFrom('signals')
    .selectAll()
    .where('municipality', '=', municipality)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('signal_ref')
    .execute();
  return rows.map((r) => ({
    ref: r.signal_ref,
    partner: r.partner,
    amount: r.amount === null ? null : Number(r.amount),
    arisenOn: r.arisen_on,
    signalledOn: r.signalled_on,
    crisis: Number(r.crisis) === 1,
    warmHandover: Number(r.warm_handover) === 1,
    status: r.status,
    timesReceived: Number(r.times_received),
  }));
}

export interface Case {
  id: string;
  municipality: string;
  caseRef: string;
  status: 'open' | 'closed';
  endResult: EndResult | null;
  demo: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

function toCase(row: CaseRow): Case {
  return {
    id: row.id,
    municipality: row.municipality,
    caseRef: row.case_ref,
    status: row.status,
    endResult: row.end_result,
    demo: Number(row.demo) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

/** The case, only when it belongs to one of these municipalities (another's is "not found"). */
export async function getCaseFor(store: Store, id: string, municipalities: readonly string[]): Promise<Case | undefined> {
  if (municipalities.length === 0) return undefined;
  const row = await store.db.selectFrom('cases').selectAll().where('id', '=', id).where('municipality', 'in', [...municipalities]).executeTakeFirst();
  return row && toCase(row);
}

export interface CaseListItem extends Case {
  partners: SignalPartner[];
  crisis: boolean;
  attempts: number;
  reached: boolean;
}

/**
 * A page of the cases of these municipalities, open ones first by default (crisis signals first,
 * then oldest), with their signal partners and how often they were tried. `status` narrows it.
 */
export async function listCasesFor(
  store: Store,
  municipalities: readonly string[],
  options: { status?: 'open' | 'closed'; limit: number; offset: number },
): Promise<{ items: CaseListItem[]; total: number }> {
  if (municipalities.length === 0) return { items: [], total: 0 };
  let query = store.db.selectFrom('cases').where('municipality', 'in', [...municipalities]);
  if (options.status) query = query.where('status', '=', options.status);
  const total = Number((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await query
    .selectAll('cases')
    .select((eb) => [
      eb.selectFrom('signals').select((s) => s.fn.max('crisis').as('c')).whereRef('signals.case_id', '=', 'cases.id').as('crisis'),
      eb.selectFrom('case_attempts').select((s) => s.fn.countAll().as('n')).whereRef('case_attempts.case_id', '=', 'cases.id').as('attempts'),
      eb.selectFrom('case_attempts').select((s) => s.fn.max('reached').as('r')).whereRef('case_attempts.case_id', '=', 'cases.id').as('reached'),
    ])
    .orderBy('status', 'desc')
    .orderBy('crisis', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  const ids = rows.map((r) => r.id);
  const partners = new Map<string, SignalPartner[]>();
  if (ids.length > 0) {
    const signals = await store.db.selectFrom('signals').select(['case_id', 'partner']).where('case_id', 'in', ids).orderBy('created_at').execute();
    for (const s of signals) {
      const list = partners.get(s.case_id) ?? [];
      if (!list.includes(s.partner)) list.push(s.partner);
      partners.set(s.case_id, list);
    }
  }
  return {
    total,
    items: rows.map((r) => ({
      ...toCase(r),
      partners: partners.get(r.id) ?? [],
      crisis: Number(r.crisis ?? 0) === 1,
      attempts: Number(r.attempts ?? 0),
      reached: Number(r.reached ?? 0) === 1,
    })),
  };
}

/**
 * Closes an open case with a DDAS end result, and with it its call-back requests that are still
 * open; the resident's mobile number goes. 'closed' when it was closed already, 'notFound' when it
 * is not one of these municipalities'.
 */
export async function closeCase(
  store: Store,
  input: { id: string; municipalities: readonly string[]; endResult: EndResult; staffId: string; at: string },
): Promise<'ok' | 'notFound' | 'closed'> {
  if (input.municipalities.length === 0) return 'notFound';
  return store.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('cases')
      // the mobile number was only for the plan's SMS, which stop with the case
      .set({ status: 'closed', end_result: input.endResult, closed_at: input.at, updated_at: input.at, sms_phone: null })
      .where('id', '=', input.id)
      .where('municipality', 'in', [...input.municipalities])
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const there = await trx.selectFrom('cases').select('id').where('id', '=', input.id).where('municipality', 'in', [...input.municipalities]).executeTakeFirst();
      return there ? 'closed' : 'notFound';
    }
    await trx
      .updateTable('callback_requests')
      .set((eb) => ({ status: 'closed', outcome: input.endResult, closed_at: input.at, updated_at: input.at, assigned_to: eb.fn.coalesce('assigned_to', eb.val(input.staffId)) }))
      .where('case_id', '=', input.id)
      .where('status', '<>', 'closed')
      .execute();
    return 'ok';
  });
}

/**
 * Clears what a signal says about the household's money (amount, when the debt arose, when it
 * was signalled) and the resident's mobile number for up to `limit` cases of one municipality
 * whose retention started before `cutoff` (closed_at, or created_at when never closed). The case,
 * its signals' IDs, partners and attempts stay, so every count stays. Returns the case ids
 * cleared; call again until fewer.
 */
export async function clearSignalData(store: Store, input: { municipality: string; cutoff: string; at: string; limit: number }): Promise<string[]> {
  return store.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('cases')
      .select('id')
      .where('municipality', '=', input.municipality)
      .where((eb) => eb(eb.fn.coalesce('closed_at', 'created_at'), '<', input.cutoff))
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('signals').select('signals.id').whereRef('signals.case_id', '=', 'cases.id').where('signals.data_deleted_at', 'is', null)),
          // a case of a batch without signal columns has no signals, and may have a number
          eb('sms_phone', 'is not', null),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .limit(input.limit)
      .execute();
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return [];
    await trx
      .updateTable('signals')
      .set({ amount: null, arisen_on: null, signalled_on: null, data_deleted_at: input.at, updated_at: input.at })
      .where('case_id', 'in', ids)
      .where('data_deleted_at', 'is', null)
      .execute();
    await trx.updateTable('cases').set({ sms_phone: null, updated_at: input.at }).where('id', 'in', ids).where('sms_phone', 'is not', null).execute();
    return ids;
  });
}
