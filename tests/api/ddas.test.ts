// SPDX-License-Identifier: EUPL-1.2
/**
 * The DDAS delivery against the built server and a real SQLite file (with the demo month of
 * SEED_DEMO): an API key with the ddas scope or an administrator's session, the official schema
 * checked, bad periods refused, other municipalities not found, every export audited; and
 * `npm run ddas:export`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ddasValidator } from '../../src/server/ddas/validate.ts';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, dbRows, StaffClient } from '../support/staff.ts';

const root = new URL('../../', import.meta.url).pathname;
let app: AppServer;
const valid = ddasValidator();
const today = new Date().toISOString().slice(0, 10);
const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
const period = `van=${monthAgo}&tot=${today}`;

function makeKey(municipality: string, scope?: string): string {
  return execFileSync(process.execPath, ['src/cli/api-key.ts', '--municipality', municipality, '--name', 'ddas', ...(scope ? ['--scope', scope] : [])], {
    cwd: root,
    env: { ...process.env, DATABASE_FILE: app.databaseFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const get = (path: string, key?: string) => fetch(`${app.url}${path}`, key ? { headers: { Authorization: `Bearer ${key}` } } : {});

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('GET /api/v1/ddas/leveringen', () => {
  it('gives a key with the ddas scope its municipality’s delivery of the period, valid against the official schema, and audits it', async () => {
    const key = makeKey('voorbeeld', 'ddas');
    const res = await get(`/api/v1/ddas/leveringen?${period}`, key);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const delivery = (await res.json()) as { leveringen: { gemeentecode: string; vroegsignaalzaken: unknown[]; vroegsignalen: { client: object }[] }[] };
    expect(valid(delivery)).toEqual({ ok: true });
    expect(delivery.leveringen.map((l) => l.gemeentecode)).toEqual(['9901']);
    // the demo month is there, and the portal keeps no person: client is empty
    expect(delivery.leveringen[0]?.vroegsignaalzaken.length).toBeGreaterThan(30);
    for (const s of delivery.leveringen[0]?.vroegsignalen ?? []) expect(s.client).toEqual({});
    expect(dbRows(app.databaseFile, "select actor, municipality, object_id from audit_log where action = 'export' and object_type = 'ddas_delivery'")).toEqual([
      { actor: expect.stringMatching(/^api-key:/), municipality: 'voorbeeld', object_id: `${monthAgo}/${today}` },
    ]);
  });

  it('refuses a key without the ddas scope (403), no key (401), another municipality (404) and impossible periods (422)', async () => {
    const invitesOnly = makeKey('voorbeeld');
    expect((await get(`/api/v1/ddas/leveringen?${period}`, invitesOnly)).status).toBe(403);
    expect((await get(`/api/v1/ddas/leveringen?${period}`)).status).toBe(401);
    const ddasOnly = makeKey('voorbeeld', 'ddas');
    // and the other way round: a ddas key makes no invitations
    const invite = await fetch(`${app.url}/api/v1/uitnodigingen`, { method: 'POST', headers: { Authorization: `Bearer ${ddasOnly}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'sms' }) });
    expect(invite.status).toBe(403);
    expect((await get(`/api/v1/ddas/leveringen?${period}&gemeente=zeedorp`, ddasOnly)).status).toBe(404);
    for (const [query, field, code] of [
      ['van=2026-11-01', 'tot', 'missing'],
      ['van=2026-02-30&tot=2026-03-31', 'van', 'notADay'],
      ['van=2026-11-30&tot=2026-11-01', 'tot', 'endBeforeStart'],
      ['van=2024-01-01&tot=2026-01-01', 'tot', 'tooLong'],
    ] as const) {
      const res = await get(`/api/v1/ddas/leveringen?${query}`, ddasOnly);
      expect(res.status, query).toBe(422);
      expect(((await res.json()) as { invalidParams: { name: string; code: string }[] }).invalidParams).toEqual([expect.objectContaining({ name: field, code })]);
    }
  });

  it('gives an administrator the delivery of their municipalities through the session, and refuses a caseworker', async () => {
    const admin = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld', 'zeedorp'], name: 'Anne Admin' });
    const client = new StaffClient(app.url);
    await client.login(admin);
    const res = await client.fetch(`/api/v1/ddas/leveringen?${period}`);
    expect(res.status).toBe(200);
    const delivery = (await res.json()) as { leveringen: { teller: number; gemeentecode: string }[] };
    expect(valid(delivery)).toEqual({ ok: true });
    expect(delivery.leveringen.map((l) => [l.teller, l.gemeentecode])).toEqual([
      [1, '9901'],
      [2, '9902'],
    ]);
    const one = (await (await client.fetch(`/api/v1/ddas/leveringen?${period}&gemeente=zeedorp`)).json()) as { leveringen: { gemeentecode: string }[] };
    expect(one.leveringen.map((l) => l.gemeentecode)).toEqual(['9902']);
    // the reach page links to it, for administrators
    expect(await (await client.fetch('/staff/bereik')).text()).toContain('/api/v1/ddas/leveringen?gemeente=voorbeeld');

    const worker = await createStaff(app.databaseFile, { role: 'caseworker', municipalities: ['voorbeeld'], name: 'Casper Werker' });
    const workerClient = new StaffClient(app.url);
    await workerClient.login(worker);
    expect((await workerClient.fetch(`/api/v1/ddas/leveringen?${period}`)).status).toBe(403);
  });
});

describe('npm run ddas:export', () => {
  it('writes the period’s delivery, valid, one levering per municipality with a gemeentecode', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hg-ddas-')), 'levering.json');
    const run = spawnSync(process.execPath, ['src/cli/ddas-export.ts', '--van', monthAgo, '--tot', today, '--out', out], {
      cwd: root,
      env: { ...process.env, DATABASE_FILE: app.databaseFile },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('valid against the official schema');
    const delivery = JSON.parse(readFileSync(out, 'utf8')) as { leveringen: { gemeentecode: string }[] };
    expect(valid(delivery)).toEqual({ ok: true });
    expect(delivery.leveringen.map((l) => l.gemeentecode)).toEqual(['9901', '9902']);
    const one = spawnSync(process.execPath, ['src/cli/ddas-export.ts', '--van', monthAgo, '--tot', today, '--gemeente', 'zeedorp'], { cwd: root, env: { ...process.env, DATABASE_FILE: app.databaseFile }, encoding: 'utf8' });
    expect((JSON.parse(one.stdout) as { leveringen: { gemeentecode: string }[] }).leveringen.map((l) => l.gemeentecode)).toEqual(['9902']);
  });

  it('refuses an impossible period with the usage, and an unknown municipality', () => {
    const bad = spawnSync(process.execPath, ['src/cli/ddas-export.ts', '--van', '2026-02-30', '--tot', '2026-03-01'], { cwd: root, env: { ...process.env, DATABASE_FILE: app.databaseFile }, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--van is not a day that exists');
    const unknown = spawnSync(process.execPath, ['src/cli/ddas-export.ts', '--van', monthAgo, '--tot', today, '--gemeente', 'atlantis'], { cwd: root, env: { ...process.env, DATABASE_FILE: app.databaseFile }, encoding: 'utf8' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No municipality "atlantis"');
    expect(unknown.stdout).toBe('');
  });
});
