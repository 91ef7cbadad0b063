// SPDX-License-Identifier: EUPL-1.2
/**
 * A batch from the case system's CSV: one row per signal (or per household), the DDAS signal
 * fields beside the case reference. Rows of one case reference make one case with one personal
 * link; a signal sent before is recognised. A row that cannot be used is refused with a Dutch
 * reason and the other rows are kept. The answer, and the batch read back later, has one row per
 * row of the request, saying what became of it.
 *
 * For a municipality whose contact plan sends SMS itself (planSendsSms), a row may carry the
 * resident's mobile number (`telefoon`), kept on the case for the plan's SMS and cleared when the
 * case closes or at retention. `taal` (a language code of the portal) is no personal data and is
 * taken always.
 */
import { randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { TOPICS, type Topic } from '../../../flows/resident.ts';
import { CsvError, parseCsv, toCsv } from '../../lib/csv.ts';
import { planSendsSms } from '../../lib/contact-plan.ts';
import { codeOfDdasValue, ddasValues, SIGNAL_PARTNERS, SIGNAL_STATUSES, type SignalPartner, type SignalStatus } from '../../lib/ddas.ts';
import { formatInviteCode } from '../../lib/invite-code.ts';
import { isLanguage, LANGUAGES, type LanguageCode } from '../../lib/languages.ts';
import { phoneE164 } from '../../lib/phone.ts';
import { findMunicipality } from '../municipalities.ts';
import { st } from '../staff/texts.ts';
import { recordCase, setCaseContact, type SignalInput } from '../store/cases.ts';
import type { Store } from '../store/index.ts';
import {
  findActiveInvitesOfCases,
  findIdempotencyClaim,
  getInviteBatch,
  listBatchLines,
  type BatchLine,
  type Invite,
  type NewInvite,
} from '../store/invites.ts';
import { appConfig } from '../runtime.ts';
import { qrSheet, type Sheet } from './print.ts';
import {
  CASE_REF_MAX,
  caseRefProblem,
  claimFor,
  drawInvites,
  inviteLink,
  isTopic,
  linkSent,
  presentation,
  storeDrawn,
  viewOf,
  type InvalidParam,
  type Presentation,
} from './invites.ts';
import type { InviteChannel } from '../store/schema.ts';

export const MAX_BATCH_ROWS = 5000;
/** Invalid rows named one by one in a 422, up to this many; the CSV answer names them all. */
const MAX_REPORTED = 100;

/** The columns a batch may have; only case_ref is required. Names in any case and order. (And telefoon: PHONE_COLUMN.) */
export const BATCH_COLUMNS = [
  'case_ref',
  'topic',
  'signaal_id',
  'signaalpartner',
  'bedrag',
  'ontstaansdatum',
  'signaaldatum',
  'crisissignaal',
  'warme_overdracht',
  'signaalstatus',
  /** the resident's language, a code of src/lib/languages.ts (nl, en, tr, …): not personal data, taken always */
  'taal',
] as const;
/**
 * The resident's mobile number: personal data, so a column only a municipality whose contact plan
 * sends SMS may send (parseInviteCsv's `smsPhone`); for any other it is refused as today.
 */
export const PHONE_COLUMN = 'telefoon';
type Column = (typeof BATCH_COLUMNS)[number] | typeof PHONE_COLUMN;
const SIGNAL_COLUMNS = BATCH_COLUMNS.slice(2, BATCH_COLUMNS.indexOf('signaalstatus') + 1);

/** Other spellings a case system's export uses for the same column. */
const ALIASES: Record<string, Column> = {
  warmeoverdracht: 'warme_overdracht',
  signaalid: 'signaal_id',
  signaal_status: 'signaalstatus',
  telefoonnummer: PHONE_COLUMN,
  mobiel: PHONE_COLUMN,
  mobiel_nummer: PHONE_COLUMN,
  phone: PHONE_COLUMN,
  mobile: PHONE_COLUMN,
  language: 'taal',
  lang: 'taal',
};

/** What parseInviteCsv may take beyond BATCH_COLUMNS. */
export interface BatchOptions {
  /** the municipality's contact plan sends SMS (planSendsSms): the `telefoon` column is taken */
  smsPhone?: boolean;
}

/** The options of this municipality's batches, from its file: `smsPhone` when its contact plan sends SMS. */
export async function batchOptionsFor(store: Store, municipality: string): Promise<BatchOptions> {
  return { smsPhone: planSendsSms((await findMunicipality(store, municipality))?.contactPlan) };
}

/**
 * Columns that hold who the resident is. The portal keeps no BSN, name or address (the case
 * system keeps the person), so a file that carries them is refused before anything is read.
 */
const PERSONAL =
  /^(bsn|burgerservicenummer|a_?nummer|naam|voornaam|voornamen|achternaam|geslachtsnaam|voorletters|tussenvoegsel|name|first_?name|last_?name|full_?name|adres|straat|straatnaam|huisnummer|postcode|woonplaats|address|street|zip|geboortedatum|birth_?date|date_of_birth|telefoon|telefoonnummer|mobiel|phone|e_?mail|iban)$/;

/** Why a row is refused: the field and a machine code for the API, the reason in Dutch for people. */
export interface RowProblem {
  field: string;
  code: string;
  reason: string;
}

/** One data row of the CSV, read. */
export interface BatchRow {
  /** as a spreadsheet numbers it: the header is row 1 */
  line: number;
  caseRef: string | null;
  topic: Topic | null;
  /** the signal ID as given, when it could be used, also on a row refused for another field */
  signalRef: string | null;
  signal: SignalInput | null;
  problems: RowProblem[];
  /** the resident's mobile number in E.164, when the row gives one that can get an SMS */
  smsPhone?: string;
  /** the resident's language, when the row gives one */
  language?: LanguageCode;
}

export type ParsedBatch = { ok: true; rows: BatchRow[] } | { ok: false; detail: string; invalid: InvalidParam[] };

const fileProblem = (name: string, code: string, reason: string): ParsedBatch => ({ ok: false, detail: reason, invalid: [{ name, code, reason }] });

const nameOf = (header: string) => header.trim().toLowerCase().replace(/[\s-]+/g, '_');

function columnOf(header: string): string {
  const name = nameOf(header);
  return ALIASES[name] ?? name;
}

/** A value for a reason: short, and without anything a spreadsheet could run. */
const shown = (value: string) => value.slice(0, 40).replace(/^[=+\-@]/, "'$&");

/** Whole euros from "350", "350,25", "€ 1.250,00" or "1250.5" (rounded: DDAS counts whole euros). */
export function euros(value: string): number | null {
  const v = value.replace(/^€\s*/, '').replace(/\s/g, '');
  const m = /^(\d{1,3}(?:\.\d{3})+|\d{1,9})(?:[,.](\d{1,2}))?$/.exec(v) ?? /^(\d{1,9})\.(\d{1,2})$/.exec(v);
  if (!m) return null;
  const whole = Number((m[1] ?? '').replace(/\./g, ''));
  const cents = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  return Math.round(whole + cents / 100);
}

/** A day as YYYY-MM-DD from "2026-11-03" or, as a Dutch spreadsheet writes it, "3-11-2026" or "03/11/2026". */
export function ddasDay(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const nl = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : nl ? [nl[3], nl[2], nl[1]] : [];
  if (!y || !m || !d) return null;
  const text = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : text;
}

const YES = new Set(['ja', 'j', 'yes', 'y', 'true', 'waar', '1', 'x']);
const NO = new Set(['nee', 'n', 'no', 'false', 'onwaar', '0', '']);

/** A code of one of the DDAS lists from its official value (any case) or the portal's own code. */
function ddasCode<T extends string>(list: 'signalPartner' | 'signalStatus', codes: readonly T[], value: string): T | null {
  const official = ddasValues(list).find((v) => v.toLowerCase() === value.toLowerCase());
  if (official) return codeOfDdasValue(list, official) as T;
  return codes.find((c) => c === value.toLowerCase()) ?? null;
}

/** Why a reference (case or signal) cannot be used, as a row problem, or null. */
function refProblem(line: number, column: string, value: string): RowProblem | null {
  const p = caseRefProblem(value);
  if (!p) return null;
  return { field: column, code: p.code, reason: st(`batch.row.${p.kind}`, { row: line, column, max: CASE_REF_MAX }) };
}

/**
 * A number an SMS can go to, in E.164, read by src/lib/phone.ts (06 12 34 56 78, +31 6…, 0031…,
 * a foreign number with its country code), or the key of the reason it cannot: a landline, a
 * paid number (0900, 0906, 0909), another kind (0800, 085, …) or no number at all. A foreign
 * number whose kind its country's plan cannot tell (the United States: FIXED_LINE_OR_MOBILE) is
 * taken; if it cannot get an SMS, the send fails and the plan calls instead.
 */
export function smsNumber(raw: string): { ok: true; e164: string } | { ok: false; code: string; key: string } {
  const checked = phoneE164(raw);
  if (!checked.ok) return { ok: false, code: 'invalid', key: 'phone' };
  const type = parsePhoneNumberFromString(checked.e164)?.getType();
  if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return { ok: true, e164: checked.e164 };
  if (type === 'FIXED_LINE') return { ok: false, code: 'landline', key: 'phoneLandline' };
  if (type === 'PREMIUM_RATE' || type === 'SHARED_COST') return { ok: false, code: 'premiumRate', key: 'phonePremium' };
  return { ok: false, code: 'notMobile', key: 'phoneNotMobile' };
}

const LANGUAGE_CODES = Object.keys(LANGUAGES).join(', ');

function readRow(line: number, get: (c: Column) => string, signalColumns: boolean): BatchRow {
  const problems: RowProblem[] = [];
  const fail = (field: string, code: string, key: string, vars: Record<string, string | number> = {}) =>
    problems.push({ field, code, reason: st(`batch.row.${key}`, { row: line, column: field, ...vars }) });
  const caseRef = get('case_ref');
  const caseProblem = caseRef === '' ? null : refProblem(line, 'case_ref', caseRef);
  if (caseRef === '') fail('case_ref', 'required', 'caseRefEmpty');
  else if (caseProblem) problems.push(caseProblem);
  const rawTopic = get('topic');
  const topic = rawTopic.toLowerCase();
  if (topic !== '' && !isTopic(topic)) fail('topic', 'invalid', 'topic', { value: shown(rawTopic), allowed: TOPICS.join(', ') });

  let signal: SignalInput | null = null;
  let signalRef: string | null = null;
  if (signalColumns && SIGNAL_COLUMNS.some((c) => get(c) !== '')) {
    const ref = get('signaal_id');
    const refIssue = ref === '' ? null : refProblem(line, 'signaal_id', ref);
    if (ref === '') fail('signaal_id', 'required', 'signalIdEmpty');
    else if (refIssue) problems.push(refIssue);
    const rawPartner = get('signaalpartner');
    const partner = rawPartner === '' ? null : ddasCode<SignalPartner>('signalPartner', SIGNAL_PARTNERS, rawPartner);
    if (rawPartner === '') fail('signaalpartner', 'required', 'partnerEmpty');
    else if (!partner) fail('signaalpartner', 'invalid', 'partner', { value: shown(rawPartner), allowed: ddasValues('signalPartner').join(', ') });
    const rawAmount = get('bedrag');
    const amount = rawAmount === '' ? null : euros(rawAmount);
    if (rawAmount !== '' && amount === null) fail('bedrag', 'invalid', 'amount', { value: shown(rawAmount) });
    const day = (column: 'ontstaansdatum' | 'signaaldatum') => {
      const raw = get(column);
      const value = raw === '' ? null : ddasDay(raw);
      if (raw !== '' && value === null) fail(column, 'invalid', 'date', { value: shown(raw) });
      return value;
    };
    const arisenOn = day('ontstaansdatum');
    const signalledOn = day('signaaldatum');
    const yesNo = (column: 'crisissignaal' | 'warme_overdracht') => {
      const raw = get(column).toLowerCase();
      if (YES.has(raw)) return true;
      if (!NO.has(raw)) fail(column, 'invalid', 'yesNo', { value: shown(get(column)) });
      return false;
    };
    const crisis = yesNo('crisissignaal');
    const warmHandover = yesNo('warme_overdracht');
    const rawStatus = get('signaalstatus');
    const status = rawStatus === '' ? null : ddasCode<SignalStatus>('signalStatus', SIGNAL_STATUSES, rawStatus);
    if (rawStatus !== '' && !status) fail('signaalstatus', 'invalid', 'status', { value: shown(rawStatus), allowed: ddasValues('signalStatus').join(', ') });
    if (ref !== '' && !refIssue) signalRef = ref;
    if (partner && signalRef !== null) signal = { ref, partner, amount, arisenOn, signalledOn, crisis, warmHandover, status };
  }
  // empty: no SMS for this household (the column is only there when the plan sends SMS)
  const rawPhone = get(PHONE_COLUMN);
  const phone = rawPhone === '' ? null : smsNumber(rawPhone);
  // the reason never repeats the number: reasons are kept with the batch, the number is not
  if (phone && !phone.ok) fail(PHONE_COLUMN, phone.code, phone.key);
  const rawLanguage = get('taal');
  const language = rawLanguage.toLowerCase();
  if (language !== '' && !isLanguage(language)) fail('taal', 'invalid', 'language', { value: shown(rawLanguage), allowed: LANGUAGE_CODES });
  return {
    line,
    caseRef: caseRef === '' || caseProblem ? null : caseRef,
    topic: topic === '' || !isTopic(topic) ? null : topic,
    signalRef,
    signal,
    problems,
    ...(phone?.ok ? { smsPhone: phone.e164 } : {}),
    ...(isLanguage(language) ? { language } : {}),
  };
}

/**
 * Within the file: a signal ID comes once (again in the same case is a repeated row, in another
 * case a mistake), and the rows of one case do not ask for two different topics, nor give two
 * different mobile numbers or languages: which one is right only the case system knows, so the
 * later row is refused, as for a topic (a row that leaves them empty agrees with any).
 */
function crossCheck(rows: BatchRow[]): void {
  const signals = new Map<string, BatchRow>();
  const topics = new Map<string, BatchRow>();
  const phones = new Map<string, BatchRow>();
  const languages = new Map<string, BatchRow>();
  for (const row of rows) {
    if (row.problems.length > 0 || row.caseRef === null) continue;
    const fail = (field: string, code: string, key: string, vars: Record<string, string | number>) =>
      row.problems.push({ field, code, reason: st(`batch.row.${key}`, { row: row.line, ...vars }) });
    if (row.signal) {
      const first = signals.get(row.signal.ref);
      if (first) {
        const key = first.caseRef === row.caseRef ? 'signalTwice' : 'signalOtherRow';
        fail('signaal_id', 'duplicate', key, { signal: shown(row.signal.ref), other: first.line });
        continue;
      }
    }
    const topicRow = topics.get(row.caseRef);
    if (row.topic !== null && topicRow && topicRow.topic !== row.topic) {
      fail('topic', 'conflict', 'topicConflict', { other: topicRow.line });
      continue;
    }
    const phoneRow = phones.get(row.caseRef);
    if (row.smsPhone !== undefined && phoneRow && phoneRow.smsPhone !== row.smsPhone) {
      fail(PHONE_COLUMN, 'conflict', 'phoneConflict', { other: phoneRow.line });
      continue;
    }
    const languageRow = languages.get(row.caseRef);
    if (row.language !== undefined && languageRow && languageRow.language !== row.language) {
      fail('taal', 'conflict', 'languageConflict', { other: languageRow.line });
      continue;
    }
    if (row.signal) signals.set(row.signal.ref, row);
    if (row.topic !== null && !topicRow) topics.set(row.caseRef, row);
    if (row.smsPhone !== undefined && !phoneRow) phones.set(row.caseRef, row);
    if (row.language !== undefined && !languageRow) languages.set(row.caseRef, row);
  }
}

/**
 * Reads the case system's CSV: a header (see BATCH_COLUMNS: case_ref, an optional topic, the
 * DDAS signal columns and taal; telefoon only with `options.smsPhone`), then one row per signal
 * or household. Rows are numbered as a spreadsheet shows them (the header is row 1). A Dutch
 * spreadsheet saves CSV with semicolons; a header with a semicolon and no comma switches to that.
 * What makes the whole file unreadable (its quoting, its header, its size) refuses the file;
 * anything else refuses only its row.
 */
export function parseInviteCsv(text: string, options: BatchOptions = {}): ParsedBatch {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: string[][];
  try {
    records = parseCsv(text, delimiter);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return fileProblem(`row.${error.row}`, 'invalid', st('batch.unreadable', { row: error.row }));
  }
  const header = (records[0] ?? []).map(columnOf);
  const columns: readonly string[] = options.smsPhone ? [...BATCH_COLUMNS, PHONE_COLUMN] : BATCH_COLUMNS;
  const allowed = columns.join(', ');
  // named as the file writes it (an alias of telefoon is refused by its own name)
  const personal = header.findIndex((h) => PERSONAL.test(h) && !(options.smsPhone && h === PHONE_COLUMN));
  if (personal >= 0) return fileProblem('row.1', 'personalData', st('batch.personalColumn', { column: nameOf(records[0]?.[personal] ?? '') }));
  const unknown = header.find((h) => !columns.includes(h));
  if (unknown !== undefined) return fileProblem('row.1', 'invalid', st('batch.unknownColumn', { column: shown(unknown), allowed }));
  const double = header.find((h, i) => header.indexOf(h) !== i);
  if (double) return fileProblem('row.1', 'invalid', st('batch.doubleColumn', { column: double }));
  if (!header.includes('case_ref')) return fileProblem('row.1', 'invalid', st('batch.noCaseRef', { allowed }));
  const data = records
    .map((fields, i) => ({ fields, line: i + 1 }))
    .slice(1)
    .filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (data.length === 0) return fileProblem('rows', 'required', st('batch.noRows'));
  if (data.length > MAX_BATCH_ROWS) return fileProblem('rows', 'tooMany', st('batch.tooMany', { count: data.length, max: MAX_BATCH_ROWS }));
  const index = new Map(header.map((h, i) => [h, i]));
  const signalColumns = SIGNAL_COLUMNS.some((c) => index.has(c));
  const rows = data.map(({ fields, line }) => {
    if (fields.length > header.length) {
      const reason = st('batch.row.columns', { row: line, count: fields.length, header: header.length });
      return { line, caseRef: null, topic: null, signalRef: null, signal: null, problems: [{ field: 'columns', code: 'invalid', reason }] };
    }
    return readRow(line, (c) => (fields[index.get(c) ?? -1] ?? '').trim(), signalColumns);
  });
  crossCheck(rows);
  return { ok: true, rows };
}

/** The 422 of a batch in which no row could be used: every problem named, up to MAX_REPORTED. */
export function refusedBatch(rows: readonly { line: number; problems: readonly RowProblem[] }[]): { detail: string; invalid: InvalidParam[] } {
  const invalid = rows.flatMap((r) => r.problems.map((p) => ({ name: `row.${r.line}.${p.field}`, code: p.code, reason: p.reason })));
  return { detail: st('batch.nothingStored'), invalid: invalid.slice(0, MAX_REPORTED) };
}

export const BATCH_CSV_HEADER = ['row', 'case_ref', 'signaal_id', 'result', 'reason', 'code', 'link', 'sms_text', 'check_word', 'expires_at'] as const;

function batchCsvOf(lines: readonly (BatchLine & { invite: Invite | null })[], channel: InviteChannel | null, p: Presentation): string {
  const views = new Map<string, ReturnType<typeof viewOf>>();
  return toCsv([
    BATCH_CSV_HEADER,
    ...lines.map((l) => {
      const invite = l.invite;
      let view = invite ? views.get(invite.id) : undefined;
      if (invite && !view) {
        view = viewOf({ ...invite, channel: channel ?? invite.channel }, p);
        views.set(invite.id, view);
      }
      return [String(l.line), l.caseRef ?? '', l.signalRef ?? '', l.outcome, l.reason ?? '', view?.code ?? '', view?.link ?? '', view?.smsText ?? '', view?.checkWord ?? '', view?.expiresAt ?? ''];
    }),
  ]);
}

export interface BatchCounts {
  /** rows that got a new personal link (rows of one household share it) */
  made: number;
  /** rows whose case had a working link already: that one */
  existing: number;
  refused: number;
  /** new personal links (fewer than `made` when a household has several rows) */
  newLinks: number;
  /** households whose working link was kept */
  keptLinks: number;
}

/** What the audit log says of a batch: how many links and rows. */
export function batchAuditResult(c: BatchCounts): string {
  return `ok (${c.newLinks} new links, ${c.keptLinks} kept; rows: ${c.made + c.existing} kept, ${c.refused} refused)`;
}

export type CreateBatchOutcome =
  | { kind: 'created' | 'replay'; batchId: string; csv: string; counts: BatchCounts; refused: BatchLine[] }
  | { kind: 'conflict' }
  /** no row could be used: nothing was stored */
  | { kind: 'refused'; detail: string; invalid: InvalidParam[] };

function countsOf(lines: readonly BatchLine[]): BatchCounts {
  const n = (o: BatchLine['outcome']) => lines.filter((l) => l.outcome === o).length;
  const links = (o: BatchLine['outcome']) => new Set(lines.filter((l) => l.outcome === o).map((l) => l.inviteId)).size;
  return { made: n('made'), existing: n('existing'), refused: n('refused'), newLinks: links('made'), keptLinks: links('existing') };
}

/**
 * A batch from parsed rows. Each household (case reference) is recorded as a case with its
 * signals; one whose signal ID belongs to another household loses that row, not its other rows.
 * A case with a working link keeps it; the others get one new link each, stored with the batch
 * and its rows in one transaction. A household's mobile number and language go on its case
 * (setCaseContact). Answers the batch as CSV.
 */
export async function createInviteBatch(
  store: Store,
  input: { municipality: string; createdBy: string; channel: InviteChannel; rows: readonly BatchRow[]; requestBody: string },
  idempotencyKey: string | null = null,
): Promise<CreateBatchOutcome> {
  const p = await presentation(store, input.municipality);
  const batchId = randomUUID();
  const claim = claimFor(input.municipality, idempotencyKey, { kind: 'batch', channel: input.channel, body: input.requestBody }, { batch: batchId });
  if (claim) {
    const earlier = await findIdempotencyClaim(store, claim);
    if (earlier?.kind === 'conflict') return earlier;
    if (earlier?.kind === 'replay') return replayedBatch(store, input.municipality, earlier.body);
  }
  const now = new Date().toISOString();
  const rows = input.rows.map((r) => ({ ...r, problems: [...r.problems] }));
  const households = new Map<string, typeof rows>();
  for (const row of rows) {
    if (row.problems.length > 0 || row.caseRef === null) continue;
    households.set(row.caseRef, [...(households.get(row.caseRef) ?? []), row]);
  }
  const caseOf = new Map<string, string>();
  for (const [caseRef, members] of households) {
    let signals = members.flatMap((r) => (r.signal ? [r.signal] : []));
    for (;;) {
      const recorded = await recordCase(store, { municipality: input.municipality, caseRef, signals, now });
      if (recorded.kind === 'recorded') {
        caseOf.set(caseRef, recorded.caseId);
        break;
      }
      // those rows go; the household's other rows are tried again without them
      for (const row of members) {
        if (row.signal && recorded.refs.includes(row.signal.ref)) {
          row.problems.push({ field: 'signaal_id', code: 'otherCase', reason: st('batch.row.signalOtherCase', { row: row.line, signal: shown(row.signal.ref) }) });
        }
      }
      const left = members.filter((r) => r.problems.length === 0);
      if (left.length === 0) break;
      signals = left.flatMap((r) => (r.signal ? [r.signal] : []));
    }
  }
  if (caseOf.size === 0) return { kind: 'refused', ...refusedBatch(rows) };

  const working = await findActiveInvitesOfCases(store, [...caseOf.values()], now);
  const fresh = [...caseOf].filter(([, caseId]) => !working.has(caseId));
  const firstRow = (caseRef: string) => households.get(caseRef)?.find((r) => r.problems.length === 0);
  let createdAt = now;
  const result = await storeDrawn(
    store,
    () => {
      createdAt = new Date().toISOString();
      return drawInvites(
        fresh.map(([caseRef]) => {
          const members = households.get(caseRef) ?? [];
          return { caseRef, topic: members.find((r) => r.problems.length === 0 && r.topic !== null)?.topic ?? null, row: (firstRow(caseRef)?.line ?? 1) - 1 };
        }),
        { municipality: input.municipality, channel: input.channel, batchId, now: createdAt, ttlDays: appConfig().inviteTtlDays },
      ).map((invite) => ({ ...invite, caseId: caseOf.get(invite.caseRef ?? '') ?? null }));
    },
    p,
    {
      batch: (invites: readonly NewInvite[]) => {
        const made = new Map(invites.map((i) => [i.caseRef ?? '', i.id]));
        const lines: BatchLine[] = rows.map((row) => {
          const caseId = row.caseRef === null ? undefined : caseOf.get(row.caseRef);
          const refused = row.problems.length > 0 || caseId === undefined;
          const existing = caseId === undefined ? undefined : working.get(caseId);
          return {
            line: row.line,
            caseRef: row.caseRef,
            signalRef: row.signalRef,
            inviteId: refused ? null : (existing?.id ?? made.get(row.caseRef ?? '') ?? null),
            outcome: refused ? 'refused' : existing ? 'existing' : 'made',
            reason: refused ? row.problems.map((p) => p.reason).join(' ') : null,
          };
        });
        const size = new Set(lines.flatMap((l) => (l.inviteId ? [l.inviteId] : []))).size;
        return { id: batchId, municipality: input.municipality, createdAt, size, createdBy: input.createdBy, channel: input.channel, lines };
      },
      ...(claim ? { idempotency: claim } : {}),
    },
  );
  if (result.kind === 'conflict') return result;
  if (result.kind === 'replay') return replayedBatch(store, input.municipality, result.body);
  // Now that the batch is stored: the number and language each household's rows gave (crossCheck
  // made its rows agree, so the first that gives one is the one).
  const bySms = new Set<string>();
  for (const [caseRef, caseId] of caseOf) {
    const kept = (households.get(caseRef) ?? []).filter((r) => r.problems.length === 0);
    const smsPhone = kept.find((r) => r.smsPhone !== undefined)?.smsPhone ?? null;
    const language = kept.find((r) => r.language !== undefined)?.language ?? null;
    if (smsPhone === null && language === null) continue;
    if ((await setCaseContact(store, caseId, { smsPhone, language, at: createdAt })).smsPhone) bySms.add(caseId);
  }
  // Every household of the batch gets its link (new or kept) by this channel: the portal's own
  // attempt. Not by SMS to a household whose number the portal has now: the plan's SMS sender
  // records that attempt when its SMS goes out.
  const sent = [...caseOf.values()].filter((caseId) => input.channel !== 'sms' || !bySms.has(caseId));
  await linkSent(store, { municipality: input.municipality, caseIds: sent, channel: input.channel, at: createdAt });
  return batchOutcome(store, input.municipality, batchId, 'created');
}

async function batchOutcome(store: Store, municipality: string, batchId: string, kind: 'created' | 'replay'): Promise<CreateBatchOutcome> {
  const batch = await getInviteBatch(store, batchId);
  if (!batch) throw new Error('The batch an idempotency key points to is gone');
  const lines = await listBatchLines(store, batchId);
  return {
    kind,
    batchId,
    csv: batchCsvOf(lines, batch.channel, await presentation(store, municipality)),
    counts: countsOf(lines),
    refused: lines.filter((l) => l.outcome === 'refused'),
  };
}

function replayedBatch(store: Store, municipality: string, body: string): Promise<CreateBatchOutcome> {
  return batchOutcome(store, municipality, (JSON.parse(body) as { batch: string }).batch, 'replay');
}

/** The batch as CSV again, or null when it does not exist or belongs to another municipality. */
export async function batchCsv(store: Store, municipality: string, batchId: string): Promise<string | null> {
  const batch = await getInviteBatch(store, batchId);
  if (!batch || batch.municipality !== municipality) return null;
  return batchCsvOf(await listBatchLines(store, batchId), batch.channel, await presentation(store, municipality));
}

/** The batch's printable QR sheet, one label per personal link (in the order of the CSV), or null as for batchCsv. */
export async function batchSheet(store: Store, municipality: string, batchId: string): Promise<Sheet | null> {
  const batch = await getInviteBatch(store, batchId);
  if (!batch || batch.municipality !== municipality) return null;
  const p = await presentation(store, municipality);
  const seen = new Set<string>();
  const invites = (await listBatchLines(store, batchId)).flatMap((l) => {
    if (!l.invite || seen.has(l.invite.id)) return [];
    seen.add(l.invite.id);
    return [l.invite];
  });
  return qrSheet({
    municipalityName: p.municipalityName,
    batchId,
    createdAt: batch.createdAt,
    cells: invites.map((i) => ({ caseRef: i.caseRef, code: formatInviteCode(i.code), checkWord: i.checkWord, link: inviteLink(p.publicUrl, i.code) })),
  });
}
