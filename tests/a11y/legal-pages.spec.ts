// SPDX-License-Identifier: EUPL-1.2
// The privacy page and the accessibility statement meet WCAG 2.2 AA (axe) in Dutch and Arabic at 360 px,
// reflow at 320 px and 200 % text, and the conversation's footer leads to them in the resident's language.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe.ts';
import { expectNamedControls } from '../support/controls.ts';
import { waitForHydration } from '../support/hydration.ts';
import { expectNoHorizontalOverflow } from '../support/layout.ts';
import { municipality, t, type Lng } from '../support/strings.ts';

test.describe.configure({ mode: 'parallel' });
// The pages, not the service worker, are under test: no worker keeps or answers them here.
test.use({ serviceWorkers: 'block', viewport: { width: 360, height: 740 } });

/** The texts of these pages (tests/support/strings.ts reads the conversation's namespaces only). */
const legal = (lng: Lng) =>
  JSON.parse(readFileSync(new URL(`../../locales/${lng}/legal.json`, import.meta.url), 'utf8')) as {
    back: string;
    accessibility: { title: string };
    privacy: { title: string };
  };
const PAGES = [
  { path: 'toegankelijkheid', kind: 'accessibility', footerKey: 'footer.accessibility' },
  { path: 'privacy', kind: 'privacy', footerKey: 'footer.privacy' },
] as const;
const LNGS: { lng: Lng; dir: 'ltr' | 'rtl' }[] = [
  { lng: 'nl', dir: 'ltr' },
  { lng: 'ar', dir: 'rtl' },
];

async function expectLegalPage(page: Page, lng: Lng, dir: 'ltr' | 'rtl', kind: 'accessibility' | 'privacy'): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lng);
  await expect(page.locator('html')).toHaveAttribute('dir', dir);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(legal(lng)[kind].title);
}

for (const { lng, dir } of LNGS) {
  for (const { path, kind } of PAGES) {
    const where = `${lng} › ${path}`;

    test(`${where}: passes WCAG 2.2 AA, every control named`, async ({ page }) => {
      await page.goto(`/${municipality.slug}/${lng}/${path}`);
      await expectLegalPage(page, lng, dir, kind);
      await expectNamedControls(page, where);
      await expectNoAxeViolations(page, where);
    });

    test(`${where}: reflows at 320 px and at 200 % text without scrolling sideways`, async ({ page }) => {
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(`/${municipality.slug}/${lng}/${path}`);
      await expectNoHorizontalOverflow(page, `${where} at 320 px`);
      await page.setViewportSize({ width: 360, height: 740 });
      await page.evaluate(() => {
        document.documentElement.style.fontSize = '200%';
      });
      await expectNoHorizontalOverflow(page, `${where} at 200 % text`);
    });
  }

  test(`${lng}: the conversation's footer leads to both pages and back, in ${lng}`, async ({ page }) => {
    for (const { path, kind, footerKey } of PAGES) {
      await page.goto(`/${municipality.slug}/${lng}/`);
      await waitForHydration(page);
      const footer = page.getByRole('contentinfo');
      await footer.getByRole('link', { name: t(lng, footerKey), exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/${municipality.slug}/${lng}/${path}$`));
      await expectLegalPage(page, lng, dir, kind);
      // the footer marks where the resident is
      await expect(page.getByRole('contentinfo').getByRole('link', { name: t(lng, footerKey), exact: true })).toHaveAttribute(
        'aria-current',
        'page',
      );
      await page.getByRole('link', { name: legal(lng).back }).click();
      await expect(page).toHaveURL(new RegExp(`/${municipality.slug}/${lng}/$`));
    }
  });
}

test('formal Dutch: a municipality that says "u" says it on its privacy page too', async ({ page }) => {
  await page.goto('/zeedorp/nl/privacy');
  await expect(page.locator('main')).toContainText('Vraagt u ons om u terug te bellen?');
  await expect(page.locator('main')).not.toContainText(/\bje\b/);
  await expectNoAxeViolations(page, 'zeedorp › nl › privacy');
});
