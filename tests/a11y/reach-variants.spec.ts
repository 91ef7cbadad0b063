// SPDX-License-Identifier: EUPL-1.2
// axe (WCAG 2.2 AA) on the reach page with its "which SMS wording works" tables, at a desk and on a phone.
import { expect, test } from '@playwright/test';
import { openStore } from '../../src/server/store/index.ts';
import { expectNoAxeViolations } from '../support/axe.ts';
import { databaseFile } from '../support/db.ts';
import { createStaff } from '../support/staff.ts';
import { logIn } from '../support/staff-login.ts';
import { addVariantCases } from '../support/variant-cases.ts';

for (const viewport of [
  // each its own month long ago: the counts are its own, and no other test's period sees them
  { name: 'desk', width: 1280, height: 900, month: '2025-03' },
  { name: 'phone', width: 360, height: 740, month: '2025-04' },
]) {
  test.describe(`reach page, SMS wordings (${viewport.name})`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('the wording tables, their sentence and the wordings pass axe', async ({ page }) => {
      const sentAt = `${viewport.month}-10T09:00:00.000Z`;
      const store = await openStore({ sqliteFile: databaseFile() });
      try {
        const ids = [
          ...(await addVariantCases(store, { municipality: 'voorbeeld', variant: 'invite', sent: 12, opened: 3, finished: 2, reached: 1, sentAt })),
          ...(await addVariantCases(store, { municipality: 'voorbeeld', variant: 'invitePersonal', sent: 12, opened: 6, finished: 4, reached: 2, sentAt })),
          ...(await addVariantCases(store, { municipality: 'voorbeeld', step: 'reminder', variant: 'reminder', sent: 4, opened: 1, sentAt })),
        ];
        // closed, so they stay behind the other tests' open cases in the case list
        await store.db.updateTable('cases').set({ status: 'closed', end_result: 'never_reached', closed_at: sentAt }).where('id', 'in', ids).execute();
      } finally {
        await store.close();
      }
      const user = await createStaff(databaseFile(), { role: 'coordinator' });
      await logIn(page, user);
      await page.goto(`/staff/bereik?gemeente=voorbeeld&van=${viewport.month}-01&tot=${viewport.month}-28`);
      const table = page.getByRole('table', { name: /^Sms-stap ‘sms’/ });
      await expect(table).toBeVisible();
      await expect(table.getByRole('row', { name: /Persoonlijk/ })).toContainText('6 · 50% (25–75%)');
      await expect(page.getByText("Het verschil is nog niet duidelijk: er zijn meer sms'en nodig.")).toBeVisible();
      await page.getByText('De teksten').first().click();
      await expectNoAxeViolations(page, `reach page with SMS wordings (${viewport.name})`);
      if (process.env.SCREENSHOT_DIR) await page.locator('section[aria-labelledby="variants-title"]').screenshot({ path: `${process.env.SCREENSHOT_DIR}/reach-variants-${viewport.name}.png` });
    });
  });
}
