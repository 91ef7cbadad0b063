// SPDX-License-Identifier: EUPL-1.2
/**
 * A batch from the case system's CSV: one row per signal (or per household), the DDAS signal
 * fields beside the case reference. Rows of one case reference make one case with one personal
 * link; a signal sent before is recognised. A row that cannot be used is refused with a Dutch
 * reason and the other rows are kept. The answer, and the batch read back later, has one row per
 * row of the request, saying what became of it.
 */
import { randomUUID } from 'node:crypto';
import { TOPICS, type Topic } from '../../../flows/resident.ts';
import { CsvError, parseCsv, toCsv } from '../../lib/csv.ts';
import { codeOfDdasValue, ddasValues, SIGNAL_PARTNERS, SIGNAL_STATUSES, type SignalPartner, type SignalStatus } from '../../lib/ddas.ts';
import { formatInviteCode } from '../../lib/invite-code.ts';
import { st } from '../staff/texts.ts';
import { recordCase, type SignalInput } from '../store/cases.ts';
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

/** The columns a batch may have; only case_ref is required. Names in any case and order. */
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
] as const;
type Column = (typeof BATCH_COLUMNS)[number];
const SIGNAL_COLUMNS = BATCH_COLUMNS.slice(2);

/** Other spellings a case system's export uses for the same column. */
const ALIASES: Record<string, Column> = { warmeoverdracht: 'warme_overdracht', signaalid: 'signaal_id', signaal_status: 'signaalstatus' };

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
}

export type ParsedBatch = { ok: true; rows: BatchRow[] } | { ok: false; detail: string; invalid: InvalidParam[] };

const fileProblem = (name: string, code: string, reason: string): ParsedBatch => ({ ok: false, detail: reason, invalid: [{ name, code, reason }] });

function columnOf(header: string): string {
  const name = header.trim().toLowerCase().replace(/[\s-]+/g, '_');
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
  const key = p.code === 'tooLong' ? 'tooLong' : /\p{Cc}/u.test(value) ? 'control' : 'formula';
  return { field: column, code: p.code, reason: st(`batch.row.${key}`, { row: line, column, max: CASE_REF_MAX }) };
}

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
  return { line, caseRef: caseRef === '' || caseProblem ? null : caseRef, topic: topic === '' || !isTopic(topic) ? null : topic, signalRef, signal, problems };
}

/**
 * Within the file: a signal ID comes once (again in the same case is a repeated row, in another
 * case a mistake), and the rows of one case do not ask for two different topics.
 */
function crossCheck(rows: BatchRow[]): void {
  const signals = new Map<string, BatchRow>();
  const topics = new Map<string, BatchRow>();
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
    if (row.signal) signals.set(row.signal.ref, row);
    if (row.topic !== null && !topicRow) topics.set(row.caseRef, row);
  }
}

/**
 * Reads the case system's CSV: a header (see BATCH_COLUMNS: case_ref, an optional topic and the
 * DDAS signal columns), then one row per signal or household. Rows are numbered as a spreadsheet
 * shows them (the header is row 1). A Dutch spreadsheet saves CSV with semicolons; a header with a
 * semicolon and no comma switches to that. What makes the whole file unreadable (its quoting, its
 * header, its size) refuses the file; anything else refuses only its row.
 */
export function parseInviteCsv(text: string): ParsedBatch {
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
  const allowed = BATCH_COLUMNS.join(', ');
  const personal = header.find((h) => PERSONAL.test(h));
  if (personal) return fileProblem('row.1', 'personalData', st('batch.personalColumn', { column: personal }));
  const unknown = header.find((h) => !(BATCH_COLUMNS as readonly string[]).includes(h));
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
 * and its rows in one transaction. Answers the batch as CSV.
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
  // every household of the batch gets its link (new or kept) by this channel: the portal's own attempt
  await linkSent(store, { municipality: input.municipality, caseIds: [...caseOf.values()], channel: input.channel, at: createdAt });
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
