// SPDX-License-Identifier: EUPL-1.2
/**
 * The contract of the staff repositories (accounts, sessions, the queue and its actions, the
 * audit log, job locks), run against SQLite always and PostgreSQL when TEST_DATABASE_URL is set,
 * like tests/unit/store.contract.test.ts. Every query must keep to the caller's municipalities.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertAuditEntries, listAuditEntries, type AuditEntry } from '../../src/server/store/audit.ts';
import { createCallbackRequest, isUniqueViolation, type CallbackRequestInput } from '../../src/server/store/callbacks.ts';
import type { Store } from '../../src/server/store/index.ts';
import { acquireJobLock, jobLockHolder, releaseJobLock } from '../../src/server/store/job-locks.ts';
import {
  assignRequest,
  clearPersonalData,
  closeRequest,
  getRequestFor,
  listOpenRequests,
  recordContactAttempt,
} from '../../src/server/store/staff-requests.ts';
import { listAttempts } from '../../src/server/store/attempts.ts';
import {
  claimTotpStep,
  deleteEndedStaffSessions,
  deleteStaffSession,
  findStaffByEmail,
  getStaffSession,
  getStaffUser,
  insertStaffSession,
  insertStaffUser,
  recordFailedLogin,
  recordSuccessfulLogin,
  resetTotp,
  setPendingTotpSecret,
  setStaffMemberships,
  staffNames,
  touchStaffSession,
  type NewStaffUser,
} from '../../src/server/store/staff.ts';
import { contractTargets, noticeSkipped, useMigratedStore, type Opened } from '../support/temp-stores.ts';

noticeSkipped('staff contract tests');

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

function staffUser(overrides: Partial<NewStaffUser> = {}): NewStaffUser {
  return {
    id: randomUUID(),
    email: `${unique('user')}@example.nl`,
    name: 'Sam de Vries',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
    role: 'caseworker',
    createdAt: new Date().toISOString(),
    municipalities: ['vlissingen'],
    ...overrides,
  };
}

function callbackInput(overrides: Partial<CallbackRequestInput> = {}): CallbackRequestInput {
  return {
    municipality: 'vlissingen',
    channel: 'web',
    language: 'nl',
    topic: 'rent',
    urgent: false,
    answers: { help: ['arrangement'] },
    phone: '+31612345678',
    firstName: 'Sam',
    consent: true,
    ...overrides,
  };
}

async function newRequest(store: Store, overrides: Partial<CallbackRequestInput> = {}, createdAt?: string): Promise<string> {
  const result = await createCallbackRequest(store, callbackInput(overrides), { requestHash: unique('h') });
  if (!result.created) throw new Error('expected a new request');
  if (createdAt) await store.db.updateTable('callback_requests').set({ created_at: createdAt }).where('id', '=', result.body.id).execute();
  return result.body.id;
}

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: 'system',
    action: 'view',
    objectType: 'callback_request',
    objectId: randomUUID(),
    municipality: 'vlissingen',
    result: 'ok',
    origin: 'staff-ui',
    ...overrides,
  };
}

function contract(name: string, open: () => Promise<Opened>, skip = false): void {
  describe.skipIf(skip)(`staff store contract: ${name}`, () => {
    let store: Store;
    useMigratedStore(open, (opened) => (store = opened), 'Vlissingen', 'Middelburg', 'Goes');

    describe('accounts', () => {
      it('stores an account with its municipalities and finds it by email in any case', async () => {
        const input = staffUser({ email: `${unique('Mixed')}@Example.NL`, municipalities: ['vlissingen', 'middelburg'], role: 'admin' });
        await insertStaffUser(store, input);
        const found = await findStaffByEmail(store, `  ${input.email.toUpperCase()} `);
        expect(found).toMatchObject({
          id: input.id,
          email: input.email.toLowerCase(),
          role: 'admin',
          totpEnabled: false,
          totpSecret: null,
          demo: false,
          failedLogins: 0,
          lockedUntil: null,
          municipalities: ['middelburg', 'vlissingen'],
        });
        expect(await getStaffUser(store, input.id)).toEqual(found);
        expect(await findStaffByEmail(store, 'nobody@example.nl')).toBeUndefined();
      });

      it('refuses a second account with the same email as a unique violation, memberships and all', async () => {
        const first = staffUser();
        await insertStaffUser(store, first);
        const second = staffUser({ email: first.email });
        const error = await insertStaffUser(store, second).catch((e: unknown) => e);
        expect(isUniqueViolation(error)).toBe(true);
        expect(await getStaffUser(store, second.id)).toBeUndefined();
      });

      it('refuses an unknown role and an unknown municipality', async () => {
        await expect(insertStaffUser(store, staffUser({ role: 'boss' as 'admin' }))).rejects.toThrow();
        const ghost = staffUser({ municipalities: ['nergenshuizen'] });
        await expect(insertStaffUser(store, ghost)).rejects.toThrow();
        expect(await getStaffUser(store, ghost.id)).toBeUndefined();
      });

      it('replaces memberships and names accounts by id', async () => {
        const user = staffUser({ name: 'Noor' });
        await insertStaffUser(store, user);
        await setStaffMemberships(store, user.id, ['goes']);
        expect((await getStaffUser(store, user.id))?.municipalities).toEqual(['goes']);
        expect(await staffNames(store, [user.id, randomUUID()])).toEqual(new Map([[user.id, 'Noor']]));
      });

      it('counts failed logins, locks at the limit and starts counting again; a good login clears it', async () => {
        const user = staffUser();
        await insertStaffUser(store, user);
        const lockUntil = iso(Date.now() + 15 * MIN);
        for (let i = 1; i <= 4; i++) {
          expect(await recordFailedLogin(store, user.id, { max: 5, lockUntil })).toEqual({ failures: i, lockedUntil: null });
        }
        expect(await recordFailedLogin(store, user.id, { max: 5, lockUntil })).toEqual({ failures: 5, lockedUntil: lockUntil });
        expect(await getStaffUser(store, user.id)).toMatchObject({ failedLogins: 0, lockedUntil: lockUntil });
        await recordSuccessfulLogin(store, user.id, iso(Date.now()));
        expect(await getStaffUser(store, user.id)).toMatchObject({ failedLogins: 0, lockedUntil: null, lastLoginAt: expect.any(String) });
        expect(await recordFailedLogin(store, randomUUID(), { max: 5, lockUntil })).toBeUndefined();
      });

      it('counts every one of many parallel failures', async () => {
        const user = staffUser();
        await insertStaffUser(store, user);
        await Promise.all([1, 2, 3, 4].map(() => recordFailedLogin(store, user.id, { max: 50, lockUntil: iso(Date.now()) })));
        expect((await getStaffUser(store, user.id))?.failedLogins).toBe(4);
      });
    });

    describe('second factor', () => {
      it('keeps the first pending secret, and never replaces an enrolled one', async () => {
        const user = staffUser();
        await insertStaffUser(store, user);
        expect(await setPendingTotpSecret(store, user.id, 'AAAA')).toBe('AAAA');
        expect(await setPendingTotpSecret(store, user.id, 'BBBB')).toBe('AAAA');
        expect(await claimTotpStep(store, user.id, 100, { enable: true })).toBe(true);
        expect(await getStaffUser(store, user.id)).toMatchObject({ totpSecret: 'AAAA', totpEnabled: true, totpLastStep: 100 });
        expect(await setPendingTotpSecret(store, user.id, 'CCCC')).toBeUndefined();
        expect((await getStaffUser(store, user.id))?.totpSecret).toBe('AAAA');
      });

      it('accepts each time step once, and no step older than the last', async () => {
        const user = staffUser({ totpSecret: 'SECRET' });
        await insertStaffUser(store, user);
        expect(await claimTotpStep(store, user.id, 500)).toBe(true);
        expect(await claimTotpStep(store, user.id, 500)).toBe(false);
        expect(await claimTotpStep(store, user.id, 499)).toBe(false);
        expect(await claimTotpStep(store, user.id, 501)).toBe(true);
      });

      it('lets exactly one of several racing claims of the same step win', async () => {
        const user = staffUser({ totpSecret: 'SECRET' });
        await insertStaffUser(store, user);
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => claimTotpStep(store, user.id, 777)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('does not accept a step for an account without a secret, and a reset forgets it', async () => {
        const user = staffUser();
        await insertStaffUser(store, user);
        expect(await claimTotpStep(store, user.id, 1)).toBe(false);
        await setPendingTotpSecret(store, user.id, 'AAAA');
        await claimTotpStep(store, user.id, 2, { enable: true });
        await resetTotp(store, user.id);
        expect(await getStaffUser(store, user.id)).toMatchObject({ totpSecret: null, totpEnabled: false, totpLastStep: null });
      });
    });

    describe('sessions', () => {
      it('stores, reads, touches and deletes a session; ended ones are cleared in bulk', async () => {
        const user = staffUser();
        await insertStaffUser(store, user);
        const now = Date.now();
        const session = {
          id: randomBytes(32).toString('hex'),
          staffId: user.id,
          createdAt: iso(now),
          lastSeenAt: iso(now),
          expiresAt: iso(now + 12 * 60 * MIN),
          csrfToken: 'csrf',
          secondFactorOk: false,
          userAgentHash: null,
        };
        await insertStaffSession(store, session);
        expect(await getStaffSession(store, session.id)).toEqual(session);
        await touchStaffSession(store, session.id, iso(now + MIN));
        expect((await getStaffSession(store, session.id))?.lastSeenAt).toBe(iso(now + MIN));

        const idle = { ...session, id: randomBytes(32).toString('hex'), lastSeenAt: iso(now - 40 * MIN) };
        const expired = { ...session, id: randomBytes(32).toString('hex'), expiresAt: iso(now - MIN) };
        await insertStaffSession(store, idle);
        await insertStaffSession(store, expired);
        expect(await deleteEndedStaffSessions(store, iso(now), iso(now - 30 * MIN))).toBe(2);
        expect(await getStaffSession(store, session.id)).toBeDefined();
        await deleteStaffSession(store, session.id);
        expect(await getStaffSession(store, session.id)).toBeUndefined();
      });
    });

    describe('the queue', () => {
      it('lists open requests of the given municipalities only: urgent first, then oldest first', async () => {
        const base = Date.parse('2026-03-02T09:00:00.000Z');
        const municipality = 'goes';
        const old = await newRequest(store, { municipality }, iso(base));
        const newer = await newRequest(store, { municipality }, iso(base + 60 * MIN));
        const urgentNew = await newRequest(store, { municipality, urgent: true }, iso(base + 120 * MIN));
        const urgentOld = await newRequest(store, { municipality, urgent: true }, iso(base + 30 * MIN));
        const closedOne = await newRequest(store, { municipality }, iso(base - 60 * MIN));
        await closeRequest(store, { id: closedOne, municipalities: [municipality], outcome: 'advice_quick_fix', staffId: 's', at: iso(base) });
        const elsewhere = await newRequest(store, { municipality: 'middelburg' }, iso(base - 120 * MIN));

        const ids = (await listOpenRequests(store, [municipality])).map((r) => r.id);
        expect(ids).toEqual([urgentOld, urgentNew, old, newer]);
        expect(ids).not.toContain(elsewhere);
        expect((await listOpenRequests(store, [municipality, 'middelburg'])).map((r) => r.id)).toContain(elsewhere);
        expect(await listOpenRequests(store, [])).toEqual([]);
      });

      it('reads a request only through one of its municipalities', async () => {
        const id = await newRequest(store, { municipality: 'middelburg' });
        expect((await getRequestFor(store, id, ['middelburg']))?.phone).toBe('+31612345678');
        expect(await getRequestFor(store, id, ['vlissingen'])).toBeUndefined();
        expect(await getRequestFor(store, id, [])).toBeUndefined();
      });

      it('assigns: new becomes in progress; another municipality is not found; a closed one stays closed', async () => {
        const id = await newRequest(store);
        const at = iso(Date.now());
        expect(await assignRequest(store, { id, municipalities: ['middelburg'], staffId: 'a', at })).toBe('notFound');
        expect((await getRequestFor(store, id, ['vlissingen']))?.assignedTo).toBeNull();
        expect(await assignRequest(store, { id, municipalities: ['vlissingen'], staffId: 'a', at })).toBe('ok');
        expect(await getRequestFor(store, id, ['vlissingen'])).toMatchObject({ status: 'in_progress', assignedTo: 'a' });
        // A colleague takes it over; it stays in progress.
        expect(await assignRequest(store, { id, municipalities: ['vlissingen'], staffId: 'b', at })).toBe('ok');
        expect(await getRequestFor(store, id, ['vlissingen'])).toMatchObject({ status: 'in_progress', assignedTo: 'b' });
        await closeRequest(store, { id, municipalities: ['vlissingen'], outcome: 'never_reached', staffId: 'b', at });
        expect(await assignRequest(store, { id, municipalities: ['vlissingen'], staffId: 'a', at })).toBe('closed');
        expect((await getRequestFor(store, id, ['vlissingen']))?.assignedTo).toBe('b');
      });

      it('records contact attempts in order; the first makes a new request in progress', async () => {
        const id = await newRequest(store);
        const t0 = Date.now();
        const attempt = (at: number, municipalities = ['vlissingen']) =>
          recordContactAttempt(store, {
            id: randomUUID(),
            requestId: id,
            municipalities,
            staffId: 'a',
            kind: 'phone',
            result: 'not_reached',
            noteCode: at === t0 ? 'call_back_later' : null,
            at: iso(at),
          });
        expect(await attempt(t0, ['middelburg'])).toBe('notFound');
        expect(await listAttempts(store, { requestId: id })).toEqual([]);
        expect(await attempt(t0 + 1000)).toBe('ok');
        expect(await attempt(t0)).toBe('ok');
        expect((await getRequestFor(store, id, ['vlissingen']))?.status).toBe('in_progress');
        const attempts = await listAttempts(store, { requestId: id });
        expect(attempts.map((a) => a.createdAt)).toEqual([iso(t0), iso(t0 + 1000)]);
        expect(attempts[0]).toMatchObject({ requestId: id, staffId: 'a', kind: 'phone', result: 'not_reached', noteCode: 'call_back_later' });
        await closeRequest(store, { id, municipalities: ['vlissingen'], outcome: 'never_reached', staffId: 'a', at: iso(t0) });
        expect(await attempt(t0 + 2000)).toBe('closed');
        expect(await listAttempts(store, { requestId: id })).toHaveLength(2);
      });

      it('refuses a contact attempt of an unknown kind or result (check constraints)', async () => {
        const id = await newRequest(store);
        const bad = recordContactAttempt(store, {
          id: randomUUID(),
          requestId: id,
          municipalities: ['vlissingen'],
          staffId: 'a',
          kind: 'pigeon' as 'phone',
          result: 'reached',
          noteCode: null,
          at: iso(Date.now()),
        });
        await expect(bad).rejects.toThrow();
        expect(await listAttempts(store, { requestId: id })).toEqual([]);
        // the transaction rolled back the status change too
        expect((await getRequestFor(store, id, ['vlissingen']))?.status).toBe('new');
      });

      it('closes once with an outcome, and whoever closes an unassigned request is recorded', async () => {
        const id = await newRequest(store);
        const at = iso(Date.now());
        expect(await closeRequest(store, { id, municipalities: ['goes'], outcome: 'advice_quick_fix', staffId: 'x', at })).toBe('notFound');
        expect(await closeRequest(store, { id, municipalities: ['vlissingen'], outcome: 'paid_or_arranged', staffId: 'x', at })).toBe('ok');
        expect(await getRequestFor(store, id, ['vlissingen'])).toMatchObject({ status: 'closed', outcome: 'paid_or_arranged', closedAt: at, assignedTo: 'x' });
        expect(await closeRequest(store, { id, municipalities: ['vlissingen'], outcome: 'advice_quick_fix', staffId: 'y', at })).toBe('closed');
        expect((await getRequestFor(store, id, ['vlissingen']))?.outcome).toBe('paid_or_arranged');
      });

      it('clears personal data past a cutoff (closed_at, else created_at), in batches, one municipality at a time', async () => {
        const municipality = 'middelburg';
        const t = Date.parse('2025-01-10T12:00:00.000Z');
        const oldOpen = await newRequest(store, { municipality }, iso(t));
        const closedLongAgo = await newRequest(store, { municipality }, iso(t));
        await closeRequest(store, { id: closedLongAgo, municipalities: [municipality], outcome: 'advice_quick_fix', staffId: 's', at: iso(t + MIN) });
        const closedRecently = await newRequest(store, { municipality }, iso(t));
        await store.db.updateTable('callback_requests').set({ status: 'closed', closed_at: iso(t + 400 * 24 * 60 * MIN) }).where('id', '=', closedRecently).execute();
        const young = await newRequest(store, { municipality }, iso(t + 400 * 24 * 60 * MIN));
        const otherTown = await newRequest(store, { municipality: 'vlissingen' }, iso(t));

        const cutoff = iso(t + 30 * 24 * 60 * MIN);
        const at = iso(Date.now());
        const first = await clearPersonalData(store, { municipality, cutoff, at, limit: 1 });
        const second = await clearPersonalData(store, { municipality, cutoff, at, limit: 1 });
        const third = await clearPersonalData(store, { municipality, cutoff, at, limit: 1 });
        expect([first.length, second.length, third.length]).toEqual([1, 1, 0]);
        expect(new Set([...first, ...second])).toEqual(new Set([oldOpen, closedLongAgo]));
        for (const id of [oldOpen, closedLongAgo]) {
          expect(await getRequestFor(store, id, [municipality])).toMatchObject({ phone: null, firstName: null, personalDataDeletedAt: at });
        }
        for (const id of [closedRecently, young]) {
          expect(await getRequestFor(store, id, [municipality])).toMatchObject({ phone: '+31612345678', firstName: 'Sam', personalDataDeletedAt: null });
        }
        expect((await getRequestFor(store, otherTown, ['vlissingen']))?.phone).toBe('+31612345678');
      });
    });

    describe('audit log', () => {
      it('lists rows of the given municipalities, and logins of staff serving them, newest first, in pages', async () => {
        const member = staffUser({ municipalities: ['goes'] });
        const stranger = staffUser({ municipalities: ['middelburg'] });
        await insertStaffUser(store, member);
        await insertStaffUser(store, stranger);
        const t = Date.parse('2030-01-01T00:00:00.000Z');
        const rows = [
          entry({ at: iso(t + 1), municipality: 'goes', actor: member.id, action: 'view' }),
          entry({ at: iso(t + 2), municipality: 'goes', actor: 'system', action: 'retention', origin: 'job' }),
          entry({ at: iso(t + 3), municipality: null, actor: member.id, action: 'login', objectType: 'staff_user', objectId: member.id }),
          entry({ at: iso(t + 4), municipality: null, actor: stranger.id, action: 'login', objectType: 'staff_user', objectId: stranger.id }),
          entry({ at: iso(t + 5), municipality: 'middelburg', actor: stranger.id }),
        ];
        await insertAuditEntries(store, rows);
        const page1 = await listAuditEntries(store, { municipalities: ['goes'], limit: 2, offset: 0 });
        const page2 = await listAuditEntries(store, { municipalities: ['goes'], limit: 2, offset: 2 });
        expect(page1.entries.map((e) => e.at)).toEqual([iso(t + 3), iso(t + 2)]);
        expect(page1.hasMore).toBe(true);
        expect(page2.entries.map((e) => e.at)).toEqual([iso(t + 1)]);
        expect(page2.hasMore).toBe(false);
        expect(page1.entries[1]).toEqual(rows[1]);
        expect(await listAuditEntries(store, { municipalities: [], limit: 10, offset: 0 })).toEqual({ entries: [], hasMore: false });
      });

      it('refuses an unknown origin', async () => {
        await expect(insertAuditEntries(store, [entry({ origin: 'fax' as 'api' })])).rejects.toThrow();
      });
    });

    describe('job locks', () => {
      it('gives the lock to one holder until it is released or expires', async () => {
        const name = unique('job');
        const t = Date.now();
        expect(await acquireJobLock(store, { name, holder: 'a', now: iso(t), expiresAt: iso(t + 10 * MIN) })).toBe(true);
        expect(await acquireJobLock(store, { name, holder: 'b', now: iso(t + MIN), expiresAt: iso(t + 11 * MIN) })).toBe(false);
        await releaseJobLock(store, name, 'b');
        expect((await jobLockHolder(store, name))?.holder).toBe('a');
        // a's time ran out: b may take over
        expect(await acquireJobLock(store, { name, holder: 'b', now: iso(t + 10 * MIN), expiresAt: iso(t + 20 * MIN) })).toBe(true);
        await releaseJobLock(store, name, 'a');
        expect((await jobLockHolder(store, name))?.holder).toBe('b');
        await releaseJobLock(store, name, 'b');
        expect(await jobLockHolder(store, name)).toBeUndefined();
      });

      it('lets exactly one of several racing callers take a free lock', async () => {
        const name = unique('race');
        const t = Date.now();
        const results = await Promise.all(
          ['a', 'b', 'c', 'd'].map((holder) => acquireJobLock(store, { name, holder, now: iso(t), expiresAt: iso(t + MIN) })),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });
  });
}

for (const { name, open, skip } of contractTargets('hg-staff-')) contract(name, open, skip);
