// SPDX-License-Identifier: EUPL-1.2
// Reach figures from a real SQLite file: the funnel, reach against 40%, breakdowns, CSV without personal data.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeek, reachCsv, reachReport } from '../../src/server/staff/reach.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { createCallbackRequest } from '../../src/server/store/callbacks.ts';
import { upsertConversationProgress } from '../../src/server/store/conversations.ts';
import { migrateToLatest, openStore, type Store } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';

let store: Store;
const period = { from: '2026-11-01', to: '2026-11-30' };

async function invite(id: string, channel: 'sms' | 'letter-qr', opened: boolean, at = '2026-11-10T10:00:00.000Z', municipality = 'voorbeeld') {
  await store.db
    .insertInto('invites')
    .values({ id, code: id.toUpperCase().padEnd(13, 'X').slice(0, 13), municipality, topic: 'energy', channel, case_ref: null, batch_id: null, batch_row: null, check_word: 'APPEL', created_at: at, expires_at: '2027-02-01T00:00:00.000Z', first_opened_at: opened ? at : null, last_opened_at: opened ? at : null })
    .execute();
}

async function request(channel: string, reached: boolean, outcome: string | null, attempts: number) {
  const created = await createCallbackRequest(
    store,
    { municipality: 'voorbeeld', channel, language: 'tr', topic: 'rent', urgent: false, answers: {}, phone: '+31612345678', firstName: 'Ayşe', consent: true },
    { requestHash: crypto.randomUUID() },
  );
  const id = (created as { body: { id: string } }).body.id;
  await store.db.updateTable('callback_requests').set({ created_at: '2026-11-12T09:00:00.000Z', outcome }).where('id', '=', id).execute();
  for (let i = 0; i < attempts; i++) {
    const result = reached && i === attempts - 1 ? 'reached' : 'not_reached';
    await store.db.insertInto('case_attempts').values({ id: crypto.randomUUID(), municipality: 'voorbeeld', case_id: null, request_id: id, staff_id: 'staff-1', kind: 'phone', reached: result === 'reached' ? 1 : 0, result, note_code: null, on_date: '2026-11-13', day_part: 'morning', created_at: '2026-11-13T09:00:00.000Z' }).execute();
  }
}

beforeAll(async () => {
  store = await openStore({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'hg-reach-')), 'reach.sqlite') });
  await migrateToLatest(store);
  for (const m of demoMunicipalities()) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
  await store.db.insertInto('staff_users').values({ id: 'staff-1', email: 's@x.nl', name: 'S', password_hash: 'x', totp_secret: null, totp_enabled: 0, role: 'caseworker', created_at: '2026-11-01T00:00:00.000Z', failed_logins: 0, locked_until: null, last_login_at: null, disabled_at: null } as never).execute();
  for (let i = 0; i < 6; i++) await invite(`sms${i}`, 'sms', i < 4);
  for (let i = 0; i < 4; i++) await invite(`letter${i}`, 'letter-qr', i < 1);
  await invite('other', 'sms', true, '2026-11-10T10:00:00.000Z', 'zeedorp');
  await invite('old', 'sms', true, '2026-10-01T10:00:00.000Z');
  for (const [i, finished] of [true, true, false].entries())
    await upsertConversationProgress(store, { id: crypto.randomUUID(), municipality: 'voorbeeld', channel: 'sms', language: i === 0 ? 'tr' : 'nl', topic: 'rent', inviteId: null, lastStep: 'done', answers: {}, outcome: finished ? 'callback' : null, finished });
  // fixed dates, so the figures do not depend on the day the test runs
  await store.db.updateTable('conversations').set({ started_at: '2026-11-11T08:00:00.000Z' }).execute();
  await request('sms', true, 'advice_quick_fix', 2);
  await request('sms', true, 'no_help_needed', 1);
  await request('letter-qr', false, 'never_reached', 3);
});
afterAll(async () => {
  await store?.close();
});

describe('reachReport', () => {
  it('counts the funnel of one municipality and period only', async () => {
    const r = await reachReport(store, 'voorbeeld', period);
    expect(r.total).toEqual({
      invitesSent: 10,
      linksOpened: 5,
      conversationsStarted: 3,
      conversationsFinished: 2,
      callbacksRequested: 3,
    });
    // requests without a case (no personal link of a case) are no DDAS cases
    expect(r.ddas).toMatchObject({ cases: 0, reachedCases: 0, reach: null });
  });

  it('breaks down per channel and week', async () => {
    const r = await reachReport(store, 'voorbeeld', period);
    const sms = r.by.channel.find((b) => b.key === 'sms')?.funnel;
    expect(sms).toMatchObject({ invitesSent: 6, linksOpened: 4, callbacksRequested: 2 });
    expect(r.by.channel.find((b) => b.key === 'letter-qr')?.funnel).toMatchObject({ invitesSent: 4, callbacksRequested: 1 });
    expect(r.by.week.map((b) => b.key)).toEqual(['2026-W46']);
    expect(isoWeek('2026-01-01T12:00:00Z')).toBe('2026-W01');
    expect(isoWeek('2026-12-31T12:00:00Z')).toBe('2026-W53');
  });

  it('exports counts only, never a phone number or name', async () => {
    const csv = reachCsv(await reachReport(store, 'voorbeeld', period));
    expect(csv.split('\r\n')[0]).toBe('section,key,measure,value');
    expect(csv.split('\r\n')).toEqual(expect.arrayContaining(['funnel,total,invitesSent,10', 'funnel,total,callbacksRequested,3', 'funnel.channel,sms,linksOpened,4', 'ddas.total,total,cases,0']));
    expect(csv).not.toContain('612345678');
    expect(csv).not.toContain('Ayşe');
  });
});
