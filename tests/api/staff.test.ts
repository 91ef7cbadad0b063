// SPDX-License-Identifier: EUPL-1.2
/**
 * The staff side against the built server and a real SQLite file: login with a TOTP code
 * computed here, enrolment, lockout, idle timeout, CSRF, the queue and its actions through the
 * pages and the JSON API, audit rows, no-store on every answer, retention, logout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, dbRows, dbRun, fillRoute, freshCode, residentRequest, StaffClient, staffRoutes, type TestStaff } from '../support/staff.ts';

const root = new URL('../../', import.meta.url).pathname;
let app: AppServer;
let admin: TestStaff;
let caseworker: TestStaff;
let adminClient: StaffClient;

const rows = (query: string, ...params: (string | number | null)[]) => dbRows(app.databaseFile, query, ...params);
const run = (query: string, ...params: (string | number | null)[]) => dbRun(app.databaseFile, query, ...params);

/** The page's text without its markup and the CSRF token, to compare two answers. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(/value="[^"]*"/g, '');
}

beforeAll(async () => {
  app = await startApp();
  admin = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld'], name: 'Anne Admin' });
  caseworker = await createStaff(app.databaseFile, { role: 'caseworker', municipalities: ['voorbeeld'], name: 'Casper Werker' });
  adminClient = new StaffClient(app.url);
  await adminClient.login(admin);
});

afterAll(async () => {
  await app?.stop();
  if (process.env.SHOW_SERVER_OUTPUT) console.log(app?.output());
});

describe('logging in', () => {
  it('takes the password, then a TOTP code, and only then shows the queue', async () => {
    const client = new StaffClient(app.url);
    const first = await client.password(caseworker.email, caseworker.password);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/staff/login/tweede-stap');
    const cookies = first.headers.getSetCookie().filter((c) => c.startsWith('hg_staff='));
    expect(cookies.map((c) => /Path=([^;]+)/.exec(c)?.[1]).sort()).toEqual(['/api/v1/ddas', '/api/v1/staff', '/staff']);
    for (const c of cookies) {
      expect(c).toMatch(/HttpOnly/);
      expect(c).toMatch(/SameSite=Strict/);
      expect(c).not.toMatch(/Secure/); // plain http here; see the session unit test for https
    }

    // Half logged in: no personal data anywhere.
    const queue = await client.fetch('/staff');
    expect(queue.status).toBe(303);
    expect(queue.headers.get('location')).toBe('/staff/login/tweede-stap');
    expect((await client.fetch('/api/v1/staff/verzoeken')).status).toBe(401);

    const code = await freshCode(caseworker);
    const second = await client.postForm('/staff/login/tweede-stap', { code });
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe('/staff');
    // A new token after the second factor: the one seen before it is worth nothing.
    const firstToken = /hg_staff=([^;]+)/.exec(cookies[0] ?? '')?.[1];
    expect(client.cookie('hg_staff')).toBeDefined();
    expect(client.cookie('hg_staff')).not.toBe(firstToken);
    const page = await client.fetch('/staff');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Wachtrij</h1>');

    // The same code a second time (another browser, same 30 seconds) is refused.
    const again = new StaffClient(app.url, 'another browser');
    await again.password(caseworker.email, caseworker.password);
    const replay = await again.postForm('/staff/login/tweede-stap', { code });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('Deze code klopt niet of is al gebruikt');
    expect(rows('select last_login_at from staff_users where id = ?', caseworker.id)[0]?.last_login_at).toEqual(expect.any(String));
  });

  it('refuses a wrong code', async () => {
    const user = await createStaff(app.databaseFile);
    const client = new StaffClient(app.url);
    await client.password(user.email, user.password);
    // Every digit of a good code shifted by one: certainly not the code of this step.
    const good = await freshCode({ ...user });
    const wrong = [...good].map((d) => String((Number(d) + 1) % 10)).join('');
    const res = await client.postForm('/staff/login/tweede-stap', { code: wrong });
    expect(res.status).toBe(401);
    expect((await client.fetch('/staff')).status).toBe(303);
  });

  it('stores passwords as argon2id, and the CLI makes accounts that must enrol a second factor first', async () => {
    expect(String(rows('select password_hash from staff_users where id = ?', admin.id)[0]?.password_hash)).toMatch(/^\$argon2id\$/);
    const email = `nieuw-${Date.now()}@voorbeeld.example`;
    const password = execFileSync(
      process.execPath,
      ['src/cli/staff-create.ts', '--email', email.toUpperCase(), '--name', 'Nieuwe Beheerder', '--municipality', 'voorbeeld', '--role', 'admin'],
      { cwd: root, env: { ...process.env, DATABASE_FILE: app.databaseFile, STAFF_PASSWORD: '' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const [row] = rows('select email, role, totp_enabled, totp_secret from staff_users where email = ?', email);
    expect(row).toEqual({ email, role: 'admin', totp_enabled: 0, totp_secret: null });

    const client = new StaffClient(app.url);
    const first = await client.password(email, password);
    expect(first.headers.get('location')).toBe('/staff/login/instellen');
    // No personal data before the second factor is set up.
    expect((await client.fetch('/staff')).headers.get('location')).toBe('/staff/login/instellen');
    const page = await client.fetch('/staff/login/instellen');
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/<svg[^>]*viewBox/);
    const secret = /data-totp-secret[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, '') ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // A reload shows the same secret (the app may have scanned it already).
    expect((await (await client.fetch('/staff/login/instellen')).text()).replace(/\s/g, '')).toContain(secret);

    const user = { secret } as { secret: string; lastStep?: number };
    const done = await client.postForm('/staff/login/instellen', { code: await freshCode(user) });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff');
    expect(rows('select totp_enabled from staff_users where email = ?', email)[0]?.totp_enabled).toBe(1);
    expect((await client.fetch('/staff')).status).toBe(200);
  });

  it('refuses through the CLI a password under 12 characters and an unknown municipality', () => {
    const base = ['src/cli/staff-create.ts', '--email', `kort-${Date.now()}@x.nl`, '--name', 'K', '--role', 'caseworker'];
    const env = { ...process.env, DATABASE_FILE: app.databaseFile };
    const short = spawnSync(process.execPath, [...base, '--municipality', 'voorbeeld'], { cwd: root, env: { ...env, STAFF_PASSWORD: 'elf-tekens!' }, encoding: 'utf8' });
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const ghost = spawnSync(process.execPath, [...base, '--municipality', 'nergenshuizen'], { cwd: root, env: { ...env, STAFF_PASSWORD: 'lang-genoeg-wachtwoord' }, encoding: 'utf8' });
    expect(ghost.status).toBe(1);
    expect(ghost.stderr).toMatch(/No municipality "nergenshuizen"/);
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    const known = await new StaffClient(app.url).password(caseworker.email, 'wrong password here');
    const unknown = await new StaffClient(app.url).password('nobody@voorbeeld.example', 'wrong password here');
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = visibleText(await known.text());
    const b = visibleText(await unknown.text());
    expect(a).toBe(b);
    expect(a).toContain('Inloggen lukt niet');
  });

  it('lets the demo account in without a second factor, and says so', async () => {
    const match = /demo login: (\S+) \/ (\S+)/.exec(app.output());
    expect(match, 'the start output prints the demo login').not.toBeNull();
    const [, email = '', password = ''] = match ?? [];
    const client = new StaffClient(app.url);
    const login = await client.fetch('/staff/login');
    expect(await login.text()).toContain('Demo: second factor is off for this account');
    const res = await client.password(email, password);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff');
    const queue = await (await client.fetch('/staff')).text();
    expect(queue).toContain('Demo: de tweede stap (verificatiecode) staat uit voor dit account');
    expect(queue).toContain('Gemeente Voorbeeld, Gemeente Zeedorp');
  });
});

describe('lockout', () => {
  it('locks an account for 15 minutes after 5 wrong passwords in a row, answering slower each time', async () => {
    const user = await createStaff(app.databaseFile);
    const client = new StaffClient(app.url);
    const took: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await client.password(user.email, `wrong password ${i}`);
      took.push(Date.now() - started);
      expect(res.status).toBe(401);
    }
    expect(took[4]).toBeGreaterThan(took[0] ?? 0);
    expect(took[4]).toBeGreaterThanOrEqual(1500);
    const [row] = rows('select locked_until, failed_logins from staff_users where id = ?', user.id);
    const lockedFor = Date.parse(String(row?.locked_until)) - Date.now();
    expect(lockedFor).toBeGreaterThan(14 * 60_000);
    expect(lockedFor).toBeLessThanOrEqual(15 * 60_000);

    // Now even the right password gets the same answer as any failure.
    const locked = await client.password(user.email, user.password);
    expect(locked.status).toBe(401);
    expect(await locked.text()).toContain('Inloggen lukt niet');

    // After the 15 minutes (moved into the past here) it works again.
    run('update staff_users set locked_until = ? where id = ?', new Date(Date.now() - 1000).toISOString(), user.id);
    const ok = await client.password(user.email, user.password);
    expect(ok.status).toBe(303);
    expect(rows('select action, result from audit_log where actor = ? and action = ? order by at', user.id, 'login').map((r) => r.result)).toEqual([
      'failed (password)',
      'failed (password)',
      'failed (password)',
      'failed (password)',
      'locked (password)',
    ]);
  }, 60_000);
});

describe('sessions', () => {
  it('end after STAFF_IDLE_MINUTES without a request (30 by default)', async () => {
    const user = await createStaff(app.databaseFile);
    const client = new StaffClient(app.url);
    await client.login(user);
    expect((await client.fetch('/staff')).status).toBe(200);
    // 29 minutes idle is fine, and the request starts the idle time again.
    run("update staff_sessions set last_seen_at = ? where staff_id = ? and second_factor_ok = 1", new Date(Date.now() - 29 * 60_000).toISOString(), user.id);
    expect((await client.fetch('/api/v1/staff/verzoeken')).status).toBe(200);
    const seen = Date.parse(String(rows('select last_seen_at from staff_sessions where staff_id = ? and second_factor_ok = 1', user.id)[0]?.last_seen_at));
    expect(Date.now() - seen).toBeLessThan(60_000);
    // 31 minutes idle: gone, in the database too.
    run("update staff_sessions set last_seen_at = ? where staff_id = ? and second_factor_ok = 1", new Date(Date.now() - 31 * 60_000).toISOString(), user.id);
    const res = await client.fetch('/staff');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/login?verlopen=sessie');
    expect(rows('select count(*) as n from staff_sessions where staff_id = ? and second_factor_ok = 1', user.id)[0]?.n).toBe(0);
    expect(await (await client.fetch('/staff/login?verlopen=sessie')).text()).toContain('niet actief');
    expect((await client.fetch('/api/v1/staff/verzoeken')).status).toBe(401);
  });

  it('end after 12 hours whatever happens', async () => {
    const user = await createStaff(app.databaseFile);
    const client = new StaffClient(app.url);
    await client.login(user);
    const [session] = rows('select created_at, expires_at from staff_sessions where staff_id = ? and second_factor_ok = 1', user.id);
    expect(Date.parse(String(session?.expires_at)) - Date.parse(String(session?.created_at))).toBe(12 * 3_600_000);
    run('update staff_sessions set expires_at = ? where staff_id = ?', new Date(Date.now() - 1000).toISOString(), user.id);
    expect((await client.fetch('/staff')).status).toBe(303);
  });

  it('are bound to the browser that logged in', async () => {
    const user = await createStaff(app.databaseFile);
    const client = new StaffClient(app.url, 'browser A');
    await client.login(user);
    const stolen = client.cookie('hg_staff');
    const res = await fetch(`${app.url}/staff`, { headers: { Cookie: `hg_staff=${stolen}`, 'User-Agent': 'browser B' }, redirect: 'manual' });
    expect(res.status).toBe(303);
  });

  it('end at logout, on the pages and in the API', async () => {
    const user = await createStaff(app.databaseFile);
    const client = new StaffClient(app.url);
    await client.login(user);
    const token = client.cookie('hg_staff');
    const out = await client.postForm('/staff/uitloggen', {}, (await client.formToken('/staff')).token);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/staff/login?uitgelogd=1');
    expect(out.headers.getSetCookie().filter((c) => c.startsWith('hg_staff=;')).length).toBe(3); // pages, staff API, DDAS delivery
    expect(rows('select count(*) as n from staff_sessions where staff_id = ?', user.id)[0]?.n).toBe(0);
    const reuse = await fetch(`${app.url}/staff`, { headers: { Cookie: `hg_staff=${token}`, 'User-Agent': client.userAgent }, redirect: 'manual' });
    expect(reuse.status).toBe(303);

    const api = new StaffClient(app.url);
    await api.login(user);
    const csrf = await api.apiToken();
    expect((await api.fetch('/api/v1/staff/sessie', { method: 'DELETE' })).status).toBe(403);
    expect((await api.fetch('/api/v1/staff/sessie', { method: 'DELETE', headers: { 'X-CSRF-Token': csrf } })).status).toBe(204);
    expect((await api.fetch('/api/v1/staff/ik')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a form post without the token, or with another, and changes nothing', async () => {
    const { id } = await residentRequest(app.url);
    const path = `/staff/verzoeken/${id}`;
    const none = await adminClient.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'action=assign' });
    expect(none.status).toBe(403);
    const wrong = await adminClient.postForm(path, { action: 'assign' }, 'not-the-token');
    expect(wrong.status).toBe(403);
    expect(rows('select status, assigned_to from callback_requests where id = ?', id)[0]).toEqual({ status: 'new', assigned_to: null });
    const right = await adminClient.postForm(path, { action: 'assign' });
    expect(right.status).toBe(303);
  });

  it('refuses an API write without X-CSRF-Token (problem+json)', async () => {
    const { id } = await residentRequest(app.url);
    const res = await adminClient.apiPost(`/api/v1/staff/verzoeken/${id}/toewijzing`, {}, null);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await adminClient.apiPost(`/api/v1/staff/verzoeken/${id}/toewijzing`, {}, 'forged')).status).toBe(403);
    expect(rows('select assigned_to from callback_requests where id = ?', id)[0]?.assigned_to).toBeNull();
  });

  it('refuses a login post without the form\'s own token before looking at the password', async () => {
    const client = new StaffClient(app.url);
    const res = await client.fetch('/staff/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: 'guess', email: caseworker.email, password: caseworker.password }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/login?verlopen=formulier');
    expect(client.cookie('hg_staff')).toBeUndefined();
  });

  it('refuses a post from another site', async () => {
    const res = await adminClient.fetch('/staff/uitloggen', { method: 'POST', headers: { Origin: 'https://elders.example' } });
    expect(res.status).toBe(403);
  });
});

describe('the queue', () => {
  it('shows open requests of my municipalities only: urgent first, then oldest first', async () => {
    const user = await createStaff(app.databaseFile, { municipalities: ['zeedorp'] });
    const client = new StaffClient(app.url);
    await client.login(user);
    const a = await residentRequest(app.url, { municipality: 'zeedorp', urgency: 'none' });
    const b = await residentRequest(app.url, { municipality: 'zeedorp', urgency: 'bailiff' });
    const c = await residentRequest(app.url, { municipality: 'zeedorp', urgency: 'none' });
    const d = await residentRequest(app.url, { municipality: 'zeedorp', urgency: 'eviction' });
    const elsewhere = await residentRequest(app.url, { municipality: 'voorbeeld', urgency: 'eviction' });
    const res = await client.fetch('/api/v1/staff/verzoeken');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; urgent: boolean; timeLeft: { text: string } | null; labels: { topic: string } }[] };
    expect(items.map((i) => i.id)).toEqual([b.id, d.id, a.id, c.id]);
    expect(items.map((i) => i.id)).not.toContain(elsewhere.id);
    expect(items[0]).toMatchObject({ urgent: true, labels: { topic: 'Gas of stroom' }, timeLeft: { text: expect.stringMatching(/^(nog \d werkdag(en)?|vandaag.*)$/) } });

    const html = await (await client.fetch('/staff')).text();
    const order = [...html.matchAll(/data-request-id="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([b.id, d.id, a.id, c.id]);
    expect(html).not.toContain(elsewhere.reference);
  });

  it('shows "te laat" when the promise ran out', async () => {
    const user = await createStaff(app.databaseFile, { municipalities: ['zeedorp'] });
    const client = new StaffClient(app.url);
    await client.login(user);
    const { id } = await residentRequest(app.url, { municipality: 'zeedorp' });
    run('update callback_requests set created_at = ? where id = ?', new Date(Date.now() - 10 * 86_400_000).toISOString(), id);
    const html = await (await client.fetch('/staff')).text();
    const row = html.slice(html.indexOf(`data-request-id="${id}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('te laat');
  });
});

describe('a request, through the pages', () => {
  it('shows what the resident chose in Dutch, whatever their language, with a tap-to-call link', async () => {
    const { id, reference } = await residentRequest(app.url, { language: 'ar', talkLanguage: 'ar', topic: 'water', moments: ['evening', 'anytime'], ways: ['visit'] });
    const res = await adminClient.fetch(`/staff/verzoeken/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`Verzoek ${reference}`);
    for (const dutch of ['Water', 'Arabisch', 'Betaalregeling met het bedrijf', 'Hulp van het buurtteam', 'Avond', 'Maakt niet uit', 'Bij mij thuis', 'Ja, dat mag', 'Ayşe']) {
      expect(html).toContain(dutch);
    }
    expect(html).toContain('href="tel:+31612345678"');
  });

  it('assigns, records an attempt and closes with an outcome: new → in progress → closed, each audited', async () => {
    const { id } = await residentRequest(app.url);
    const path = `/staff/verzoeken/${id}`;

    const assigned = await adminClient.postForm(path, { action: 'assign' });
    expect(assigned.status).toBe(303);
    expect(assigned.headers.get('location')).toBe(`${path}?gedaan=assigned#bericht`);
    expect(rows('select status, assigned_to from callback_requests where id = ?', id)[0]).toEqual({ status: 'in_progress', assigned_to: admin.id });
    expect(await (await adminClient.fetch(`${path}?gedaan=assigned`)).text()).toContain('Het verzoek is aan jou toegewezen.');

    const attempt = await adminClient.postForm(path, { action: 'attempt', kind: 'phone', result: 'voicemail', note: 'call_back_later' });
    expect(attempt.status).toBe(303);
    expect(rows('select kind, result, note_code, staff_id from case_attempts where request_id = ?', id)).toEqual([
      { kind: 'phone', result: 'voicemail', note_code: 'call_back_later', staff_id: admin.id },
    ]);
    expect(await (await adminClient.fetch(path)).text()).toContain('Voicemail ingesproken');

    const bad = await adminClient.postForm(path, { action: 'attempt', kind: 'pigeon', result: 'reached' });
    expect(bad.headers.get('location')).toBe(`${path}?fout=invalid`);

    const closed = await adminClient.postForm(path, { action: 'close', outcome: 'paid_or_arranged' });
    expect(closed.status).toBe(303);
    const [row] = rows('select status, outcome, closed_at from callback_requests where id = ?', id);
    expect(row).toMatchObject({ status: 'closed', outcome: 'paid_or_arranged', closed_at: expect.any(String) });
    const after = await (await adminClient.fetch(path)).text();
    expect(after).toContain('Inwoner heeft zelf al betaald/betalingsregeling getroffen');
    expect(after).not.toContain('name="action" value="close"');

    const late = await adminClient.postForm(path, { action: 'assign' }, (await adminClient.formToken('/staff')).token);
    expect(late.headers.get('location')).toBe(`${path}?fout=closed`);

    const audit = rows('select actor, action, object_type, object_id, municipality, result, origin, at from audit_log where object_id = ? order by at, action', id);
    const actions = audit.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['view', 'assign', 'attempt', 'close']));
    for (const r of audit) {
      expect(r).toMatchObject({ actor: admin.id, object_type: 'callback_request', municipality: 'voorbeeld', origin: 'staff-ui' });
      expect(String(r.at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(audit.find((r) => r.action === 'close')?.result).toBe('ok (paid_or_arranged)');
    expect(audit.filter((r) => r.action === 'assign').map((r) => r.result)).toEqual(['ok', 'refused (already closed)']);
  });

  it('writes an audit row for every view of a request', async () => {
    const { id } = await residentRequest(app.url);
    const count = () => Number(rows("select count(*) as n from audit_log where object_id = ? and action = 'view'", id)[0]?.n);
    expect(count()).toBe(0);
    await adminClient.fetch(`/staff/verzoeken/${id}`);
    await adminClient.fetch(`/staff/verzoeken/${id}`);
    await adminClient.fetch(`/api/v1/staff/verzoeken/${id}`);
    expect(count()).toBe(3);
    expect(rows("select origin from audit_log where object_id = ? and action = 'view' order by at", id).map((r) => r.origin)).toEqual(['staff-ui', 'staff-ui', 'api']);
  });
});

describe('a request, through the API', () => {
  it('assigns, records attempts, closes once, and answers problems for bad input', async () => {
    const { id } = await residentRequest(app.url, { urgency: 'cutoff' });
    const base = `/api/v1/staff/verzoeken/${id}`;
    const token = await adminClient.apiToken();

    const detail = await adminClient.fetch(base);
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { phone: string; firstName: string; answerRows: { term: string; values: string[] }[]; status: string };
    expect(body).toMatchObject({ phone: '+31612345678', firstName: 'Ayşe', status: 'new' });
    expect(body.answerRows).toContainEqual({ term: 'Dringende zaken', values: ['Ze willen mijn gas, stroom of water afsluiten'] });

    const assign = await adminClient.apiPost(`${base}/toewijzing`, {}, token);
    expect(assign.status).toBe(200);
    expect(await assign.json()).toMatchObject({ id, status: 'in_progress', assignedTo: { id: admin.id, name: 'Anne Admin' } });

    const attempt = await adminClient.apiPost(`${base}/contactpogingen`, { kind: 'sms_whatsapp', result: 'reached' }, token);
    expect(attempt.status).toBe(201);
    // a date and part of the day given by staff; one in the future or not a day is refused
    const earlier = await adminClient.apiPost(`${base}/contactpogingen`, { kind: 'home_visit', result: 'not_reached', date: '2026-11-20', dayPart: 'evening' }, token);
    expect(earlier.status, await earlier.clone().text()).toBe(201);
    for (const date of ['2999-01-01', '2026-02-30']) {
      const refused = await adminClient.apiPost(`${base}/contactpogingen`, { kind: 'phone', result: 'reached', date }, token);
      expect(refused.status).toBe(422);
    }
    expect(rows('select kind, reached, on_date, day_part from case_attempts where request_id = ? order by on_date', id)).toEqual([
      { kind: 'home_visit', reached: 0, on_date: '2026-11-20', day_part: 'evening' },
      { kind: 'sms_whatsapp', reached: 1, on_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), day_part: expect.stringMatching(/^(morning|afternoon|evening)$/) },
    ]);
    const invalid = await adminClient.apiPost(`${base}/contactpogingen`, { kind: 'pigeon', result: 'reached', note: 'free text' }, token);
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    const names = ((await invalid.json()) as { invalidParams: { name: string; code: string }[] }).invalidParams.map((p) => `${p.name}:${p.code}`);
    expect(names).toEqual(expect.arrayContaining(['kind:invalid', 'note:unknownField']));
    const text = await adminClient.fetch(`${base}/contactpogingen`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-CSRF-Token': token }, body: 'hi' });
    expect(text.status).toBe(415);

    expect((await adminClient.apiPost(`${base}/afsluiting`, { outcome: 'maybe' }, token)).status).toBe(422);
    const close = await adminClient.apiPost(`${base}/afsluiting`, { outcome: 'follow_up_financial' }, token);
    expect(close.status).toBe(200);
    expect(await close.json()).toMatchObject({ status: 'closed' });
    const twice = await adminClient.apiPost(`${base}/afsluiting`, { outcome: 'advice_quick_fix' }, token);
    expect(twice.status).toBe(409);
    expect((await adminClient.apiPost(`${base}/contactpogingen`, { kind: 'phone', result: 'reached' }, token)).status).toBe(409);
    expect(rows('select outcome from callback_requests where id = ?', id)[0]?.outcome).toBe('follow_up_financial');
    expect(rows("select origin from audit_log where object_id = ? and action in ('assign', 'attempt', 'close')", id).map((r) => r.origin)).toEqual(['api', 'api', 'api', 'api', 'api', 'api']);
  });

  it('answers 404 for an id that is not a request', async () => {
    expect((await adminClient.fetch('/api/v1/staff/verzoeken/not-an-id')).status).toBe(404);
    expect((await adminClient.fetch(`/api/v1/staff/verzoeken/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await adminClient.fetch(`/staff/verzoeken/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('the audit page', () => {
  it('is for administrators, shows their municipalities\' rows newest first, and pages', async () => {
    const { id } = await residentRequest(app.url);
    await adminClient.fetch(`/staff/verzoeken/${id}`);
    const res = await adminClient.fetch('/staff/audit');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(id);
    expect(html).toContain('Anne Admin');
    expect(html).toContain('Bekeken');
    const api = (await (await adminClient.fetch('/api/v1/staff/audit')).json()) as { page: number; entries: { objectId: string; at: string }[] };
    expect(api.page).toBe(1);
    expect(api.entries[0]?.objectId).toBe(id);
    const times = api.entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const worker = new StaffClient(app.url);
    await worker.login(caseworker);
    expect((await worker.fetch('/staff/audit')).status).toBe(403);
    expect((await worker.fetch('/api/v1/staff/audit')).status).toBe(403);
    expect(await (await worker.fetch('/staff')).text()).not.toContain('href="/staff/audit"');
  });
});

describe('Cache-Control', () => {
  it('is no-store on every staff answer: every route, logged in or not, pages and API, redirects and errors', async () => {
    const { id } = await residentRequest(app.url);
    const anonymous = new StaffClient(app.url);
    const routes = staffRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(13);
    const checked: string[] = [];
    for (const route of routes) {
      const path = fillRoute(route.path, { id, municipality: 'voorbeeld', lang: 'nl', batch: crypto.randomUUID(), delivery: crypto.randomUUID(), case: crypto.randomUUID() });
      for (const method of route.methods) {
        for (const client of [anonymous, adminClient]) {
          const res = await client.fetch(path, {
            method,
            ...(method === 'GET' ? {} : { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x=1' }),
          });
          await res.arrayBuffer();
          expect(res.headers.get('cache-control'), `${method} ${path} (${res.status})`).toBe('no-store');
          expect(res.headers.get('x-frame-options'), `${method} ${path}`).toBe('DENY');
          // same-origin: with no-referrer, Chromium posts forms with "Origin: null" and the origin check refuses them
          expect(res.headers.get('referrer-policy'), `${method} ${path}`).toBe('same-origin');
          checked.push(`${method} ${path} ${res.status}`);
        }
      }
    }
    for (const extra of ['/staff/bestaat-niet', '/api/v1/staff/bestaat-niet', '/staff/login?verlopen=sessie']) {
      for (const client of [anonymous, adminClient]) {
        const res = await client.fetch(extra);
        expect(res.headers.get('cache-control'), extra).toBe('no-store');
      }
    }
    expect(checked.length).toBeGreaterThan(20);
    // Writes without a CSRF token were all refused: the admin is still logged in.
    expect((await adminClient.fetch('/staff')).status).toBe(200);
  });
});

describe('retention', () => {
  it('`npm run retention` deletes phone and first name after the retention period, and the page says so', async () => {
    const { id } = await residentRequest(app.url, { municipality: 'voorbeeld' });
    const token = await adminClient.apiToken();
    await adminClient.apiPost(`/api/v1/staff/verzoeken/${id}/afsluiting`, { outcome: 'advice_quick_fix' }, token);
    const now = new Date(Date.now() + 7 * 31 * 86_400_000).toISOString();
    const out = execFileSync(process.execPath, ['src/cli/retention.ts', '--now', now], {
      cwd: root,
      env: { ...process.env, DATABASE_FILE: app.databaseFile },
      encoding: 'utf8',
    });
    expect(out).toMatch(/voorbeeld: \d+/);
    expect(rows('select phone, first_name, personal_data_deleted_at from callback_requests where id = ?', id)[0]).toEqual({
      phone: null,
      first_name: null,
      personal_data_deleted_at: now,
    });
    // Seven months on, every session has ended too (the same run clears them): log in again.
    expect((await adminClient.fetch('/staff')).status).toBe(303);
    await adminClient.login(admin);
    const html = await (await adminClient.fetch(`/staff/verzoeken/${id}`)).text();
    expect(html).toContain('Telefoonnummer en naam zijn verwijderd');
    expect(html).not.toContain('tel:');
    expect(rows("select actor, origin from audit_log where action = 'retention' and municipality = 'voorbeeld'")[0]).toEqual({ actor: 'system', origin: 'job' });
  });
});
