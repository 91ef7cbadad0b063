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

/** The answers as stored: what was needed to send, then the optional ones added after it. */
function answerCodes(plan: Plan): Record<string, unknown> {
  const x = plan.extras;
  return {
    checkin: x?.checkin ?? null,
    happened: x?.happened ?? null,
    moreBills: x?.moreBills ?? null,
    urgency: plan.urgency,
    help: plan.help,
    moments: plan.moments,
    ways: [plan.way],
    talkLanguage: x?.talkLanguage ?? null,
    contactPrefs: x?.contactPrefs ?? [],
    voicemail: x?.voicemail ?? null,
  };
}

/** The optional answers reach the stored request one by one, each as it is given. */
async function expectStoredAnswers(reference: string, plan: Plan, firstName: string | null): Promise<void> {
  await expect
    .poll(() => {
      const row = storedRequest(reference);
      return { answers: row.parsed, firstName: row.first_name };
    }, { message: `answers of ${reference}` })
    .toEqual({ answers: answerCodes(plan), firstName });
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

    let reference = '';
    const end = await r.walk('nl', NL_CALLBACK, async (step) => {
      // "Talk to someone now" with the municipality's number stays visible on every step (or, when closed, when it opens).
      await r.expectTalkNow();
      if (step === 'done') {
        reference = await r.reference();
        // The done screen lists what the municipality offers for the help that was chosen.
        for (const help of NL_CALLBACK.help) {
          await expect(page.getByRole('listitem').filter({ hasText: municipality.offerName(help, 'nl')! })).toBeVisible();
        }
      }
    });
    expect(end).toBe('thanks');
    expect(reference).toMatch(REFERENCE);
    expect(pageLoads(), 'main-frame navigations after the first answer').toBe(0);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');

    await expectStoredAnswers(reference, NL_CALLBACK, 'Samira');
    const row = storedRequest(reference);
    expect(row).toMatchObject({
      reference,
      phone: '+31612345678',
      urgent: 1,
      topic: 'energy',
      municipality: 'voorbeeld',
      language: 'nl',
      consent: 1,
      channel: 'web',
      status: 'new',
    });
    const id = await r.conversationId();
    expect(row.conversation_id).toBe(id);
    await expectConversationFinished(id, 'callback');

    // Once stored, the phone number and name are no longer kept on the device.
    const onDevice = await page.evaluate((key) => localStorage.getItem(key), `hulpgesprek:${municipality.slug}`);
    const device = JSON.parse(onDevice ?? '{}') as { state?: string; context?: { phone?: string; firstName?: string } };
    expect(device).toMatchObject({ state: 'thanks', context: { phone: '', firstName: '' } });
  });

  test('en: only "I\'ll do it myself" ends on the self-help screens and stores no request', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open('nl');
    await r.chooseLanguage('en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await r.start();
    await r.choose('topic', 'unknown');
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
      urgency: 'none',
      help: ['self'],
      selfHelp: 'callback',
      phone: '+31 6 87654321',
      moments: ['anytime'],
      way: 'call',
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
    await r.expectStep('urgency');
    const firstId = await r.conversationId();

    await r.reload();
    await r.expectStep('urgency');
    expect(await r.conversationId()).toBe(firstId);
    // The answer before the reload is still there.
    await r.back();
    await r.expectStep('topic');
    await expect(r.option('topic', 'energy')).toHaveAttribute('aria-pressed', 'true');
    await r.choose('topic', 'energy');

    await r.expectStep('urgency');
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
    await backAndForth('urgency', 'topic', pressed('topic', 'energy'), () => r.choose('topic', 'energy'));
    await r.choose('urgency', 'none');
    // Going back to change an answer: the new answer replaces the old one.
    await r.expectStep('help');
    await r.back();
    await expect(r.option('urgency', 'none')).toHaveAttribute('aria-pressed', 'true');
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
      () => expect(r.phoneField()).toHaveValue('06 12 34 56 78'),
      () => r.enterPhone('0612345678'),
    );
    await r.tick('moments', ['afternoon']);
    await backAndForth('ways', 'moments', checked('moments', ['afternoon']), async () => {
      // and change it: untick afternoon, tick evening
      await r.checkbox('moments', 'afternoon').uncheck();
      await r.tick('moments', ['evening']);
    });
    await r.choose('ways', 'video');
    await backAndForth('consent', 'ways', pressed('ways', 'video'), () => r.choose('ways', 'visit'));
    await r.choose('consent', 'no');
    await backAndForth('noConsent', 'consent', nothing, () => r.choose('consent', 'no'));
    await r.choose('noConsent', 'back');
    await r.choose('consent', 'yes');
    const reference = await r.reference();
    // after sending, the optional questions go back and forth too
    await r.button('steps.done.moreYes').click();
    await backAndForth('checkin', 'done', nothing, () => r.button('steps.done.moreYes').click());
    await r.choose('checkin', 'worried');
    await backAndForth('happened', 'checkin', pressed('checkin', 'worried'), () => r.choose('checkin', 'hard'));
    await r.choose('happened', 'costs');
    await backAndForth('moreBills', 'happened', pressed('happened', 'costs'), () => r.choose('happened', 'costs'));
    await r.choose('moreBills', 'no');
    await backAndForth('talkLanguage', 'moreBills', pressed('moreBills', 'no'), () => r.choose('moreBills', 'no'));
    await r.choose('talkLanguage', 'pap');
    await backAndForth('contactPrefs', 'talkLanguage', pressed('talkLanguage', 'pap'), () => r.choose('talkLanguage', 'pap'));
    await r.tick('contactPrefs', ['interpreter']);
    await backAndForth('voicemail', 'contactPrefs', checked('contactPrefs', ['interpreter']), () => r.tick('contactPrefs', []));
    await r.choose('voicemail', 'no');
    await backAndForth('name', 'voicemail', pressed('voicemail', 'no'), () => r.choose('voicemail', 'no'));
    await r.enterName('Jan');
    await r.expectStep('thanks');

    await expect
      .poll(() => storedRequest(reference).first_name, { message: 'first name added after sending' })
      .toBe('Jan');
    const row = storedRequest(reference);
    expect(row).toMatchObject({ topic: 'energy', urgent: 1, first_name: 'Jan', phone: '+31612345678' });
    expect(row.parsed).toMatchObject({
      checkin: 'hard',
      happened: 'costs',
      moreBills: 'no',
      urgency: 'eviction',
      help: ['allowances', 'walkin'],
      moments: ['evening'],
      ways: ['visit'],
      talkLanguage: 'pap',
      contactPrefs: ['interpreter'],
      voicemail: 'no',
    });
  });

  test('the optional questions stop where the resident says so, and what was given is added', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open();
    await r.walk('nl', { ...NL_CALLBACK, extras: undefined });
    const reference = await r.reference();
    await r.button('steps.done.moreYes').click();
    await r.choose('checkin', 'hard');
    await r.expectStep('happened');
    await r.button('nav.finish').click();
    await r.expectStep('thanks');
    await expect.poll(() => storedRequest(reference).parsed.checkin).toBe('hard');
    expect(storedRequest(reference).parsed).toMatchObject({ happened: null, talkLanguage: null, contactPrefs: [] });
  });

  test('language switch mid-conversation: same step in English, answers kept', async ({ page }) => {
    const r = new Resident(page, 'nl');
    await r.open();
    await r.chooseLanguage('nl');
    await r.start();
    await r.choose('topic', 'water');
    await r.choose('urgency', 'none');
    await r.expectStep('help');

    await r.switchLanguage('en');
    await expect(page).toHaveURL(pathFor('en'));
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await r.expectStep('help');
    await expect(r.checkbox('help', 'coach')).toBeVisible();

    await r.back();
    await r.expectStep('urgency');
    await expect(r.option('urgency', 'none')).toHaveAttribute('aria-pressed', 'true');
    await r.choose('urgency', 'none');
    await r.tick('help', ['coach']);
    await r.enterPhone('0687654321');
    await r.tick('moments', ['morning']);
    await r.choose('ways', 'visit');
    await r.choose('consent', 'yes');

    const row = storedRequest(await r.reference());
    expect(row).toMatchObject({ topic: 'water', language: 'en', urgent: 0 });
    expect(row.parsed).toMatchObject({ urgency: 'none', help: ['coach'], ways: ['visit'] });
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('nl: the whole conversation works by form posts, with a translated phone error on the way', async ({ page }) => {
    const r = new Resident(page, 'nl', false);
    await r.open();
    const pageLoads = countPageLoads(page);
    const end = await r.walk('nl', { ...NL_CALLBACK, invalidPhone: '12', invalidPhoneCode: 'tooShort' }, async (step) => {
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
    expect(end).toBe('thanks');
    expect(pageLoads(), 'every answer is a page load').toBeGreaterThan(15);

    const rows = callbackRequests({ conversationId: await r.conversationId() });
    expect(rows).toHaveLength(1);
    const reference = rows[0]!.reference;
    expect(reference).toMatch(REFERENCE);
    await expectStoredAnswers(reference, NL_CALLBACK, 'Samira');
    const row = storedRequest(reference);
    expect(row).toMatchObject({
      phone: '+31612345678',
      urgent: 1,
      topic: 'energy',
      municipality: 'voorbeeld',
      language: 'nl',
    });
    await expectConversationFinished(row.conversation_id!, 'callback');
  });

  test('nl → en: "Other language" mid-conversation keeps the step and the answers', async ({ page }) => {
    const r = new Resident(page, 'nl', false);
    await r.open();
    await r.chooseLanguage('nl');
    await r.start();
    await r.choose('topic', 'health');
    await r.expectStep('urgency');

    await r.switchLanguage('en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await r.expectStep('urgency');
    await r.back();
    await r.expectStep('topic');
    await expect(r.option('topic', 'health')).toHaveAttribute('aria-pressed', 'true');
  });
});
