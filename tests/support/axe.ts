// SPDX-License-Identifier: EUPL-1.2
// Runs axe-core (WCAG 2.2 AA rule set) on the page and fails with a readable list of violations.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function expectNoAxeViolations(page: Page, context: string): Promise<void> {
  // Legacy mode runs axe in the page itself: our pages have no frames, and it saves a blank page per run.
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode(true).analyze();
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
  if (violations.length > 0) {
    const lines = violations.map((v) => `  - ${v.id} (${v.impact}): ${v.help}\n      ${v.targets.join('\n      ')}`);
    console.error(`axe violations at ${context}:\n${lines.join('\n')}`);
  }
  expect(violations, `axe (WCAG 2.2 AA) violations at ${context}`).toEqual([]);
}
