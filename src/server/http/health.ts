// SPDX-License-Identifier: EUPL-1.2
/** Liveness (/healthz: the database answers) and readiness (/readyz: and every migration is applied). */
import { getStore } from '../runtime.ts';
import { migrationStatus, pingStore, type Store } from '../store/index.ts';
import { json, problem } from './problem.ts';

export async function health(): Promise<Response> {
  try {
    const store = await getStore();
    if (await pingStore(store)) return json(200, { status: 'ok' });
  } catch {
    // reported as unavailable below
  }
  return json(503, { status: 'unavailable' });
}

/**
 * Ready to take traffic: the database answers and has every migration this code knows. A load
 * balancer keeps an instance out while it is not, e.g. a new version whose migrations another
 * instance has not finished, or a database that went away.
 */
export async function readiness(store: Store): Promise<Response> {
  let pending: string[];
  try {
    ({ pending } = await migrationStatus(store));
  } catch {
    return notReady('The database does not answer.');
  }
  if (pending.length > 0) return notReady(`Migrations not applied yet: ${pending.join(', ')}.`);
  return json(200, { status: 'ready' });
}

export async function ready(): Promise<Response> {
  try {
    return await readiness(await getStore());
  } catch {
    return notReady('The database cannot be opened.');
  }
}

function notReady(detail: string): Response {
  return problem({ status: 503, title: 'Service Unavailable', detail }, { 'Retry-After': '5' });
}
