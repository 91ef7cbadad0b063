// SPDX-License-Identifier: EUPL-1.2
/**
 * The residents' API routes: a call-back request (JSON or form fields), the answers added after
 * sending, and the phone number check. The zod schemas validate each request (src/server/http/server.ts
 * answers what they refuse) and are the OpenAPI description.
 */
import { z } from 'zod';
import { callbackRequestSchema, fromFormFields, supplementSchema, validRequest } from '../../lib/callback-request.ts';
import { checkPhone } from '../../lib/phone.ts';
import type { Api } from '../http/server.ts';
import { dateTimeText, idempotencyHeaders, idText, invalidFields, problems, sendProblem, tooManyRequests } from '../http/problem.ts';
import { overClientLimit, overInviteLimit } from '../http/rate-limit.ts';
import { appConfig, getStore } from '../runtime.ts';
import { storeCallbackRequest, storeSupplement } from './requests.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

const REFERENCE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

export const callbackCreatedSchema = z
  .object({
    id: idText,
    reference: z.string().regex(REFERENCE).describe('What the resident reads out on the phone.'),
    status: z.enum(['new', 'in_progress', 'closed']),
    createdAt: dateTimeText,
  })
  .meta({ id: 'TerugbelverzoekOntvangen' });


/** The per-network limit of a public write, counted before the body is read: a flood of broken bodies costs as much as valid ones. */
export function clientLimit(endpoint: string, max: () => number) {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const limit = max();
    // off (0): nothing to count, nothing to wait for
    if (limit <= 0) return done();
    getStore()
      .then((store) => overClientLimit(store, endpoint, limit, request.socket.remoteAddress))
      .then((limited) => (limited ? void tooManyRequests(reply, limited.retryAfterSeconds) : done()), done);
    return undefined;
  };
}

const requestIdParams = z.object({ id: idText });

export async function callbackRoutes(api: Api): Promise<void> {
  api.post(
    '/terugbelverzoeken',
    {
      onRequest: clientLimit('callback-post', () => appConfig().callbackRateLimit),
      config: { accept: ['json', 'form'], fromForm: fromFormFields },
      schema: {
        operationId: 'createTerugbelverzoek',
        summary: 'A resident asks to be called back',
        headers: idempotencyHeaders('A retry with the same key returns the first answer and stores nothing new.'),
        body: callbackRequestSchema.meta({ id: 'Terugbelverzoek' }),
        response: {
          201: { description: 'Stored (or, with a repeated Idempotency-Key, stored before)', content: { 'application/json': { schema: callbackCreatedSchema } } },
          ...problems({
            400: 'Broken JSON or a bad Idempotency-Key',
            403: 'Sent from another site',
            409: 'Idempotency-Key reused with another body',
            413: 'Body over 16 KB',
            415: 'Not JSON or form-encoded',
            422: 'Invalid fields, each named with an error code',
            429: 'Too many requests from this network (Retry-After says when to try again)',
          }),
        },
      },
    },
    async (request, reply) => {
      const store = await getStore();
      const body = request.body;
      const perInvite = await overInviteLimit(store, body.inviteId, appConfig().callbackInviteLimit);
      if (perInvite) return tooManyRequests(reply, perInvite.retryAfterSeconds);
      const outcome = await storeCallbackRequest(store, validRequest(body), request.headers['idempotency-key'] ?? null);
      switch (outcome.kind) {
        case 'created':
        case 'replay':
          if (outcome.kind === 'replay') reply.header('Idempotent-Replayed', 'true');
          return reply.code(201).send(outcome.body as z.output<typeof callbackCreatedSchema>);
        case 'conflict':
          return sendProblem(reply, { status: 409, title: 'Conflict', detail: 'This Idempotency-Key was used before with a different request.' });
        case 'invalid':
          return invalidFields(reply, outcome.invalid);
      }
    },
  );

  api.put(
    '/terugbelverzoeken/:id/aanvulling',
    {
      onRequest: clientLimit('progress-put', () => appConfig().progressRateLimit),
      config: { notFound: 'No such call-back request for this conversation.' },
      schema: {
        operationId: 'putTerugbelverzoekAanvulling',
        summary: 'The optional answers a resident adds after sending (each replaces what was there)',
        description:
          'Only the device that sent the request knows its conversationId, which is the proof. A closed request, one whose personal data is gone, or one older than 7 days takes nothing more.',
        params: requestIdParams,
        body: supplementSchema.meta({ id: 'Aanvulling' }),
        response: {
          204: z.null().describe('Added'),
          ...problems({
            400: 'Broken JSON',
            404: 'No such request for this conversation',
            409: 'Closed or too old',
            413: 'Body over 16 KB',
            415: 'Not JSON',
            422: 'Invalid fields',
            429: 'Too many updates from this network (Retry-After says when to try again)',
          }),
        },
      },
    },
    async (request, reply) => {
      const outcome = await storeSupplement(await getStore(), request.params.id, request.body);
      switch (outcome.kind) {
        case 'ok':
          return reply.code(204).send(null);
        case 'notFound':
          return sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No such call-back request for this conversation.' });
        case 'closed':
          return sendProblem(reply, { status: 409, title: 'Conflict', detail: 'This request is closed or too old to add answers to.' });
      }
    },
  );

  api.post(
    '/telefoonnummer',
    {
      onRequest: clientLimit('progress-put', () => appConfig().progressRateLimit),
      bodyLimit: 1024,
      config: { accept: ['json', 'form'] },
      schema: {
        operationId: 'checkTelefoonnummer',
        summary: 'Checks a typed phone number as a call-back request would, and reads it back in groups',
        description: 'Stores and logs nothing. Arabic-Indic and Persian digits are read as digits.',
        // anything but a string is "no number" (required), as the page asks
        body: z.object({ phone: z.string().catch('') }),
        response: {
          200: {
            description: 'A number that can be called',
            content: {
              'application/json': {
                schema: z.object({ e164: z.string(), display: z.string().meta({ examples: ['06 12 34 56 78'] }), groups: z.array(z.string()) }),
              },
            },
          },
          ...problems({
            413: 'Body over 1 KB',
            415: 'Not JSON or form-encoded',
            422: 'Not a number that can be called: the code says why (required, letters, tooShort, tooLong, invalid)',
            429: 'Too many requests from this network (Retry-After says when to try again)',
          }),
        },
      },
    },
    async (request, reply) => {
      const result = checkPhone(request.body.phone.slice(0, 60));
      if (!result.ok) return invalidFields(reply, [{ name: 'phone', code: result.code, reason: `phone: ${result.code}` }], 'This phone number cannot be called.');
      return { e164: result.e164, display: result.display, groups: result.groups };
    },
  );
}
