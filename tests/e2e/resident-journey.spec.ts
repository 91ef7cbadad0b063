// SPDX-License-Identifier: EUPL-1.2
// A resident's conversation end to end in the browser: with and without JavaScript, resume, back, language switch.
import { expect, test, type Page } from '@playwright/test';
import { callbackRequests, conversations, type CallbackRequestRow } from '../support/db.ts';
import { NL_CALLBACK, REFERENCE, Resident, type Plan } from '../support/journey.ts';
import { municipality, pathFor } from '../support/strings.ts';

/** Exactly one stored request with this reference, and its answers as codes. */
function storedRequest(reference: string): CallbackRequestRow & { parsed: Record<string, unknown> } {
  const rows = callbackRequests({ reference });
  expect(rows, `callback_requests rows with reference ${reference}`).toHaveLength(1);
  const row = rows[0]!;
  return { ...row, parsed: JSON.parse(row.answers) as Record<string, unknown> };
}

function answerCodes(plan: Plan): Record<string, unknown> {
  return {
    checkin: plan.checkin,
    happened: plan.happened,
    moreBills: plan.moreBills,
    urgency: plan.urgency,
    help: plan.help,
    moments: plan.moments,
    ways: plan.ways,
    talkLanguage: plan.talkLanguage,
    voicemail: plan.voicemail,
  };
}

/** The conversation's progress row ends finished with this outcome (the island reports it asynchronously). */
async function expectConversationFinished(id: string, outcome: 'callback' | 'self'): Promise<void> {
  await expect
    .poll(() => conversations({ id })[0], { message: `conversations row ${id}` })
    .toMatchObject({ municipality: municipality.slug, outcome, finished_at: expect.any(String) });
}

function countPageLoads(page: Page): () => number {
  let loads = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) loads++;
  });
  return () => loads;
}

test.describe('with JavaScript', () => {
  test('nl: a full conversation stores one urgent call-back request, without a single page load', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open();
    const pageLoads = countPageLoads(page);
    await page.evaluate(() => {
      (window as unknown as { e2eMarker: string }).e2eMarker = 'same document';
    });

    const end = await r.walk('nl', NL_CALLBACK, async () => {
      // "Talk to someone now" with the municipality's number stays visible on every step.
      await r.expectTalkNow();
    });
    expect(end).toBe('done');

    const reference = await r.reference();
    expect(reference).toMatch(REFERENCE);
    expect(pageLoads(), 'main-frame navigations after the first answer').toBe(0);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');

    // The done screen lists what the municipality offers for the help that was chosen.
    for (const help of NL_CALLBACK.help) {
      await expect(page.getByRole('listitem').filter({ hasText: municipality.offerName(help, 'nl')! })).toBeVisible();
    }

    const row = storedRequest(reference);
    expect(row).toMatchObject({
      reference,
      phone: '+31612345678',
      urgent: 1,
      topic: 'energy',
      municipality: 'voorbeeld',
      language: 'nl',
      first_name: 'Samira',
      consent: 1,
      channel: 'web',
      status: 'new',
    });
    expect(row.parsed).toEqual(answerCodes(NL_CALLBACK));
    const id = await r.conversationId();
    expect(row.conversation_id).toBe(id);
    await expectConversationFinished(id, 'callback');

    // Once stored, the phone number and name are no longer kept on the device.
    const onDevice = await page.evaluate((key) => localStorage.getItem(key), `hulpgesprek:${municipality.slug}`);
    const device = JSON.parse(onDevice ?? '{}') as { state?: string; context?: { phone?: string; firstName?: string } };
    expect(device).toMatchObject({ state: 'done', context: { phone: '', firstName: '' } });
  });

  test('en: only "I\'ll do it myself" ends on the self-help screens and stores no request', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open('nl');
    await r.chooseLanguage('en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await r.start();
    await r.choose('topic', 'unknown');
    await r.choose('checkin', 'ok');
    await r.choose('happened', 'ratherNot');
    await r.choose('moreBills', 'unknown');
    await r.choose('urgency', 'unknown');
    await r.tick('help', ['self']);
    await r.expectStep('selfHelp');
    await expect(page.getByText(r.text('steps.selfHelp.body'))).toBeVisible();
    await r.choose('selfHelp', 'finish');
    await r.expectStep('selfDone');
    await expect(r.button('nav.restart')).toBeVisible();

    const id = await r.conversationId();
    await expectConversationFinished(id, 'self');
    expect(callbackRequests({ conversationId: id })).toEqual([]);
    const progress = conversations({ id })[0]!;
    expect(progress).toMatchObject({ language: 'en', topic: 'unknown', last_step: 'selfDone' });
  });

  test('en: "call me after all" from the self-help screen stores a request in English', async ({ page }) => {
    const plan: Plan = {
      topic: 'rent',
      checkin: 'hard',
      happened: 'illness',
      moreBills: 'no',
      urgency: 'none',
      help: ['self'],
      selfHelp: 'callback',
      phone: '+31 6 87654321',
      moments: ['anytime'],
      ways: ['call'],
      talkLanguage: 'en',
      voicemail: 'no',
      name: null,
      consent: 'yes',
    };
    const r = new Resident(page, 'en');
    await r.open('en');
    expect(await r.walk('en', plan)).toBe('done');
    await expect(r.heading()).toHaveText(r.text('steps.done.title'));
    const reference = await r.reference();
    expect(reference).toMatch(REFERENCE);

    const row = storedRequest(reference);
    expect(row).toMatchObject({
      language: 'en',
      topic: 'rent',
      urgent: 0,
      phone: '+31687654321',
      first_name: null,
      municipality: 'voorbeeld',
    });
    expect(row.parsed).toEqual(answerCodes(plan));
    await expectConversationFinished(row.conversation_id!, 'callback');
  });

  test('a multiple-choice step sent without a tick asks to choose something first', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open();
    await r.chooseLanguage('nl');
    await r.start();
    await r.choose('topic', 'other');
    await r.choose('checkin', 'ok');
    await r.choose('happened', 'overview');
    await r.choose('moreBills', 'no');
    await r.choose('urgency', 'none');
    await r.tick('help', []);
    await r.expectStep('help');
    const message = r.text('errors.choice.required');
    await expect(page.getByRole('alert')).toHaveText(message);
    await expect(page.getByRole('group', { name: r.title('help') })).toHaveAccessibleDescription(message);
    await r.tick('help', ['paperwork']);
    await r.expectStep('phone');
  });

  test('resume: a reload shows the same step; "start over" goes back to the language step and stays there', async ({
    page,
  }) => {
    const r = new Resident(page, 'nl');
    await r.open();
    await r.chooseLanguage('nl');
    await r.start();
    await r.choose('topic', 'energy');
    await r.expectStep('checkin');
    const firstId = await r.conversationId();

    await r.reload();
    await r.expectStep('checkin');
    expect(await r.conversationId()).toBe(firstId);
    // The answer before the reload is still there.
    await r.back();
    await r.expectStep('topic');
    await expect(r.option('topic', 'energy')).toHaveAttribute('aria-pressed', 'true');
    await r.choose('topic', 'energy');

    await r.expectStep('checkin');
    await r.restart();
    await r.expectStep('language');
    expect(await r.conversationId()).not.toBe(firstId);
    await r.reload();
    await r.expectStep('language');
    // Starting again really is empty: the topic is no longer marked.
    await r.chooseLanguage('nl');
    await r.start();
    await r.expectStep('topic');
    await expect(page.locator('[aria-pressed="true"]')).toHaveCount(0);
  });

  test('back: on every step Back shows the previous question with its answer, and answering again goes on', async ({
    page,
  }) => {
    const r = new Resident(page, 'nl');
    /** Presses Back on `from`, expects `to` (with `marked` checks), then answers `to` again with `redo`. */
    const backAndForth = async (
      from: Parameters<Resident['expectStep']>[0],
      to: typeof from,
      marked: () => Promise<void>,
      redo: () => Promise<void>,
    ) => {
      await r.expectStep(from);
      await r.back();
      await r.expectStep(to);
      await marked();
      await redo();
      await r.expectStep(from);
    };
    const pressed = (step: Parameters<Resident['option']>[0], value: string) => () =>
      expect(r.option(step, value)).toHaveAttribute('aria-pressed', 'true');
    const checked = (step: Parameters<Resident['checkbox']>[0], values: string[]) => async () => {
      for (const v of values) await expect(r.checkbox(step, v)).toBeChecked();
    };
    const nothing = async () => {};

    await r.open();
    await expect(r.backButton()).toHaveCount(0); // the first step has no Back
    await r.chooseLanguage('nl');
    await backAndForth('welcome', 'language', nothing, () => r.chooseLanguage('nl'));
    await r.start();
    await backAndForth('topic', 'welcome', nothing, () => r.start());
    await r.choose('topic', 'energy');
    await backAndForth('checkin', 'topic', pressed('topic', 'energy'), () => r.choose('topic', 'energy'));
    await r.choose('checkin', 'worried');
    // Going back to change an answer: the new answer replaces the old one.
    await backAndForth('happened', 'checkin', pressed('checkin', 'worried'), () => r.choose('checkin', 'hard'));
    await r.choose('happened', 'costs');
    await backAndForth('moreBills', 'happened', pressed('happened', 'costs'), () => r.choose('happened', 'costs'));
    await r.choose('moreBills', 'no');
    await backAndForth('urgency', 'moreBills', pressed('moreBills', 'no'), () => r.choose('moreBills', 'no'));
    await r.choose('urgency', 'eviction');
    await backAndForth('urgentInfo', 'urgency', pressed('urgency', 'eviction'), () => r.choose('urgency', 'eviction'));
    await r.next('urgentInfo');
    await backAndForth('help', 'urgentInfo', nothing, () => r.next('urgentInfo'));
    await r.tick('help', ['allowances', 'walkin']);
    await backAndForth('phone', 'help', checked('help', ['allowances', 'walkin']), () => r.tick('help', []));
    await r.enterPhone('0612345678');
    await backAndForth(
      'moments',
      'phone',
      () => expect(r.phoneField()).toHaveValue('0612345678'),
      () => r.enterPhone('0612345678'),
    );
    await r.tick('moments', ['afternoon']);
    await backAndForth('ways', 'moments', checked('moments', ['afternoon']), async () => {
      // and change it: untick afternoon, tick evening
      await r.checkbox('moments', 'afternoon').uncheck();
      await r.tick('moments', ['evening']);
    });
    await r.tick('ways', ['video']);
    await backAndForth('talkLanguage', 'ways', checked('ways', ['video']), () => r.tick('ways', []));
    await r.choose('talkLanguage', 'pap');
    // voicemail → Back is covered by its own test below.
    await r.choose('voicemail', 'no');
    await backAndForth('name', 'voicemail', pressed('voicemail', 'no'), () => r.choose('voicemail', 'no'));
    await r.enterName('Jan');
    await backAndForth(
      'consent',
      'name',
      () => expect(page.getByLabel(r.text('steps.name.label'), { exact: true })).toHaveValue('Jan'),
      () => r.enterName('Jan'),
    );
    await r.choose('consent', 'no');
    await backAndForth('noConsent', 'consent', nothing, () => r.choose('consent', 'no'));
    await r.choose('noConsent', 'back');
    await r.choose('consent', 'yes');

    const row = storedRequest(await r.reference());
    expect(row).toMatchObject({ topic: 'energy', urgent: 1, first_name: 'Jan', phone: '+31612345678' });
    expect(row.parsed).toMatchObject({
      checkin: 'hard',
      happened: 'costs',
      moreBills: 'no',
      urgency: 'eviction',
      help: ['allowances', 'walkin'],
      moments: ['evening'],
      ways: ['video'],
      talkLanguage: 'pap',
      voicemail: 'no',
    });
  });

  test('back: on the voicemail step Back returns to the talk-language question', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open();
    await r.walk('nl', NL_CALLBACK, async (step) => {
      if (step !== 'voicemail') return;
      await r.back();
      await r.expectStep('talkLanguage');
      await expect(r.option('talkLanguage', 'nl')).toHaveAttribute('aria-pressed', 'true');
      await r.choose('talkLanguage', 'nl');
    });
  });

  test('language switch mid-conversation: same step in English, answers kept', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open();
    await r.chooseLanguage('nl');
    await r.start();
    await r.choose('topic', 'water');
    await r.choose('checkin', 'worried');
    await r.expectStep('happened');

    await r.switchLanguage('en');
    await expect(page).toHaveURL(pathFor('en'));
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await r.expectStep('happened');
    await expect(r.option('happened', 'income')).toBeVisible();

    await r.back();
    await r.expectStep('checkin');
    await expect(r.option('checkin', 'worried')).toHaveAttribute('aria-pressed', 'true');
    await r.choose('checkin', 'worried');
    await r.choose('happened', 'family');
    await r.choose('moreBills', 'yes');
    await r.choose('urgency', 'none');
    await r.tick('help', ['coach']);
    await r.enterPhone('0687654321');
    await r.tick('moments', ['morning']);
    await r.tick('ways', ['visit']);
    await r.choose('talkLanguage', 'en');
    await r.choose('voicemail', 'yes');
    await r.enterName(null);
    await r.choose('consent', 'yes');

    const row = storedRequest(await r.reference());
    expect(row).toMatchObject({ topic: 'water', language: 'en', urgent: 0 });
    expect(row.parsed).toMatchObject({ checkin: 'worried', happened: 'family', help: ['coach'] });
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('nl: the whole conversation works by form posts, with a translated phone error on the way', async ({ page }) => {
    const r = new Resident(page, 'nl', false);
    await r.open();
    const pageLoads = countPageLoads(page);
    const end = await r.walk('nl', { ...NL_CALLBACK, invalidPhone: '12' }, async (step) => {
      await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
      await r.expectTalkNow();
      if (step !== 'phone:error') {
        // Each page load is titled after its question.
        await expect(page).toHaveTitle(`${r.title(step)} · ${municipality.name}`);
        return;
      }
      // The number typed stays in the field, and the earlier answers are kept: one step back
      // shows both kinds of help still ticked.
      await expect(r.phoneField()).toHaveValue('12');
      await r.back();
      await r.expectStep('help');
      for (const help of NL_CALLBACK.help) await expect(r.checkbox('help', help)).toBeChecked();
      await r.tick('help', []);
      await r.expectStep('phone');
    });
    expect(end).toBe('done');
    expect(pageLoads(), 'every answer is a page load').toBeGreaterThan(15);

    const reference = await r.reference();
    expect(reference).toMatch(REFERENCE);
    const row = storedRequest(reference);
    expect(row).toMatchObject({
      phone: '+31612345678',
      urgent: 1,
      topic: 'energy',
      municipality: 'voorbeeld',
      language: 'nl',
      first_name: 'Samira',
    });
    expect(row.parsed).toEqual(answerCodes(NL_CALLBACK));
    await expectConversationFinished(row.conversation_id!, 'callback');
  });

  test('nl → en: "Other language" mid-conversation keeps the step and the answers', async ({ page }) => {
    const r = new Resident(page, 'nl', false);
    await r.open();
    await r.chooseLanguage('nl');
    await r.start();
    await r.choose('topic', 'health');
    await r.expectStep('checkin');

    await r.switchLanguage('en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await r.expectStep('checkin');
    await r.back();
    await r.expectStep('topic');
    await expect(r.option('topic', 'health')).toHaveAttribute('aria-pressed', 'true');
  });
});
