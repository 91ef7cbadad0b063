// SPDX-License-Identifier: EUPL-1.2
// A staff member logs in through the real screens: password, then the second factor.
import { expect, type Page } from '@playwright/test';
import { freshCode, type TestStaff } from './staff.ts';

export async function logIn(page: Page, user: TestStaff): Promise<void> {
  await page.goto('/staff/login');
  await page.getByLabel('E-mailadres').fill(user.email);
  await page.getByLabel('Wachtwoord').fill(user.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Code van 6 cijfers').fill(await freshCode(user));
  await page.getByRole('button', { name: 'Controleren' }).click();
  await expect(page).toHaveURL(/\/staff$/);
}
