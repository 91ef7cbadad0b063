// SPDX-License-Identifier: EUPL-1.2
// A coordinator's tools: the reach dashboard, invitations made on screen (opened as a resident would),
// and "samen invullen" on a tablet, which records the outcome and leaves nothing on the device.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe.ts';
import { databaseFile } from '../support/db.ts';
import { waitForHydration } from '../support/hydration.ts';
import { createStaff, dbRows } from '../support/staff.ts';
import { logIn } from '../support/staff-login.ts';

test('the reach dashboard shows the funnel against 40%, accessibly, and exports counts only', async ({ page }) => {
  const user = await createStaff(databaseFile(), { role: 'coordinator' });
  await page.request.post('/api/v1/terugbelverzoeken', {
    data: { municipality: 'voorbeeld', language: 'uk', topic: 'water', phone: '0612345678', consent: true, channel: 'letter-qr', firstName: 'Olena' },
  });
  await logIn(page, user);
  await page.getByRole('link', { name: 'Bereik' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bereik' })).toBeVisible();
  await expect(page.getByText(/doel 40%/).first()).toBeVisible();
  // the demo month of SEED_DEMO: DDAS figures, named as made up
  await expect(page.getByText(/zaken in deze periode zijn verzonnen \(demogegevens\)/)).toBeVisible();
  await expect(page.getByRole('table', { name: /^Zaken, / })).toContainText(/Bereikt\s*[1-9]/);
  const requested = page.getByRole('row', { name: /Terugbelverzoeken/ }).first();
  await expect(requested).toContainText(/[1-9]/);
  await expect(page.getByRole('table', { name: 'Per kanaal' })).toContainText('letter-qr');
  await expectNoAxeViolations(page, 'staff reach dashboard');
  const download = await page.request.get((await page.getByRole('link', { name: 'Download als CSV' }).getAttribute('href')) ?? '');
  expect(download.headers()['content-type']).toContain('text/csv');
  expect(download.headers()['cache-control']).toContain('no-store');
  const csv = await download.text();
  expect(csv).toMatch(/^section,key,measure,value\r\nddas\.total,total,cases,[1-9]/);
  expect(csv).toContain('funnel,total,callbacksRequested,');
  expect(csv).not.toContain('612345678');
  expect(csv).not.toContain('Olena');
});

test('a caseworker sees no dashboard and cannot make invitations', async ({ page }) => {
  const user = await createStaff(databaseFile(), { role: 'caseworker' });
  await logIn(page, user);
  await expect(page.getByRole('link', { name: 'Bereik' })).toHaveCount(0);
  expect((await page.goto('/staff/bereik'))?.status()).toBe(403);
  expect((await page.goto('/staff/uitnodigingen'))?.status()).toBe(403);
});

test('an invitation made on screen opens as the resident\'s conversation, with its check word', async ({ page, browser }) => {
  const user = await createStaff(databaseFile(), { role: 'coordinator' });
  await logIn(page, user);
  await page.goto('/staff/uitnodigingen');
  await expectNoAxeViolations(page, 'staff invitations');
  await page.getByLabel('Onderwerp (mag leeg)').selectOption('energy');
  await page.getByRole('button', { name: 'Maak uitnodiging', exact: true }).click();
  const link = (await page.locator('dt:text-is("Link") + dd code').textContent()) ?? '';
  const word = (await page.locator('dt:text-is("Controlewoord") + dd strong').textContent()) ?? '';
  expect(link).toMatch(/\/s\/[2-9A-HJ-NP-Z]{13}$/);
  await expect(page.locator('figure.qr svg')).toBeVisible();
  await expectNoAxeViolations(page, 'staff invitations, created');

  const resident = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await resident.goto(new URL(link).pathname);
  await waitForHydration(resident);
  await resident.getByRole('button', { name: 'Nederlands', exact: true }).click();
  await waitForHydration(resident);
  await expect(resident.locator('.check-word .word')).toHaveText(word);
  // the check word can be heard (in Dutch: it is the Dutch word on the letter), from a clip that exists
  const listen = resident.locator('.check-word .say:has(.word) button.listen');
  await expect(listen).toHaveAccessibleName(new RegExp(`${word}$`));
  const clip = resident.waitForResponse((r) => r.url().includes('/audio/nl/') && r.url().endsWith('.mp3'));
  await listen.click();
  expect((await clip).status()).toBeLessThan(300);
  const code = new URL(link).pathname.split('/').pop() ?? '';
  expect(dbRows(databaseFile(), 'select opened_count, channel from invites where code = ?', code)[0]).toEqual({ opened_count: 1, channel: 'sms' });

  // a pasted list gives a CSV with a link and an SMS text per row
  await page.getByLabel(/Plak de lijst/).fill('case_ref,topic\nZ-1,rent\nZ-2,\nZ-3,water\n');
  await page.locator('form:has(textarea) button[type=submit]').click();
  await expect(page.getByRole('status')).toContainText('3 uitnodigingen gemaakt');
  const csv = await (await page.request.get((await page.getByRole('link', { name: /Download de lijst/ }).getAttribute('href')) ?? '')).text();
  expect(csv.trim().split(/\r?\n/)).toHaveLength(4);
  const sheet = await page.request.get((await page.getByRole('link', { name: /QR-vel/ }).getAttribute('href')) ?? '');
  expect(sheet.status()).toBe(200);
  expect((await sheet.text()).match(/<svg/g)?.length).toBe(3);
});

test('samen invullen: the conversation on a tablet is stored with channel staff, closed with an outcome, and wiped', async ({ page }) => {
  const user = await createStaff(databaseFile(), { role: 'caseworker' });
  await logIn(page, user);
  await page.getByRole('link', { name: 'Samen invullen' }).first().click();
  await expectNoAxeViolations(page, 'samen invullen start');
  await page.getByRole('link', { name: /Begin voor Gemeente Voorbeeld/ }).click();
  await waitForHydration(page);
  const answer = (value: string) => page.locator(`form.step button[name=answer][value="${value}"]`).click();
  await answer('nl');
  await page.locator('form.step button[value=NEXT]').click();
  await answer('rent');
  await answer('none');
  await page.locator('input[value=arrangement]').check();
  await page.locator('form.step button[value=ANSWER]').click();
  await page.locator('input[name=answer]').fill('0612345678');
  await page.locator('form.step button[value=ANSWER]').click();
  await page.locator('input[value=morning]').check();
  await page.locator('form.step button[value=ANSWER]').click();
  await answer('call');
  await answer('yes');
  await expect(page.locator('form.step[data-step=done]')).toBeVisible();
  // filled in together: the ending says so, and promises no call in two days
  await expect(page.locator('#step-title')).toHaveText('Klaar! Jullie hebben dit samen ingevuld.');
  await expect(page.locator('form.step')).toContainText('De medewerker bij je vertelt je nu wat er gebeurt.');
  await expect(page.locator('form.step')).not.toContainText('werkdag');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hulpgesprek:') && k !== 'hulpgesprek:slower'))).toEqual([]);
  await expectNoAxeViolations(page, 'samen invullen, done with the outcome form');
  await page.getByLabel('Uitkomst van dit gesprek').selectOption('paid_or_arranged');
  await page.getByRole('button', { name: /Opslaan, afsluiten en alles wissen/ }).click();
  await expect(page.getByRole('status')).toContainText('gewist');
  const [row] = dbRows(databaseFile(), "select channel, status, outcome from callback_requests where channel = 'staff' order by created_at desc limit 1");
  expect(row).toEqual({ channel: 'staff', status: 'closed', outcome: 'paid_or_arranged' });
  expect(await page.evaluate(() => Object.keys(sessionStorage).length + Object.keys(localStorage).filter((k) => k.startsWith('hulpgesprek:') && k !== 'hulpgesprek:slower').length)).toBe(0);
});

test('samen invullen: after 5 minutes without use the conversation is wiped', async ({ page }) => {
  const user = await createStaff(databaseFile(), { role: 'caseworker' });
  await page.clock.install();
  await logIn(page, user);
  await page.goto('/staff/samen/voorbeeld/nl/');
  await waitForHydration(page);
  await page.locator('form.step button[name=answer][value="nl"]').click();
  await page.locator('form.step button[value=NEXT]').click();
  await expect(page.locator('form.step[data-step=topic]')).toBeVisible();
  await page.clock.fastForward('05:01');
  await expect(page.locator('form.step[data-step=language]')).toBeVisible();
});

test('samen invullen is only for your own municipalities', async ({ page }) => {
  const user = await createStaff(databaseFile(), { role: 'caseworker', municipalities: ['zeedorp'] });
  await logIn(page, user);
  expect((await page.goto('/staff/samen/voorbeeld/nl/'))?.status()).toBe(404);
});
