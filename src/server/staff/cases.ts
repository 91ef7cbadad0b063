// SPDX-License-Identifier: EUPL-1.2
/**
 * Cases (DDAS vroegsignaalzaken) as staff work them, whether or not the resident ever asked for a
 * call-back: the list, one case with its signals and every contact attempt (audited as a view),
 * recording an attempt and closing with one of the 15 end results (each audited). Another
 * municipality's case id is "not found".
 */
import { randomUUID } from 'node:crypto';
import { isId } from '../../lib/ids.ts';
import { OUTCOMES } from '../store/staff-requests.ts';
import { closeCase, getCaseFor, listCasesFor, listSignals, type Case, type CaseListItem, type Signal } from '../store/cases.ts';
import { insertAttempt, listAttempts } from '../store/attempts.ts';
import type { AuditOrigin } from '../store/audit.ts';
import type { Store } from '../store/index.ts';
import { findMunicipality } from '../municipalities.ts';
import { audit } from './audit.ts';
import { attemptViews, readAttempt, type ActionResult, type AttemptFields, type AttemptView } from './requests.ts';
import type { StaffContext } from './session.ts';
import { label } from './texts.ts';

export const CASES_PER_PAGE = 50;

export interface CaseDetail extends Case {
  municipalityName: string;
  signals: (Signal & { partnerLabel: string; statusLabel: string })[];
  attempts: AttemptView[];
  endResultLabel: string | null;
  /** the call-back requests of the case, newest first */
  requests: { id: string; reference: string; status: string; createdAt: string }[];
  /** whether a finished conversation with a call-back counts as a reached attempt here */
  portalCountsReached: boolean;
  /** the contact plan's steps this case had, in order, with what became of them */
  planSteps: { stepId: string; action: string; dueAt: string; status: string; reason: string | null }[];
  /** the resident said STOP, or an SMS to the number failed: no more SMS */
  smsStoppedAt: string | null;
  numberFailedAt: string | null;
}

export async function casesFor(
  store: Store,
  staff: StaffContext,
  options: { status?: 'open' | 'closed'; page: number },
): Promise<{ items: (CaseListItem & { partnerLabels: string[] })[]; total: number }> {
  const { items, total } = await listCasesFor(store, staff.municipalities, {
    ...(options.status ? { status: options.status } : {}),
    limit: CASES_PER_PAGE,
    offset: (options.page - 1) * CASES_PER_PAGE,
  });
  return { total, items: items.map((c) => ({ ...c, partnerLabels: c.partners.map((p) => label('partner', p)) })) };
}

/** One case with its signals and attempts, or undefined when it is not one of the staff member's municipalities'. The view is audited first. */
export async function viewCase(store: Store, staff: StaffContext, id: string, origin: AuditOrigin, now = new Date()): Promise<CaseDetail | undefined> {
  if (!isId(id)) return undefined;
  const found = await getCaseFor(store, id, staff.municipalities);
  if (!found) return undefined;
  await audit(store, { actor: staff.staffId, action: 'view', objectType: 'case', objectId: id, municipality: found.municipality, result: 'ok', origin, at: now });
  const municipality = await findMunicipality(store, found.municipality);
  const flags = await store.db.selectFrom('cases').select(['sms_stopped_at', 'number_failed_at']).where('id', '=', id).executeTakeFirst();
  const planSteps = await store.db.selectFrom('plan_tasks').select(['step_id', 'action', 'due_at', 'status', 'reason']).where('case_id', '=', id).orderBy('due_at').orderBy('created_at').execute();
  const requests = await store.db
    .selectFrom('callback_requests')
    .select(['id', 'reference', 'status', 'created_at'])
    .where('case_id', '=', id)
    .orderBy('created_at', 'desc')
    .execute();
  return {
    ...found,
    municipalityName: municipality?.name ?? found.municipality,
    signals: (await listSignals(store, found.municipality, id)).map((s) => ({ ...s, partnerLabel: label('partner', s.partner), statusLabel: label('signalStatus', s.status) })),
    attempts: await attemptViews(store, await listAttempts(store, { caseId: id })),
    endResultLabel: found.endResult ? label('outcome', found.endResult) : null,
    requests: requests.map((r) => ({ id: r.id, reference: r.reference, status: label('status', r.status), createdAt: r.created_at })),
    portalCountsReached: municipality?.ddas.portalCountsReached ?? true,
    planSteps: planSteps.map((t) => ({ stepId: t.step_id, action: t.action, dueAt: t.due_at, status: t.status, reason: t.reason })),
    smsStoppedAt: flags?.sms_stopped_at ?? null,
    numberFailedAt: flags?.number_failed_at ?? null,
  };
}

/** An attempt on the case itself (no call-back request needed), audited. */
export async function addCaseAttempt(store: Store, staff: StaffContext, id: string, input: AttemptFields, origin: AuditOrigin, now = new Date()): Promise<ActionResult> {
  if (!isId(id)) return 'notFound';
  const found = await getCaseFor(store, id, staff.municipalities);
  if (!found) return 'notFound';
  const fields = readAttempt(input, now);
  if (typeof fields === 'string') return fields;
  const refused = found.status === 'closed';
  if (!refused) {
    await insertAttempt(store.db, {
      id: randomUUID(),
      municipality: found.municipality,
      caseId: id,
      requestId: null,
      staffId: staff.staffId,
      kind: fields.kind,
      reached: fields.result === 'reached',
      result: fields.result,
      noteCode: fields.noteCode,
      onDate: fields.onDate,
      dayPart: fields.dayPart,
      at: now.toISOString(),
    });
  }
  await audit(store, {
    actor: staff.staffId,
    action: 'attempt',
    objectType: 'case',
    objectId: id,
    municipality: found.municipality,
    result: refused ? 'refused (already closed)' : `ok (${fields.kind}: ${fields.result}, ${fields.onDate} ${fields.dayPart})`,
    origin,
    at: now,
  });
  return refused ? 'closed' : 'ok';
}

/** Closes the case (and its open call-back requests) with a DDAS end result, audited. */
export async function closeCaseWith(store: Store, staff: StaffContext, id: string, input: { outcome: unknown }, origin: AuditOrigin, now = new Date()): Promise<ActionResult> {
  if (!isId(id)) return 'notFound';
  const found = await getCaseFor(store, id, staff.municipalities);
  if (!found) return 'notFound';
  const endResult = OUTCOMES.find((o) => o === input.outcome);
  if (!endResult) return 'invalid';
  const result = await closeCase(store, { id, municipalities: staff.municipalities, endResult, staffId: staff.staffId, at: now.toISOString() });
  if (result !== 'notFound') {
    await audit(store, { actor: staff.staffId, action: 'close', objectType: 'case', objectId: id, municipality: found.municipality, result: result === 'ok' ? `ok (${endResult})` : 'refused (already closed)', origin, at: now });
  }
  return result;
}
