// SPDX-License-Identifier: EUPL-1.2
// What residents found on a phone that the tests missed (issue 12): nothing typed is lost, the
// confirmation says what was chosen, open or closed is told truthfully, the way to a request is
// as short as the welcome says, and the number is read back before it is sent.
import { expect, test, type Page } from '@playwright/test';
import { estimate } from '../../src/lib/estimate.ts';
import { openingSchedule } from '../../src/lib/opening.ts';
import { readManifest } from '../../src/cli/audio.ts';
import { callbackRequests, databaseFile } from '../support/db.ts';
import { Resident, SHORTEST } from '../support/journey.ts';
import { createStaff } from '../support/staff.ts';
import { logIn } from '../support/staff-login.ts';
import { municipality, t, type Lng } from '../support/strings.ts';

test.use({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });

/** Walks to the phone step the shortest way. */
async function toPhone(r: Resident, lng: Lng): Promise<void> {
  await r.open(lng);
  await r.chooseLanguage(lng);
  await r.start();
  await r.choose('topic', 'rent');
  await r.choose('urgency', 'none');
  await r.tick('help', ['talk']);
  await r.expectStep('phone');
}

/** Taps every listen button of the step and "slower", as a resident who listens before going on. */
async function listenToEverything(page: Page): Promise<number> {
  const buttons = page.locator('form.step button.listen');
  await expect(buttons.first()).toBeVisible();
  const count = await buttons.count();
  for (let i = 0; i < count; i++) {
    await buttons.nth(i).click();
    await buttons.nth(i).click();
  }
  await page.locator('button.slower').click();
  await page.locator('button.slower').click();
  return count;
}

for (const lng of ['nl', 'ar'] as const) {
  test(`${lng}: listening, "slower", a reload and a language switch keep every typed number and ticked box`, async ({ page }) => {
    const r = new Resident(page, lng);
    await toPhone(r, lng);
    await r.phoneField().fill('06 12345678');
    expect(await listenToEverything(page)).toBeGreaterThan(2);
    await expect(r.phoneField()).toHaveValue('06 12345678');
    await r.reload();
    await expect(r.phoneField()).toHaveValue('06 12345678');
    await r.switchLanguage(lng === 'nl' ? 'en' : 'nl');
    await r.expectStep('phone');
    await expect(r.phoneField()).toHaveValue('06 12345678');
    await r.switchLanguage(lng);
    await r.button('steps.phone.submit').click();
    // no "please fill out this field": the number went on, checked and grouped
    await r.expectStep('moments');
    await r.checkbox('moments', 'evening').check();
    await r.checkbox('moments', 'morning').check();
    await listenToEverything(page);
    await expect(r.checkbox('moments', 'evening')).toBeChecked();
    await expect(r.checkbox('moments', 'morning')).toBeChecked();
    await r.switchLanguage(lng === 'nl' ? 'en' : 'nl');
    await r.expectStep('moments');
    await expect(r.checkbox('moments', 'evening')).toBeChecked();
    await expect(r.checkbox('moments', 'morning')).toBeChecked();
    await r.button('steps.moments.submit').click();
    await r.choose('ways', 'whatsapp');
    await expect(r.readBack()).toHaveText('06 12 34 56 78');
  });
}

test('a failed send keeps every answer: back from the error shows them all', async ({ page }) => {
  const r = new Resident(page, 'nl');
  await toPhone(r, 'nl');
  await r.enterPhone('0612345678');
  await r.tick('moments', ['afternoon']);
  await r.choose('ways', 'visit');
  await page.route('**/api/v1/terugbelverzoeken', (route) => route.fulfill({ status: 400, body: '{}' }));
  await r.choose('consent', 'yes');
  await r.expectStep('consent');
  await expect(page.getByRole('alert')).toHaveText(r.text('errors.network'));
  await expect(r.readBack()).toHaveText('06 12 34 56 78');
  await r.back();
  await expect(r.option('ways', 'visit')).toHaveAttribute('aria-pressed', 'true');
  await r.back();
  await expect(r.checkbox('moments', 'afternoon')).toBeChecked();
  await r.back();
  await expect(r.phoneField()).toHaveValue('06 12 34 56 78');
});

test('nl: the shortest way to a sent request is at most 12 taps, and the welcome says how long it takes', async ({ page }) => {
  const measured = estimate(readManifest('nl'), municipality.slug, false);
  expect(measured.taps, 'taps on the shortest way (flow graph)').toBeLessThanOrEqual(12);
  await page.addInitScript(() => {
    const w = window as unknown as { taps: number };
    w.taps = 0;
    document.addEventListener('pointerdown', () => w.taps++, true);
  });
  const r = new Resident(page, 'nl');
  await r.open();
  await r.chooseLanguage('nl');
  // the welcome's length is what the flow and the clips measure, not a guess
  const length = t('nl', 'steps.welcome.length', { count: measured.minutes, questions: measured.questions });
  await expect(page.locator('form.step')).toContainText(length);
  expect(measured.questions).toBe(7);
  expect(measured.seconds).toBeLessThanOrEqual(measured.minutes * 60);
  await r.start();
  await r.choose('topic', SHORTEST.topic);
  await r.choose('urgency', SHORTEST.urgency);
  // "Call me back" is the first choice of the help step
  await expect(page.locator('form.step input[type="checkbox"]').first()).toHaveAttribute('value', 'talk');
  await r.tick('help', SHORTEST.help);
  await r.expectStep('phone');
  await r.phoneField().click();
  await page.keyboard.type(SHORTEST.phone);
  await r.button('steps.phone.submit').click();
  await r.tick('moments', SHORTEST.moments);
  await r.choose('ways', SHORTEST.way);
  await r.choose('consent', 'yes');
  const reference = await r.reference();
  const taps = await page.evaluate(() => (window as unknown as { taps: number }).taps);
  // the language screen's tap happens on the page the count starts on
  expect(taps, 'taps from the language screen to a sent request').toBeLessThanOrEqual(12);
  expect(taps).toBe(measured.taps);
  expect(callbackRequests({ reference })).toHaveLength(1);
});

test('nl: the confirmation says the way and the part of day chosen, and who gets in touch; urgent comes first', async ({ page }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await r.walk('nl', { ...SHORTEST, moments: ['evening'], way: 'whatsapp' });
  const step = page.locator('form.step');
  await expect(step).toContainText(r.text('steps.done.promise'));
  await expect(step).toContainText(r.text('steps.done.who'));
  await expect(step.locator('.chosen dd')).toHaveText([r.text('steps.ways.options.whatsapp'), r.text('steps.moments.options.evening')]);
  // no promise of a morning phone call to someone who chose WhatsApp in the evening
  await expect(step).not.toContainText('09:00');
  await expect(step).not.toContainText(r.text('steps.done.urgent'));
  // the code cannot be taken for a phone number
  await expect(step.locator('.reference')).toContainText(r.text('steps.done.reference', { reference: '' }).trim());
  await expect(step).toContainText(r.text('steps.done.referenceNote'));

  await r.button('steps.done.restart').click();
  await r.walk('nl', { ...SHORTEST, urgency: 'bailiff', moments: ['morning', 'afternoon'], way: 'visit' });
  const promises = step.locator('.promise');
  await expect(promises).toHaveCount(1);
  await expect(promises).toHaveText(r.text('steps.done.urgent'));
  await expect(step.locator('.chosen dd')).toHaveText([
    r.text('steps.ways.options.visit'),
    r.text('steps.moments.options.morning'),
    r.text('steps.moments.options.afternoon'),
  ]);
});

test('ar: Arabic-Indic digits are a number; a wrong one is explained in Arabic; the number is read back and can be heard', async ({ page }) => {
  const r = new Resident(page, 'ar');
  await toPhone(r, 'ar');
  await r.enterPhone('٠٦١٢');
  await r.expectPhoneError('phone.tooShort');
  await r.enterPhone('٠٦١٢٣٤٥٦٧٨');
  await r.tick('moments', ['evening']);
  await r.choose('ways', 'call');
  await expect(r.readBack()).toHaveText('06 12 34 56 78');
  // the read-back plays the digits one by one: 0, 6, 1, 2 … from the Arabic clips
  const heard: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/audio/ar/')) heard.push(new URL(req.url()).pathname);
  });
  const listen = page.locator('.readback button.listen').last();
  await listen.click();
  await expect.poll(() => new Set(heard).size, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
  await r.choose('consent', 'yes');
  const reference = await r.reference();
  expect(callbackRequests({ reference })[0]).toMatchObject({ phone: '+31612345678', language: 'ar' });
});

test('without JavaScript: a language switch keeps what is typed, and a wrong number is explained', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const r = new Resident(page, 'nl', false);
  await toPhone(r, 'nl');
  await r.phoneField().fill('06 1234');
  await r.switchLanguage('pl');
  await r.expectStep('phone');
  await expect(r.phoneField()).toHaveValue('06 1234');
  await r.button('steps.phone.submit').click();
  await r.expectPhoneError('phone.tooShort');
  await r.enterPhone('0612345678');
  await r.checkbox('moments', 'evening').check();
  await r.switchLanguage('nl');
  await expect(r.checkbox('moments', 'evening')).toBeChecked();
  await r.button('steps.moments.submit').click();
  await r.choose('ways', 'call');
  await expect(r.readBack()).toHaveText('06 12 34 56 78');
  await context.close();
});

/** A moment in the coming days at the given local hour on a weekday that is (or is not) open. */
function localMoment(open: boolean): Date {
  const schedule = openingSchedule(municipality.seed, new Date());
  if (open) return new Date(schedule.periods[1]!.start + 60 * 60_000);
  // an hour after a closing time when the next opening is the morning after or later (a gap of
  // over 6 hours), whatever time of day the test runs
  const i = schedule.periods.findIndex((p, k) => (schedule.periods[k + 1]?.start ?? Infinity) - p.end > 6 * 3600_000);
  return new Date(schedule.periods[i]!.end + 60 * 60_000);
}

test('open or closed, said truthfully: "call us now" only while open, and when it opens again', async ({ page }) => {
  const r = new Resident(page, 'nl');
  await page.clock.install({ time: localMoment(false) });
  await r.open();
  await r.chooseLanguage('nl');
  await r.start();
  await r.expectTalkNow(false);
  const closed = page.getByRole('region', { name: r.text('talkNow.closedTitle') });
  await expect(closed.locator('.reopens')).toHaveText(/09:00/);
  await r.choose('topic', 'energy');
  await r.choose('urgency', 'cutoff');
  await r.expectStep('urgentInfo');
  // urgent while closed: no call button that nobody answers, the call-back first instead
  await expect(page.locator('form.step')).toContainText(r.text('steps.urgentInfo.bodyClosed'));
  await expect(page.locator('form.step a[href^="tel:"]')).toHaveCount(0);

  await page.clock.setFixedTime(localMoment(true));
  await r.reload();
  await r.expectTalkNow(true);
  await expect(page.locator('form.step a[href^="tel:"]')).toHaveCount(1);
});

test('the staff request page shows what makes contact easier, given after sending', async ({ page, browser }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  await r.walk('nl', {
    ...SHORTEST,
    extras: { checkin: 'ok', happened: 'ratherNot', moreBills: 'no', talkLanguage: 'ar', contactPrefs: ['woman', 'interpreter'], voicemail: 'no', name: null },
  });
  const id = await r.conversationId();
  await expect
    .poll(() => JSON.parse(callbackRequests({ conversationId: id })[0]?.answers ?? '{}').contactPrefs)
    .toEqual(['woman', 'interpreter']);
  const request = callbackRequests({ conversationId: id })[0]!;

  const user = await createStaff(databaseFile(), { role: 'caseworker' });
  const staff = await (await browser.newContext()).newPage();
  await logIn(staff, user);
  await staff.goto(`/staff/verzoeken/${request.id}`);
  const row = staff.locator('dt', { hasText: 'Wat het contact makkelijker maakt' });
  await expect(row).toBeVisible();
  await expect(staff.locator('dd').filter({ hasText: 'Liever een vrouw' })).toBeVisible();
  await expect(staff.locator('dd').filter({ hasText: 'Een tolk erbij' })).toBeVisible();
  await expect(staff.locator('dd').filter({ hasText: 'Arabisch' })).toBeVisible();
});

test('languages are told apart by their own names, not by the same globe eight times', async ({ page }) => {
  const r = new Resident(page, 'nl');
  await r.open();
  const buttons = page.locator('form.step[data-step="language"] button[name="answer"]');
  await expect(buttons).toHaveCount(8);
  await expect(buttons.locator('svg')).toHaveCount(0);
  await r.walk('nl', { ...SHORTEST, extras: undefined });
  await r.button('steps.done.moreYes').click();
  await r.choose('checkin', 'ok');
  await r.choose('happened', 'ratherNot');
  await r.choose('moreBills', 'no');
  await r.expectStep('talkLanguage');
  await expect(page.locator('form.step .choice-native[lang="ti"]')).toHaveText('ትግርኛ');
  await expect(page.locator('form.step .choice-native[lang="ar"]')).toHaveAttribute('dir', 'rtl');
});
