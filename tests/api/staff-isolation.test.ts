// SPDX-License-Identifier: EUPL-1.2
/**
 * Staff of one municipality never see another's data. Every route file under src/pages/staff
 * and src/pages/api/v1/staff is tried (read from disk, so a new route cannot be forgotten) by a
 * staff member of voorbeeld with zeedorp's slug and the id of a zeedorp request: 404 on every
 * route whose URL names them, the ids smuggled into every other write change nothing, nothing
 * of zeedorp in any answer, and nothing changed in the database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/invite-code.ts';
import { openStore } from '../../src/server/store/index.ts';
import { insertInvites } from '../../src/server/store/invites.ts';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, dbRows, dbRun, fillRoute, residentRequest, ROUTE_PARAMS, StaffClient, staffRoutes, type TestStaff } from '../support/staff.ts';

let app: AppServer;
let mine: StaffClient;
let theirs: StaffClient;
let mineUser: TestStaff;
let theirUser: TestStaff;
let foreign: { id: string; reference: string };
let own: { id: string; reference: string };

let foreignBatch: string;
let foreignDelivery: string;
let foreignCase: string;
let ownCase: string;
let ownDelivery: string;
const FOREIGN_NAME = 'Zeedorpbewoner';
const FOREIGN_CASE = 'ZEEDORP-ZAAK-0042';
const FOREIGN_PHONE = '+31687654321';

/** Writes tested in staff.test.ts that name nothing of a municipality (logging in and out). */
const SESSION_WRITES = new Set(['POST /staff/login', 'POST /staff/login/tweede-stap', 'POST /staff/login/instellen', 'POST /staff/uitloggen', 'DELETE /api/v1/staff/sessie']);

/** Bodies that would succeed on one's own request, so a 404 can only mean "not yours". */
const PAGE_ACTIONS: Record<string, string>[] = [{ action: 'assign' }, { action: 'attempt', kind: 'phone', result: 'reached' }, { action: 'close', outcome: 'advice_quick_fix' }, { action: 'nonsense' }];
const API_BODIES: Record<string, unknown> = {
  toewijzing: {},
  contactpogingen: { kind: 'phone', result: 'reached' },
  afsluiting: { outcome: 'advice_quick_fix' },
  opnieuw: {},
};
/** For a write whose URL names nothing: every field name a route might read an id or a municipality from. */
const smuggled = () => ({
  id: foreign.id,
  request: foreign.id,
  requestId: foreign.id,
  verzoek: foreign.id,
  batch: foreignBatch,
  delivery: foreignDelivery,
  municipality: 'zeedorp',
  gemeente: 'zeedorp',
  action: 'close',
  outcome: 'advice_quick_fix',
  kind: 'phone',
  result: 'reached',
});
const foreignParams = () => ({ id: foreign.id, municipality: 'zeedorp', lang: 'nl', batch: foreignBatch, delivery: foreignDelivery, case: foreignCase });

/** A DDAS case with a signal, straight in the repository. */
function caseOf(file: string, municipality: string, caseRef: string): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  dbRun(file, "insert into cases (id, municipality, case_ref, status, demo, created_at, updated_at) values (?, ?, ?, 'open', 0, ?, ?)", id, municipality, caseRef, now, now);
  dbRun(file, "insert into signals (id, case_id, municipality, signal_ref, partner, amount, crisis, warm_handover, times_received, created_at, updated_at) values (?, ?, ?, ?, 'water', 120, 0, 0, 1, ?, ?)", randomUUID(), id, municipality, `${caseRef}-S`, now, now);
  return id;
}

/** A failed hand-off to the case system, straight in the outbox (the demo municipalities have no connector). */
function failedDelivery(file: string, requestId: string, municipality: string): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  dbRun(
    file,
    "insert into outbox (id, request_id, municipality, event_type, payload, status, attempts, next_attempt_at, last_error, last_attempt_at, created_at) values (?, ?, ?, 'callback_request.created', '{}', 'failed', 10, ?, 'HTTP 500', ?, ?)",
    id,
    requestId,
    municipality,
    now,
    now,
    now,
  );
  return id;
}

function foreignDeliveryRow() {
  return dbRows(app.databaseFile, 'select status, attempts, next_attempt_at, last_error, payload from outbox where id = ?', foreignDelivery)[0];
}

/** An invitation batch of one municipality, straight in the repository. */
async function inviteBatch(file: string, municipality: string, caseRef: string): Promise<string> {
  const store = await openStore({ sqliteFile: file });
  try {
    const now = new Date();
    const batchId = randomUUID();
    const inviteId = randomUUID();
    await insertInvites(
      store,
      [
        {
          id: inviteId,
          code: generateInviteCode(),
          municipality,
          topic: null,
          channel: 'letter-qr',
          caseRef,
          batchId,
          batchRow: 1,
          checkWord: 'APPEL',
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
        },
      ],
      { batch: { id: batchId, municipality, createdAt: now.toISOString(), size: 1, createdBy: 'test', channel: 'letter-qr', lines: [{ line: 2, caseRef, signalRef: null, inviteId, outcome: 'made', reason: null }] } },
    );
    return batchId;
  } finally {
    await store.close();
  }
}

function foreignRow() {
  return dbRows(app.databaseFile, 'select status, assigned_to, outcome, closed_at, phone, first_name from callback_requests where id = ?', foreign.id)[0];
}

function expectNothingForeign(body: string, what: string) {
  for (const secret of [foreign.id, foreign.reference, FOREIGN_NAME, FOREIGN_PHONE, '06 87654321', theirUser.id, foreignBatch, FOREIGN_CASE, foreignDelivery, foreignCase]) {
    expect(body, `${what} shows ${secret}`).not.toContain(secret);
  }
}

beforeAll(async () => {
  app = await startApp();
  mineUser = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld'], name: 'Voorbeeld Admin' });
  theirUser = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['zeedorp'], name: 'Zeedorp Admin' });
  mine = new StaffClient(app.url);
  theirs = new StaffClient(app.url, 'zeedorp browser');
  await mine.login(mineUser);
  await theirs.login(theirUser);
  foreign = await residentRequest(app.url, { municipality: 'zeedorp', firstName: FOREIGN_NAME, phone: '0687654321' });
  own = await residentRequest(app.url, { municipality: 'voorbeeld' });
  foreignBatch = await inviteBatch(app.databaseFile, 'zeedorp', FOREIGN_CASE);
  foreignDelivery = failedDelivery(app.databaseFile, foreign.id, 'zeedorp');
  foreignCase = caseOf(app.databaseFile, 'zeedorp', FOREIGN_CASE);
  ownCase = caseOf(app.databaseFile, 'voorbeeld', 'VOORBEELD-ZAAK-7');
  ownDelivery = failedDelivery(app.databaseFile, own.id, 'voorbeeld');
  // Zeedorp's own staff look at it, so zeedorp has audit rows (and a login row) to leak.
  expect((await theirs.fetch(`/staff/verzoeken/${foreign.id}`)).status).toBe(200);
});

afterAll(async () => {
  await app?.stop();
});

describe('isolation between municipalities', () => {
  it('knows every staff route, and each takes only parameters this test knows', () => {
    const routes = staffRoutes();
    expect(routes.map((r) => `${r.methods.join(',')} ${r.path}`)).toEqual(expect.arrayContaining(['GET,POST /staff/verzoeken/[id]', 'GET /api/v1/staff/verzoeken/[id]']));
    for (const route of routes) {
      for (const [name] of route.path.matchAll(/\[(\w+)\]/g)) {
        expect(ROUTE_PARAMS as readonly string[], `${route.file} takes ${name}, which the isolation test does not try`).toContain(name.slice(1, -1));
      }
    }
  });

  it('answers 404 on every route whose URL names another municipality or its request, and changes nothing', async () => {
    const before = foreignRow();
    const tried: string[] = [];
    const deliveryBefore = foreignDeliveryRow();
    for (const route of staffRoutes().filter((r) => /\[(id|municipality|batch|delivery)\]/.test(r.path))) {
      const path = fillRoute(route.path, foreignParams());
      const api = path.startsWith('/api/');
      for (const method of route.methods) {
        const attempts: RequestInit[] =
          method === 'GET'
            ? [{}]
            : api
              ? [{ method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': await mine.apiToken() }, body: JSON.stringify(API_BODIES[path.split('/').pop() ?? ''] ?? {}) }]
              : await Promise.all(
                  PAGE_ACTIONS.map(async (fields) => ({
                    method,
                    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                    body: new URLSearchParams({ _csrf: (await mine.formToken('/staff')).token, ...fields }).toString(),
                  })),
                );
        for (const init of attempts) {
          const res = await mine.fetch(path, init);
          const body = await res.text();
          expect(res.status, `${method} ${path} ${String(init.body ?? '')}`).toBe(404);
          expectNothingForeign(body, `${method} ${path}`);
          if (api) expect(res.headers.get('content-type')).toContain('application/problem+json');
          tried.push(`${method} ${path}`);
        }
      }
    }
    expect(new Set(tried).size).toBeGreaterThanOrEqual(5);
    expect(foreignRow()).toEqual(before);
    expect(foreignDeliveryRow()).toEqual(deliveryBefore);
    expect(dbRows(app.databaseFile, 'select count(*) as n from case_attempts where request_id = ? or case_id = ?', foreign.id, foreignCase)[0]?.n).toBe(0);
    expect(dbRows(app.databaseFile, 'select status, end_result from cases where id = ?', foreignCase)).toEqual([{ status: 'open', end_result: null }]);
    expect(dbRows(app.databaseFile, 'select count(*) as n from audit_log where actor = ? and object_id = ?', mineUser.id, foreignCase)[0]?.n).toBe(0);
    // A refused look is not a look: no audit row in zeedorp by the voorbeeld admin.
    expect(dbRows(app.databaseFile, 'select count(*) as n from audit_log where actor = ? and object_id = ?', mineUser.id, foreign.id)[0]?.n).toBe(0);
    expect(dbRows(app.databaseFile, 'select count(*) as n from audit_log where actor = ? and object_id = ?', mineUser.id, foreignDelivery)[0]?.n).toBe(0);

    // The same routes with one's own id do work (so the 404s above mean "not yours").
    expect((await mine.fetch(`/staff/verzoeken/${own.id}`)).status).toBe(200);
    expect((await mine.fetch(`/api/v1/staff/verzoeken/${own.id}`)).status).toBe(200);
    expect((await mine.fetch(`/staff/zaken/${ownCase}`)).status).toBe(200);
    expect((await theirs.fetch(`/staff/zaken/${foreignCase}`)).status).toBe(200);
    // Zeedorp's own administrator can retry theirs; the voorbeeld one only theirs.
    const retried = await mine.apiPost(`/api/v1/staff/overdrachten/${ownDelivery}/opnieuw`, {});
    expect(retried.status).toBe(202);
    expect((await theirs.apiPost(`/api/v1/staff/overdrachten/${ownDelivery}/opnieuw`, {})).status).toBe(404);
    expect(foreignDeliveryRow()).toEqual(deliveryBefore);
  });

  it('changes nothing of another municipality through a write whose URL names nothing (ids smuggled in the body)', async () => {
    const before = foreignRow();
    const deliveryBefore = foreignDeliveryRow();
    for (const route of staffRoutes().filter((r) => !/\[/.test(r.path))) {
      for (const method of route.methods.filter((m) => m !== 'GET' && !SESSION_WRITES.has(`${m} ${route.path}`))) {
        const api = route.path.startsWith('/api/');
        const init: RequestInit = api
          ? { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': await mine.apiToken() }, body: JSON.stringify(smuggled()) }
          : {
              method,
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ _csrf: (await mine.formToken('/staff')).token, ...smuggled() }).toString(),
            };
        const res = await mine.fetch(route.path, init);
        expect(res.status, `${method} ${route.path}`).toBeLessThan(500);
        expectNothingForeign(await res.text(), `${method} ${route.path}`);
        expect(foreignRow(), `${method} ${route.path} changed zeedorp's request`).toEqual(before);
        expect(foreignDeliveryRow(), `${method} ${route.path} changed zeedorp's hand-off`).toEqual(deliveryBefore);
      }
    }
    expect(dbRows(app.databaseFile, 'select count(*) as n from case_attempts where request_id = ? or case_id = ?', foreign.id, foreignCase)[0]?.n).toBe(0);
    expect(dbRows(app.databaseFile, 'select status, end_result from cases where id = ?', foreignCase)).toEqual([{ status: 'open', end_result: null }]);
    expect(dbRows(app.databaseFile, 'select count(*) as n from audit_log where actor = ? and object_id = ?', mineUser.id, foreignCase)[0]?.n).toBe(0);
    expect(dbRows(app.databaseFile, 'select count(*) as n from audit_log where actor = ? and object_id = ?', mineUser.id, foreign.id)[0]?.n).toBe(0);
  });

  it('shows nothing of another municipality on any route without a parameter (queue, audit, who am I, dashboards, exports)', async () => {
    // Asking for the other municipality in the query string must not help either.
    const query = new URLSearchParams({ gemeente: 'zeedorp', municipality: 'zeedorp', id: foreign.id, request: foreign.id });
    for (const route of staffRoutes().filter((r) => !/\[/.test(r.path) && r.methods.includes('GET'))) {
      for (const path of [route.path, `${route.path}?${query}`]) {
        const res = await mine.fetch(path);
        const body = await res.text();
        expect(res.status, `GET ${path}`).toBeLessThan(500);
        expectNothingForeign(body, `GET ${path}`);
      }
    }
    const queue = (await (await mine.fetch('/api/v1/staff/verzoeken')).json()) as { items: { id: string; municipality: string }[] };
    expect(queue.items.map((i) => i.id)).toContain(own.id);
    expect(queue.items.every((i) => i.municipality === 'voorbeeld')).toBe(true);
    const audit = (await (await mine.fetch('/api/v1/staff/audit')).json()) as { entries: { municipality: string | null; actor: string }[] };
    expect(audit.entries.every((e) => e.municipality === 'voorbeeld' || e.municipality === null)).toBe(true);
    expect(audit.entries.map((e) => e.actor)).not.toContain(theirUser.id);
    // The hand-off page and API list one's own failed hand-off, and nothing of zeedorp's.
    const handoffs = (await (await mine.fetch('/api/v1/staff/overdrachten')).json()) as { deliveries: { id: string }[]; connectors: { municipality: string }[] };
    expect(handoffs.deliveries.map((d) => d.id)).toEqual([ownDelivery]);
    expect(handoffs.connectors.map((c) => c.municipality)).toEqual(['voorbeeld']);
    expect(await (await mine.fetch('/staff/overdracht')).text()).toContain(own.reference);
  });

  it('lets a regional team member of both municipalities see both', async () => {
    const regional = await createStaff(app.databaseFile, { municipalities: ['voorbeeld', 'zeedorp'] });
    const client = new StaffClient(app.url, 'regional browser');
    await client.login(regional);
    const ids = ((await (await client.fetch('/api/v1/staff/verzoeken')).json()) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([own.id, foreign.id]));
    expect((await client.fetch(`/staff/verzoeken/${foreign.id}`)).status).toBe(200);
  });
});
