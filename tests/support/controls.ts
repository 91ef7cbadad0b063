// SPDX-License-Identifier: EUPL-1.2
// Every control a resident can operate has an accessible name, as the browser's accessibility tree computes it.
import { expect, type Page } from '@playwright/test';

/** Roles of the accessibility tree that are controls a resident can operate. */
const CONTROL_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'checkbox',
  'radio',
  'combobox',
  'searchbox',
  'spinbutton',
  'switch',
  'DisclosureTriangle',
  'menuitem',
  'listbox',
  'slider',
]);

/**
 * Every visible button, link, input, select, textarea and summary has a non-empty accessible
 * name, as Chromium's own accessibility tree computes it (one CDP call instead of one per control).
 */
export async function expectNamedControls(page: Page, where: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const controls = nodes
      .filter((n) => !n.ignored && CONTROL_ROLES.has(String(n.role?.value)))
      .map((n) => ({ role: String(n.role?.value), name: String(n.name?.value ?? '').trim() }));
    expect(
      controls.filter((c) => c.name === ''),
      `controls without an accessible name at ${where}`,
    ).toEqual([]);
    // The tree must hold every visible control of the page, so none escapes the check above.
    const inDom = await page
      .locator('button, a[href], input:not([type="hidden"]), select, textarea, summary')
      .evaluateAll((els) => els.filter((e) => e.checkVisibility()).length);
    expect(inDom, `visible controls at ${where}`).toBeGreaterThan(0);
    expect(controls, `accessibility-tree controls at ${where}`).toHaveLength(inDom);
  } finally {
    await cdp.detach();
  }
}
