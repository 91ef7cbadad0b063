// SPDX-License-Identifier: EUPL-1.2
/**
 * Two app processes started at once on one database — one SQLite file (WAL) always, a fresh
 * PostgreSQL database when TEST_DATABASE_URL is set — share staff sessions, rate limits,
 * idempotency and the retention lock; both dialects answer the same requests alike.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreOptions } from '../../src/server/store/index.ts';
import type { NewCallbackRequestRow } from '../../src/server/store/schema.ts';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, StaffClient, type TestStaff } from '../support/staff.ts';
import { noticeSkipped, pgUrl } from '../support/temp-stores.ts';

const root = new URL('../../', import.meta.url).pathname;

/** A throwaway database: how the app finds it, how the test opens it, how it goes away. */
interface Database {
  env: Record<string, string>;
  options: StoreOptions;
  drop(): Promise<void>;
}

const targets: { name: 'sqlite' | 'postgres'; skip: boolean; create: () => Promise<Database> }[] = [
  {
    name: 'sqlite',
    skip: false,
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hg-two-'));
      const file = join(dir, 'shared.sqlite');
      // An empty DATABASE_URL, so one inherited from the environment cannot take the apps elsewhere.
      return { env: { DATABASE_URL: '', DATABASE_FILE: file }, options: { sqliteFile: file }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    skip: !pgUrl,
    create: async () => {
      const name = `hg_two_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(pgUrl ?? '');
      url.pathname = `/${name}`;
      return {
        env: { DATABASE_URL: url.toString() },
        options: { databaseUrl: url.toString() },
        drop: async () => {
          try {
            await admin.query(`drop database if exists ${name} with (force)`);
          } finally {
            await admin.end();
          }
        },
      };
    },
  },
];

noticeSkipped('two-instance tests');

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request from a chosen loopback address, so each test is its own client network on both instances. */
function send(base: string, method: string, path: string, from: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        localAddress: from,
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const valid = { municipality: 'voorbeeld', language: 'nl', topic: 'energy', phone: '0612345678', consent: true };

/** Keys, value types and list lengths, not values (ids and times differ): what a client relies on. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length, ...(value.length > 0 ? [shape(value[0])] : [])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? 'null' : typeof value;
}

async function answerShape(res: Response | Answer): Promise<{ status: number; type: string; body: unknown }> {
  const [status, type, text] =
    res instanceof Response
      ? [res.status, res.headers.get('content-type') ?? '', await res.text()]
      : [res.status, String(res.headers['content-type'] ?? ''), res.body];
  // The reach CSV is counts only, from the same requests on both: it must be equal to the byte.
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/
    .exec(text)?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\b[2-9A-Z]{4}-[2-9A-Z]{4}\b/g, 'XXXX-XXXX')
    .trim();
  const body = type.includes('json') ? shape(JSON.parse(text)) : type.includes('csv') ? text : (heading ?? text.length > 0);
  return { status, type: type.split(';')[0] ?? '', body };
}

/** The retention CLI as `npm run retention` runs it, against the given database. */
function retentionCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/cli/retention.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * Holds PostgreSQL's job_locks table (reads go on, nobody can take a lock) until `waiters` sessions
 * wait for it, then lets them all go at one moment: the runs meet at the lock, however their
 * processes happened to start.
 */
async function holdJobLocks(url: string): Promise<{ releaseWhenWaiting(waiters: number): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query('lock table job_locks in share mode');
  return {
    async releaseWhenWaiting(waiters) {
      try {
        const deadline = Date.now() + 15_000;
        for (;;) {
          const { rows } = await client.query<{ n: number }>(
            "select count(distinct pid)::int as n from pg_locks where relation = 'job_locks'::regclass and not granted",
          );
          if ((rows[0]?.n ?? 0) >= waiters) break;
          if (Date.now() > deadline) throw new Error(`only ${rows[0]?.n ?? 0} of ${waiters} runs reached the job lock`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await client.query('commit');
        await client.end();
      }
    },
  };
}

/** What each dialect answered to the same requests, compared once both ran. */
const parity = new Map<string, Record<string, unknown>>();

for (const target of targets) {
  describe.skipIf(target.skip)(`two instances on one ${target.name} database`, () => {
    let database: Database;
    let a: AppServer;
    let b: AppServer;
    let store: Store;
    let staff: TestStaff;

    beforeAll(async () => {
      database = await target.create();
      // The same secret on both, or they name the same client network differently (README).
      const env = { ...database.env, RATE_LIMIT_SECRET: randomBytes(16).toString('hex'), RATE_LIMIT_CALLBACKS: '3' };
      // Started at the same moment, as a deployment of two instances would: both migrate and seed.
      [a, b] = await Promise.all([startApp(env), startApp(env)]);
      store = await openStore(database.options);
      staff = await createStaff(database.options, { role: 'admin', municipalities: ['voorbeeld'] });
    });

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      if (process.env.SHOW_SERVER_OUTPUT) console.log(a?.output(), b?.output());
      await store?.close();
      await database?.drop();
    });

    it('share staff sessions: logged in on A works on B, logged out on B is ended on A', async () => {
      const client = new StaffClient(a.url);
      await client.login(staff);
      const token = client.cookie('hg_staff');
      const onB = await client.fetch(`${b.url}/staff`);
      expect(onB.status).toBe(200);
      expect(await onB.text()).toContain('<h1>Wachtrij</h1>');
      // One session, so one CSRF token whichever instance is asked.
      expect(await client.fetch(`${b.url}/api/v1/staff/ik`).then((r) => r.json())).toEqual(await client.fetch(`${a.url}/api/v1/staff/ik`).then((r) => r.json()));

      const { token: csrf } = await client.formToken(`${b.url}/staff`);
      const out = await client.postForm(`${b.url}/staff/uitloggen`, {}, csrf);
      expect(out.status).toBe(303);
      const onA = await fetch(`${a.url}/staff`, { headers: { Cookie: `hg_staff=${token}`, 'User-Agent': client.userAgent }, redirect: 'manual' });
      expect(onA.status).toBe(303);
      expect(onA.headers.get('location')).toMatch(/^\/staff\/login/);
      const api = await fetch(`${a.url}/api/v1/staff/ik`, { headers: { Cookie: `hg_staff=${token}`, 'User-Agent': client.userAgent } });
      expect(api.status).toBe(401);
    });

    it('count rate limits together: the 4th call-back request from one network is 429 on either instance', async () => {
      // Fixed 10-minute windows: do not straddle an edge, where the count starts again.
      const toEdge = 600_000 - (Date.now() % 600_000);
      if (toEdge < 3_000) await new Promise((resolve) => setTimeout(resolve, toEdge + 100));
      for (const [from, order] of [
        ['127.0.0.41', [a, b, a, b]],
        ['127.0.0.42', [b, a, b, a]],
      ] as const) {
        const statuses = [];
        for (const app of order) statuses.push((await send(app.url, 'POST', '/api/v1/terugbelverzoeken', from, valid)).status);
        expect(statuses, `from ${from}`).toEqual([201, 201, 201, 429]);
        // Refused on the other instance too.
        expect((await send(order[0].url, 'POST', '/api/v1/terugbelverzoeken', from, valid)).status).toBe(429);
      }
    });

    it('store one call-back request sent to both at once under one Idempotency-Key, with one reference', async () => {
      const conversationId = randomUUID();
      const key = `two-${conversationId}`;
      const body = { ...valid, conversationId, firstName: 'Sam' };
      const post = (app: AppServer, from: string) => send(app.url, 'POST', '/api/v1/terugbelverzoeken', from, body, { 'Idempotency-Key': key });
      const together = await Promise.all([post(a, '127.0.0.51'), post(b, '127.0.0.52')]);
      const after = [await post(b, '127.0.0.53'), await post(a, '127.0.0.54')];
      const answers = [...together, ...after];
      expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      // Exactly one of the racing two stored it; every other answer is the replay.
      expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(3);
      const references = new Set(answers.map((r) => (JSON.parse(r.body) as { reference: string }).reference));
      expect(references.size).toBe(1);
      const rows = await store.db.selectFrom('callback_requests').select(['reference']).where('conversation_id', '=', conversationId).execute();
      expect(rows).toEqual([{ reference: [...references][0] }]);
      // Another body under the same key is a conflict on either instance.
      expect((await send(b.url, 'POST', '/api/v1/terugbelverzoeken', '127.0.0.55', { ...body, firstName: 'Kim' }, { 'Idempotency-Key': key })).status).toBe(409);
    });

    it('answer resident, call-back and staff requests as on one instance (recorded to compare the dialects)', async () => {
      const from = '127.0.0.61';
      const answers: Record<string, unknown> = {};
      const record = async (name: string, res: Promise<Response | Answer>) => {
        answers[name] = await answerShape(await res);
      };
      await record('health', send(a.url, 'GET', '/healthz', from));
      await record('resident page', send(b.url, 'GET', '/voorbeeld/nl/', from));
      await record('invalid', send(a.url, 'POST', '/api/v1/terugbelverzoeken', from, { municipality: 'nowhere', phone: '12' }));
      const created = await send(b.url, 'POST', '/api/v1/terugbelverzoeken', from, { ...valid, urgency: 'cutoff', firstName: 'Ayşe' });
      await record('created', Promise.resolve(created));
      const { id } = JSON.parse(created.body) as { id: string };
      await record('progress', send(a.url, 'PUT', `/api/v1/gesprekken/${randomUUID()}`, from, {
        municipality: 'voorbeeld', channel: 'web', language: 'nl', topic: null, inviteId: null, lastStep: 'welcome', answers: {}, outcome: null, finished: false,
      }));

      const client = new StaffClient(a.url);
      await client.login(staff);
      const csrf = await client.apiToken();
      await record('queue api', client.fetch('/api/v1/staff/verzoeken'));
      await record('request api', client.fetch(`${b.url}/api/v1/staff/verzoeken/${id}`));
      await record('assign', client.apiPost(`/api/v1/staff/verzoeken/${id}/toewijzing`, {}, csrf));
      await record('attempt', client.apiPost(`${b.url}/api/v1/staff/verzoeken/${id}/contactpogingen`, { kind: 'phone', result: 'reached' }, csrf));
      await record('close', client.apiPost(`/api/v1/staff/verzoeken/${id}/afsluiting`, { outcome: 'advice_quick_fix' }, csrf));
      await record('audit api', client.fetch('/api/v1/staff/audit'));
      for (const page of ['/staff', `/staff/verzoeken/${id}`, '/staff/audit', '/staff/bereik', '/staff/bereik.csv?gemeente=voorbeeld', '/staff/uitnodigingen']) {
        await record(page.replace(id, '{id}'), client.fetch(`${b.url}${page}`));
      }
      expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, (answer as { status: number }).status]))).toEqual({
        health: 200, 'resident page': 200, invalid: 422, created: 201, progress: 204, 'queue api': 200, 'request api': 200, assign: 200,
        attempt: 201, close: 200, 'audit api': 200, '/staff': 200, '/staff/verzoeken/{id}': 200, '/staff/audit': 200, '/staff/bereik': 200,
        '/staff/bereik.csv?gemeente=voorbeeld': 200, '/staff/uitnodigingen': 200,
      });
      parity.set(target.name, answers);
    });

    it('run the retention job started on both at the same moment once', async () => {
      // Expired requests for several batches, so one run writes several audit rows.
      const total = 1_200;
      const old = '2000-01-01T00:00:00.000Z';
      for (let i = 0; i < total; i += 500) {
        const batch = Array.from({ length: Math.min(500, total - i) }, (_, j): NewCallbackRequestRow => ({
          id: randomUUID(), reference: `OLD-${i + j}`, municipality: 'voorbeeld', conversation_id: null, invite_id: null, channel: 'sms', language: 'nl',
          topic: 'energy', urgent: 0, answers: '{}', phone: '+31612345678', first_name: 'Oud', consent: 1, status: 'new', assigned_to: null,
          outcome: null, created_at: old, updated_at: old, closed_at: null, personal_data_deleted_at: null,
        }));
        await store.db.insertInto('callback_requests').values(batch).execute();
      }
      const gate = database.env.DATABASE_URL ? await holdJobLocks(database.env.DATABASE_URL) : undefined;
      const running = Promise.all([retentionCli(database.env), retentionCli(database.env)]);
      await gate?.releaseWhenWaiting(2);
      const runs = await running;
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      const ran = runs.filter((r) => r.out.includes('Personal data deleted'));
      expect(ran.map((r) => r.out)).toEqual([`Personal data deleted:\n  voorbeeld: ${total}\n`]);
      const other = runs.find((r) => !ran.includes(r))?.out;
      if (target.name === 'postgres') {
        expect(other).toBe('Another instance is running the retention job right now; nothing done.\n');
      } else {
        // SQLite lets one writer in at a time and the waiting one retries on a timer, so it mostly
        // gets the database only after the first run released the lock: it runs then, finding nothing.
        expect(other).toMatch(/^(Another instance is running the retention job right now; nothing done|Nothing was due for deletion)\.\n$/);
      }

      // One run cleared every request, and its audit rows name each of them once.
      const cleared = await store.db.selectFrom('callback_requests').select('personal_data_deleted_at').distinct().where('created_at', '=', old).execute();
      expect(cleared).toHaveLength(1);
      expect(cleared[0]?.personal_data_deleted_at).toEqual(expect.any(String));
      const audit = await store.db.selectFrom('audit_log').select(['at', 'result']).where('action', '=', 'retention').execute();
      expect(new Set(audit.map((row) => row.at)).size).toBe(1);
      expect(audit.reduce((sum, row) => sum + Number(/from (\d+)/.exec(row.result)?.[1] ?? 0), 0)).toBe(total);
      expect(await store.db.selectFrom('job_locks').selectAll().execute()).toEqual([]);
    });
  });
}

describe('SQLite and PostgreSQL', () => {
  it.skipIf(!pgUrl)('answer the same requests with the same status codes and shapes', () => {
    const [sqlite, postgres] = [parity.get('sqlite'), parity.get('postgres')];
    expect(sqlite).toBeDefined();
    expect(postgres).toEqual(sqlite);
  });
});
