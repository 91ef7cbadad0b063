// SPDX-License-Identifier: EUPL-1.2
// Moving through a page with the keyboard only, as a resident without a mouse or touch screen does.
import { expect, type Locator, type Page } from '@playwright/test';

/** What has keyboard focus, in a few words (for messages). */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(body)';
    const id = el.id ? `#${el.id}` : '';
    const value = el.getAttribute('value') ? `[value=${el.getAttribute('value')}]` : '';
    const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${value}> "${text}"`;
  });
}

/**
 * Presses Tab (or Shift+Tab when the target comes before the focused element) until `target`
 * has focus, and fails if it takes more than `max` presses. Every stop on the way must be
 * visible, and the target must show that it has keyboard focus (:focus-visible with an outline).
 */
export async function tabTo(page: Page, target: Locator, what: string, max = 60): Promise<void> {
  await expect(target, `${what} is on the screen`).toBeVisible();
  const backwards = await target.evaluate((el) => {
    const active = document.activeElement;
    if (!active || active === document.body || active === el) return false;
    return Boolean(active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  });
  const key = backwards ? 'Shift+Tab' : 'Tab';
  const stops: string[] = [];
  for (let presses = 0; ; presses++) {
    // one round trip per press: where focus is, whether it is the target, whether it can be seen
    const at = await target.evaluate((el) => {
      const active = document.activeElement;
      const none = !active || active === document.body;
      const r = active?.getBoundingClientRect();
      const text = (active?.getAttribute('aria-label') ?? active?.textContent ?? '')
        .trim()
        .replace(/\s+/g, ' ')
        .slice(0, 40);
      return {
        reached: el === active,
        visible:
          none || (active.checkVisibility({ visibilityProperty: true }) && (r?.width ?? 0) > 0 && (r?.height ?? 0) > 0),
        describe: none
          ? '(body)'
          : `<${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''}${active.getAttribute('value') ? `[value=${active.getAttribute('value')}]` : ''}> "${text}"`,
        focusVisible: el === active && el.matches(':focus-visible'),
        outline:
          el === active &&
          getComputedStyle(el).outlineStyle !== 'none' &&
          parseFloat(getComputedStyle(el).outlineWidth) > 0,
      };
    });
    if (presses > 0) {
      stops.push(at.describe);
      expect(at.visible, `focus stop ${at.describe} on the way to ${what} is visible`).toBe(true);
    }
    if (at.reached) {
      expect({ focusVisible: at.focusVisible, outline: at.outline }, `${what} shows it has keyboard focus`).toEqual({
        focusVisible: true,
        outline: true,
      });
      return;
    }
    if (presses >= max)
      throw new Error(`${what} not reached after ${max} × ${key}; focus went through:\n  ${stops.join('\n  ')}`);
    await page.keyboard.press(key);
  }
}
