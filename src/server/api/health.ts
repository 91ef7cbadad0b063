// SPDX-License-Identifier: EUPL-1.2
/** Liveness with a real database round trip. */
import { getStore } from '../runtime.ts';
import { pingStore } from '../store/index.ts';
import { json } from './problem.ts';

export async function health(): Promise<Response> {
  try {
    const store = await getStore();
    if (await pingStore(store)) return json(200, { status: 'ok' });
  } catch {
    // reported as unavailable below
  }
  return json(503, { status: 'unavailable' });
}
