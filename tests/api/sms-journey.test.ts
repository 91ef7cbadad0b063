// SPDX-License-Identifier: EUPL-1.2
// The contact plan's SMS end to end, as a municipality runs it: a batch with mobile numbers through
// the API, the plan and the SMS sender against the app's own database, a local Notify that checks
// the JWT, its delivery receipt and a STOP reply on the app's callback routes, and Vandaag saying so.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSendMoment, SMS_TIME_ZONE } from '../../src/lib/sms-window.ts';
import { runContactPlan } from '../../src/server/jobs/contact-plan.ts';
import { runSmsSender } from '../../src/server/jobs/sms-sender.ts';
import { Notify } from '../../src/server/notify/client.ts';
import { openStore } from '../../src/server/store/index.ts';
import { startApp, type AppServer } from '../support/app-server.ts';
import { startFakeNotify, type FakeNotify } from '../support/fake-notify.ts';
import { createStaff, dbRows, StaffClient } from '../support/staff.ts';

const root = new URL('../../', import.meta.url).pathname;
const TEMPLATE = '5a1c2d3e-0000-4000-8000-000000000002';
const TOKEN = 'callback-token-of-the-test-service';

let app: AppServer;
let fake: FakeNotify;

beforeAll(async () => {
  fake = await startFakeNotify();
  app = await startApp({ NOTIFY_API_KEY: fake.apiKey, NOTIFY_SMS_TEMPLATE_ID: TEMPLATE, NOTIFY_BASE_URL: fake.url, NOTIFY_CALLBACK_TOKEN: TOKEN });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('the contact plan’s SMS through NotifyNL', () => {
  it('texts the batch’s resident once, takes the receipt, stops on STOP, and Vandaag says how many went', async () => {
    const key = execFileSync(process.execPath, ['src/cli/api-key.ts', '--municipality', 'voorbeeld', '--name', 'sms'], { cwd: root, env: { ...process.env, DATABASE_FILE: app.databaseFile }, encoding: 'utf8' }).trim();
    const ref = `SMS-${randomUUID().slice(0, 8)}`;
    const batch = await fetch(`${app.url}/api/v1/uitnodigingen/batches?channel=sms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'text/csv' },
      body: `case_ref;signaal_id;signaalpartner;telefoon;taal\n${ref};${ref}-S;Water;06 23 45 67 89;en\n`,
    });
    expect(batch.status, await batch.clone().text()).toBe(201);
    const [kase] = dbRows(app.databaseFile, 'select id from cases where case_ref = ?', ref);
    const caseId = String(kase?.id);
    const code = String(dbRows(app.databaseFile, 'select code from invites where case_id = ?', caseId)[0]?.code);

    // the next sending moment (never a Sunday, a holiday or the night), whatever day the test runs
    const clock = new Date(nextSendMoment(new Date(), { from: '09:00', to: '20:00' }, SMS_TIME_ZONE).getTime() + 3_600_000);
    const store = await openStore({ sqliteFile: app.databaseFile });
    try {
      // the server's own runs may hold the lock for a moment: then again
      for (let i = 0; i < 20 && !(await runContactPlan(store, clock, { smsConfigured: true })).ran; i++) await new Promise((r) => setTimeout(r, 200));
      const notify = new Notify({ baseUrl: fake.url, apiKey: fake.apiKey, templateId: TEMPLATE });
      for (let i = 0; i < 20 && !(await runSmsSender(store, notify, { publicUrl: () => app.url }, () => clock)).ran; i++) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await store.close();
    }
    const mine = fake.sent.filter((s) => s.phone === '+31623456789');
    expect(mine).toHaveLength(1);
    const text = String(mine[0]?.personalisation.bericht);
    expect(text).toContain(`${app.url}/s/${code}`);
    // the English wording, for a resident whose case system said `en`
    expect(text).toMatch(/STOP/);
    expect(text).not.toContain('Gratis');
    // (after a long weekend the day-3 reminder may be queued behind it: not sent yet)
    expect(dbRows(app.databaseFile, "select status, phone, body from sms_outbox where case_id = ? and status != 'pending'", caseId)).toEqual([{ status: 'sent', phone: null, body: null }]);
    expect(dbRows(app.databaseFile, "select count(*) as n from case_attempts where case_id = ? and kind = 'sms_whatsapp'", caseId)).toEqual([{ n: 1 }]);

    // Notify's receipt on the app's callback route
    const sms = mine[0];
    if (!sms) throw new Error('no SMS');
    expect(await fake.receipt(sms, 'delivered', `${app.url}/api/v1/notify/ontvangstbevestigingen`, 'a-wrong-token-of-some-length')).toBe(401);
    expect(await fake.receipt(sms, 'delivered', `${app.url}/api/v1/notify/ontvangstbevestigingen`, TOKEN)).toBe(204);
    expect(dbRows(app.databaseFile, "select status from sms_outbox where case_id = ? and status != 'pending'", caseId)).toEqual([{ status: 'delivered' }]);

    const staff = await createStaff(app.databaseFile, { role: 'caseworker', municipalities: ['voorbeeld'], name: 'Sam Sms' });
    const client = new StaffClient(app.url);
    await client.login(staff);
    expect(await (await client.fetch('/staff/vandaag')).text()).toMatch(/Sms via NotifyNL: \d+ klaar om te versturen, [1-9]\d* verstuurd en 0 mislukt sinds vanochtend/);

    // the resident answers STOP, as Notify passes it on
    const stop = await fetch(`${app.url}/api/v1/notify/inkomende-sms`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ id: randomUUID(), source_number: '31623456789', destination_number: '07700900000', content: 'Stop', date_received: new Date().toISOString() }),
    });
    expect(stop.status).toBe(204);
    expect(dbRows(app.databaseFile, 'select sms_phone, sms_stopped_at is not null as stopped from cases where id = ?', caseId)).toEqual([{ sms_phone: null, stopped: 1 }]);
    // the link opens the portal in the language the case system gave
    const opened = await fetch(`${app.url}/s/${code}`, { redirect: 'manual', headers: { 'Accept-Language': 'nl' } });
    expect(opened.headers.get('location')).toBe('/voorbeeld/en/');
    // said once at the start (the log is written in batches: it is there by now)
    expect(app.stdout()).toContain('SMS of the contact plan go through NotifyNL');
  });
});
