// SPDX-License-Identifier: EUPL-1.2
// Waits until the conversation island has hydrated, so clicks are handled in place, not posted.
import type { Page } from '@playwright/test';

export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}
