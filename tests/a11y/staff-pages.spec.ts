// SPDX-License-Identifier: EUPL-1.2
// axe (WCAG 2.2 AA) on every staff page: login, second step, enrolment, queue, request detail, audit, hand-off, not found.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe.ts';
import { databaseFile } from '../support/db.ts';
import { createStaff, dbRun, freshCode, type TestStaff } from '../support/staff.ts';

async function passwordStep(page: Page, user: TestStaff): Promise<void> {
  await page.goto('/staff/login');
  await page.getByLabel('E-mailadres').fill(user.email);
  await page.getByLabel('Wachtwoord').fill(user.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

for (const viewport of [
  { name: 'desk', width: 1280, height: 900 },
  { name: 'phone', width: 360, height: 740 },
]) {
  test.describe(`staff pages (${viewport.name})`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('login, a failed login, and the second step', async ({ page }) => {
      await page.goto('/staff/login');
      await expectNoAxeViolations(page, 'login');
      const user = await createStaff(databaseFile());
      await passwordStep(page, { ...user, password: 'not the password' });
      await expect(page.getByRole('alert')).toContainText('Inloggen lukt niet');
      await expectNoAxeViolations(page, 'login failed');
      await passwordStep(page, user);
      await expect(page).toHaveURL(/tweede-stap$/);
      await expectNoAxeViolations(page, 'second step');
      await page.getByLabel('Code van 6 cijfers').fill('000000');
      await page.getByRole('button', { name: 'Controleren' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      await expectNoAxeViolations(page, 'second step, wrong code');
    });

    test('enrolment of the second factor', async ({ page }) => {
      const user = await createStaff(databaseFile(), { enrolled: false });
      await passwordStep(page, user);
      await expect(page).toHaveURL(/instellen$/);
      await expectNoAxeViolations(page, 'enrolment');
    });

    test('queue, request detail with attempts and a message, audit, not found', async ({ page }) => {
      const user = await createStaff(databaseFile(), { role: 'admin', municipalities: ['voorbeeld', 'zeedorp'] });
      const res = await page.request.post('/api/v1/terugbelverzoeken', {
        data: { municipality: 'zeedorp', language: 'ar', topic: 'water', phone: '0612345678', consent: true, urgency: 'cutoff', help: ['buurtteam'], moments: ['morning'], ways: ['call'], talkLanguage: 'ar', voicemail: 'yes', firstName: 'Layla' },
      });
      const { id } = (await res.json()) as { id: string };
      await passwordStep(page, user);
      await page.getByLabel('Code van 6 cijfers').fill(await freshCode(user));
      await page.getByRole('button', { name: 'Controleren' }).click();
      await expect(page).toHaveURL(/\/staff$/);
      await expectNoAxeViolations(page, 'queue');

      await page.goto(`/staff/verzoeken/${id}`);
      await expectNoAxeViolations(page, 'request detail');
      await page.getByRole('radio', { name: 'Bereikt', exact: true }).check();
      await page.getByRole('button', { name: 'Poging opslaan' }).click();
      await expect(page.getByRole('status')).toBeVisible();
      await expectNoAxeViolations(page, 'request detail with an attempt and a message');
      await page.getByRole('radio', { name: '(Budget)advies en/of quick fix' }).check();
      await page.getByRole('button', { name: 'Verzoek afsluiten' }).click();
      await expectNoAxeViolations(page, 'closed request');

      const caseId = crypto.randomUUID();
      const now = new Date().toISOString();
      dbRun(databaseFile(), "insert into cases (id, municipality, case_ref, status, demo, created_at, updated_at) values (?, 'zeedorp', ?, 'open', 0, ?, ?)", caseId, `ZAAK-A11Y-${caseId.slice(0, 8)}`, now, now);
      dbRun(databaseFile(), "insert into signals (id, case_id, municipality, signal_ref, partner, amount, crisis, warm_handover, times_received, created_at, updated_at) values (?, ?, 'zeedorp', ?, 'water', 120, 1, 0, 1, ?, ?)", crypto.randomUUID(), caseId, `S-${caseId}`, now, now);
      await page.goto('/staff/zaken');
      await expect(page.getByRole('link', { name: `ZAAK-A11Y-${caseId.slice(0, 8)}` })).toBeVisible();
      await expectNoAxeViolations(page, 'cases');
      await page.goto(`/staff/zaken/${caseId}`);
      await expectNoAxeViolations(page, 'case detail');
      await page.getByRole('radio', { name: 'Niet bereikt', exact: true }).check();
      await page.getByRole('button', { name: 'Poging opslaan' }).click();
      await expect(page.getByRole('status')).toBeVisible();
      await expectNoAxeViolations(page, 'case with an attempt');

      await page.goto('/staff/vandaag');
      await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
      await expectNoAxeViolations(page, 'today');

      await page.goto('/staff/audit');
      await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
      await expectNoAxeViolations(page, 'audit');

      await page.goto('/staff/overdracht');
      await expect(page.getByRole('heading', { level: 1, name: 'Overdracht naar het zaaksysteem' })).toBeVisible();
      await expectNoAxeViolations(page, 'hand-off');

      await page.goto(`/staff/verzoeken/${crypto.randomUUID()}`);
      await expect(page.getByRole('heading', { level: 1, name: 'Niet gevonden' })).toBeVisible();
      await expectNoAxeViolations(page, 'not found');
    });
  });
}
