// SPDX-License-Identifier: EUPL-1.2
// The built server's /readyz follows the database's migrations; /healthz only says the process and database are alive.
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

let app: AppServer;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('GET /readyz', () => {
  it('is ready after start, 503 while a migration is missing, ready again once it is back', async () => {
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(await ready.json()).toEqual({ status: 'ready' });

    // Another process's view of the database: the newest migration "not applied yet".
    const db = new DatabaseSync(app.databaseFile);
    // the server may be writing (a background job): wait for it rather than fail
    db.exec('PRAGMA busy_timeout=5000');
    try {
      db.exec('PRAGMA busy_timeout=5000');
      const last = db.prepare('select name, timestamp from kysely_migration order by name desc limit 1').get() as {
        name: string;
        timestamp: string;
      };
      db.prepare('delete from kysely_migration where name = ?').run(last.name);

      const missing = await fetch(`${app.url}/readyz`);
      expect(missing.status).toBe(503);
      expect(missing.headers.get('content-type')).toBe('application/problem+json');
      expect(missing.headers.get('retry-after')).toBe('5');
      const problem = (await missing.json()) as { status: number; detail: string };
      expect(problem.status).toBe(503);
      expect(problem.detail).toContain(last.name);
      // alive all the same: a liveness probe must not restart an instance that waits for a migration
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

      db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(last.name, last.timestamp);
    } finally {
      db.close();
    }
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });
});
