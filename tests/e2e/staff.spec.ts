// SPDX-License-Identifier: EUPL-1.2
// A caseworker's day in the browser: log in with a TOTP code (computed here), find a resident's request in the queue, assign it, record an attempt, close it.
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { generate } from 'otplib';
import { databaseFile } from '../support/db.ts';
import { createStaff, dbRows, freshCode, type TestStaff } from '../support/staff.ts';

const root = new URL('../../', import.meta.url).pathname;

test.use({ viewport: { width: 1280, height: 900 } });

async function logIn(page: Page, user: TestStaff): Promise<void> {
  await page.goto('/staff/login');
  await page.getByLabel('E-mailadres').fill(user.email);
  await page.getByLabel('Wachtwoord').fill(user.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page).toHaveURL(/\/staff\/login\/tweede-stap$/);
  await page.getByLabel('Code van 6 cijfers').fill(await freshCode(user));
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

/** A request the way a resident's phone sends it, through the public API. */
async function residentAsksForACall(
  page: Page,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; reference: string }> {
  const res = await page.request.post('/api/v1/terugbelverzoeken', {
    data: {
      municipality: 'voorbeeld',
      language: 'pl',
      topic: 'rent',
      phone: '06 12345678',
      consent: true,
      channel: 'sms',
      urgency: 'eviction',
      help: ['arrangement', 'expert'],
      moments: ['afternoon'],
      ways: ['call'],
      talkLanguage: 'pl',
      voicemail: 'no',
      firstName: 'Kasia',
      ...overrides,
    },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; reference: string };
}

test('a new account made with the CLI sets up its second factor at the first login', async ({ page }) => {
  const email = `e2e-${Date.now()}@voorbeeld.example`;
  const password = 'een lang genoeg wachtwoord';
  execFileSync(
    process.execPath,
    [
      'src/cli/staff-create.ts',
      '--email',
      email,
      '--name',
      'Eva Eerste',
      '--municipality',
      'voorbeeld',
      '--role',
      'admin',
    ],
    {
      cwd: root,
      env: { ...process.env, DATABASE_FILE: databaseFile(), STAFF_PASSWORD: password },
      stdio: 'pipe',
    },
  );
  await page.goto('/staff/login');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page).toHaveURL(/\/staff\/login\/instellen$/);
  await expect(page.getByRole('img', { name: /QR-code/ })).toBeVisible();
  // Before the second factor is set up, the queue is out of reach.
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login\/instellen$/);
  const secret = ((await page.locator('[data-totp-secret]').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code van 6 cijfers uit de app').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Instellen' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Wachtrij' })).toBeVisible();
  expect(dbRows(databaseFile(), 'select totp_enabled from staff_users where email = ?', email)[0]?.totp_enabled).toBe(
    1,
  );
});

test("the queue shows a resident's request; assign it, record an attempt and close it with an outcome", async ({
  page,
}) => {
  const user = await createStaff(databaseFile(), {
    role: 'caseworker',
    municipalities: ['voorbeeld'],
    name: 'Bram Beller',
  });
  const request = await residentAsksForACall(page);
  await logIn(page, user);

  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: request.reference }) });
  await expect(row).toContainText('Dringend');
  await expect(row).toContainText('Huur');
  await expect(row).toContainText('Pools');
  await expect(row).toContainText('Niemand');
  await row.getByRole('link', { name: request.reference }).click();

  await expect(page.getByRole('heading', { level: 1, name: `Verzoek ${request.reference}` })).toBeVisible();
  // What the resident chose, in Dutch, though they used Polish.
  await expect(page.getByText('Ik moet misschien mijn huis uit')).toBeVisible();
  await expect(page.getByText('Iemand die het zelf meemaakte')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Bel 06 12345678' })).toHaveAttribute('href', 'tel:+31612345678');

  await page.getByRole('button', { name: 'Aan mij toewijzen' }).click();
  await expect(page.getByRole('status')).toHaveText('Het verzoek is aan jou toegewezen.');
  await expect(page.getByText('Dit verzoek is aan jou toegewezen.')).toBeVisible();

  await page.getByLabel('Hoe heb je contact gezocht?').selectOption('phone');
  await page
    .getByRole('group', { name: 'Wat was het resultaat?' })
    .getByRole('radio', { name: 'Niet bereikt' })
    .check();
  await page.getByLabel('Notitie (kies uit de lijst, niet verplicht)').selectOption('call_back_later');
  await page.getByRole('button', { name: 'Poging opslaan' }).click();
  await expect(page.getByRole('status')).toHaveText('De contactpoging is opgeslagen.');
  await expect(page.getByRole('region', { name: 'Contactpogingen' })).toContainText('Later terugbellen');

  await page
    .getByRole('group', { name: 'Eindresultaat (de 15 van het landelijke model DDAS)' })
    .getByRole('radio', { name: 'Vervolghulp en/of verwijzing financieel' })
    .check();
  await page.getByRole('button', { name: 'Verzoek afsluiten' }).click();
  await expect(page.getByRole('status')).toHaveText('Het verzoek is afgesloten.');
  await expect(page.getByRole('button', { name: 'Verzoek afsluiten' })).toHaveCount(0);

  const [stored] = dbRows(
    databaseFile(),
    'select status, outcome, assigned_to, closed_at from callback_requests where id = ?',
    request.id,
  );
  expect(stored).toMatchObject({
    status: 'closed',
    outcome: 'follow_up_financial',
    assigned_to: user.id,
    closed_at: expect.any(String),
  });
  expect(
    dbRows(
      databaseFile(),
      'select kind, result, note_code, staff_id from case_attempts where request_id = ?',
      request.id,
    ),
  ).toEqual([{ kind: 'phone', result: 'not_reached', note_code: 'call_back_later', staff_id: user.id }]);
  const actions = dbRows(
    databaseFile(),
    'select action from audit_log where object_id = ? and actor = ? order by at',
    request.id,
    user.id,
  ).map((r) => r.action);
  expect(actions).toEqual(expect.arrayContaining(['view', 'assign', 'attempt', 'close']));

  // Closed requests leave the queue.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Wachtrij' }).click();
  await expect(page.getByRole('link', { name: request.reference })).toHaveCount(0);

  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page).toHaveURL(/\/staff\/login\?uitgelogd=1$/);
  await expect(page.getByRole('status')).toHaveText('Je bent uitgelogd.');
  await page.goto(`/staff/verzoeken/${request.id}`);
  await expect(page).toHaveURL(/\/staff\/login$/);
});

test('HTML that reached the database anyhow is shown as text in the staff view, and no script runs', async ({
  page,
}) => {
  // The API refuses markup in every field (see tests/api/fuzz.test.ts); this covers a value that
  // got in another way (an older version, a manual fix, an import): staff pages must never run it.
  const user = await createStaff(databaseFile(), { role: 'caseworker', municipalities: ['voorbeeld'] });
  const request = await residentAsksForACall(page);
  const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><svg onload="window.__pwned=3">`;
  execFileSync(process.execPath, [
    '-e',
    `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(process.argv[1]);
    db.exec('PRAGMA busy_timeout=5000');
    db.prepare('update callback_requests set first_name = ? where id = ?').run(process.argv[2], process.argv[3]);
    db.close();`,
    databaseFile(),
    hostile,
    request.id,
  ]);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on('dialog', (d) => void d.dismiss());
  await logIn(page, user);
  for (const path of ['/staff', `/staff/verzoeken/${request.id}`]) {
    await page.goto(path);
    // the request detail shows the first name (the queue does not)
    if (path !== '/staff') await expect(page.getByText(hostile, { exact: true })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img[src="x"], main svg[onload], main script:not([type])').count()).toBe(0);
  }
  // Escaped, not merely blocked by the Content-Security-Policy.
  expect(violations).toEqual([]);
});
