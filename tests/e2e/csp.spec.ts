// SPDX-License-Identifier: EUPL-1.2
// A script that reaches a page by any other way than the build does not run: the server's real answer
// with a <script> slipped into its body (as a stored value rendered raw by mistake would put it),
// under the server's own headers — the browser refuses it and reports a CSP violation, while the
// page's own island still hydrates.
import { expect, test } from '@playwright/test';
import { waitForHydration } from '../support/hydration.ts';

test.use({ serviceWorkers: 'block', viewport: { width: 360, height: 740 } });

test('an injected inline script does not run; the page’s own scripts do', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(e.effectiveDirective));
  });
  await page.route('**/voorbeeld/nl/', async (route) => {
    const answer = await route.fetch();
    const html = (await answer.text()).replace('<main', '<script>window.pwned = true</script><main');
    await route.fulfill({ response: answer, body: html });
  });
  await page.goto('/voorbeeld/nl/');
  await waitForHydration(page);
  expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toContain('script-src-elem');
});
