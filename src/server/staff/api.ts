// SPDX-License-Identifier: EUPL-1.2
/**
 * The staff JSON API (/api/v1/staff/…): the same queue, request, actions and audit log as the
 * pages, for the session cookie. The gate (src/server/staff/access.ts) has checked the session
 * and, on writes, the X-CSRF-Token header before any of these run.
 */
import { z } from 'zod';
import { getStore } from '../runtime.ts';
import { auditPageFor, parsePage } from './audit-view.ts';
import { logout } from './auth.ts';
import { handoffOverview, retryHandoff } from './handoff.ts';
import { can } from './nav.ts';
import { requireStaff } from './pages.ts';
import {
  addContactAttempt,
  assignToMe,
  closeWithOutcome,
  queueFor,
  requestSummary,
  viewRequest,
  type ActionResult,
} from './requests.ts';
import { clearSessionCookies, isSecure } from './session.ts';
import { CONTACT_KINDS, CONTACT_RESULTS, NOTE_CODES, OUTCOMES } from '../store/staff-requests.ts';
import { apiHeaders, invalidBody, json, problem, readBody } from '../http/problem.ts';

type Locals = App.Locals;

export const contactAttemptSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS).describe('How the resident was approached.'),
  result: z.enum(CONTACT_RESULTS).describe('What came of it.'),
  noteCode: z.enum(NOTE_CODES).nullable().optional().describe('A note from a fixed list; there is no free text.'),
});

export const closeSchema = z.strictObject({
  outcome: z.enum(OUTCOMES).describe('How the request ended.'),
});

function notFound(): Response {
  // Another municipality's request is "not found", never "forbidden": ids reveal nothing.
  return problem({ status: 404, title: 'Not Found', detail: 'No such request in your municipalities.' });
}

function closed(): Response {
  return problem({ status: 409, title: 'Conflict', detail: 'The request is closed already; nothing was changed.' });
}

/** GET /api/v1/staff/ik: who is logged in, and the CSRF token for writes. */
export function handleWhoAmI(locals: Locals): Response {
  const staff = requireStaff(locals);
  return json(200, {
    id: staff.staffId,
    email: staff.email,
    name: staff.name,
    role: staff.role,
    municipalities: staff.municipalities,
    demo: staff.demo,
    csrfToken: staff.csrfToken,
    expiresAt: staff.expiresAt,
  });
}

/** DELETE /api/v1/staff/sessie: log out. */
export async function handleLogout(request: Request, locals: Locals): Promise<Response> {
  const staff = requireStaff(locals);
  await logout(await getStore(), staff, new Date());
  const headers = apiHeaders();
  for (const c of clearSessionCookies(isSecure(request))) headers.append('Set-Cookie', c);
  return new Response(null, { status: 204, headers });
}

/** GET /api/v1/staff/verzoeken */
export async function handleQueue(locals: Locals): Promise<Response> {
  const staff = requireStaff(locals);
  return json(200, { items: await queueFor(await getStore(), staff) });
}

/** GET /api/v1/staff/verzoeken/{id}: with personal data, so the view is audited. */
export async function handleStaffRequestDetail(locals: Locals, id: string): Promise<Response> {
  const staff = requireStaff(locals);
  const detail = await viewRequest(await getStore(), staff, id, 'api');
  return detail ? json(200, detail) : notFound();
}

async function answerAction(locals: Locals, id: string, result: ActionResult, status = 200): Promise<Response> {
  if (result === 'notFound') return notFound();
  if (result === 'closed') return closed();
  if (result === 'invalid') return problem({ status: 422, title: 'Unprocessable Content', detail: 'One or more fields are not valid.', invalidParams: [] });
  const summary = await requestSummary(await getStore(), requireStaff(locals), id);
  return summary ? json(status, summary) : notFound();
}

/** POST /api/v1/staff/verzoeken/{id}/toewijzing */
export async function handleAssign(locals: Locals, id: string): Promise<Response> {
  const staff = requireStaff(locals);
  return answerAction(locals, id, await assignToMe(await getStore(), staff, id, 'api'));
}

/** POST /api/v1/staff/verzoeken/{id}/contactpogingen */
export async function handleAttempt(request: Request, locals: Locals, id: string): Promise<Response> {
  const staff = requireStaff(locals);
  const store = await getStore();
  // Existence first: another municipality's id answers 404 whatever the body says.
  if (!(await requestSummary(store, staff, id))) return notFound();
  const body = await readBody(request, () => null, { accept: ['json'] });
  if (!body.ok) return body.response;
  const parsed = contactAttemptSchema.safeParse(body.value);
  if (!parsed.success) return invalidBody(parsed.error, body.value);
  const result = await addContactAttempt(store, staff, id, parsed.data, 'api');
  return answerAction(locals, id, result, 201);
}

/** POST /api/v1/staff/verzoeken/{id}/afsluiting */
export async function handleClose(request: Request, locals: Locals, id: string): Promise<Response> {
  const staff = requireStaff(locals);
  const store = await getStore();
  if (!(await requestSummary(store, staff, id))) return notFound();
  const body = await readBody(request, () => null, { accept: ['json'] });
  if (!body.ok) return body.response;
  const parsed = closeSchema.safeParse(body.value);
  if (!parsed.success) return invalidBody(parsed.error, body.value);
  return answerAction(locals, id, await closeWithOutcome(store, staff, id, parsed.data, 'api'));
}

/** GET /api/v1/staff/audit?pagina=N (administrators) */
export async function handleAudit(locals: Locals, url: URL): Promise<Response> {
  const staff = requireStaff(locals);
  if (!can(staff, 'audit')) return problem({ status: 403, title: 'Forbidden', detail: 'The audit log is for administrators.' });
  return json(200, await auditPageFor(await getStore(), staff, parsePage(url.searchParams.get('pagina'))));
}

/** GET /api/v1/staff/overdrachten (administrators): connector state and deliveries that failed or keep failing. */
export async function handleHandoffs(locals: Locals): Promise<Response> {
  const staff = requireStaff(locals);
  if (!can(staff, 'handoff')) return problem({ status: 403, title: 'Forbidden', detail: 'The hand-off overview is for administrators.' });
  return json(200, await handoffOverview(await getStore(), staff));
}

/** POST /api/v1/staff/overdrachten/{delivery}/opnieuw (administrators): due now, a new series of attempts. */
export async function handleHandoffRetry(locals: Locals, deliveryId: string): Promise<Response> {
  const staff = requireStaff(locals);
  // Not an administrator is "not found" too: which deliveries exist is an administrator's business.
  const outcome = await retryHandoff(await getStore(), staff, deliveryId, 'api');
  if (outcome.kind === 'notFound') return problem({ status: 404, title: 'Not Found', detail: 'No such delivery in your municipalities.' });
  if (outcome.kind === 'notRetryable') {
    return problem({ status: 409, title: 'Conflict', detail: 'This delivery was delivered, is being sent, or its data was deleted; nothing was changed.' });
  }
  return json(202, { id: deliveryId, status: 'pending' });
}
