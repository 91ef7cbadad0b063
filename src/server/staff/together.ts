// SPDX-License-Identifier: EUPL-1.2
/**
 * "Samen invullen": a staff member goes through the resident conversation with a resident on a
 * tablet. Same conversation, channel "staff", only for the staff member's own municipalities;
 * at the end the staff member records the outcome, and nothing stays on the device.
 */
import { residentPage, type ResidentPage } from '../resident/page.ts';
import { getStore } from '../runtime.ts';
import { can } from './nav.ts';
import { municipalityNames, requireStaff } from './pages.ts';
import { closeWithOutcome } from './requests.ts';
import type { StaffContext } from './session.ts';

export type TogetherStart =
  | { kind: 'forbidden'; staff: StaffContext }
  | { kind: 'page'; staff: StaffContext; choices: { slug: string; name: string; href: string }[]; finished: boolean };

export async function togetherStart(locals: App.Locals, url: URL): Promise<TogetherStart> {
  const staff = requireStaff(locals);
  if (!can(staff, 'together')) return { kind: 'forbidden', staff };
  const names = await municipalityNames(staff.municipalities);
  return {
    kind: 'page',
    staff,
    choices: staff.municipalities.map((slug, i) => ({ slug, name: names[i] ?? slug, href: `/staff/samen/${slug}/nl/` })),
    finished: url.searchParams.get('klaar') === '1',
  };
}

export async function togetherConversation(locals: App.Locals, request: Request, slug: string, lang: string): Promise<ResidentPage> {
  const staff = requireStaff(locals);
  // another municipality's conversation does not exist for this staff member
  if (!can(staff, 'together') || !staff.municipalities.includes(slug)) return { kind: 'notFound' };
  return residentPage(request, slug, lang, { csrf: staff.csrfToken });
}

/** The outcome form on the last screen: close the request, then a clean start for the next resident. */
export async function finishTogether(locals: App.Locals, request: Request): Promise<Response> {
  const staff = requireStaff(locals);
  const form = new URLSearchParams(await request.text());
  const next = form.get('next') ?? '';
  const back = /^\/staff\/samen\/[a-z0-9-]+\/[a-z]{2,3}\/$/.test(next) ? next : '/staff/samen';
  const result = await closeWithOutcome(await getStore(), staff, form.get('request') ?? '', { outcome: form.get('outcome') }, 'staff-ui');
  if (result === 'notFound') return new Response('Niet gevonden', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  const target = result === 'invalid' ? `${back}?fout=uitkomst` : `/staff/samen?klaar=1`;
  // Clear-Site-Data wipes what the browser kept for this site (storage, cache) before the next resident.
  return new Response(null, { status: 303, headers: { Location: target, 'Clear-Site-Data': '"storage"', 'Cache-Control': 'no-store' } });
}
