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

export interface LabelProblems {
  /** answer labels narrower than 8 characters of their own font */
  narrow: string[];
  /** words of the visible text laid out over two lines (broken letter by letter, not between words) */
  broken: string[];
}

/**
 * Large text (WCAG 1.4.4 at 150 % and 200 %): every answer label keeps at least 8 characters'
 * width, and no word of the page's text is split over two lines.
 */
export async function labelProblems(page: Page): Promise<LabelProblems> {
  return page.evaluate(() => {
    const narrow: string[] = [];
    const probe = document.createElement('span');
    probe.textContent = '00000000';
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    probe.style.whiteSpace = 'nowrap';
    for (const label of document.querySelectorAll<HTMLElement>('.choice-label')) {
      if (!label.checkVisibility()) continue;
      label.appendChild(probe);
      const eight = probe.getBoundingClientRect().width;
      probe.remove();
      const width = label.getBoundingClientRect().width;
      if (width + 0.5 < eight) narrow.push(`"${(label.textContent ?? '').trim().slice(0, 40)}" is ${Math.round(width)} px, 8 characters are ${Math.round(eight)} px`);
    }
    const broken: string[] = [];
    const range = document.createRange();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent ?? '';
      if (!parent || !text.trim() || !parent.checkVisibility() || parent.closest('.visually-hidden, .skip-link, [hidden]')) continue;
      for (const word of text.matchAll(/[^\s\u00a0]+/g)) {
        // a web or e-mail address wider than the screen can only break; it is not a word
        if (/^\S*[\w-]\.[a-z]{2,}\S*$/i.test(word[0])) continue;
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(`"${word[0]}" in <${parent.tagName.toLowerCase()} class="${parent.className}">`);
      }
    }
    return { narrow, broken };
  });
}

export async function expectReadableAtLargeText(page: Page, where: string): Promise<void> {
  const problems = await labelProblems(page);
  expect(problems.narrow, `answer labels narrower than 8 characters at ${where}`).toEqual([]);
  expect(problems.broken, `words broken over two lines at ${where}`).toEqual([]);
}
