// SPDX-License-Identifier: EUPL-1.2
/**
 * Invitations for staff: one at a time (link, SMS text, check word, QR code to print) or a batch
 * pasted as CSV (case_ref,topic), answered with the batch CSV and a printable QR sheet. Larger
 * batches go through the API with a key. Every action is written to the audit log.
 */
import { TOPICS, type Topic } from '../../../flows/resident.ts';
import { createInvite, createInviteBatch, batchCsv, batchSheet, inviteQrSvg, parseInviteCsv, type InviteView } from '../invitations/invites.ts';
import { getStore } from '../runtime.ts';
import { audit } from './audit.ts';
import { can } from './nav.ts';
import { municipalityNames, requireStaff } from './pages.ts';
import type { StaffContext } from './session.ts';
import { st } from './texts.ts';

export type InviteChannelChoice = 'sms' | 'letter-qr';

export type InvitesPage =
  | { kind: 'forbidden'; staff: StaffContext }
  | {
      kind: 'page';
      staff: StaffContext;
      municipalities: { slug: string; name: string }[];
      topics: readonly Topic[];
      created?: { invite: InviteView; qrSvg: string } | undefined;
      batch?: { id: string; municipality: string; size: number } | undefined;
      errors: string[];
      csvText: string;
    };

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
  };
  if (request.method !== 'POST') return base;
  const store = await getStore();
  const form = new URLSearchParams(await request.text());
  const municipality = form.get('municipality') ?? '';
  if (!staff.municipalities.includes(municipality)) return { ...base, errors: [st('invites.errors.municipality')] };
  const channel = channelOf(form.get('channel'));
  if (form.get('action') === 'batch') {
    const csvText = form.get('csv') ?? '';
    const parsed = parseInviteCsv(csvText);
    if (!parsed.ok) return { ...base, csvText, errors: [parsed.detail, ...parsed.invalid.slice(0, 20).map((p) => `${p.name}: ${p.reason}`)] };
    const outcome = await createInviteBatch(store, { municipality, createdBy: staff.staffId, channel, rows: parsed.rows, requestBody: csvText });
    if (outcome.kind === 'conflict') return { ...base, errors: [st('invites.errors.batchRepeated')] };
    await audit(store, { actor: staff.staffId, action: 'invite', objectType: 'invite_batch', objectId: outcome.batchId, municipality, result: 'ok', origin: 'staff-ui' });
    return { ...base, batch: { id: outcome.batchId, municipality, size: parsed.rows.length } };
  }
  const topicValue = form.get('topic') ?? '';
  const topic = (TOPICS as readonly string[]).includes(topicValue) ? (topicValue as Topic) : null;
  const caseRef = (form.get('caseRef') ?? '').trim().slice(0, 64) || null;
  const outcome = await createInvite(store, municipality, { caseRef, topic, channel });
  if (outcome.kind === 'conflict') return { ...base, errors: [st('invites.errors.oneRepeated')] };
  await audit(store, { actor: staff.staffId, action: 'invite', objectType: 'invite', objectId: outcome.invite.id, municipality, result: 'ok', origin: 'staff-ui' });
  const qrSvg = (await inviteQrSvg(store, municipality, outcome.invite.code.replace(/-/g, ''))) ?? '';
  return { ...base, created: { invite: outcome.invite, qrSvg } };
}

/** The batch again, as CSV or as the printable QR sheet, for one of the staff member's municipalities. */
export async function batchDownload(locals: App.Locals, batchId: string, url: URL, kind: 'csv' | 'qr'): Promise<Response> {
  const staff = requireStaff(locals);
  const municipality = url.searchParams.get('gemeente') ?? '';
  const notFound = new Response('Niet gevonden', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  if (!can(staff, 'invites') || !staff.municipalities.includes(municipality) || !/^[0-9a-f-]{36}$/.test(batchId)) return notFound;
  const store = await getStore();
  const body = kind === 'csv' ? await batchCsv(store, municipality, batchId) : await batchSheet(store, municipality, batchId);
  if (body === null) return notFound;
  await audit(store, { actor: staff.staffId, action: 'export', objectType: 'invite_batch', objectId: batchId, municipality, result: 'ok', origin: 'staff-ui' });
  return new Response(body, {
    headers:
      kind === 'csv'
        ? { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="uitnodigingen-${batchId}.csv"`, 'Cache-Control': 'no-store' }
        : { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
