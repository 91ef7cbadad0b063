// SPDX-License-Identifier: EUPL-1.2
// "No more SMS" on the personal link meets WCAG 2.2 AA (axe) in Dutch and Arabic at 360 px, before
// and after the button, reflows at 320 px and 200 % text, and works with JavaScript off.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { generateInviteCode } from '../../src/lib/invite-code.ts';
import { expectNoAxeViolations } from '../support/axe.ts';
import { databaseFile } from '../support/db.ts';
import { expectNoHorizontalOverflow } from '../support/layout.ts';
import { dbRun } from '../support/staff.ts';

test.describe.configure({ mode: 'parallel' });
test.use({ serviceWorkers: 'block', viewport: { width: 360, height: 740 } });

const texts = (lng: string) =>
  (JSON.parse(readFileSync(new URL(`../../locales/${lng}/link.json`, import.meta.url), 'utf8')) as { smsStop: { ask: { title: string }; submit: string; done: { title: string } } }).smsStop;

let numbers = 0;
/** A Voorbeeld case that gets the plan's SMS, with its personal link: the code. */
function smsCase(): string {
  const now = new Date().toISOString();
  const caseId = randomUUID();
  const code = generateInviteCode();
  numbers++;
  const phone = `+3165${String(process.pid * 100 + numbers).padStart(7, '0').slice(-7)}`;
  dbRun(databaseFile(), "insert into cases (id, municipality, case_ref, status, demo, created_at, updated_at, sms_phone) values (?, 'voorbeeld', ?, 'open', 0, ?, ?, ?)", caseId, `A11Y-${caseId.slice(0, 8)}`, now, now, phone);
  dbRun(databaseFile(), "insert into invites (id, code, municipality, channel, case_id, check_word, created_at, expires_at) values (?, ?, 'voorbeeld', 'sms', ?, 'APPEL', ?, ?)", randomUUID(), code, caseId, now, new Date(Date.now() + 86_400_000).toISOString());
  return code;
}

for (const { lng, dir } of [{ lng: 'nl', dir: 'ltr' }, { lng: 'ar', dir: 'rtl' }] as const) {
  // the page has no script of its own, so axe (which runs in the page) sees what a phone without JavaScript sees
  test(`${lng}: asks, stops and says so; WCAG 2.2 AA before and after`, async ({ page }) => {
    await page.goto(`/s/${smsCase()}?sms=stoppen&taal=${lng}`);
    await expect(page.locator('html')).toHaveAttribute('lang', lng);
    await expect(page.locator('html')).toHaveAttribute('dir', dir);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(texts(lng).ask.title);
    await expectNoAxeViolations(page, `${lng} › sms stop`);
    await page.getByRole('button', { name: texts(lng).submit }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(texts(lng).done.title);
    await expect(page.getByRole('button')).toHaveCount(0);
    await expectNoAxeViolations(page, `${lng} › sms stopped`);
  });

  test(`${lng}: works with JavaScript off`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false, serviceWorkers: 'block', viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      await page.goto(`/s/${smsCase()}?sms=stoppen&taal=${lng}`);
      await page.getByRole('button', { name: texts(lng).submit }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(texts(lng).done.title);
      await expect(page).toHaveURL(new RegExp(`\\?sms=stoppen&taal=${lng}$`));
    } finally {
      await context.close();
    }
  });

  test(`${lng}: reflows at 320 px and at 200 % text without scrolling sideways`, async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`/s/${smsCase()}?sms=stoppen&taal=${lng}`);
    await expectNoHorizontalOverflow(page, `${lng} › sms stop at 320 px`);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    await expectNoHorizontalOverflow(page, `${lng} › sms stop at 200 % text`);
  });
}
