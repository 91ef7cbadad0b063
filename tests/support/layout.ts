// SPDX-License-Identifier: EUPL-1.2
// Reflow (WCAG 1.4.10) and text resize (1.4.4): nothing on the page sticks out sideways.
import { expect, type Page } from '@playwright/test';

export interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** visible elements or text whose box ends left of 0 or right of the viewport's width */
  outside: string[];
}

/**
 * Measures horizontal overflow: the document's scroll width, every visible element's box and
 * every line box of visible text (text can stick out of a box that does not grow with it).
 * Visually hidden content (the 1 px clipped pattern, `.visually-hidden`) is ignored.
 */
export async function horizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const TOLERANCE = 0.5;
    const outside: string[] = [];

    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : '';
      const cls =
        typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
      return `<${el.tagName.toLowerCase()}${id}${cls}>${text ? ` "${text}"` : ''}`;
    };
    const hiddenCache = new Map<Element, boolean>();
    const visuallyHidden = (el: Element | null): boolean => {
      if (!el || el === root) return false;
      const known = hiddenCache.get(el);
      if (known !== undefined) return known;
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const clipped =
        el.classList.contains('visually-hidden') ||
        (style.position === 'absolute' &&
          r.width <= 1 &&
          r.height <= 1 &&
          (style.overflow === 'hidden' || style.clipPath !== 'none'));
      const result = clipped || visuallyHidden(el.parentElement);
      hiddenCache.set(el, result);
      return result;
    };
    const sticksOut = (r: DOMRect) => r.width > 0 && (r.left < -TOLERANCE || r.right > width + TOLERANCE);
    const px = (r: DOMRect) => `[${Math.round(r.left)}, ${Math.round(r.right)}] of ${width}`;

    // Only the outermost element that sticks out is named: its contents go with it.
    const reported = new Set<Element>();
    const insideReported = (el: Element | null) => {
      for (let e = el; e; e = e.parentElement) if (reported.has(e)) return true;
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      if (!el.checkVisibility({ visibilityProperty: true }) || visuallyHidden(el)) continue;
      const r = el.getBoundingClientRect();
      if (sticksOut(r) && !insideReported(el.parentElement)) {
        outside.push(`${describe(el)} ${px(r)}`);
        reported.add(el);
      }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!node.textContent?.trim() || !parent) continue;
      if (!parent.checkVisibility({ visibilityProperty: true }) || visuallyHidden(parent) || insideReported(parent))
        continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (sticksOut(r)) {
          outside.push(`text "${node.textContent.trim().slice(0, 60)}" in ${describe(parent)} ${px(r)}`);
          break;
        }
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, outside };
  });
}

/** Fails, naming what sticks out, when the page scrolls sideways or anything is outside the viewport. */
export async function expectNoHorizontalOverflow(page: Page, where: string): Promise<void> {
  const o = await horizontalOverflow(page);
  expect(o.outside, `outside the viewport horizontally at ${where}`).toEqual([]);
  expect(o.scrollWidth, `document scroll width (client width ${o.clientWidth}) at ${where}`).toBeLessThanOrEqual(
    o.clientWidth,
  );
}
