// SPDX-License-Identifier: EUPL-1.2
/**
 * Every step of the resident flow, in every language the demo municipality offers: WCAG 2.2 AA
 * (axe), language and direction, named controls, reflow at 320 px and 200 % text, right-to-left
 * details for Arabic, and a whole conversation with the keyboard alone.
 *
 * Each step is opened directly: one snapshot per state of flows/resident.ts (the end of the
 * shortest way there) is put on the device, where the island resumes it, as after a reload.
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { metaOf, STATE_NAMES, type SavedConversation } from '../../src/lib/conversation.ts';
import { directionOf, LANGUAGES, type LanguageCode } from '../../src/lib/languages.ts';
import { expectNoAxeViolations } from '../support/axe.ts';
import { expectNamedControls } from '../support/controls.ts';
import { callbackRequests } from '../support/db.ts';
import { snapshotPerStep, type StepSnapshot } from '../../src/lib/flow-events.ts';
import { waitForHydration } from '../support/hydration.ts';
import { isOpenNow, REFERENCE } from '../support/journey.ts';
import { focused, tabTo } from '../support/keyboard.ts';
import { expectNoHorizontalOverflow, expectReadableAtLargeText } from '../support/layout.ts';
import { municipality, t, type Lng } from '../support/strings.ts';

test.describe.configure({ mode: 'parallel' });

const root = new URL('../../', import.meta.url);
const seed = JSON.parse(readFileSync(new URL('src/server/seed/voorbeeld.json', root), 'utf8')) as {
  languages: string[];
};

/** The languages of src/lib/languages.ts that voorbeeld offers and that ship a locales/<lng>/ folder. */
const LNGS = (Object.keys(LANGUAGES) as LanguageCode[]).filter(
  (lng) => seed.languages.includes(lng) && existsSync(new URL(`locales/${lng}/`, root)),
);
const STORAGE_KEY = `hulpgesprek:${municipality.slug}`;
/** `sending` only lasts while the request is on its way: the island sends it the moment it shows. */
const STEPS = snapshotPerStep().filter((s) => s.state !== 'sending');
// The steps, not the service worker, are under test here: without one, a request kept on the
// phone (queued step) stays there instead of being delivered in the background at once.
test.use({ serviceWorkers: 'block' });

/** The copy of a key in a language, as the server fills it in (strings.ts reads any locales/<lng>/). */
const text = (lng: LanguageCode, key: string) => t(lng as Lng, key, municipality.vars);

/** The steps before the help step: everything after it needs the island's later part (LaterSteps.tsx). */
const EARLY = new Set(['language', 'welcome', 'topic', 'urgency', 'urgentInfo']);

function savedFor(lng: LanguageCode, step: StepSnapshot): SavedConversation {
  const context = { ...step.context, language: lng };
  if (step.state === 'done') Object.assign(context, { reference: 'ABCD-EFGH', sentLater: false });
  // A request waiting on the phone lives in IndexedDB: it is made the real way, from the consent step.
  if (step.state === 'queued') return { v: 1, id: randomUUID(), state: 'consent', context: { ...context, errors: {} } };
  return { v: 1, id: randomUUID(), state: step.state, context };
}

/** Opens /voorbeeld/<lng>/ with the step's conversation on the device and waits for the island. */
async function openStep(page: Page, lng: LanguageCode, step: StepSnapshot): Promise<void> {
  await page.unroute('**/api/v1/terugbelverzoeken');
  const script = await page.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [
    STORAGE_KEY,
    JSON.stringify(savedFor(lng, step)),
  ] as const);
  try {
    await page.goto(`/${municipality.slug}/${lng}/`);
    await waitForHydration(page);
    if (!EARLY.has(step.state)) await page.locator('html[data-later="ready"]').waitFor({ state: 'attached' });
  } finally {
    await script.dispose();
  }
  if (step.state === 'queued') {
    // the server cannot be reached: the request waits on the phone
    await page.route('**/api/v1/terugbelverzoeken', (route) => route.abort('internetdisconnected'));
    await page.locator('form.step[data-step="consent"] button[value="yes"]').click();
    await page.locator('.waiting-box').waitFor();
  }
  await expect(page.locator(`form.step[data-step="${step.state}"]`), `${lng} › ${step.state} is shown`).toBeVisible();
}

/**
 * Opens a step with JavaScript off, as the server renders it after a form post: the page's own
 * request is turned into the post that carries the step's conversation.
 */
async function openStepWithoutScript(page: Page, lng: LanguageCode, step: StepSnapshot): Promise<void> {
  const path = `/${municipality.slug}/${lng}/`;
  await page.route(`**${path}`, (route) =>
    route.request().method() === 'GET'
      ? route.continue({
          method: 'POST',
          headers: { ...route.request().headers(), 'content-type': 'application/x-www-form-urlencoded' },
          postData: new URLSearchParams({ conversation: JSON.stringify(savedFor(lng, step)) }).toString(),
        })
      : route.continue(),
  );
  try {
    await page.goto(path);
  } finally {
    await page.unroute(`**${path}`);
  }
  await expect(page.locator(`form.step[data-step="${step.state}"]`), `${lng} › ${step.state} is shown without JavaScript`).toBeVisible();
}

/**
 * Runs `check` on every step and fails at the end with every step that failed, so one run tells
 * all that is wrong in a language instead of stopping at the first step.
 */
async function forEveryStep(
  lng: LanguageCode,
  check: (step: StepSnapshot, where: string) => Promise<void>,
): Promise<void> {
  const failed: string[] = [];
  for (const step of STEPS) {
    const where = `${lng} › ${step.state}`;
    await test
      .step(where, () => check(step, where))
      .catch((error: unknown) => {
        failed.push(
          `${where}: ${error instanceof Error ? error.message.split('\n').slice(0, 40).join('\n    ') : String(error)}`,
        );
      });
  }
  expect(failed, `steps that failed in ${lng}`).toEqual([]);
}

/** A first name in the language's own script, to check it is stored as typed. */
const NAMES: Record<LanguageCode, string> = {
  nl: 'Samira',
  en: 'Sam',
  tr: 'Ayşe',
  ar: 'سميرة',
  pl: 'Zofia',
  uk: 'Оксана',
  pap: 'Shirley',
  ti: 'ሰላም',
};

/** A resident with a keyboard only: Tab, Shift+Tab, Enter, Space and typing; never a click. */
class KeyboardResident {
  readonly page: Page;
  readonly lng: LanguageCode;

  constructor(page: Page, lng: LanguageCode) {
    this.page = page;
    this.lng = lng;
  }

  /** The step is shown, in this language, and focus has moved to its question. */
  async at(state: string): Promise<void> {
    await expect(this.page.locator(`form.step[data-step="${state}"]`), `${this.lng} › ${state} is shown`).toBeVisible();
    await expect(this.page.locator('#step-title'), `${this.lng} › ${state}: focus on the question`)
      .toBeFocused()
      .catch(async (error: unknown) => {
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\nfocus is on ${await focused(this.page)}`,
        );
      });
  }

  async press(selector: string, what: string, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
    await tabTo(this.page, this.page.locator(`form.step ${selector}`), `${this.lng} › ${what}`);
    await this.page.keyboard.press(key);
  }

  async choose(state: string, value: string): Promise<void> {
    await this.at(state);
    await this.press(`button[name="answer"][value="${value}"]`, `${state} › ${value}`);
  }

  async tick(state: string, values: string[]): Promise<void> {
    await this.at(state);
    for (const value of values) {
      const box = this.page.locator(`form.step input[type="checkbox"][value="${value}"]`);
      await tabTo(this.page, box, `${this.lng} › ${state} › ${value}`);
      await this.page.keyboard.press('Space');
      await expect(box, `${this.lng} › ${state} › ${value} ticked with Space`).toBeChecked();
    }
    await this.press('button[name="event"][value="ANSWER"]', `${state} › submit`);
  }

  async type(state: string, field: string, value: string): Promise<void> {
    await this.at(state);
    await tabTo(this.page, this.page.locator(`#${field}`), `${this.lng} › ${state} › field`);
    await this.page.keyboard.type(value);
    await this.press('button[name="event"][value="ANSWER"]', `${state} › submit`);
  }

  async next(state: string): Promise<void> {
    await this.at(state);
    await this.press('button[name="event"][value="NEXT"]', `${state} › next`);
  }
}

test('the flow gives one snapshot of every step a resident can see', () => {
  expect(STEPS.map((s) => s.state).sort()).toEqual(STATE_NAMES.filter((s) => s !== 'sending').sort());
  expect(LNGS.length, 'languages under test').toBeGreaterThan(1);
});

/** The first thing to answer on a step: a choice, a field, "next", or the end screen's actions. */
const FIRST_ANSWER = [
  'form.step button[name="answer"]',
  'form.step input[name="answer"]:not([type="hidden"])',
  'form.step button[name="event"][value="NEXT"]',
  'form.step .actions :is(button, a)',
].join(', ');


for (const lng of LNGS) {
  const dir = directionOf(lng);

  test(`${lng}: every step passes axe (WCAG 2.2 AA), has lang="${lng}" dir="${dir}", its own copy and named controls`, async ({
    page,
  }) => {
    // axe on each of some 25 steps: 45-55 s on a loaded 2-core machine, so the 60 s default is too tight
    test.setTimeout(180_000);
    await forEveryStep(lng, async (step, where) => {
      await openStep(page, lng, step);
      const html = page.locator('html');
      await expect(html).toHaveAttribute('lang', lng);
      await expect(html).toHaveAttribute('dir', dir);
      await expect(page.locator('#step-title')).toHaveText(text(lng, metaOf(step.state).title));
      await expectNamedControls(page, where);
      await expectNoAxeViolations(page, where);
      await expectDirectionDetails(page, dir, where);
      await expectTalkNowTruth(page, lng, step.state, where);
      await expectDraftsSurviveListening(page, step.state, where);
      if (step.state === 'done') await expectChosenOnConfirmation(page, lng, step, where);
      // right to left: phone numbers in running text still read left to right
      if (dir === 'rtl') expect(await reversedPhoneNumbers(page), `${where}: phone numbers shown with their groups out of order`).toEqual([]);
    });
  });

  test(`${lng}: every step reflows at 320 px, and works at 150 % and 200 % text size (360 px wide): labels wrap by words, never narrower than 8 characters`, async ({ page }) => {
    test.setTimeout(180_000);
    await forEveryStep(lng, async (step, where) => {
      await page.setViewportSize({ width: 320, height: 640 });
      await openStep(page, lng, step);
      await expectNoHorizontalOverflow(page, `${where} at 320 px`);
      await page.setViewportSize({ width: 360, height: 740 });
      for (const size of ['150%', '200%']) {
        await page.evaluate((s) => {
          document.documentElement.style.fontSize = s;
        }, size);
        await expectNoHorizontalOverflow(page, `${where} at ${size} text, 360 px`);
        await expectReadableAtLargeText(page, `${where} at ${size} text, 360 px`);
        await expect(page.locator('#step-title'), `${where}: question at ${size}`).toBeVisible();
        await expect(page.locator(FIRST_ANSWER).first(), `${where}: first answer at ${size}`).toBeVisible();
      }
    });
  });

  test(`${lng}: without JavaScript, every step the server renders has its question, its answers and large text that works`, async ({ browser }) => {
    // The server's page alone: the island's scripts never arrive (as on a phone without JavaScript,
    // which resident-journey.spec.ts walks with JavaScript really off), so the layout can be measured.
    const noIsland = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await noIsland.route('**/_astro/**/*.js', (route) => route.abort());
    const measured = await noIsland.newPage();
    try {
      await forEveryStep(lng, async (step, where) => {
        if (step.state === 'queued') return; // a request waits on the phone only where the island keeps it
        await openStepWithoutScript(measured, lng, step);
        await expect(measured.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
        await expect(measured.locator('html')).toHaveAttribute('lang', lng);
        await expect(measured.locator('#step-title')).toHaveText(text(lng, metaOf(step.state).title));
        await expect(measured.locator(FIRST_ANSWER).first(), `${where}: first answer without JavaScript`).toBeVisible();
        await expectTalkNowTruth(measured, lng, step.state, `${where} without JavaScript`);
        if (step.state === 'done') await expectChosenOnConfirmation(measured, lng, step, `${where} without JavaScript`);
        for (const size of ['150%', '200%']) {
          await measured.evaluate((s) => {
            document.documentElement.style.fontSize = s;
          }, size);
          await expectNoHorizontalOverflow(measured, `${where} without JavaScript at ${size}`);
          await expectReadableAtLargeText(measured, `${where} without JavaScript at ${size}`);
        }
      });
    } finally {
      await noIsland.close();
    }
  });

  test(`${lng}: the keyboard alone gets from the language screen to a stored request`, async ({ page }) => {
    test.setTimeout(120_000);
    const r = new KeyboardResident(page, lng);
    // Residents land on the Dutch page and pick their language there (another page for any other).
    await page.goto(`/${municipality.slug}/nl/`);
    await waitForHydration(page);
    await expect(page.locator('form.step[data-step="language"]')).toBeVisible();
    await r.press(`button[name="answer"][value="${lng}"]`, `language › ${lng}`);
    if (lng !== 'nl') {
      await expect(page).toHaveURL(`/${municipality.slug}/${lng}/`);
      await waitForHydration(page);
    }
    await expect(page.locator('html')).toHaveAttribute('lang', lng);
    await expect(page.locator('html')).toHaveAttribute('dir', dir);

    await r.next('welcome');
    await r.choose('topic', 'energy');
    await r.choose('urgency', 'cutoff');
    await r.next('urgentInfo');
    await r.tick('help', ['arrangement', 'buurtteam']);
    await r.type('phone', 'field-phone', '06 12345678');
    await r.tick('moments', ['morning', 'evening']);
    await r.choose('ways', 'whatsapp');
    await r.choose('consent', 'yes');
    await r.at('done');
    const reference = (await page.locator('form.step .reference strong').innerText()).trim();
    await r.press('button[name="event"][value="MORE"]', 'done › tell more');
    await r.choose('checkin', 'worried');
    await r.choose('happened', 'income');
    await r.choose('moreBills', 'yes');
    await r.choose('talkLanguage', lng);
    await r.tick('contactPrefs', ['interpreter']);
    await r.choose('voicemail', 'yes');
    await r.type('name', 'field-firstName', NAMES[lng]);
    await r.at('thanks');

    expect(reference).toMatch(REFERENCE);
    const conversation = JSON.parse(
      (await page.locator('form.step input[name="conversation"]').getAttribute('value')) ?? '{}',
    ) as { id?: string };
    await expect
      .poll(() => callbackRequests({ reference })[0]?.first_name, { message: 'the name given after sending' })
      .toBe(NAMES[lng]);
    const rows = callbackRequests({ reference });
    expect(rows, `callback_requests rows with reference ${reference}`).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      municipality: municipality.slug,
      conversation_id: conversation.id,
      language: lng,
      topic: 'energy',
      urgent: 1,
      phone: '+31612345678',
      first_name: NAMES[lng],
      consent: 1,
    });
    expect(JSON.parse(row.answers)).toMatchObject({
      talkLanguage: lng,
      help: ['arrangement', 'buurtteam'],
      ways: ['whatsapp'],
      contactPrefs: ['interpreter'],
      checkin: 'worried',
    });
  });

}

/** Steps where the request is in or the resident ends alone: no call-back is offered any more. */
const AFTER_SENDING = new Set(['done', 'thanks', 'checkin', 'happened', 'moreBills', 'talkLanguage', 'contactPrefs', 'voicemail', 'name', 'queued', 'discarded', 'selfDone']);

/** "Call us now" only while open; when closed, when it opens again and (before sending) the call-back instead. */
async function expectTalkNowTruth(page: Page, lng: LanguageCode, state: string, where: string): Promise<void> {
  const box = page.locator('section.talk-now');
  if (isOpenNow()) {
    await expect(box.locator('h2'), `${where}: open`).toHaveText(text(lng, 'talkNow.title'));
    await expect(box.locator('a[href^="tel:"]'), `${where}: call button while open`).toHaveCount(1);
    return;
  }
  await expect(box.locator('h2'), `${where}: closed`).toHaveText(text(lng, 'talkNow.closedTitle'));
  await expect(box.locator('a[href^="tel:"]'), `${where}: no call button while closed`).toHaveCount(0);
  await expect(box.locator('.reopens'), `${where}: when it opens again`).toHaveCount(1);
  await expect(box.getByText(text(lng, 'talkNow.closed')), `${where}: the call-back instead`).toHaveCount(AFTER_SENDING.has(state) ? 0 : 1);
}

/** Whatever is typed or ticked stays when the resident listens to the step and slows it down. */
async function expectDraftsSurviveListening(page: Page, state: string, where: string): Promise<void> {
  const field = page.locator('form.step input[name="answer"]:not([type="hidden"]):not([type="checkbox"])');
  const boxes = page.locator('form.step input[type="checkbox"][name="answer"]');
  if ((await field.count()) === 0 && (await boxes.count()) === 0) return;
  const typed = state === 'phone' ? '06 12345678' : 'Samira';
  if (await field.count()) await field.fill(typed);
  if (await boxes.count()) await boxes.last().check();
  await page.locator('form.step button.listen').first().click();
  await page.locator('button.slower').click();
  await page.locator('button.slower').click();
  if (await field.count()) await expect(field, `${where}: typed text after listening`).toHaveValue(typed);
  if (await boxes.count()) await expect(boxes.last(), `${where}: ticked box after listening`).toBeChecked();
}

/** The confirmation names the way and the parts of day the resident chose, in their language. */
async function expectChosenOnConfirmation(page: Page, lng: LanguageCode, step: StepSnapshot, where: string): Promise<void> {
  const chosen = [...step.context.ways.map((w) => text(lng, `steps.ways.options.${w}`)), ...step.context.moments.map((m) => text(lng, `steps.moments.options.${m}`))];
  expect(chosen.length, `${where}: the snapshot chose something`).toBeGreaterThan(1);
  await expect(page.locator('form.step .chosen dd'), `${where}: what was chosen`).toHaveText(chosen);
  await expect(page.locator('form.step'), `${where}: no staff calling window`).not.toContainText('12:00');
}

/**
 * Direction details of a step: the arrow icons (`.icon-mirror`) point the way the language reads
 * (mirrored in right-to-left, and there is one wherever there is "back"); phone number fields and
 * the numbers in tel: links stay left-to-right.
 */
async function expectDirectionDetails(page: Page, dir: 'ltr' | 'rtl', where: string): Promise<void> {
  const found = await page.evaluate(() => {
    const arrows = [...document.querySelectorAll('.icon-mirror')]
      .filter((e) => e.checkVisibility())
      .map((e) => ({
        icon: e.querySelector('use')?.getAttribute('href') ?? '',
        mirrored: getComputedStyle(e).transform !== 'none',
      }));
    const inputs = [...document.querySelectorAll('input[type="tel"]')].map((e) => ({
      id: e.id,
      dir: e.getAttribute('dir'),
      direction: getComputedStyle(e).direction,
    }));
    const links = [...document.querySelectorAll('a[href^="tel:"]')].map((a) => {
      // the elements that hold the number's digits
      const holders = [a, ...a.querySelectorAll('*')].filter((e) =>
        [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && /\d{3}/.test(n.textContent ?? '')),
      );
      const ltr = holders.every(
        (e) => e.closest('[dir]')?.getAttribute('dir') === 'ltr' && getComputedStyle(e).direction === 'ltr',
      );
      return {
        href: a.getAttribute('href'),
        text: (a.textContent ?? '').trim(),
        numberIsLtr: holders.length > 0 && ltr,
      };
    });
    return { arrows, inputs, links, hasBack: document.querySelector('form.step button[value="BACK"]') !== null };
  });
  if (found.hasBack) expect(found.arrows.length, `${where}: arrow icons`).toBeGreaterThan(0);
  expect(
    found.arrows.filter((a) => a.mirrored !== (dir === 'rtl')),
    `${where}: arrow icons ${dir === 'rtl' ? 'not ' : ''}mirrored in ${dir}`,
  ).toEqual([]);
  expect(
    found.inputs.filter((i) => i.dir !== 'ltr' || i.direction !== 'ltr'),
    `${where}: phone inputs not dir="ltr"`,
  ).toEqual([]);
  expect(
    found.links.filter((l) => !l.numberIsLtr),
    `${where}: tel: links whose number is not marked dir="ltr"`,
  ).toEqual([]);
}

/**
 * Phone-number-like runs of digit groups ("0118 123 456", "06-12345678") anywhere in the visible
 * text whose groups are laid out out of order: on one line, each group must start right of the
 * one before it, as a number reads left to right even in a right-to-left sentence.
 */
async function reversedPhoneNumbers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = node.textContent ?? '';
      if (!node.parentElement?.checkVisibility()) continue;
      for (const m of value.matchAll(/\+?\d+(?:[ -]\d+)+/g)) {
        const boxes = [...m[0].matchAll(/\d+/g)].map((g) => {
          range.setStart(node, m.index + g.index);
          range.setEnd(node, m.index + g.index + g[0].length);
          const r = range.getBoundingClientRect();
          return { left: r.left, top: r.top };
        });
        const outOfOrder = boxes.some(
          (b, i) => i > 0 && Math.abs(b.top - boxes[i - 1]!.top) < 2 && b.left < boxes[i - 1]!.left,
        );
        if (outOfOrder)
          out.push(`"${m[0]}" in <${node.parentElement.tagName.toLowerCase()}> "${value.trim().slice(0, 80)}"`);
      }
    }
    return out;
  });
}
