// SPDX-License-Identifier: EUPL-1.2
/**
 * What NotifyNL tells the portal afterwards, end to end against the built server: delivery
 * receipts (only with the callback token; delivered, a number that does not exist, a failure
 * that is not the number's; each taken once, the first one standing) and a resident's STOP, by
 * SMS from a number written another way or on the personal link without JavaScript, in the
 * resident's language. The sender is not part of this: its outbox rows are written here directly.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/invite-code.ts';
import { runContactPlan } from '../../src/server/jobs/contact-plan.ts';
import { openStore, type Store } from '../../src/server/store/index.ts';
import { startApp, type AppServer } from '../support/app-server.ts';
import { startFakeNotify, type FakeNotify, type FakeSms } from '../support/fake-notify.ts';
import { createStaff, dbRows, StaffClient } from '../support/staff.ts';

const TOKEN = 'notify-callback-token-for-tests-0123';
let app: AppServer;
let store: Store;
let notify: FakeNotify;
const rows = (query: string, ...params: (string | number | null)[]) => dbRows(app.databaseFile, query, ...params);
const RECEIPTS = '/api/v1/notify/ontvangstbevestigingen';
const INBOUND = '/api/v1/notify/inkomende-sms';

let numbers = 0;
/** A Dutch mobile number of its own for each case (06 2…), in E.164. */
function freshNumber(): string {
  numbers++;
  return `+316${String(20_000_000 + process.pid * 1000 + numbers).slice(-8)}`;
}

interface SmsCase {
  caseId: string;
  code: string;
  phone: string;
  /** the plan's first SMS: sent, with Notify's id and its DDAS attempt */
  sent: { outboxId: string; notifyId: string; attemptId: string; taskId: string };
  /** the reminder, queued and waiting for its moment */
  pendingOutboxId: string;
  reminderTaskId: string;
  /** an SMS step that waits for the NotifyNL key */
  waitingTaskId: string;
}

/**
 * A case as the plan and the sender leave it after its first SMS: a number, a personal link, the
 * first SMS sent (attempt recorded, step done), the reminder queued, one more SMS step waiting.
 * No signal yet, so the server's own plan run leaves it alone until a test gives it one.
 */
async function smsCase(options: { municipality?: string; phone?: string | null; language?: string | null } = {}): Promise<SmsCase> {
  const municipality = options.municipality ?? 'voorbeeld';
  const now = new Date().toISOString();
  const caseId = randomUUID();
  const phone = options.phone === undefined ? freshNumber() : options.phone;
  const code = generateInviteCode();
  const sent = { outboxId: randomUUID(), notifyId: randomUUID(), attemptId: randomUUID(), taskId: randomUUID() };
  const reminderTaskId = randomUUID();
  const waitingTaskId = randomUUID();
  const pendingOutboxId = randomUUID();
  const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const db = store.db;
  await db.insertInto('cases').values({ id: caseId, municipality, case_ref: `NOTIFY-${caseId.slice(0, 8)}`, created_at: now, updated_at: now, closed_at: null, end_result: null, sms_stopped_at: null, number_failed_at: null, sms_phone: phone, language: options.language ?? null }).execute();
  await db.insertInto('invites').values({ id: randomUUID(), code, municipality, topic: null, channel: 'sms', case_ref: null, case_id: caseId, batch_id: null, batch_row: null, check_word: 'APPEL', created_at: now, expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString() }).execute();
  await db.insertInto('case_attempts').values({ id: sent.attemptId, municipality, case_id: caseId, request_id: null, staff_id: null, kind: 'sms_whatsapp', reached: 0, result: null, note_code: null, on_date: now.slice(0, 10), day_part: 'morning', created_at: now }).execute();
  const task = (id: string, stepId: string, status: 'done' | 'open' | 'waiting', dueAt: string, extra: { attempt_id?: string; reason?: string } = {}) => ({
    id, municipality, case_id: caseId, step_id: stepId, action: 'sms' as const, due_at: dueAt, day_part: null, urgent: 0 as const, status, reason: extra.reason ?? null, attempt_id: extra.attempt_id ?? null, variant: 'invite', created_at: now, updated_at: now,
  });
  await db.insertInto('plan_tasks').values([task(sent.taskId, 'sms', 'done', now, { attempt_id: sent.attemptId }), task(reminderTaskId, 'reminder', 'open', inThreeDays), task(waitingTaskId, 'sms-extra', 'waiting', inThreeDays, { reason: 'noNotifyKey' })]).execute();
  const outbox = { municipality, case_id: caseId, language: 'nl', variant: 'invite', failure: null, attempts: 1, claimed_by: null, claimed_at: null, last_error: null, created_at: now, completed_at: null };
  await db.insertInto('sms_outbox').values([
    { ...outbox, id: sent.outboxId, task_id: sent.taskId, phone: null, body: null, status: 'sent', not_before: now, notify_id: sent.notifyId, attempt_id: sent.attemptId, sent_at: now },
    { ...outbox, id: pendingOutboxId, task_id: reminderTaskId, phone, body: 'Gemeente Voorbeeld: nog hulp nodig?', status: 'pending', attempts: 0, not_before: inThreeDays, notify_id: null, attempt_id: null, sent_at: null },
  ]).execute();
  return { caseId, code, phone: phone ?? '', sent, pendingOutboxId, reminderTaskId, waitingTaskId };
}

/** The SMS as the fake Notify knows it, for its `receipt`. */
const asSent = (c: SmsCase): FakeSms => ({ id: c.sent.notifyId, reference: c.sent.outboxId, phone: c.phone, templateId: randomUUID(), personalisation: {}, createdAt: new Date().toISOString() });

function post(path: string, body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }, base = app.url): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

const receipt = (c: SmsCase, status: string, extra: Record<string, unknown> = {}) => ({
  id: c.sent.notifyId, reference: c.sent.outboxId, to: c.phone, status, created_at: '2026-11-26T10:00:00.000000Z', completed_at: '2026-11-26T10:00:05.123456Z', sent_at: '2026-11-26T10:00:01.000000Z', notification_type: 'sms', ...extra,
});

const caseRow = (id: string) => rows('select sms_phone, sms_stopped_at, number_failed_at from cases where id = ?', id)[0];
const outboxRow = (id: string) => rows('select status, failure, phone, body, completed_at from sms_outbox where id = ?', id)[0];
const taskRows = (caseId: string) => rows("select id, step_id, status, reason from plan_tasks where case_id = ? and action = 'sms' order by step_id", caseId);

/** The JSON log lines of one action, once `ready` holds for them (the log is written in batches). */
async function logLines(action: string, ready: (lines: Record<string, unknown>[]) => boolean): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const lines = app.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.action === action);
    if (ready(lines) || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  app = await startApp({ NOTIFY_CALLBACK_TOKEN: TOKEN });
  store = await openStore({ sqliteFile: app.databaseFile });
  notify = await startFakeNotify();
});

afterAll(async () => {
  await store?.close();
  await notify?.close();
  await app?.stop();
});

describe('who may send receipts', () => {
  it('wants the callback token: none or another one is 401, and nothing changes', async () => {
    const c = await smsCase();
    const none = await post(RECEIPTS, receipt(c, 'permanent-failure'), {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="notify"');
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    // one character off (the same length) and a different length
    const offByOne = `${TOKEN.slice(0, -1)}4`;
    expect((await post(RECEIPTS, receipt(c, 'permanent-failure'), { Authorization: `Bearer ${offByOne}` })).status).toBe(401);
    expect((await post(RECEIPTS, receipt(c, 'permanent-failure'), { Authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post(INBOUND, { id: randomUUID(), source_number: c.phone.slice(1), destination_number: '', content: 'STOP', date_received: null }, { Authorization: 'Bearer nope' })).status).toBe(401);
    // the token is checked before the body: a broken body without it is still 401
    expect((await post(RECEIPTS, '{"id":', {})).status).toBe(401);
    expect(outboxRow(c.sent.outboxId)).toMatchObject({ status: 'sent', failure: null });
    expect(caseRow(c.caseId)).toEqual({ sms_phone: c.phone, sms_stopped_at: null, number_failed_at: null });
  });

  it('answers 404 when no callback token is set', async () => {
    const bare = await startApp();
    try {
      const res = await post(RECEIPTS, { id: randomUUID(), status: 'delivered' }, { Authorization: `Bearer ${TOKEN}` }, bare.url);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await post(INBOUND, { id: randomUUID(), source_number: '31612345678', content: 'STOP' }, { Authorization: `Bearer ${TOKEN}` }, bare.url)).status).toBe(404);
    } finally {
      await bare.stop();
    }
  });

  it('refuses what Notify does not send: broken JSON 400, a body without its fields 422', async () => {
    expect((await post(RECEIPTS, '{"id":')).status).toBe(400);
    const missing = await post(RECEIPTS, { id: 'not-an-id', reference: null });
    expect(missing.status).toBe(422);
    const problem = (await missing.json()) as { invalidParams: { name: string }[] };
    expect(problem.invalidParams.map((p) => p.name).sort()).toEqual(['id', 'status']);
    expect((await post(INBOUND, { id: randomUUID(), content: 'STOP' })).status).toBe(422);
  });
});

describe('delivery receipts', () => {
  it('delivered: the SMS is delivered, once; a later receipt for it changes nothing', async () => {
    const c = await smsCase();
    expect(await notify.receipt(asSent(c), 'delivered', `${app.url}${RECEIPTS}`, TOKEN)).toBe(204);
    const first = outboxRow(c.sent.outboxId);
    expect(first).toMatchObject({ status: 'delivered', failure: null });
    expect(String(first?.completed_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // the same again (Notify was not sure we got it), then a failure after all: the first stands
    expect(await notify.receipt(asSent(c), 'delivered', `${app.url}${RECEIPTS}`, TOKEN)).toBe(204);
    expect((await post(RECEIPTS, receipt(c, 'permanent-failure'))).status).toBe(204);
    expect(outboxRow(c.sent.outboxId)).toEqual(first);
    expect(caseRow(c.caseId)).toEqual({ sms_phone: c.phone, sms_stopped_at: null, number_failed_at: null });
    expect(rows('select result from case_attempts where id = ?', c.sent.attemptId)).toEqual([{ result: null }]);
    expect(outboxRow(c.pendingOutboxId)).toMatchObject({ status: 'pending' });
  });

  it('permanent-failure: the number failed and is forgotten, its SMS stop, the attempt is a wrong number, and the plan calls', async () => {
    const c = await smsCase();
    const res = await post(RECEIPTS, receipt(c, 'permanent-failure'));
    expect(res.status).toBe(204);
    expect(outboxRow(c.sent.outboxId)).toMatchObject({ status: 'failed', failure: 'permanent-failure', completed_at: '2026-11-26T10:00:05.123Z' });
    expect(rows('select result, reached from case_attempts where id = ?', c.sent.attemptId)).toEqual([{ result: 'wrong_number', reached: 0 }]);
    const after = caseRow(c.caseId);
    expect(after).toMatchObject({ sms_phone: null, sms_stopped_at: null });
    expect(after?.number_failed_at).toEqual(expect.any(String));
    // the reminder waiting for its moment goes, with its number and text
    expect(outboxRow(c.pendingOutboxId)).toMatchObject({ status: 'cancelled', failure: 'numberFailed', phone: null, body: null });
    expect(taskRows(c.caseId)).toEqual([
      { id: c.reminderTaskId, step_id: 'reminder', status: 'skipped', reason: 'numberFailed' },
      { id: c.sent.taskId, step_id: 'sms', status: 'done', reason: null },
      { id: c.waitingTaskId, step_id: 'sms-extra', status: 'skipped', reason: 'numberFailed' },
    ]);

    // the same receipt again, and a late "delivered": nothing more changes
    const snapshot = () => [caseRow(c.caseId), outboxRow(c.sent.outboxId), outboxRow(c.pendingOutboxId), taskRows(c.caseId), rows('select * from case_attempts where case_id = ?', c.caseId)];
    const before = snapshot();
    expect((await post(RECEIPTS, receipt(c, 'permanent-failure'))).status).toBe(204);
    expect(await notify.receipt(asSent(c), 'delivered', `${app.url}${RECEIPTS}`, TOKEN)).toBe(204);
    expect(snapshot()).toEqual(before);

    // the plan job reads the failed number: a call the same day
    const now = new Date().toISOString();
    await store.db.insertInto('signals').values({ id: randomUUID(), case_id: c.caseId, municipality: 'voorbeeld', signal_ref: `S-${c.caseId}`, partner: 'energy', amount: 120, arisen_on: null, signalled_on: null, crisis: 0, warm_handover: 0, status: null, created_at: now, updated_at: now, data_deleted_at: null }).execute();
    let ran = false;
    // the server runs the plan too; here it runs now (again if the server's run held the lock)
    for (let i = 0; i < 20 && !ran; i++) {
      ran = (await runContactPlan(store)).ran;
      if (!ran) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ran).toBe(true);
    expect(rows("select action, status from plan_tasks where case_id = ? and step_id = 'failed-number-call'", c.caseId)).toEqual([{ action: 'call', status: 'open' }]);
  });

  it('temporary-failure and technical-failure: the SMS failed, the number stays', async () => {
    for (const status of ['temporary-failure', 'technical-failure']) {
      const c = await smsCase();
      expect((await post(RECEIPTS, receipt(c, status))).status).toBe(204);
      expect(outboxRow(c.sent.outboxId)).toMatchObject({ status: 'failed', failure: status });
      expect(caseRow(c.caseId)).toEqual({ sms_phone: c.phone, sms_stopped_at: null, number_failed_at: null });
      expect(outboxRow(c.pendingOutboxId)).toMatchObject({ status: 'pending' });
      expect(rows('select result from case_attempts where id = ?', c.sent.attemptId)).toEqual([{ result: null }]);
    }
  });

  it('finds an SMS by its reference; one not recorded as sent yet is asked for again (409), one not ours is taken and logged', async () => {
    const c = await smsCase();
    // the sender took the reminder and was cut off before recording what Notify answered
    await store.db.updateTable('sms_outbox').set({ status: 'sending' }).where('id', '=', c.pendingOutboxId).execute();
    const early = await post(RECEIPTS, { ...receipt(c, 'delivered'), id: randomUUID(), reference: c.pendingOutboxId });
    expect(early.status).toBe(409);
    expect(outboxRow(c.pendingOutboxId)).toMatchObject({ status: 'sending' });

    const unknown = await post(RECEIPTS, { ...receipt(c, 'permanent-failure'), id: randomUUID(), reference: 'somebody-else' });
    expect(unknown.status).toBe(204);
    // Notify's id wins: a receipt under another id does not take this SMS by its reference
    expect((await post(RECEIPTS, { ...receipt(c, 'permanent-failure'), id: randomUUID() })).status).toBe(204);
    expect(outboxRow(c.sent.outboxId)).toMatchObject({ status: 'sent' });
    // not a final status: nothing to record
    expect((await post(RECEIPTS, receipt(c, 'sending'))).status).toBe(204);
    expect(outboxRow(c.sent.outboxId)).toMatchObject({ status: 'sent' });

    const lines = await logLines('notify.receipt', (l) => l.some((x) => x.result === 'notFinal'));
    expect(lines.map((l) => l.result)).toEqual(expect.arrayContaining(['unknown', 'notYet', 'notFinal']));
    expect(lines.find((l) => l.result === 'unknown')?.level).toBe('warn');
  });
});

describe('STOP by SMS', () => {
  const inbound = (source: string, content: string) => ({ id: randomUUID(), source_number: source, destination_number: '1234', content, date_received: '2026-11-26T10:00:00.000000Z' });

  it('stops the SMS of every open case with that number, however Notify writes it', async () => {
    const a = await smsCase();
    const b = await smsCase({ phone: a.phone });
    const other = await smsCase();
    // the same number, written as Notify does (no plus) and as dialled at home; the words as people type them
    expect((await post(INBOUND, inbound(a.phone.slice(1), '  Stop. '))).status).toBe(204);
    for (const c of [a, b]) {
      expect(caseRow(c.caseId)).toMatchObject({ sms_phone: null, number_failed_at: null });
      expect(caseRow(c.caseId)?.sms_stopped_at).toEqual(expect.any(String));
      expect(outboxRow(c.pendingOutboxId)).toMatchObject({ status: 'cancelled', failure: 'smsStopped', phone: null, body: null });
      expect(taskRows(c.caseId).map((t) => `${String(t.step_id)}: ${String(t.status)} ${String(t.reason)}`)).toEqual(['reminder: skipped smsStopped', 'sms: done null', 'sms-extra: skipped smsStopped']);
    }
    expect(caseRow(other.caseId)).toEqual({ sms_phone: other.phone, sms_stopped_at: null, number_failed_at: null });

    const c = await smsCase();
    expect((await post(INBOUND, inbound(`0${c.phone.slice(3)}`, 'STOPPEN'))).status).toBe(204);
    expect(caseRow(c.caseId)?.sms_stopped_at).toEqual(expect.any(String));
    const d = await smsCase();
    expect((await post(INBOUND, inbound(d.phone, 'Stop sms'))).status).toBe(204);
    expect(caseRow(d.caseId)?.sms_stopped_at).toEqual(expect.any(String));

    // a number from abroad, which Notify also sends without its plus
    const abroad = await smsCase({ phone: '+32470123456' });
    expect((await post(INBOUND, inbound('32470123456', 'stop'))).status).toBe(204);
    expect(caseRow(abroad.caseId)?.sms_stopped_at).toEqual(expect.any(String));

    // a STOP again changes nothing more
    const stoppedAt = caseRow(d.caseId)?.sms_stopped_at;
    expect((await post(INBOUND, inbound(d.phone, 'afmelden'))).status).toBe(204);
    expect(caseRow(d.caseId)?.sms_stopped_at).toBe(stoppedAt);

    // staff see it on the case
    const staff = await createStaff(app.databaseFile, { role: 'caseworker', municipalities: ['voorbeeld'] });
    const client = new StaffClient(app.url);
    await client.login(staff);
    const page = await (await client.fetch(`/staff/zaken/${a.caseId}`)).text();
    expect(page).toContain('De inwoner wil geen sms meer');
    expect(page).toContain('de inwoner wil geen sms');
  });

  it('leaves everything as it was for any other text, and logs neither number nor text', async () => {
    const c = await smsCase();
    const texts = ['Bedankt, ik bel morgen', 'stop met bellen', 'STOP STOP', 'Wie is dit?'];
    for (const text of texts) expect((await post(INBOUND, inbound(c.phone.slice(1), text))).status).toBe(204);
    expect(caseRow(c.caseId)).toEqual({ sms_phone: c.phone, sms_stopped_at: null, number_failed_at: null });
    expect(outboxRow(c.pendingOutboxId)).toMatchObject({ status: 'pending' });
    const lines = await logLines('notify.inbound', (l) => l.filter((x) => x.result === 'notStop').length >= texts.length);
    expect(lines.filter((l) => l.result === 'notStop').length).toBeGreaterThanOrEqual(texts.length);
    const log = app.stdout();
    expect(log).not.toContain(c.phone.slice(3));
    for (const text of texts) expect(log).not.toContain(text);
  });
});

describe('STOP on the personal link, without JavaScript', () => {
  const page = (c: SmsCase, query = '?sms=stoppen', language = 'nl') => fetch(`${app.url}/s/${c.code}${query}`, { headers: { 'Accept-Language': language }, redirect: 'manual' });
  /** The form post a browser sends from the page itself (same origin). */
  const press = (c: SmsCase, action: string, site = 'same-origin') =>
    fetch(new URL(action, `${app.url}/s/${c.code}`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: site === 'same-origin' ? app.url : 'https://elders.example', 'Sec-Fetch-Site': site },
      body: 'sms=stoppen',
      redirect: 'manual',
    });

  it('asks with one button, stops the SMS, and then says so (Dutch)', async () => {
    const c = await smsCase();
    const ask = await page(c);
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(html).toContain('<html lang="nl" dir="ltr">');
    expect(html).toContain('Geen sms meer ontvangen?');
    expect(html).toContain('Stuur mij geen sms meer');
    expect(html).not.toContain('<script');
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(action).toBe('?sms=stoppen&taal=nl');
    // every sentence can be heard
    expect(html.match(/<audio controls/g)?.length).toBeGreaterThanOrEqual(5);
    // the link has not been "opened" by this (the reminder is for a link never opened)
    expect(rows('select opened_count from invites where case_id = ?', c.caseId)).toEqual([{ opened_count: 0 }]);

    const done = await press(c, action);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('?sms=stoppen&taal=nl');
    expect(caseRow(c.caseId)).toMatchObject({ sms_phone: null, number_failed_at: null });
    expect(caseRow(c.caseId)?.sms_stopped_at).toEqual(expect.any(String));
    expect(outboxRow(c.pendingOutboxId)).toMatchObject({ status: 'cancelled', failure: 'smsStopped' });
    expect(taskRows(c.caseId).filter((t) => t.status === 'skipped').map((t) => t.reason)).toEqual(['smsStopped', 'smsStopped']);

    const confirmed = await (await fetch(new URL(done.headers.get('location') ?? '', `${app.url}/s/${c.code}`))).text();
    expect(confirmed).toContain('Je krijgt geen sms meer van ons');
    expect(confirmed).toContain('Deze link blijft gewoon werken');
    expect(confirmed).not.toContain('<form');
    // on to the conversation through the same link, or call
    expect(confirmed).toContain(`href="${c.code}"`);
    expect(confirmed).toContain('href="tel:');
    // pressing again (a reload of the post) changes nothing more
    const stoppedAt = caseRow(c.caseId)?.sms_stopped_at;
    expect((await press(c, action)).status).toBe(303);
    expect(caseRow(c.caseId)?.sms_stopped_at).toBe(stoppedAt);
  });

  it('is offered in the footer of the conversation the personal link opens, until the resident said STOP', async () => {
    const c = await smsCase();
    const opened = await fetch(`${app.url}/s/${c.code}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const conversation = async () => (await fetch(new URL(opened.headers.get('location') ?? '', app.url), { headers: { Cookie: cookie, 'Accept-Language': 'nl' } })).text();
    const before = await conversation();
    expect(before).toContain(`<a href="/s/${c.code}?sms=stoppen&amp;taal=nl">Stuur mij geen sms meer</a>`);
    // without the link's cookie (someone else on the portal) there is no such link
    expect(await (await fetch(new URL(opened.headers.get('location') ?? '', app.url))).text()).not.toContain('sms=stoppen');
    expect((await press(c, '?sms=stoppen&taal=nl')).status).toBe(303);
    expect(await conversation()).not.toContain('sms=stoppen');
  });

  it('speaks the language asked for, else the case’s, and says "u" where the municipality does', async () => {
    const c = await smsCase({ language: 'ar' });
    const ask = await (await page(c)).text();
    expect(ask).toContain('<html lang="ar" dir="rtl">');
    expect(ask).toContain('لا أريد رسائل نصية بعد الآن');
    const done = await press(c, '?sms=stoppen&taal=ar');
    expect(done.headers.get('location')).toBe('?sms=stoppen&taal=ar');
    const confirmed = await (await page(c, '?sms=stoppen&taal=ar')).text();
    expect(confirmed).toContain('لن نرسل رسائل نصية بعد الآن');
    expect(confirmed).toContain('<html lang="ar" dir="rtl">');

    const formal = await smsCase({ municipality: 'zeedorp' });
    expect(await (await page(formal, '?sms=stoppen&taal=nl')).text()).toContain('Wilt u geen sms meer van ons krijgen?');
    await press(formal, '?sms=stoppen&taal=nl');
    expect(await (await page(formal, '?sms=stoppen&taal=nl')).text()).toContain('U krijgt geen sms meer van ons');
    expect(await (await page(formal, '?sms=stoppen&taal=en')).text()).toContain('You won&#39;t get any more text messages from us');
  });

  it('is not offered where no SMS come, answers a wrong code as the link does, and refuses another site', async () => {
    // a resident who only got letters: the address is the link, into the conversation
    const letter = await smsCase({ phone: null });
    await store.db.deleteFrom('sms_outbox').where('case_id', '=', letter.caseId).execute();
    const res = await page(letter);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/voorbeeld/');
    // a code that does not work: the same page as without ?sms=stoppen
    const wrong = await fetch(`${app.url}/s/${generateInviteCode()}?sms=stoppen`, { headers: { 'Accept-Language': 'nl' } });
    expect(wrong.status).toBe(200);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('Deze link werkt niet');
    expect(wrongHtml).not.toContain('Stuur mij geen sms meer');

    const c = await smsCase();
    const cross = await press(c, '?sms=stoppen&taal=nl', 'cross-site');
    expect(cross.status).toBe(403);
    expect(caseRow(c.caseId)).toEqual({ sms_phone: c.phone, sms_stopped_at: null, number_failed_at: null });
  });
});
