// SPDX-License-Identifier: EUPL-1.2
/** Liveness (/healthz: the database answers) and readiness (/readyz: and every migration is applied). */
import type { FastifyReply } from 'fastify';
import { getStore } from '../runtime.ts';
import { migrationStatus, pingStore, type Store } from '../store/index.ts';
import { sendProblem } from './problem.ts';
import type { Api } from './server.ts';

export async function healthRoutes(app: Api): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    try {
      if (await pingStore(await getStore())) return reply.send({ status: 'ok' });
    } catch {
      // reported as unavailable below
    }
    return reply.code(503).send({ status: 'unavailable' });
  });
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    let store: Store;
    try {
      store = await getStore();
    } catch {
      return notReady(reply, 'The database cannot be opened.');
    }
    const state = await readiness(store);
    return state.ready ? reply.send({ status: 'ready' }) : notReady(reply, state.detail);
  });
}

/**
 * Ready to take traffic: the database answers and has every migration this code knows. A load
 * balancer keeps an instance out while it is not, e.g. a new version whose migrations another
 * instance has not finished, or a database that went away.
 */
export async function readiness(store: Store): Promise<{ ready: true } | { ready: false; detail: string }> {
  let pending: string[];
  try {
    ({ pending } = await migrationStatus(store));
  } catch {
    return { ready: false, detail: 'The database does not answer.' };
  }
  if (pending.length > 0) return { ready: false, detail: `Migrations not applied yet: ${pending.join(', ')}.` };
  return { ready: true };
}

function notReady(reply: FastifyReply, detail: string) {
  return sendProblem(reply, { status: 503, title: 'Service Unavailable', detail }, { 'Retry-After': '5' });
}
