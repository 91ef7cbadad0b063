// SPDX-License-Identifier: EUPL-1.2
/**
 * The staff JSON API routes (/api/v1/staff/…): the same queue, request, actions and audit log as
 * the pages, for the session cookie. The gate (staffApiGate in src/server/staff/access.ts) checks
 * the session and, on writes, the X-CSRF-Token header before any of these run.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { nodeRequest } from '../http/guard.ts';
import { dateTimeText, idText, problems, sendProblem } from '../http/problem.ts';
import type { Api } from '../http/server.ts';
import { currentRequest } from '../log.ts';
import { getStore } from '../runtime.ts';
import { staffApiGate, STAFF_HEADERS } from './access.ts';
import { auditPageFor, parsePage } from './audit-view.ts';
import { logout } from './auth.ts';
import { handoffOverview, retryHandoff } from './handoff.ts';
import { can } from './nav.ts';
import {
  addContactAttempt,
  assignToMe,
  closeWithOutcome,
  queueFilterFrom,
  queueFor,
  requestSummary,
  viewRequest,
  type ActionResult,
} from './requests.ts';
import { clearSessionCookies, isSecure, type StaffContext } from './session.ts';
import { DAY_PARTS, ddasValue } from '../../lib/ddas.ts';
import { CONTACT_KINDS, CONTACT_RESULTS, NOTE_CODES, OUTCOMES, REQUEST_STATUSES } from '../store/staff-requests.ts';

export const contactAttemptSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS).describe(`How the resident was approached (DDAS soort): ${CONTACT_KINDS.map((k) => `${k} = ${ddasValue('contactKind', k)}`).join(', ')}.`),
  result: z.enum(CONTACT_RESULTS).describe('What came of it; DDAS bereikt is true for reached only.'),
  noteCode: z.enum(NOTE_CODES).nullable().optional().describe('A note from a fixed list; there is no free text.'),
  date: z.iso.date().optional().describe("DDAS datum, today or up to a year back; today on the municipality's clock when left out."),
  dayPart: z.enum(DAY_PARTS).optional().describe('DDAS dagdeel (morning before 12:00, afternoon until 18:00, evening); the part of the day of now when left out.'),
}).meta({ id: 'Contactpoging' });

export const closeSchema = z.strictObject({
  outcome: z.enum(OUTCOMES).describe(`How the request ended: one of the 15 DDAS end results (${OUTCOMES.map((o) => `${o} = ${ddasValue('endResult', o)}`).join('; ')}). A request of a case closes its case with it.`),
}).meta({ id: 'Afsluiting' });

const dateTime = dateTimeText;
const nullableDateTime = dateTime.nullable();

const timeLeftSchema = z
  .object({
    deadline: dateTime,
    overdue: z.boolean(),
    workingDaysLeft: z.int().min(0),
    text: z.string().describe('in Dutch, as the staff queue shows it'),
    deadlineText: z.string(),
  })
  .nullable()
  .describe("Against the municipality's promise in working days (Monday to Friday, its time zone); null when closed.");

const requestFields = {
  id: idText,
  reference: z.string(),
  municipality: z.string(),
  municipalityName: z.string(),
  urgent: z.boolean(),
  status: z.enum(REQUEST_STATUSES),
  topic: z.string(),
  language: z.string(),
  channel: z.string(),
  createdAt: dateTime,
  assignedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
  timeLeft: timeLeftSchema,
  labels: z.looseObject({ topic: z.string(), language: z.string(), channel: z.string(), status: z.string() }).describe('Dutch labels of the codes'),
};
// The answer schemas name every field callers rely on and let the rest through (looseObject); the
// views are typed in src/server/staff/requests.ts, so handlers hand them over `as never`.
const requestSchema = z.looseObject(requestFields).meta({ id: 'StaffVerzoek' });
const requestDetailSchema = z
  .looseObject({
    ...requestFields,
    answers: z.record(z.string(), z.unknown()).describe('The answer codes as the resident gave them'),
    answerRows: z.array(z.looseObject({ term: z.string(), values: z.array(z.string()) })).describe('The answers in Dutch, whatever language the resident used').optional(),
    phone: z.string().nullable().describe('E.164; null once the retention period has passed'),
    firstName: z.string().nullable(),
    attempts: z.array(
      z.looseObject({
        id: z.string(),
        createdAt: dateTime,
        staffId: z.string(),
        staffName: z.string(),
        kind: z.string(),
        result: z.string(),
        noteCode: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'StaffVerzoekDetail' });
const whoAmISchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['caseworker', 'coordinator', 'admin']),
    municipalities: z.array(z.string()),
    demo: z.boolean(),
    csrfToken: z.string(),
    expiresAt: dateTime,
  })
  .meta({ id: 'StaffIk' });
const auditPageSchema = z
  .object({
    page: z.int(),
    pageSize: z.int(),
    hasMore: z.boolean(),
    entries: z.array(
      z.looseObject({
        id: z.string(),
        at: dateTime,
        actor: z.string().describe('A staff id, or system'),
        action: z.string(),
        objectType: z.string(),
        objectId: z.string().nullable(),
        municipality: z.string().nullable(),
        result: z.string(),
        origin: z.enum(['staff-ui', 'api', 'job']),
      }),
    ),
  })
  .meta({ id: 'AuditPagina' });
const handoffSchema = z
  .object({
    connectors: z.array(
      z.looseObject({
        municipality: z.string(),
        name: z.string(),
        state: z.enum(['configured', 'none', 'secretMissing']).describe('secretMissing: the connector is set but its secret is not in the environment, so it is not used'),
        host: z.string().nullable().describe("The receiver's host when configured"),
        secretEnv: z.string().nullable().describe('The environment variable that should hold the secret, when missing'),
        text: z.string().describe('Dutch'),
      }),
    ),
    deliveries: z
      .array(
        z.looseObject({
          id: idText.describe('The delivery id (X-Hulpgesprek-Delivery)'),
          requestId: idText,
          reference: z.string(),
          municipality: z.string(),
          eventType: z.string(),
          status: z.enum(['pending', 'failed']),
          attempts: z.int().min(0).describe('In the current series (a retry starts a new one)'),
          nextAttemptAt: dateTime.describe('When a pending delivery is sent again'),
          lastError: z.string().nullable().describe('Technical, e.g. "HTTP 503" or "timeout after 10000 ms"; never a response body'),
          lastAttemptAt: nullableDateTime,
          createdAt: dateTime,
          retryable: z.boolean().describe('false once retention deleted the data'),
        }),
      )
      .describe('Failed first, then oldest first; at most 200'),
  })
  .meta({ id: 'Overdrachten' });

declare module 'fastify' {
  interface FastifyRequest {
    /** the staff member behind the session (staff API routes) */
    staff?: StaffContext;
  }
}

function staffOf(request: FastifyRequest): StaffContext {
  if (!request.staff) throw new Error('A staff API route ran without the staff gate');
  return request.staff;
}

// Another municipality's request is "not found", never "forbidden": ids reveal nothing.
const notFound = (reply: FastifyReply) => sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No such request in your municipalities.' });

async function answerAction(reply: FastifyReply, staff: StaffContext, id: string, result: ActionResult, status = 200) {
  if (result === 'notFound') return notFound(reply);
  if (result === 'closed') return sendProblem(reply, { status: 409, title: 'Conflict', detail: 'The request is closed already; nothing was changed.' });
  if (result === 'invalid') return sendProblem(reply, { status: 422, title: 'Unprocessable Content', detail: 'One or more fields are not valid.', invalidParams: [] });
  if (result === 'invalidDate') {
    return sendProblem(reply, { status: 422, title: 'Unprocessable Content', detail: 'The date must be today or up to a year back.', invalidParams: [{ name: 'date', code: 'outOfRange', reason: 'today or up to a year back' }] });
  }
  const summary = await requestSummary(await getStore(), staff, id);
  return summary ? reply.code(status).send(summary as never) : notFound(reply);
}

/** Existence first: another municipality's id answers 404 whatever the body says. */
async function requestMustExist(request: FastifyRequest, reply: FastifyReply) {
  return (await requestSummary(await getStore(), staffOf(request), (request.params as { id: string }).id)) ? undefined : notFound(reply);
}

const SESSION = [{ staffSession: [] }];
const csrfHeader = z.looseObject({ 'x-csrf-token': z.string().describe("The session's CSRF token (from GET /staff/ik); required on every write.") });
const requestParams = z.object({ id: idText });
const NO_SESSION = 'No session with both login steps';
const CSRF = 'No or a wrong X-CSRF-Token, or sent from another site';

export async function staffApiRoutes(api: Api): Promise<void> {
  // on every staff answer, also one a shared check gave first (a cross-site post, a wrong content type):
  // never stored by a browser or proxy, never framed, no referrer to other sites
  api.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(STAFF_HEADERS);
    return payload;
  });
  api.addHook('onRequest', async (request, reply) => {
    const gate = await staffApiGate(await getStore(), nodeRequest(request));
    if (!('staff' in gate)) {
      return gate.refuse === 401
        ? sendProblem(reply, { status: 401, title: 'Unauthorized', detail: 'Log in at /staff/login first (both steps).' })
        : sendProblem(reply, { status: 403, title: 'Forbidden', detail: "Send the session's CSRF token in the X-CSRF-Token header." });
    }
    request.staff = gate.staff;
    const record = currentRequest();
    if (record) record.actor = 'staff';
    return undefined;
  });

  api.get(
    '/ik',
    { schema: { operationId: 'getStaffIk', summary: 'The logged-in staff member, their municipalities and the CSRF token for writes', tags: ['staff'], security: SESSION, response: { 200: whoAmISchema.describe('Who you are'), ...problems({ 401: NO_SESSION }) } } },
    async (request) => {
      const staff = staffOf(request);
      return { id: staff.staffId, email: staff.email, name: staff.name, role: staff.role, municipalities: staff.municipalities, demo: staff.demo, csrfToken: staff.csrfToken, expiresAt: staff.expiresAt };
    },
  );

  api.delete(
    '/sessie',
    {
      schema: {
        operationId: 'deleteStaffSessie',
        summary: 'Log out: the session ends in the database and the cookie is cleared',
        tags: ['staff'],
        security: SESSION,
        headers: csrfHeader,
        response: { 204: z.null().describe('Logged out'), ...problems({ 401: 'No session', 403: CSRF }) },
      },
    },
    async (request, reply) => {
      await logout(await getStore(), staffOf(request), new Date());
      return reply.code(204).header('Set-Cookie', clearSessionCookies(isSecure(nodeRequest(request)))).send(null);
    },
  );

  api.get(
    '/verzoeken',
    {
      schema: {
        operationId: 'listStaffVerzoeken',
        summary: 'The call-back queue: open requests of your municipalities, urgent first, then oldest first, 50 a page (no personal data)',
        tags: ['staff'],
        security: SESSION,
        querystring: z.object({
          status: z.enum(['nieuw', 'in_behandeling']).optional(),
          dringend: z.enum(['1']).optional().describe('urgent only'),
          van_mij: z.enum(['1']).optional().describe('assigned to you only'),
          taal: z.string().max(8).optional().describe('the resident’s language (nl, tr, ar, …)'),
          gemeente: z.string().max(60).optional().describe('one of your municipalities'),
          signaalpartner: z.string().max(40).optional().describe('a signal partner code (energy, rent, …) of the request’s case'),
          pagina: z.string().max(6).optional().describe('the page, from 1'),
        }),
        response: {
          200: z.object({ items: z.array(requestSchema), total: z.int().describe('requests that match, on all pages'), page: z.int(), pages: z.int() }).describe('One page of the queue'),
          ...problems({ 401: NO_SESSION }),
        },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const query = new URLSearchParams(Object.entries(request.query).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const result = await queueFor(await getStore(), staff, { filter: queueFilterFrom(query, staff), page: parsePage(query.get('pagina'), 100_000) });
      return reply.send(result as never);
    },
  );

  api.get(
    '/verzoeken/:id',
    {
      config: { notFound: 'No such request in your municipalities.' },
      schema: {
        operationId: 'getStaffVerzoek',
        summary: 'One request with what the resident chose, phone number and first name; every call is written to the audit log',
        tags: ['staff'],
        security: SESSION,
        params: requestParams,
        response: { 200: requestDetailSchema.describe('The request'), ...problems({ 401: NO_SESSION, 404: 'No such request in your municipalities' }) },
      },
    },
    async (request, reply) => {
      // with personal data, so the view is audited
      const detail = await viewRequest(await getStore(), staffOf(request), request.params.id, 'api');
      return detail ? reply.send(detail as never) : notFound(reply);
    },
  );

  api.post(
    '/verzoeken/:id/toewijzing',
    {
      config: { notFound: 'No such request in your municipalities.' },
      schema: {
        operationId: 'assignStaffVerzoek',
        summary: 'Assign the request to yourself; a new request becomes in_progress',
        tags: ['staff'],
        security: SESSION,
        params: requestParams,
        headers: csrfHeader,
        response: { 200: requestSchema.describe('Assigned'), ...problems({ 401: NO_SESSION, 403: CSRF, 404: 'No such request in your municipalities', 409: 'The request is closed' }) },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      return answerAction(reply, staff, request.params.id, await assignToMe(await getStore(), staff, request.params.id, 'api'));
    },
  );

  api.post(
    '/verzoeken/:id/contactpogingen',
    {
      config: { notFound: 'No such request in your municipalities.' },
      preValidation: requestMustExist,
      schema: {
        operationId: 'createStaffContactpoging',
        summary: 'Record an attempt to reach the resident; the first makes a new request in_progress',
        tags: ['staff'],
        security: SESSION,
        params: requestParams,
        headers: csrfHeader,
        body: contactAttemptSchema,
        response: {
          201: requestSchema.describe('Recorded'),
          ...problems({ 400: 'Broken JSON', 401: NO_SESSION, 403: CSRF, 404: 'No such request in your municipalities', 409: 'The request is closed', 413: 'Body over 16 KB', 415: 'Not JSON', 422: 'Invalid fields' }),
        },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const result = await addContactAttempt(await getStore(), staff, request.params.id, request.body, 'api');
      return answerAction(reply, staff, request.params.id, result, 201);
    },
  );

  api.post(
    '/verzoeken/:id/afsluiting',
    {
      config: { notFound: 'No such request in your municipalities.' },
      preValidation: requestMustExist,
      schema: {
        operationId: 'closeStaffVerzoek',
        summary: 'Close the request with an outcome (once)',
        tags: ['staff'],
        security: SESSION,
        params: requestParams,
        headers: csrfHeader,
        body: closeSchema,
        response: {
          200: requestSchema.describe('Closed'),
          ...problems({ 400: 'Broken JSON', 401: NO_SESSION, 403: CSRF, 404: 'No such request in your municipalities', 409: 'The request is closed already', 413: 'Body over 16 KB', 415: 'Not JSON', 422: 'Invalid fields' }),
        },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      return answerAction(reply, staff, request.params.id, await closeWithOutcome(await getStore(), staff, request.params.id, request.body, 'api'));
    },
  );

  api.get(
    '/audit',
    {
      schema: {
        operationId: 'listStaffAudit',
        summary: 'The audit log of your municipalities, newest first, 50 rows a page (administrators)',
        tags: ['staff'],
        security: SESSION,
        querystring: z.object({ pagina: z.string().optional().describe('The page, 1 to 200') }),
        response: { 200: auditPageSchema.describe('One page'), ...problems({ 401: NO_SESSION, 403: 'Not an administrator' }) },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      if (!can(staff, 'audit')) return sendProblem(reply, { status: 403, title: 'Forbidden', detail: 'The audit log is for administrators.' });
      return reply.send((await auditPageFor(await getStore(), staff, parsePage(request.query.pagina ?? null))) as never);
    },
  );

  api.get(
    '/overdrachten',
    {
      schema: {
        operationId: 'listStaffOverdrachten',
        summary:
          'Hand-off to case systems (administrators): the connector of each of your municipalities, and deliveries that failed or failed at least once and wait for another attempt',
        tags: ['staff'],
        security: SESSION,
        response: { 200: handoffSchema.describe('Connectors and deliveries'), ...problems({ 401: NO_SESSION, 403: 'Not an administrator' }) },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      if (!can(staff, 'handoff')) return sendProblem(reply, { status: 403, title: 'Forbidden', detail: 'The hand-off overview is for administrators.' });
      return reply.send((await handoffOverview(await getStore(), staff)) as never);
    },
  );

  api.post(
    '/overdrachten/:delivery/opnieuw',
    {
      config: { notFound: 'No such delivery in your municipalities.' },
      schema: {
        operationId: 'retryStaffOverdracht',
        summary: 'Try a delivery again now, with a new series of attempts (administrators; written to the audit log)',
        tags: ['staff'],
        security: SESSION,
        params: z.object({ delivery: idText.describe('The delivery id (X-Hulpgesprek-Delivery)') }),
        headers: csrfHeader,
        response: {
          202: z.object({ id: idText, status: z.enum(['pending']) }).describe('Due now; the delivery worker sends it within OUTBOX_POLL_MS'),
          ...problems({
            401: NO_SESSION,
            403: CSRF,
            404: 'No such delivery in your municipalities, or not an administrator',
            409: 'Delivered already, being sent, or its data was deleted by retention',
          }),
        },
      },
    },
    async (request, reply) => {
      // Not an administrator is "not found" too: which deliveries exist is an administrator's business.
      const outcome = await retryHandoff(await getStore(), staffOf(request), request.params.delivery, 'api');
      if (outcome.kind === 'notFound') return sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No such delivery in your municipalities.' });
      if (outcome.kind === 'notRetryable') {
        return sendProblem(reply, { status: 409, title: 'Conflict', detail: 'This delivery was delivered, is being sent, or its data was deleted; nothing was changed.' });
      }
      return reply.code(202).send({ id: request.params.delivery, status: 'pending' as const });
    },
  );
}
