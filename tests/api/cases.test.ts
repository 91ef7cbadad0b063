// SPDX-License-Identifier: EUPL-1.2
/**
 * DDAS cases end to end against the built server and a real SQLite file: the portal records its
 * own contact attempts (a link sent; a call-back through the link, by the municipality's rule),
 * staff record attempts on a case with date and part of the day and close it with one of the 15
 * end results (its request closes with it), each audited.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, dbRows, dbRun, residentRequest, StaffClient, type TestStaff } from '../support/staff.ts';
import { runContactPlan } from '../../src/server/jobs/contact-plan.ts';
import { openStore } from '../../src/server/store/index.ts';

const root = new URL('../../', import.meta.url).pathname;
let app: AppServer;
let admin: TestStaff;
let client: StaffClient;
const keys: Record<string, string> = {};
const rows = (query: string, ...params: (string | number | null)[]) => dbRows(app.databaseFile, query, ...params);

function makeKey(municipality: string): string {
  return execFileSync(process.execPath, ['src/cli/api-key.ts', '--municipality', municipality, '--name', 'zaaksysteem'], {
    cwd: root,
    env: { ...process.env, DATABASE_FILE: app.databaseFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A household's case with one signal, made through the invitation API; its invitation and case ids. */
async function householdCase(municipality: string, channel = 'sms'): Promise<{ inviteId: string; caseId: string; caseRef: string }> {
  const caseRef = `HH-${randomUUID().slice(0, 8)}`;
  const res = await fetch(`${app.url}/api/v1/uitnodigingen`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${keys[municipality]}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ caseRef, channel, vroegsignalen: [{ ID: `${caseRef}-1`, signaalpartner: { type: 'Water' }, bedrag: 180, crisissignaal: true }] }),
  });
  expect(res.status).toBe(201);
  const invite = (await res.json()) as { id: string };
  const caseId = String(rows('select id from cases where case_ref = ?', caseRef)[0]?.id);
  return { inviteId: invite.id, caseId, caseRef };
}

beforeAll(async () => {
  app = await startApp();
  keys.voorbeeld = makeKey('voorbeeld');
  keys.zeedorp = makeKey('zeedorp');
  admin = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld', 'zeedorp'], name: 'Anne Admin' });
  client = new StaffClient(app.url);
  await client.login(admin);
});

afterAll(async () => {
  await app?.stop();
});

describe("the portal's own contact attempts", () => {
  it('records a link sent by SMS, and a call-back through it as reached contact by SMS/Whatsapp where the municipality counts it', async () => {
    const mine = await householdCase('voorbeeld');
    expect(rows('select kind, reached, staff_id, request_id from case_attempts where case_id = ?', mine.caseId)).toEqual([{ kind: 'sms_whatsapp', reached: 0, staff_id: null, request_id: null }]);
    const request = await residentRequest(app.url, { municipality: 'voorbeeld', inviteId: mine.inviteId, channel: 'sms' });
    expect(rows('select case_id from callback_requests where id = ?', request.id)).toEqual([{ case_id: mine.caseId }]);
    expect(rows('select kind, reached, staff_id, request_id from case_attempts where case_id = ? order by reached', mine.caseId)).toEqual([
      { kind: 'sms_whatsapp', reached: 0, staff_id: null, request_id: null },
      { kind: 'sms_whatsapp', reached: 1, staff_id: null, request_id: request.id },
    ]);

    // Zeedorp's file turns the rule off: its link is recorded as sent, the call-back is not counted as reached.
    const theirs = await householdCase('zeedorp', 'letter-qr');
    await residentRequest(app.url, { municipality: 'zeedorp', inviteId: theirs.inviteId, channel: 'letter-qr' });
    expect(rows('select kind, reached from case_attempts where case_id = ?', theirs.caseId)).toEqual([{ kind: 'letter', reached: 0 }]);
    const page = await (await client.fetch(`/staff/zaken/${theirs.caseId}`)).text();
    expect(page).toContain('Deze gemeente telt alleen contactpogingen van medewerkers als bereikt');
    expect(await (await client.fetch(`/staff/zaken/${mine.caseId}`)).text()).toContain('Deze gemeente telt een afgerond gesprek met terugbelverzoek');
  });
});

describe('a case, through the staff pages', () => {
  it('lists the case, shows its signal and attempts, takes an attempt with date and part of the day, and closes with an end result', async () => {
    const c = await householdCase('voorbeeld');
    const request = await residentRequest(app.url, { municipality: 'voorbeeld', inviteId: c.inviteId, channel: 'sms' });

    const list = await (await client.fetch('/staff/zaken')).text();
    expect(list).toContain(`href="/staff/zaken/${c.caseId}"`);
    expect(list).toContain('Water');

    const path = `/staff/zaken/${c.caseId}`;
    const page = await (await client.fetch(path)).text();
    expect(page).toContain(`${c.caseRef}-1`);
    expect(page).toContain('Het portaal');
    expect(page).toContain('SMS/Whatsapp');
    // the close form has the 15 end results with their official labels and an explanation each
    expect(page.match(/name="outcome" value="/g)).toHaveLength(15);
    expect(page).toContain('Definitief geen contact kunnen krijgen');
    expect(page.match(/<p class="hint" id="help-/g)).toHaveLength(15);
    // the attempt form starts at today and the part of the day of now
    expect(page).toMatch(/name="date" type="date" value="\d{4}-\d{2}-\d{2}"/);

    const attempt = await client.postForm(path, { action: 'attempt', kind: 'home_visit', result: 'not_reached', date: '2026-11-28', dayPart: 'evening' });
    expect(attempt.status).toBe(303);
    expect(attempt.headers.get('location')).toBe(`${path}?gedaan=attempt#bericht`);
    expect(rows("select kind, reached, on_date, day_part, request_id from case_attempts where case_id = ? and staff_id is not null", c.caseId)).toEqual([
      { kind: 'home_visit', reached: 0, on_date: '2026-11-28', day_part: 'evening', request_id: null },
    ]);
    const future = await client.postForm(path, { action: 'attempt', kind: 'phone', result: 'reached', date: '2999-01-01', dayPart: 'morning' });
    expect(future.headers.get('location')).toBe(`${path}?fout=invalidDate`);
    expect(await (await client.fetch(`${path}?fout=invalidDate`)).text()).toContain('Kies een datum van vandaag of eerder');

    const close = await client.postForm(path, { action: 'close', outcome: 'follow_up_non_financial' });
    expect(close.headers.get('location')).toBe(`${path}?gedaan=closed#bericht`);
    expect(rows('select status, end_result from cases where id = ?', c.caseId)).toEqual([{ status: 'closed', end_result: 'follow_up_non_financial' }]);
    // its call-back request closes with it
    expect(rows('select status, outcome from callback_requests where id = ?', request.id)).toEqual([{ status: 'closed', outcome: 'follow_up_non_financial' }]);
    const again = await client.postForm(path, { action: 'close', outcome: 'advice_quick_fix' });
    expect(again.headers.get('location')).toBe(`${path}?fout=closed`);
    expect((await client.postForm(path, { action: 'close', outcome: 'quick_fix' })).headers.get('location')).toBe(`${path}?fout=invalid`);

    expect(rows("select action, result from audit_log where object_type = 'case' and object_id = ? order by at, action", c.caseId).map((r) => `${String(r.action)}: ${String(r.result)}`)).toEqual(
      expect.arrayContaining(['attempt: ok (home_visit: not_reached, 2026-11-28 evening)', 'close: ok (follow_up_non_financial)', 'close: refused (already closed)', 'view: ok']),
    );
  });

  it('closes a request of a case with an end result, and the case with it', async () => {
    const c = await householdCase('voorbeeld');
    const request = await residentRequest(app.url, { municipality: 'voorbeeld', inviteId: c.inviteId, channel: 'sms' });
    const res = await client.postForm(`/staff/verzoeken/${request.id}`, { action: 'close', outcome: 'no_help_needed' });
    expect(res.status).toBe(303);
    expect(rows('select status, end_result from cases where id = ?', c.caseId)).toEqual([{ status: 'closed', end_result: 'no_help_needed' }]);
    // the request page links to its case and shows the case's attempts, the portal's too
    const page = await (await client.fetch(`/staff/verzoeken/${request.id}`)).text();
    expect(page).toContain(`href="/staff/zaken/${c.caseId}"`);
    expect(page).toContain('Het portaal');
  });
});

describe('Vandaag: the contact plan’s calls and visits', () => {
  it('lists a crisis signal’s call today, urgent first, and one tap records the attempt and ends the plan', async () => {
    const c = await householdCase('voorbeeld'); // a crisis signal (householdCase sends crisissignaal: true)
    // a month of open cases whose batch gave a mobile number: their SMS steps are the portal's to send
    dbRun(app.databaseFile, "update cases set sms_phone = '+31612345678' where municipality = 'voorbeeld' and status = 'open'");
    const store = await openStore({ sqliteFile: app.databaseFile });
    try {
      // the server runs the plan every few minutes; here it runs now (again if the server's run held the lock)
      for (let i = 0; i < 20 && !(await runContactPlan(store)).ran; i++) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await store.close();
    }
    const page = await (await client.fetch('/staff/vandaag')).text();
    expect(page).toContain(`href="/staff/zaken/${c.caseId}"`);
    // crisis first (the demo month may have an overdue crisis call of its own), with the part of the day to try
    const items = [...page.matchAll(/<li class="task action" data-task="([^"]+)">[\s\S]*?<\/li>/g)];
    const urgent = items.map((m) => m[0].includes('<span class="urgent">'));
    expect(urgent.indexOf(false) === -1 || urgent.lastIndexOf(true) < urgent.indexOf(false)).toBe(true);
    const first = items.find((m) => m[0].includes(c.caseRef));
    expect(first?.[0]).toContain(c.caseRef);
    expect(first?.[0]).toContain('Crisis');
    expect(first?.[0]).toContain('Probeer: Avond');
    // the demo month's SMS steps wait, and the page says why
    expect(page).toContain('er is geen NotifyNL-sleutel ingesteld');
    const task = first?.[1] ?? '';

    // another municipality's staff member cannot record it
    const other = await createStaff(app.databaseFile, { role: 'caseworker', municipalities: ['zeedorp'], name: 'Zee Werker' });
    const otherClient = new StaffClient(app.url);
    await otherClient.login(other);
    const refused = await otherClient.postForm('/staff/vandaag', { task, result: 'reached' });
    expect(refused.headers.get('location')).toBe('/staff/vandaag?fout=1');

    const done = await client.postForm('/staff/vandaag', { task, result: 'reached' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff/vandaag?gedaan=1#bericht');
    expect(rows("select kind, reached, staff_id from case_attempts where case_id = ? and staff_id is not null", c.caseId)).toEqual([{ kind: 'phone', reached: 1, staff_id: admin.id }]);
    expect(rows('select status from plan_tasks where id = ?', task)).toEqual([{ status: 'done' }]);
    expect(rows("select result from audit_log where object_type = 'case' and object_id = ? and action = 'attempt'", c.caseId)).toEqual([{ result: 'ok (plan task: reached)' }]);
    expect(await (await client.fetch('/staff/vandaag')).text()).not.toContain(`data-task="${task}"`);
  });
});

describe('the print round of the contact plan', () => {
  it('turns the letters due into one QR sheet, with each case’s own link, as Brief attempts, and the tasks done', async () => {
    const c = await householdCase('voorbeeld', 'sms');
    // the signal came eight days ago: the day-7 letter is due
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    dbRun(app.databaseFile, 'update cases set created_at = ? where id = ?', eightDaysAgo, c.caseId);
    dbRun(app.databaseFile, 'update signals set crisis = 0 where case_id = ?', c.caseId);
    dbRun(app.databaseFile, "update cases set sms_phone = '+31612345678' where id = ?", c.caseId);
    const store = await openStore({ sqliteFile: app.databaseFile });
    try {
      for (let i = 0; i < 20 && !(await runContactPlan(store)).ran; i++) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await store.close();
    }
    expect(rows("select status from plan_tasks where case_id = ? and action = 'letter'", c.caseId)).toEqual([{ status: 'open' }]);
    const page = await (await client.fetch('/staff/vandaag')).text();
    expect(page).toMatch(/Printronde maken: \d+ brieven? voor Gemeente Voorbeeld/);
    const link = String(rows('select code from invites where id = ?', c.inviteId)[0]?.code);

    const res = await client.postForm('/staff/vandaag', { printronde: 'voorbeeld' });
    expect(res.status).toBe(303);
    const sheetPath = res.headers.get('location') ?? '';
    expect(sheetPath).toMatch(/^\/staff\/uitnodigingen\/[0-9a-f-]{36}\/qr\?gemeente=voorbeeld$/);
    const sheetAnswer = await client.fetch(sheetPath);
    // the strictest policy: the sheet runs, loads, sends and embeds nothing
    const sheetPolicy = sheetAnswer.headers.get('content-security-policy') ?? '';
    for (const d of ["default-src 'none'", "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'"]) expect(sheetPolicy).toContain(d);
    expect(sheetPolicy).not.toContain('script-src');
    expect(sheetAnswer.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const sheet = await sheetAnswer.text();
    expect(sheet).toContain(c.caseRef);
    // the case keeps its one link: the letter carries the same code as the SMS did
    expect(sheet).toContain(`${link.slice(0, 4)}-${link.slice(4, 8)}-${link.slice(8)}`);
    expect(rows("select status from plan_tasks where case_id = ? and action = 'letter'", c.caseId)).toEqual([{ status: 'done' }]);
    // the case shows its plan: the SMS steps wait (no NotifyNL key), the letter is done
    dbRun(app.databaseFile, 'update cases set number_failed_at = ? where id = ?', new Date().toISOString(), c.caseId);
    const casePage = await (await client.fetch(`/staff/zaken/${c.caseId}`)).text();
    expect(casePage).toMatch(/<tr data-step="sms"><td>Sms[\s\S]*?Wacht — geen NotifyNL-sleutel ingesteld/);
    expect(casePage).toMatch(/<tr data-step="letter"><td>Brief met QR-code[\s\S]*?Gedaan/);
    expect(casePage).toContain('Het nummer werkte niet');
    expect(rows('select kind from case_attempts where case_id = ? order by created_at', c.caseId).map((r) => r.kind)).toEqual(['sms_whatsapp', 'letter']);
    // nothing left to print for voorbeeld; another municipality's print round is refused
    expect(await (await client.fetch('/staff/vandaag')).text()).not.toContain('Printronde maken: ');
    expect((await client.postForm('/staff/vandaag', { printronde: 'atlantis' })).headers.get('location')).toBe('/staff/vandaag?fout=1');
  });
});
