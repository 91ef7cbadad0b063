// SPDX-License-Identifier: EUPL-1.2
/**
 * The routes NotifyNL calls (its "callbacks"): a delivery receipt per SMS and every SMS a resident
 * sends back. Notify signs nothing; it sends the bearer token set in its service settings, which
 * must equal NOTIFY_CALLBACK_TOKEN (compared in constant time). Without that setting both routes
 * answer 404. Notify sends again on anything but 2xx, so what is not ours, or not for us, is
 * answered 204 and logged (never a number or a message text); only a receipt for an SMS not yet
 * recorded as sent asks to be sent again (409).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idText, problems, sendProblem } from '../http/problem.ts';
import type { Api } from '../http/server.ts';
import { log } from '../log.ts';
import { appConfig, getStore } from '../runtime.ts';
import { applyInboundSms, applyReceipt } from './receipts.ts';

/** Notify's own time stamps (2026-11-26T10:00:00.000000Z) or null; read leniently, a bad one is "now". */
const notifyTime = z.string().max(40).nullable().optional();

// Notify may add fields to what it posts: the schemas name what the portal reads and let the rest be.
export const receiptSchema = z
  .looseObject({
    id: idText.describe("Notify's id of the SMS"),
    reference: z.string().max(100).nullable().optional().describe('The reference the portal sent it with (its outbox id)'),
    to: z.string().max(40).optional().describe('The number it went to (not stored, not logged)'),
    status: z.string().min(1).max(40).describe('delivered, permanent-failure, temporary-failure or technical-failure; any other status is not final and changes nothing'),
    created_at: notifyTime,
    completed_at: notifyTime,
    sent_at: notifyTime,
    notification_type: z.string().max(20).optional(),
  })
  .meta({ id: 'NotifyOntvangstbevestiging' });

export const inboundSchema = z
  .looseObject({
    id: idText.describe("Notify's id of the received SMS"),
    source_number: z.string().min(1).max(40).describe('Who sent it, e.g. 31612345678 (not stored, not logged)'),
    destination_number: z.string().max(40).optional(),
    content: z.string().max(2000).describe('The text (only compared with the STOP words; not stored, not logged)'),
    date_received: notifyTime,
  })
  .meta({ id: 'NotifyInkomendeSms' });

const SECURITY = [{ notifyCallback: [] }];

/** Hashing first makes the comparison constant-time whatever the lengths. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Before the body is read: no token set is no route (404); a wrong or missing token is 401. */
function requireCallbackToken(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) {
  const token = appConfig().notifyCallbackToken;
  if (token === undefined) return void sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No such API route.' });
  const given = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
  if (given === '' || !sameToken(given, token)) {
    return void sendProblem(
      reply,
      { status: 401, title: 'Unauthorized', detail: 'Send the callback token of the NotifyNL service: Authorization: Bearer …' },
      { 'WWW-Authenticate': 'Bearer realm="notify"' },
    );
  }
  return done();
}

const answered = {
  204: z.null().describe('Taken, or not ours and ignored (Notify need not send it again)'),
  ...problems({
    400: 'Broken JSON',
    401: 'No callback token, or another one',
    404: 'NOTIFY_CALLBACK_TOKEN is not set: the portal takes no callbacks',
    413: 'Body over 16 KB',
    415: 'Not JSON',
    422: 'Not a body Notify sends',
  }),
};

export async function notifyRoutes(api: Api): Promise<void> {
  api.post(
    '/notify/ontvangstbevestigingen',
    {
      onRequest: requireCallbackToken,
      schema: {
        operationId: 'postNotifyOntvangstbevestiging',
        summary: "NotifyNL's delivery receipt of one SMS of the contact plan",
        description:
          'Found by Notify\'s id, or by the reference (the outbox id). Only an SMS that is sent takes a receipt, and the first final one stands: the same receipt again, or a late "delivered" after a failure, changes nothing. permanent-failure also stops the case\'s SMS, forgets its number and records the attempt as a wrong number; the plan then calls.',
        security: SECURITY,
        body: receiptSchema,
        response: { ...answered, ...problems({ 409: 'The SMS is not recorded as sent yet: send the receipt again later' }) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const outcome = await applyReceipt(await getStore(), { id: body.id, reference: body.reference ?? null, status: body.status, completedAt: body.completed_at ?? null });
      const result = outcome.kind === 'recorded' ? `${outcome.status}${outcome.numberFailed ? ' (number failed)' : ''}` : outcome.kind === 'already' ? `already ${outcome.status}` : outcome.kind;
      const level = outcome.kind === 'unknown' ? 'warn' : 'info';
      log[level]({ action: 'notify.receipt', object: 'sms', result, origin: 'http', actor: 'system', notifyStatus: body.status }, `NotifyNL receipt: ${result}`);
      if (outcome.kind === 'notYet') return sendProblem(reply, { status: 409, title: 'Conflict', detail: 'This SMS is not recorded as sent yet. Send the receipt again later.' });
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/notify/inkomende-sms',
    {
      onRequest: requireCallbackToken,
      schema: {
        operationId: 'postNotifyInkomendeSms',
        summary: 'An SMS a resident sent to the NotifyNL service, e.g. STOP',
        description:
          'STOP (also stop., Stop sms, STOPPEN, afmelden, …; trimmed, any case) stops the SMS of every open case with that number, however it is written (31612345678, +31612345678, 0612345678): no more SMS, the waiting ones cancelled, the SMS steps skipped. Anything else is ignored. Neither number nor text is kept or logged.',
        security: SECURITY,
        body: inboundSchema,
        response: answered,
      },
    },
    async (request, reply) => {
      const outcome = await applyInboundSms(await getStore(), { sourceNumber: request.body.source_number, content: request.body.content });
      const result = outcome.kind === 'stopped' ? `stop (${outcome.cases} open case${outcome.cases === 1 ? '' : 's'}, ${outcome.newly} newly)` : outcome.kind;
      log.info({ action: 'notify.inbound', object: 'sms', result, origin: 'http', actor: 'system' }, `NotifyNL inbound SMS: ${result}`);
      return reply.code(204).send(null);
    },
  );
}
