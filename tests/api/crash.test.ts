// SPDX-License-Identifier: EUPL-1.2
// Durability: every call-back answered 201 survives a SIGKILL; SIGTERM lets a request in flight finish and exits 0.
import http from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

/** `npm run bench` runs a longer burst: CRASH_KILL_AFTER answers before the kill, CRASH_MAX requests at most. */
const KILL_AFTER = Number(process.env.CRASH_KILL_AFTER ?? 80);
const MAX = Number(process.env.CRASH_MAX ?? 200);
const CONCURRENCY = Number(process.env.CRASH_CONCURRENCY ?? 8);
const valid = { municipality: 'voorbeeld', language: 'nl', topic: 'energy', phone: '0612345678', consent: true };
const started: AppServer[] = [];

async function start(env: Record<string, string> = {}): Promise<AppServer> {
  const app = await startApp({ RATE_LIMIT_CALLBACKS: '0', ...env });
  started.push(app);
  return app;
}
afterAll(async () => {
  for (const app of started) await app.stop('SIGKILL');
});

describe('crash and shutdown', () => {
  it('keeps every request that was answered 201 when the server is killed mid-burst', async () => {
    const first = await start();
    const references: string[] = [];
    let sent = 0;
    let killed = false;
    const worker = async () => {
      while (sent < MAX && !killed) {
        sent++;
        try {
          const res = await fetch(`${first.url}/api/v1/terugbelverzoeken`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(valid),
          });
          if (res.status === 201) references.push(((await res.json()) as { reference: string }).reference);
        } catch {
          // The connection died with the server: this request got no answer, so promises nothing.
        }
        if (references.length >= KILL_AFTER && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await first.stop('SIGKILL');
    expect(killed).toBe(true);
    expect(references.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(sent).toBeLessThan(MAX);

    const again = await start({ DATABASE_FILE: first.databaseFile });
    const res = await fetch(`${again.url}/healthz`);
    expect(res.status).toBe(200);
    const db = new DatabaseSync(first.databaseFile, { readOnly: true });
    try {
      db.exec('PRAGMA busy_timeout=5000');
      const stored = new Set((db.prepare('select reference from callback_requests').all() as { reference: string }[]).map((r) => r.reference));
      expect(references.filter((r) => !stored.has(r))).toEqual([]);
    } finally {
      db.close();
    }
    await again.stop();
  }, 60_000);

  it('on SIGTERM answers the request in flight and exits 0', async () => {
    const app = await start();
    const body = JSON.stringify(valid);
    const half = Math.floor(body.length / 2);
    let req!: http.ClientRequest;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = http.request(`${app.url}/api/v1/terugbelverzoeken`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    // Half the body now: the request is in the server's hands, still waiting for the rest.
    req.write(body.slice(0, half));
    await new Promise((r) => setTimeout(r, 300));
    const exited = app.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(app.process.exitCode).toBeNull();
    req.end(body.slice(half));
    const { status, text } = await answer;
    expect(status).toBe(201);
    expect((JSON.parse(text) as { reference: string }).reference).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(await exited).toBe(0);
  }, 30_000);
});
