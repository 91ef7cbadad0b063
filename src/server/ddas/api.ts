// SPDX-License-Identifier: EUPL-1.2
/**
 * `GET /api/v1/ddas/leveringen?van=&tot=`: the DDAS delivery (Uitwisselmodel Vroegsignalering
 * v0.9) for a period, for an API key with the `ddas` scope (its municipality) or an
 * administrator's session (their municipalities, or one of them with `?gemeente=`). Checked
 * against the official schema before it leaves; a delivery that fails is never served. Audited.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parsePeriod, PERIOD_PROBLEMS } from '../../lib/period.ts';
import { nodeRequest } from '../http/guard.ts';
import { problems, sendProblem } from '../http/problem.ts';
import type { Api } from '../http/server.ts';
import { authenticate } from '../invitations/api-keys.ts';
import { log } from '../log.ts';
import { appConfig, getStore } from '../runtime.ts';
import { audit } from '../staff/audit.ts';
import { staffApiGate, STAFF_HEADERS } from '../staff/access.ts';
import { ddasDelivery, DeliveryError } from './delivery.ts';

interface Caller {
  actor: string;
  municipalities: string[];
  origin: 'api';
}

/** The key's municipality, or the administrator's; null with the problem already sent. */
async function callerOf(request: FastifyRequest, reply: FastifyReply, asked: string | undefined): Promise<Caller | null> {
  const store = await getStore();
  const node = nodeRequest(request);
  if (node.headers.get('authorization')) {
    const key = await authenticate(store, node);
    if (!key) {
      await sendProblem(reply, { status: 401, title: 'Unauthorized', detail: 'Send a valid API key of your municipality: Authorization: Bearer hg_…' }, { 'WWW-Authenticate': 'Bearer realm="hulpgesprek"' });
      return null;
    }
    if (!key.scopes.includes('ddas')) {
      await sendProblem(reply, { status: 403, title: 'Forbidden', detail: 'This API key may not read the DDAS delivery (its scopes do not include ddas).' });
      return null;
    }
    if (asked !== undefined && asked !== key.municipality) {
      await sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No such municipality for this key.' });
      return null;
    }
    return { actor: `api-key:${key.keyId}`, municipalities: [key.municipality], origin: 'api' };
  }
  const gate = await staffApiGate(store, node);
  if (!('staff' in gate)) {
    await sendProblem(reply, { status: 401, title: 'Unauthorized', detail: 'Send an API key with the ddas scope, or log in at /staff/login as an administrator.' }, { 'WWW-Authenticate': 'Bearer realm="hulpgesprek"' });
    return null;
  }
  reply.headers(STAFF_HEADERS);
  if (gate.staff.role !== 'admin') {
    await sendProblem(reply, { status: 403, title: 'Forbidden', detail: 'The DDAS delivery is for administrators.' });
    return null;
  }
  if (asked !== undefined && !gate.staff.municipalities.includes(asked)) {
    await sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No such municipality among yours.' });
    return null;
  }
  return { actor: gate.staff.staffId, municipalities: asked ? [asked] : gate.staff.municipalities, origin: 'api' };
}

export async function ddasRoutes(api: Api): Promise<void> {
  api.get(
    '/ddas/leveringen',
    {
      schema: {
        operationId: 'getDdasLevering',
        summary: 'The DDAS delivery (Uitwisselmodel Vroegsignalering v0.9) of a period: one levering per municipality, client left empty',
        description:
          "Cases with at least one signal that were made, tried or closed in the period, with their state at its end. Merge it with your case system's delivery: match on the signal IDs (vroegsignaal.ID) and fill client from the case system. Checked against the official JSON Schema before it is sent.",
        tags: ['ddas'],
        security: [{ apiKey: [] }, { staffSession: [] }],
        querystring: z.object({
          van: z.string().optional().describe('First day, YYYY-MM-DD'),
          tot: z.string().optional().describe('Last day, YYYY-MM-DD (inclusive; at most 366 days after van)'),
          gemeente: z.string().max(60).optional().describe('One municipality (slug), for an administrator of several'),
        }),
        response: {
          200: { description: 'The delivery', content: { 'application/json': { schema: z.looseObject({}) } } },
          ...problems({
            401: 'No API key and no session',
            403: 'A key without the ddas scope, or a staff member who is not an administrator',
            404: 'A municipality that is not the caller’s',
            409: "The municipality's file has no ddas.gemeentecode",
            422: 'Missing or impossible dates, or a period over 366 days',
            500: 'The delivery did not validate against the official schema (not sent)',
            503: 'The official schema cannot be read (DDAS_SCHEMA_FILE)',
          }),
        },
      },
    },
    async (request, reply) => {
      const { van, tot, gemeente } = request.query;
      const caller = await callerOf(request, reply, gemeente);
      if (!caller) return reply;
      const parsed = parsePeriod(van, tot);
      if (!parsed.ok) {
        const reason = `${parsed.field} ${PERIOD_PROBLEMS[parsed.problem]}`;
        return sendProblem(reply, { status: 422, title: 'Unprocessable Content', detail: `${reason}.`, invalidParams: [{ name: parsed.field, code: parsed.problem, reason }] });
      }
      const store = await getStore();
      try {
        const delivery = await ddasDelivery(store, { municipalities: caller.municipalities, period: parsed.period, schemaFile: appConfig().ddasSchemaFile });
        await audit(
          store,
          ...caller.municipalities.map((m) => ({ actor: caller.actor, action: 'export' as const, objectType: 'ddas_delivery', objectId: `${parsed.period.from}/${parsed.period.to}`, municipality: m, result: 'ok', origin: caller.origin })),
        );
        return reply
          .header('Content-Disposition', `attachment; filename="ddas-${caller.municipalities.join('-')}-${parsed.period.from}-${parsed.period.to}.json"`)
          .header('Cache-Control', 'no-store')
          .send(delivery as unknown as Record<string, unknown>);
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        log.error({ action: 'ddas.delivery', origin: 'http', err: error, errors: error.errors.slice(0, 20) }, 'DDAS delivery refused');
        const answer = { noCode: [409, 'Conflict'], noSchema: [503, 'Service Unavailable'], invalid: [500, 'Internal Server Error'] } as const;
        const [status, title] = answer[error.kind];
        return sendProblem(reply, { status, title, detail: error.message });
      }
    },
  );
}
