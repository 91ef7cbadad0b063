// SPDX-License-Identifier: EUPL-1.2
// Every screen of the nl and en journeys meets WCAG 2.2 AA (axe), has the right lang/dir and named controls.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from '../support/axe.ts';
import { expectNamedControls } from '../support/controls.ts';
import { NL_CALLBACK, Resident, type Plan, type Step } from '../support/journey.ts';
import { municipality, type Lng } from '../support/strings.ts';

/** The checks run on every screen: language and direction of the page, named controls, axe. */
function everyScreen(r: Resident, journey: string, seen: string[], only?: string[]) {
  return async (step: Step | 'phone:error') => {
    const where = `${journey} › ${step}`;
    seen.push(step);
    if (only && !only.includes(step)) return;
    await expect(r.page.locator('html')).toHaveAttribute('lang', r.lng);
    await expect(r.page.locator('html')).toHaveAttribute('dir', 'ltr');
    await expectNamedControls(r.page, where);
    await expectNoAxeViolations(r.page, where);
    if (step === 'welcome') {
      // The language menu, opened: its buttons are named (each in its own language) and pass axe too.
      const summary = r.page.getByText(r.text('language.change'), { exact: true });
      await summary.click();
      await expectNamedControls(r.page, `${where} (language menu open)`);
      await expectNoAxeViolations(r.page, `${where} (language menu open)`);
      await summary.click();
    }
  };
}

async function walkWithChecks(page: Page, lng: Lng, plan: Plan, journey: string, only?: string[]): Promise<string[]> {
  const r = new Resident(page, 'nl');
  const seen: string[] = [];
  await r.open('nl');
  await r.walk(lng, plan, everyScreen(r, journey, seen, only));
  return seen;
}

test('nl: every screen to a stored request (urgent info, phone error, no consent then yes) passes WCAG 2.2 AA', async ({
  page,
}) => {
  const seen = await walkWithChecks(
    page,
    'nl',
    { ...NL_CALLBACK, invalidPhone: '12', invalidPhoneCode: 'tooShort', consent: 'no', noConsent: 'back' },
    'nl',
  );
  expect(seen).toEqual([
    'language',
    'welcome',
    'topic',
    'urgency',
    'urgentInfo',
    'help',
    'phone',
    'phone:error',
    'moments',
    'ways',
    'consent',
    'noConsent',
    'consent',
    'done',
    'checkin',
    'happened',
    'moreBills',
    'talkLanguage',
    'contactPrefs',
    'voicemail',
    'name',
    'thanks',
  ]);
});

test('en: every screen via self-help and "call me after all" to a stored request passes WCAG 2.2 AA', async ({
  page,
}) => {
  const plan: Plan = {
    topic: 'unknown',
    urgency: 'bailiff',
    help: ['self'],
    selfHelp: 'callback',
    invalidPhone: '12',
    invalidPhoneCode: 'tooShort',
    phone: '0612345678',
    moments: ['anytime'],
    way: 'call',
    consent: 'yes',
  };
  const seen = await walkWithChecks(page, 'en', plan, 'en');
  expect(seen).toEqual([
    'language',
    'welcome',
    'topic',
    'urgency',
    'urgentInfo',
    'help',
    'selfHelp',
    'phone',
    'phone:error',
    'moments',
    'ways',
    'consent',
    'done',
  ]);
});

test('en: the "I\'ll do it myself" ending passes WCAG 2.2 AA', async ({ page }) => {
  const plan: Plan = { ...NL_CALLBACK, urgency: 'none', help: ['self'], selfHelp: 'finish' };
  // the screens before "help" are checked by the journey above
  const seen = await walkWithChecks(page, 'en', plan, 'en self', ['selfHelp', 'selfDone']);
  expect(seen.slice(-2)).toEqual(['selfHelp', 'selfDone']);
});

test('with JavaScript, after each answer focus moves to the new question', async ({ page }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await r.chooseLanguage('nl');
  for (const [step, answer] of [
    ['welcome', () => r.start()],
    ['topic', () => r.choose('topic', 'rent')],
    ['urgency', () => r.choose('urgency', 'none')],
    ['help', () => r.back()],
  ] as const) {
    await r.expectStep(step);
    await expect(r.heading(), `focus on the ${step} question`).toBeFocused();
    await answer();
  }
});

test('with JavaScript, the page title names the current question', async ({ page }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await r.walk('nl', NL_CALLBACK, async (step) => {
    if (step === 'phone:error') return;
    await expect(page).toHaveTitle(`${r.title(step)} · ${municipality.name}`);
  });
});
