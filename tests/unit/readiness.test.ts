// SPDX-License-Identifier: EUPL-1.2
// /readyz's answer: ready only when the database answers and has every migration of this code.
import { describe, expect, it } from 'vitest';
import { readiness } from '../../src/server/http/health.ts';
import { migrateToLatest, migrationStatus, openStore } from '../../src/server/store/index.ts';

describe('readiness', () => {
  it('is 503 problem+json with the pending migrations, 200 once all are applied, 503 when the database is gone', async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    const { pending } = await migrationStatus(store);
    expect(pending.length).toBeGreaterThan(0);

    const before = await readiness(store);
    expect(before.status).toBe(503);
    expect(before.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await before.json()) as { status: number; title: string; detail: string };
    expect(problem).toMatchObject({ status: 503, title: 'Service Unavailable' });
    for (const name of pending) expect(problem.detail).toContain(name);

    await migrateToLatest(store);
    const after = await readiness(store);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready' });

    await store.close();
    const closed = await readiness(store);
    expect(closed.status).toBe(503);
    expect(((await closed.json()) as { detail: string }).detail).toMatch(/database/);
  });
});
