// SPDX-License-Identifier: EUPL-1.2
/**
 * "Vandaag": the calls and visits the contact plan gives a staff member's municipalities for
 * today and before, urgent first, each with the case, its signal partners and the parts of the day
 * tried; one tap records the attempt (reached, not reached, voicemail, wrong number) and moves the
 * plan on. It also says plainly what waits: SMS steps without a NotifyNL key, SMS queued for their
 * hour, letters to print.
 */
import { ddasDate } from '../../lib/ddas.ts';
import { isId } from '../../lib/ids.ts';
import { getStore } from '../runtime.ts';
import { smsCounts } from '../store/sms.ts';
import { completeTask, markTasksDone, openLetterTasks, openTasks, taskCounts, type TaskItem } from '../store/plan.ts';
import { batchAuditResult, createInviteBatch, type BatchRow } from '../invitations/batch.ts';
import { CONTACT_RESULTS, type ContactResult } from '../store/staff-requests.ts';
import { audit } from './audit.ts';
import { municipalityNames, requireStaff } from './pages.ts';
import type { StaffContext } from './session.ts';
import { label } from './texts.ts';

export interface TodayPage {
  kind: 'page';
  staff: StaffContext;
  tasks: (TaskItem & { overdue: boolean; partnerLabels: string[]; triedLabels: string[]; dayPartLabel: string; municipalityName: string })[];
  smsWaiting: number;
  /** the SMS outbox of these municipalities: waiting to go (and when the next goes), sent and failed today */
  sms: { queued: number; sent: number; failed: number; nextAt: string | null };
  lettersToPrint: number;
  /** per municipality, the letters due for the next print round */
  printRounds: { slug: string; name: string; letters: number }[];
  done: boolean;
}

/** The moment a day (YYYY-MM-DD) begins on the municipality's clock (Amsterdam: UTC+1 or +2). */
export function startOfDay(day: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  for (const hours of [-2, -1, 0]) {
    const t = utc + hours * 3_600_000;
    if (ddasDate(new Date(t)) === day && ddasDate(new Date(t - 1)) !== day) return new Date(t);
  }
  return new Date(utc);
}

export async function todayPage(locals: App.Locals, url: URL, now = new Date()): Promise<TodayPage> {
  const staff = requireStaff(locals);
  const store = await getStore();
  const today = ddasDate(now);
  const startOfToday = startOfDay(today).toISOString();
  const tomorrow = ddasDate(new Date(startOfDay(today).getTime() + 26 * 3_600_000));
  const endOfToday = startOfDay(tomorrow).toISOString();
  const tasks = await openTasks(store, staff.municipalities, endOfToday);
  const names = await municipalityNames(staff.municipalities);
  const nameOf = new Map(staff.municipalities.map((slug, i) => [slug, names[i] ?? slug]));
  const counts = await taskCounts(store, staff.municipalities);
  const n = (action: string, status: string) => counts.find((c) => c.action === action && c.status === status)?.n ?? 0;
  return {
    kind: 'page',
    staff,
    tasks: tasks.map((t) => ({
      ...t,
      overdue: t.dueAt < startOfToday,
      partnerLabels: t.partners.map((p) => label('partner', p)),
      triedLabels: t.dayPartsTried.map((p) => label('dayPart', p)),
      dayPartLabel: label('dayPart', t.dayPart),
      municipalityName: nameOf.get(t.municipality) ?? t.municipality,
    })),
    smsWaiting: n('sms', 'waiting'),
    sms: await smsCounts(store, staff.municipalities, startOfToday),
    lettersToPrint: n('letter', 'open'),
    printRounds: (
      await Promise.all(staff.municipalities.map(async (slug) => ({ slug, name: nameOf.get(slug) ?? slug, letters: (await openLetterTasks(store, slug, endOfToday)).length })))
    ).filter((r) => r.letters > 0),
    done: url.searchParams.get('gedaan') === '1',
  };
}

/** POST /staff/vandaag: one tap on a task. Not theirs, not open, or a result not on the list: 404. */
export async function recordTask(locals: App.Locals, request: Request, now = new Date()): Promise<Response> {
  const staff = requireStaff(locals);
  const form = new URLSearchParams(await request.text());
  if (form.has('printronde')) return printRound(locals, form, now);
  const id = form.get('task') ?? '';
  const result = CONTACT_RESULTS.find((r) => r === form.get('result')) as ContactResult | undefined;
  const store = await getStore();
  const done = isId(id) && result ? await completeTask(store, { id, municipalities: staff.municipalities, staffId: staff.staffId, result, at: now.toISOString() }) : { kind: 'notFound' as const };
  if (done.kind === 'notFound') return new Response(null, { status: 303, headers: { Location: '/staff/vandaag?fout=1', 'Cache-Control': 'no-store' } });
  await audit(store, { actor: staff.staffId, action: 'attempt', objectType: 'case', objectId: done.caseId, municipality: done.municipality, result: `ok (plan task: ${result})`, origin: 'staff-ui', at: now });
  return new Response(null, { status: 303, headers: { Location: '/staff/vandaag?gedaan=1#bericht', 'Cache-Control': 'no-store' } });
}

/**
 * POST /staff/vandaag with `printronde`: the letters due in one of the staff member's
 * municipalities become one letter batch (each case keeps its working link, or gets a new one
 * when it has none), recorded as Brief attempts by the batch; the tasks are done and the QR sheet
 * opens to print.
 */
export async function printRound(locals: App.Locals, form: URLSearchParams, now = new Date()): Promise<Response> {
  const staff = requireStaff(locals);
  const municipality = form.get('printronde') ?? '';
  const back = (query: string) => new Response(null, { status: 303, headers: { Location: `/staff/vandaag?${query}`, 'Cache-Control': 'no-store' } });
  if (!staff.municipalities.includes(municipality)) return back('fout=1');
  const store = await getStore();
  const startOfTomorrow = startOfDay(ddasDate(new Date(startOfDay(ddasDate(now)).getTime() + 26 * 3_600_000))).toISOString();
  const letters = await openLetterTasks(store, municipality, startOfTomorrow);
  if (letters.length === 0) return back('fout=1');
  const rows: BatchRow[] = letters.map((l, i) => ({ line: i + 2, caseRef: l.caseRef, topic: null, signalRef: null, signal: null, problems: [] }));
  const outcome = await createInviteBatch(store, { municipality, createdBy: staff.staffId, channel: 'letter-qr', rows, requestBody: letters.map((l) => l.id).join(',') });
  if (outcome.kind !== 'created') return back('fout=1');
  await markTasksDone(store, letters.map((l) => l.id), now.toISOString());
  await audit(store, { actor: staff.staffId, action: 'invite', objectType: 'invite_batch', objectId: outcome.batchId, municipality, result: `${batchAuditResult(outcome.counts)}; print round of the contact plan`, origin: 'staff-ui', at: now });
  return new Response(null, { status: 303, headers: { Location: `/staff/uitnodigingen/${outcome.batchId}/qr?gemeente=${municipality}`, 'Cache-Control': 'no-store' } });
}
