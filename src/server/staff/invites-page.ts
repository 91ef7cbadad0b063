// SPDX-License-Identifier: EUPL-1.2
/**
 * Invitations for staff: one at a time (link, SMS text, check word, QR code to print) or a batch
 * pasted as CSV (case_ref,topic), answered with the batch CSV and a printable QR sheet. Larger
 * batches go through the API with a key. Every action is written to the audit log.
 */
import { isId } from '../../lib/ids.ts';
import { TOPICS, type Topic } from '../../../flows/resident.ts';
import { caseRefProblem, createInvite, inviteQrSvg, type InviteView } from '../invitations/invites.ts';
import { SHEET_HEADERS } from '../invitations/print.ts';
import { batchAuditResult, batchCsv, batchSheet, createInviteBatch, parseInviteCsv, type BatchCounts, batchOptionsFor } from '../invitations/batch.ts';
import { getStore } from '../runtime.ts';
import { audit } from './audit.ts';
import { can } from './nav.ts';
import { municipalityNames, requireStaff } from './pages.ts';
import type { StaffContext } from './session.ts';
import { st } from './texts.ts';
import type { Sheet } from '../invitations/print.ts';
import type { Store } from '../store/index.ts';

export type InviteChannelChoice = 'sms' | 'letter-qr';

export type InvitesPage =
  | { kind: 'forbidden'; staff: StaffContext }
  | {
      kind: 'page';
      staff: StaffContext;
      municipalities: { slug: string; name: string }[];
      topics: readonly Topic[];
      created?: { invite: InviteView; qrSvg: string } | undefined;
      batch?: { id: string; municipality: string; counts: BatchCounts; refused: string[] } | undefined;
      errors: string[];
      csvText: string;
      /** a refused case reference, back in its box to be mended */
      caseRefText: string;
    };

/** The staff form's reason for each way a case reference cannot be used (src/server/invitations/invites.ts). */
const REF_ERRORS = { tooLong: 'invites.errors.caseRefTooLong', control: 'invites.errors.caseRefControl', formula: 'invites.errors.caseRefFormula' } as const;

function channelOf(value: string | null): InviteChannelChoice {
  return value === 'letter-qr' ? 'letter-qr' : 'sms';
}

export async function invitesPage(locals: App.Locals, request: Request): Promise<InvitesPage> {
  const staff = requireStaff(locals);
  if (!can(staff, 'invites')) return { kind: 'forbidden', staff };
  const names = await municipalityNames(staff.municipalities);
  const base = {
    kind: 'page' as const,
    staff,
    municipalities: staff.municipalities.map((slug, i) => ({ slug, name: names[i] ?? slug })),
    topics: TOPICS,
    errors: [] as string[],
    csvText: '',
    caseRefText: '',
  };
  if (request.method !== 'POST') return base;
  const store = await getStore();
  const form = new URLSearchParams(await request.text());
  const municipality = form.get('municipality') ?? '';
  if (!staff.municipalities.includes(municipality)) return { ...base, errors: [st('invites.errors.municipality')] };
  const channel = channelOf(form.get('channel'));
  if (form.get('action') === 'batch') {
    const csvText = form.get('csv') ?? '';
    const parsed = parseInviteCsv(csvText, await batchOptionsFor(store, municipality));
    if (!parsed.ok) return { ...base, csvText, errors: [parsed.detail] };
    const outcome = await createInviteBatch(store, { municipality, createdBy: staff.staffId, channel, rows: parsed.rows, requestBody: csvText });
    if (outcome.kind === 'conflict') return { ...base, errors: [st('invites.errors.batchRepeated')] };
    // nothing stored: the list stays in the box, to be mended
    if (outcome.kind === 'refused') return { ...base, csvText, errors: [outcome.detail, ...outcome.invalid.slice(0, 20).map((p) => p.reason)] };
    await audit(store, { actor: staff.staffId, action: 'invite', objectType: 'invite_batch', objectId: outcome.batchId, municipality, result: batchAuditResult(outcome.counts), origin: 'staff-ui' });
    return { ...base, batch: { id: outcome.batchId, municipality, counts: outcome.counts, refused: outcome.refused.map((l) => l.reason ?? '') } };
  }
  const topicValue = form.get('topic') ?? '';
  const topic = (TOPICS as readonly string[]).includes(topicValue) ? (topicValue as Topic) : null;
  const caseRef = (form.get('caseRef') ?? '').trim().slice(0, 64) || null;
  // the same rule as the API and the batch: a reference a spreadsheet would run is refused, the form kept
  const refProblem = caseRef === null ? null : caseRefProblem(caseRef);
  if (refProblem) return { ...base, caseRefText: caseRef ?? '', errors: [st(REF_ERRORS[refProblem.kind])] };
  const outcome = await createInvite(store, municipality, { caseRef, topic, channel });
  // (no signals from this form, so none can belong to another case)
  if (outcome.kind === 'conflict' || outcome.kind === 'otherCase') return { ...base, errors: [st('invites.errors.oneRepeated')] };
  await audit(store, { actor: staff.staffId, action: 'invite', objectType: 'invite', objectId: outcome.invite.id, municipality, result: 'ok', origin: 'staff-ui' });
  const qrSvg = (await inviteQrSvg(store, municipality, outcome.invite.code.replace(/-/g, ''))) ?? '';
  return { ...base, created: { invite: outcome.invite, qrSvg } };
}

/** The batch again, as CSV or as the printable QR sheet, for one of the staff member's municipalities. */
function notFoundAnswer(): Response {
  return new Response(st('notFound.title'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/**
 * A batch of one of this staff member's municipalities (?gemeente=), made by `load`, with the
 * export audited; the 404 to answer when it is not theirs or not there.
 */
async function exportBatch<T>(
  locals: App.Locals,
  batchId: string,
  url: URL,
  load: (store: Store, municipality: string, batchId: string) => Promise<T | null>,
): Promise<T | Response> {
  const staff = requireStaff(locals);
  const municipality = url.searchParams.get('gemeente') ?? '';
  if (!can(staff, 'invites') || !staff.municipalities.includes(municipality) || !isId(batchId)) return notFoundAnswer();
  const store = await getStore();
  const made = await load(store, municipality, batchId);
  if (made === null) return notFoundAnswer();
  await audit(store, { actor: staff.staffId, action: 'export', objectType: 'invite_batch', objectId: batchId, municipality, result: 'ok', origin: 'staff-ui' });
  return made;
}

/** GET /staff/uitnodigingen/{batch}/csv: the batch's rows with their links and SMS texts (audited). */
export async function batchCsvDownload(locals: App.Locals, batchId: string, url: URL): Promise<Response> {
  const csv = await exportBatch(locals, batchId, url, batchCsv);
  if (csv instanceof Response) return csv;
  return new Response(csv, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="uitnodigingen-${batchId}.csv"`, 'Cache-Control': 'no-store' },
  });
}

/** GET /staff/uitnodigingen/{batch}/qr: the printable sheet to render (audited), or the 404 instead. */
export async function batchSheetDownload(locals: App.Locals, batchId: string, url: URL): Promise<{ sheet: Sheet; headers: Record<string, string> } | Response> {
  const sheet = await exportBatch(locals, batchId, url, batchSheet);
  return sheet instanceof Response ? sheet : { sheet, headers: { ...SHEET_HEADERS } };
}
