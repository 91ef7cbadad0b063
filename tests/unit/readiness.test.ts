// SPDX-License-Identifier: EUPL-1.2
// /readyz's answer: ready only when the database answers and has every migration of this code.
import { describe, expect, it } from 'vitest';
import { readiness } from '../../src/server/http/health.ts';
import { migrateToLatest, migrationStatus, openStore } from '../../src/server/store/index.ts';

describe('readiness', () => {
  it('is not ready with the pending migrations named, ready once all are applied, not ready when the database is gone', async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    const { pending } = await migrationStatus(store);
    expect(pending.length).toBeGreaterThan(0);

    const before = await readiness(store);
    if (before.ready) throw new Error('ready before the migrations');
    for (const name of pending) expect(before.detail).toContain(name);

    await migrateToLatest(store);
    expect(await readiness(store)).toEqual({ ready: true });

    await store.close();
    const closed = await readiness(store);
    if (closed.ready) throw new Error('ready without a database');
    expect(closed.detail).toMatch(/database/);
  });
});
