// SPDX-License-Identifier: EUPL-1.2
/**
 * The call-back queue as staff work it, shared by the pages and the JSON API: the queue with
 * time left on each municipality's promise, one request with what the resident chose (audited
 * as a view), and the actions assign, contact attempt and close (each audited).
 */
import { isId } from '../../lib/ids.ts';
import { randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timeLeft } from '../../lib/working-days.ts';
import type { Municipality } from '../../lib/municipality.ts';
import { findMunicipality } from '../municipalities.ts';
import type { AuditOrigin } from '../store/audit.ts';
import type { CallbackRequest } from '../store/callbacks.ts';
import type { Store } from '../store/index.ts';
import { staffNames } from '../store/staff.ts';
import { DAY_PARTS, ddasDate, dayPartOf, SIGNAL_PARTNERS, type DayPart, type SignalPartner } from '../../lib/ddas.ts';
import { listAttempts, type Attempt } from '../store/attempts.ts';
import {
  assignRequest,
  closeRequest,
  CONTACT_KINDS,
  CONTACT_RESULTS,
  getRequestFor,
  queuePageOf,
  NOTE_CODES,
  OUTCOMES,
  recordContactAttempt,
  type ContactKind,
  type ContactResult,
  type Outcome,
  type QueueFilter,
  type WriteResult,
} from '../store/staff-requests.ts';
import { LANGUAGES } from '../../lib/languages.ts';
import { audit } from './audit.ts';
import { answerLabel, languageLabel } from './labels.ts';
import { ANSWERS, type AnswerTable } from '../../../flows/answers.ts';
import type { StaffContext } from './session.ts';
import { label, st } from './texts.ts';

/** Ids are UUIDs; anything else is "not found" without asking the database. */

export function isRequestId(id: string): boolean {
  return isId(id);
}

export interface TimeLeftView {
  deadline: string;
  overdue: boolean;
  workingDaysLeft: number;
  /** "te laat", "vandaag, tot 12:00", "nog 2 werkdagen" */
  text: string;
  /** the deadline in Dutch, e.g. "wo 3 dec, 12:00" */
  deadlineText: string;
}

export interface QueueItem {
  id: string;
  reference: string;
  municipality: string;
  municipalityName: string;
  urgent: boolean;
  status: string;
  topic: string;
  language: string;
  channel: string;
  createdAt: string;
  assignedTo: { id: string; name: string } | null;
  timeLeft: TimeLeftView | null;
  labels: { topic: string; language: string; channel: string; status: string };
}

export interface AnswerRow {
  term: string;
  values: string[];
}

export interface AttemptView {
  id: string;
  createdAt: string;
  /** DDAS `datum` and `dagdeel` */
  onDate: string;
  dayPart: DayPart;
  /** null: the portal itself (a link sent, a conversation finished) */
  staffId: string | null;
  staffName: string;
  kind: ContactKind;
  reached: boolean;
  result: ContactResult | null;
  noteCode: string | null;
  labels: { kind: string; dayPart: string; reached: string; result: string; note: string };
}

/** Attempts as staff read them, with who made them (the portal's own say so). */
export async function attemptViews(store: Store, attempts: readonly Attempt[]): Promise<AttemptView[]> {
  const names = await staffNames(store, attempts.flatMap((a) => (a.staffId ? [a.staffId] : [])));
  return attempts.map((a) => ({
    id: a.id,
    createdAt: a.createdAt,
    onDate: a.onDate,
    dayPart: a.dayPart,
    staffId: a.staffId,
    staffName: a.staffId ? (names.get(a.staffId) ?? '?') : st('labels.portal'),
    kind: a.kind,
    reached: a.reached,
    result: a.result,
    noteCode: a.noteCode,
    labels: {
      kind: label('kind', a.kind),
      dayPart: label('dayPart', a.dayPart),
      reached: a.reached ? st('labels.yes') : st('labels.no'),
      result: label('result', a.result),
      note: label('note', a.noteCode),
    },
  }));
}

export interface RequestDetail extends QueueItem {
  answers: Record<string, unknown>;
  answerRows: AnswerRow[];
  phone: string | null;
  phoneDisplay: string | null;
  firstName: string | null;
  voicemailAllowed: boolean | null;
  outcome: string | null;
  outcomeLabel: string | null;
  closedAt: string | null;
  personalDataDeletedAt: string | null;
  /** the DDAS case of the request, when it came through a case's personal link */
  caseId: string | null;
  attempts: AttemptView[];
}

const dutchDate = new Map<string, Intl.DateTimeFormat>();

/** A moment as Dutch staff read it, in the municipality's time zone: "wo 3 dec, 12:00". */
export function formatDutch(iso: string, timeZone = 'Europe/Amsterdam', withYear = false): string {
  const key = `${timeZone}|${withYear}`;
  let f = dutchDate.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('nl-NL', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
    });
    dutchDate.set(key, f);
  }
  return f.format(new Date(iso));
}

function timeLeftView(request: CallbackRequest, municipality: Municipality | null, now: Date): TimeLeftView | null {
  if (!municipality || request.status === 'closed') return null;
  // an urgent request was promised the shorter time
  const promise = request.urgent
    ? { ...municipality.promise, workingDays: municipality.promise.urgentWorkingDays }
    : municipality.promise;
  const left = timeLeft(new Date(request.createdAt), now, promise, municipality.timezone);
  const text = left.overdue
    ? st('timeLeft.overdue')
    : left.workingDaysLeft === 0
      ? left.deadlineTime === '24:00'
        ? st('timeLeft.todayEnd')
        : st('timeLeft.today', { time: left.deadlineTime })
      : st('timeLeft.days', { count: left.workingDaysLeft });
  return {
    deadline: left.deadline.toISOString(),
    overdue: left.overdue,
    workingDaysLeft: left.workingDaysLeft,
    text,
    deadlineText: formatDutch(left.deadline.toISOString(), municipality.timezone),
  };
}

async function municipalitiesOf(store: Store, slugs: readonly string[]): Promise<Map<string, Municipality | null>> {
  const entries = await Promise.all(slugs.map(async (slug) => [slug, await findMunicipality(store, slug)] as const));
  return new Map(entries);
}

function queueItem(
  request: CallbackRequest,
  municipality: Municipality | null,
  names: Map<string, string>,
  now: Date,
): QueueItem {
  return {
    id: request.id,
    reference: request.reference,
    municipality: request.municipality,
    municipalityName: municipality?.name ?? request.municipality,
    urgent: request.urgent,
    status: request.status,
    topic: request.topic,
    language: request.language,
    channel: request.channel,
    createdAt: request.createdAt,
    assignedTo: request.assignedTo ? { id: request.assignedTo, name: names.get(request.assignedTo) ?? '?' } : null,
    timeLeft: timeLeftView(request, municipality, now),
    labels: {
      topic: answerLabel('topic', request.topic),
      language: languageLabel(request.language),
      channel: label('channel', request.channel),
      status: label('status', request.status),
    },
  };
}

export const QUEUE_PAGE_SIZE = 50;

/** One page of the open requests of the staff member's municipalities, narrowed by `filter`; urgent first, then oldest first. */
export async function queueFor(
  store: Store,
  staff: StaffContext,
  options: { filter?: QueueFilter; page?: number } = {},
  now = new Date(),
): Promise<{ items: QueueItem[]; total: number; page: number; pages: number }> {
  const page = Math.max(1, options.page ?? 1);
  const { items: requests, total } = await queuePageOf(store, staff.municipalities, options.filter ?? {}, { limit: QUEUE_PAGE_SIZE, offset: (page - 1) * QUEUE_PAGE_SIZE });
  const municipalities = await municipalitiesOf(store, staff.municipalities);
  const names = await staffNames(
    store,
    requests.flatMap((r) => (r.assignedTo ? [r.assignedTo] : [])),
  );
  return { items: requests.map((r) => queueItem(r, municipalities.get(r.municipality) ?? null, names, now)), total, page, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)) };
}

/** The queue's filters from a query (the page's form and the API share the names); anything else is ignored. */
export function queueFilterFrom(params: URLSearchParams, staff: StaffContext): QueueFilter {
  const status = params.get('status');
  const language = params.get('taal') ?? '';
  const municipality = params.get('gemeente') ?? '';
  const partner = params.get('signaalpartner') ?? '';
  return {
    ...(status === 'nieuw' ? { status: 'new' as const } : status === 'in_behandeling' ? { status: 'in_progress' as const } : {}),
    ...(params.get('dringend') === '1' ? { urgent: true } : {}),
    ...(params.get('van_mij') === '1' ? { assignedTo: staff.staffId } : {}),
    ...(language && Object.hasOwn(LANGUAGES, language) ? { language } : {}),
    ...(staff.municipalities.includes(municipality) ? { municipality } : {}),
    ...((SIGNAL_PARTNERS as readonly string[]).includes(partner) ? { partner: partner as SignalPartner } : {}),
  };
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function one(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** What the resident chose, one row per answer the table shows staff (flows/answers.ts), in flow order. */
function answerRows(answers: Record<string, unknown>, topic: string, table: AnswerTable = ANSWERS): AnswerRow[] {
  const given: Record<string, unknown> = { ...answers, topic };
  return Object.entries(table).flatMap(([field, spec]) => {
    if (spec.staff !== 'row' && spec.staff !== 'language') return [];
    const codes = Array.isArray(given[field])
      ? list(given[field])
      : one(given[field]) === null
        ? []
        : [one(given[field]) as string];
    const values = codes.map((code) =>
      spec.staff === 'language' ? languageLabel(code) : answerLabel(spec.step, code),
    );
    return [{ term: st(`detail.${field}`), values }];
  });
}

function phoneDisplay(e164: string | null): string | null {
  if (!e164) return null;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'NL' ? parsed.formatNational() : parsed.formatInternational();
}

/**
 * One request with its personal data, or undefined when it does not exist or belongs to
 * another municipality (the caller answers 404 either way). The view is audited first.
 */
export async function viewRequest(
  store: Store,
  staff: StaffContext,
  id: string,
  origin: AuditOrigin,
  now = new Date(),
): Promise<RequestDetail | undefined> {
  if (!isRequestId(id)) return undefined;
  const request = await getRequestFor(store, id, staff.municipalities);
  if (!request) return undefined;
  await audit(store, {
    actor: staff.staffId,
    action: 'view',
    objectType: 'callback_request',
    objectId: request.id,
    municipality: request.municipality,
    result: request.personalDataDeletedAt ? 'ok (personal data deleted before)' : 'ok',
    origin,
    at: now,
  });
  const municipality = await findMunicipality(store, request.municipality);
  const attempts = await attemptViews(store, await listAttempts(store, { requestId: request.id, caseId: request.caseId }));
  const names = await staffNames(store, request.assignedTo ? [request.assignedTo] : []);
  const voicemail = one(request.answers.voicemail);
  return {
    ...queueItem(request, municipality, names, now),
    answers: request.answers,
    answerRows: answerRows(request.answers, request.topic),
    phone: request.phone,
    phoneDisplay: phoneDisplay(request.phone),
    firstName: request.firstName,
    voicemailAllowed: voicemail === null ? null : voicemail === 'yes',
    outcome: request.outcome,
    outcomeLabel: request.outcome ? label('outcome', request.outcome) : null,
    closedAt: request.closedAt,
    personalDataDeletedAt: request.personalDataDeletedAt,
    caseId: request.caseId,
    attempts,
  };
}

export type ActionResult = WriteResult | 'invalid' | 'invalidDate';

/** An attempt as a form or the API gives it: DDAS kind, what came of it, and optionally its date and part of the day. */
export interface AttemptFields {
  kind: unknown;
  result: unknown;
  noteCode?: unknown;
  /** YYYY-MM-DD; today on the municipality's clock when left out */
  date?: unknown;
  /** morning, afternoon or evening; the part of the day of now when left out */
  dayPart?: unknown;
}

const empty = (v: unknown) => v === undefined || v === null || v === '';

/**
 * The attempt's fields checked: a date of today or up to a year back (an attempt is recorded
 * after the fact, never before), a part of the day from the list.
 */
export function readAttempt(
  input: AttemptFields,
  now: Date,
): { kind: ContactKind; result: ContactResult; noteCode: string | null; onDate: string; dayPart: DayPart } | 'invalid' | 'invalidDate' {
  const kind = oneOf(CONTACT_KINDS, input.kind);
  const result = oneOf(CONTACT_RESULTS, input.result);
  const noteCode = empty(input.noteCode) ? null : oneOf(NOTE_CODES, input.noteCode);
  const dayPart = empty(input.dayPart) ? dayPartOf(now) : oneOf(DAY_PARTS, input.dayPart);
  if (!kind || !result || (!empty(input.noteCode) && noteCode === null) || !dayPart) return 'invalid';
  const today = ddasDate(now);
  const yearAgo = ddasDate(new Date(now.getTime() - 366 * 86_400_000));
  const onDate = empty(input.date) ? today : String(input.date);
  const real = /^\d{4}-\d{2}-\d{2}$/.test(onDate) && !Number.isNaN(Date.parse(`${onDate}T12:00:00Z`)) && new Date(`${onDate}T12:00:00Z`).toISOString().slice(0, 10) === onDate;
  if (!real || onDate > today || onDate < yearAgo) return 'invalidDate';
  return { kind, result, noteCode, onDate, dayPart };
}

function oneOf<T extends string>(values: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : null;
}

/** Which municipality a request of this staff member is in (for the audit row); undefined when not theirs. */
async function municipalityOf(store: Store, staff: StaffContext, id: string): Promise<string | undefined> {
  if (!isRequestId(id)) return undefined;
  return (await getRequestFor(store, id, staff.municipalities))?.municipality;
}

async function audited(
  store: Store,
  staff: StaffContext,
  input: { id: string; action: 'assign' | 'attempt' | 'close'; origin: AuditOrigin; now: Date; detail?: string },
  write: () => Promise<WriteResult>,
): Promise<WriteResult> {
  const municipality = await municipalityOf(store, staff, input.id);
  if (!municipality) return 'notFound';
  const result = await write();
  // A refused write is recorded too: it says someone tried to change a closed request.
  if (result !== 'notFound') {
    await audit(store, {
      actor: staff.staffId,
      action: input.action,
      objectType: 'callback_request',
      objectId: input.id,
      municipality,
      result: result === 'ok' ? (input.detail ? `ok (${input.detail})` : 'ok') : 'refused (already closed)',
      origin: input.origin,
      at: input.now,
    });
  }
  return result;
}

export function assignToMe(
  store: Store,
  staff: StaffContext,
  id: string,
  origin: AuditOrigin,
  now = new Date(),
): Promise<WriteResult> {
  return audited(store, staff, { id, action: 'assign', origin, now }, () =>
    assignRequest(store, { id, municipalities: staff.municipalities, staffId: staff.staffId, at: now.toISOString() }),
  );
}

export async function addContactAttempt(
  store: Store,
  staff: StaffContext,
  id: string,
  input: AttemptFields,
  origin: AuditOrigin,
  now = new Date(),
): Promise<ActionResult> {
  if (!isRequestId(id) || !(await municipalityOf(store, staff, id))) return 'notFound';
  const fields = readAttempt(input, now);
  if (typeof fields === 'string') return fields;
  const { kind, result, noteCode, onDate, dayPart } = fields;
  return audited(store, staff, { id, action: 'attempt', origin, now, detail: `${kind}: ${result}, ${onDate} ${dayPart}` }, () =>
    recordContactAttempt(store, {
      id: randomUUID(),
      requestId: id,
      municipalities: staff.municipalities,
      staffId: staff.staffId,
      kind,
      result,
      noteCode,
      onDate,
      dayPart,
      at: now.toISOString(),
    }),
  );
}

export async function closeWithOutcome(
  store: Store,
  staff: StaffContext,
  id: string,
  input: { outcome: unknown },
  origin: AuditOrigin,
  now = new Date(),
): Promise<ActionResult> {
  if (!isRequestId(id) || !(await municipalityOf(store, staff, id))) return 'notFound';
  const outcome = oneOf<Outcome>(OUTCOMES, input.outcome);
  if (!outcome) return 'invalid';
  return audited(store, staff, { id, action: 'close', origin, now, detail: outcome }, () =>
    closeRequest(store, {
      id,
      municipalities: staff.municipalities,
      outcome,
      staffId: staff.staffId,
      at: now.toISOString(),
    }),
  );
}

/** The choices of the action forms, with their Dutch labels, in a stable order. */
export const FORM_CHOICES = {
  kinds: CONTACT_KINDS.map((value) => ({ value, label: label('kind', value) })),
  results: CONTACT_RESULTS.map((value) => ({ value, label: label('result', value) })),
  notes: NOTE_CODES.map((value) => ({ value, label: label('note', value) })),
  dayParts: DAY_PARTS.map((value) => ({ value, label: label('dayPart', value) })),
  /** the 15 DDAS end results, with the official label and a short explanation each */
  outcomes: OUTCOMES.map((value) => ({ value, label: label('outcome', value), help: st(`endResultHelp.${value}`) })),
};

/** The request without personal data (what the queue shows), for answers to actions; not audited. */
export async function requestSummary(
  store: Store,
  staff: StaffContext,
  id: string,
  now = new Date(),
): Promise<QueueItem | undefined> {
  if (!isRequestId(id)) return undefined;
  const request = await getRequestFor(store, id, staff.municipalities);
  if (!request) return undefined;
  const names = await staffNames(store, request.assignedTo ? [request.assignedTo] : []);
  return queueItem(request, await findMunicipality(store, request.municipality), names, now);
}
