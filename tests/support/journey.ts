// SPDX-License-Identifier: EUPL-1.2
// A resident's moves through the conversation, by role and real copy, shared by journeys and a11y.
import { expect, type Locator, type Page } from '@playwright/test';
import { openNow } from '../../src/lib/opening-state.ts';
import { openingSchedule } from '../../src/lib/opening.ts';
import { waitForHydration } from './hydration.ts';
import { languageName, municipality, pathFor, t, type Lng } from './strings.ts';

/** The screens of flows/resident.ts that a resident can see. */
export type Step =
  | 'language'
  | 'welcome'
  | 'topic'
  | 'checkin'
  | 'happened'
  | 'moreBills'
  | 'urgency'
  | 'urgentInfo'
  | 'help'
  | 'selfHelp'
  | 'phone'
  | 'moments'
  | 'ways'
  | 'talkLanguage'
  | 'contactPrefs'
  | 'voicemail'
  | 'name'
  | 'consent'
  | 'noConsent'
  | 'done'
  | 'thanks'
  | 'selfDone'
  | 'queued'
  | 'discarded';

const URGENT = ['bailiff', 'eviction', 'cutoff'];
/** Where the request is in, or the resident ends on their own: no call-back is offered any more. */
const AFTER_SENDING = ['done', 'thanks', 'checkin', 'happened', 'moreBills', 'talkLanguage', 'contactPrefs', 'voicemail', 'name', 'queued', 'discarded', 'selfDone'];

/** The optional questions after sending, answered one by one. */
export interface Extras {
  checkin: string;
  happened: string;
  moreBills: string;
  talkLanguage: string;
  contactPrefs: string[];
  voicemail: string;
  /** null: "skip" */
  name: string | null;
}

export interface Plan {
  topic: string;
  urgency: string;
  help: string[];
  /** only when help is just "self": call me after all, or finish here */
  selfHelp?: 'callback' | 'finish';
  /** typed first and rejected with errors.phone.<invalidPhoneCode> before the real number */
  invalidPhone?: string;
  invalidPhoneCode?: string;
  phone: string;
  moments: string[];
  /** the one way of contact the resident likes best */
  way: string;
  consent: 'yes' | 'no';
  /** after consent "no": back to the question (then yes), or finish */
  noConsent?: 'back' | 'finish';
  /** after sending: the optional questions, or none (the walk ends on the confirmation) */
  extras?: Extras;
}

/** Whether the municipality is open now, as the page decides it (opening hours less Dutch public holidays). */
export function isOpenNow(): boolean {
  return openNow(openingSchedule(municipality.seed, new Date()), Date.now());
}

export class Resident {
  readonly page: Page;
  lng: Lng;
  /** false when the browser runs without JavaScript: every answer is a form post */
  readonly js: boolean;

  constructor(page: Page, lng: Lng, js = true) {
    this.page = page;
    this.lng = lng;
    this.js = js;
  }

  text(key: string, vars: Record<string, string | number> = {}): string {
    const promise = municipality.seed.promise;
    return t(this.lng, key, {
      ...municipality.vars,
      promise: t(this.lng, 'promise.workingDays', { count: promise.workingDays }),
      urgentPromise: t(this.lng, 'promise.workingDays', { count: promise.urgentWorkingDays }),
      ...vars,
    });
  }

  title(step: Step): string {
    return this.text(`steps.${step}.title`);
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  async open(lng: Lng = this.lng): Promise<void> {
    await this.page.goto(pathFor(lng));
    if (this.js) await waitForHydration(this.page);
  }

  async reload(): Promise<void> {
    await this.page.reload();
    if (this.js) await waitForHydration(this.page);
  }

  async expectStep(step: Step): Promise<void> {
    await expect(this.heading()).toHaveText(this.title(step));
  }

  option(step: Step, value: string): Locator {
    const label = this.text(`steps.${step}.options.${value}`);
    // a talk language also says its own name in its own script after the label
    if (step === 'talkLanguage') return this.page.getByRole('button', { name: new RegExp(`^${escapeRegExp(label)}( |$)`) });
    return this.page.getByRole('button', { name: label, exact: true });
  }

  checkbox(step: Step, value: string): Locator {
    return this.page.getByRole('checkbox', { name: this.text(`steps.${step}.options.${value}`), exact: true });
  }

  button(key: string): Locator {
    return this.page.getByRole('button', { name: this.text(key), exact: true });
  }

  backButton(): Locator {
    return this.page.locator('form.step').getByRole('button', { name: this.text('nav.back'), exact: true });
  }

  restartButton(): Locator {
    return this.page.locator('form.step').getByRole('button', { name: this.text('nav.restart'), exact: true });
  }

  /**
   * "Rather talk to someone now?" with the municipality's number, outside the question, while
   * it is open; when it is closed, when it opens again and the call-back instead (no call button).
   */
  async expectTalkNow(open = isOpenNow()): Promise<void> {
    if (open) {
      const aside = this.page.getByRole('region', { name: this.text('talkNow.title') });
      const call = aside.getByRole('link', { name: this.text('talkNow.call'), exact: true });
      await expect(call).toBeVisible();
      await expect(call).toHaveAttribute('href', municipality.tel);
      return;
    }
    const aside = this.page.getByRole('region', { name: this.text('talkNow.closedTitle') });
    await expect(aside).toBeVisible();
    // the call-back instead, until the request is in (or the resident chose to do it alone)
    const step = (await this.page.locator('form.step').getAttribute('data-step')) ?? '';
    const before = !AFTER_SENDING.includes(step);
    await expect(aside.getByText(this.text('talkNow.closed'))).toHaveCount(before ? 1 : 0);
    await expect(aside.getByRole('link', { name: this.text('talkNow.call'), exact: true })).toHaveCount(0);
  }

  /** Chooses the language on the language step; another language than the page's loads its page. */
  async chooseLanguage(lng: Lng): Promise<void> {
    await this.expectStep('language');
    const switchesPage = lng !== this.lng;
    await this.page.getByRole('button', { name: languageName(lng), exact: true }).click();
    this.lng = lng;
    if (switchesPage) {
      await expect(this.page).toHaveURL(pathFor(lng));
      if (this.js) await waitForHydration(this.page);
    }
  }

  /** Uses "Other language" in the header during the conversation. */
  async switchLanguage(lng: Lng): Promise<void> {
    await this.page.getByText(this.text('language.change'), { exact: true }).click();
    await this.page.getByRole('button', { name: languageName(lng), exact: true }).click();
    this.lng = lng;
    await expect(this.page).toHaveURL(pathFor(lng));
    if (this.js) await waitForHydration(this.page);
  }

  async start(): Promise<void> {
    await this.expectStep('welcome');
    await this.button('steps.welcome.start').click();
  }

  async choose(step: Step, value: string): Promise<void> {
    await this.expectStep(step);
    await this.option(step, value).click();
  }

  async tick(step: Step, values: string[]): Promise<void> {
    await this.expectStep(step);
    for (const value of values) await this.checkbox(step, value).check();
    await this.button(`steps.${step}.submit`).click();
  }

  async next(step: Step): Promise<void> {
    await this.expectStep(step);
    await this.button('nav.next').click();
  }

  phoneField(): Locator {
    return this.page.getByLabel(this.text('steps.phone.label'), { exact: true });
  }

  async enterPhone(number: string): Promise<void> {
    await this.expectStep('phone');
    await this.phoneField().fill(number);
    await this.button('steps.phone.submit').click();
  }

  /** The number as the consent step reads it back, before sending. */
  readBack(): Locator {
    return this.page.locator('form.step .phone-readback');
  }

  /** The phone step shows errors.<code> next to the field, tied to it for screen readers. */
  async expectPhoneError(code: string): Promise<void> {
    await this.expectStep('phone');
    const message = this.text(`errors.${code}`);
    await expect(this.page.getByRole('alert')).toHaveText(message);
    await expect(this.phoneField()).toHaveAttribute('aria-invalid', 'true');
    await expect(this.phoneField()).toHaveAccessibleDescription(new RegExp(escapeRegExp(message)));
  }

  async enterName(name: string | null): Promise<void> {
    await this.expectStep('name');
    if (name === null) {
      await this.button('steps.name.skip').click();
      return;
    }
    await this.page.getByLabel(this.text('steps.name.label'), { exact: true }).fill(name);
    await this.button('steps.name.submit').click();
  }

  async back(): Promise<void> {
    await this.backButton().click();
  }

  async restart(): Promise<void> {
    await this.restartButton().click();
  }

  /** The reference shown on the done screen ("Code van je vraag: XXXX-XXXX"). */
  async reference(): Promise<string> {
    await this.expectStep('done');
    const [before = ''] = this.text('steps.done.reference').split('{{reference}}');
    const line = this.page.getByText(before.trim());
    await expect(line).toBeVisible();
    return (await line.locator('strong').innerText()).trim();
  }

  /** The id of the conversation on screen (the hidden form field the server and island share). */
  async conversationId(): Promise<string> {
    const raw = await this.page.locator('form.step input[name="conversation"]').getAttribute('value');
    const parsed = JSON.parse(raw ?? '{}') as { id?: string };
    if (!parsed.id) throw new Error('no conversation id on the page');
    return parsed.id;
  }

  /**
   * Walks from the language step to the end, asserting each screen before answering it.
   * `onStep` runs on every screen shown (and on the phone error), e.g. for axe or page chrome.
   * With `stopAt`, the walk ends on that screen, before answering it.
   */
  async walk(
    lng: Lng,
    plan: Plan,
    onStep: (step: Step | 'phone:error') => Promise<void> = async () => {},
    stopAt?: Step,
  ): Promise<Step> {
    const at = async (step: Step | 'phone:error') => {
      if (step !== 'phone:error') await this.expectStep(step);
      await onStep(step);
      if (step === stopAt) throw new StopWalk(step);
    };
    try {
      return await this.walkAll(lng, plan, at);
    } catch (error) {
      if (error instanceof StopWalk) return error.step;
      throw error;
    }
  }

  private async walkAll(lng: Lng, plan: Plan, at: (step: Step | 'phone:error') => Promise<void>): Promise<Step> {
    await at('language');
    await this.chooseLanguage(lng);
    await at('welcome');
    await this.start();
    await at('topic');
    await this.choose('topic', plan.topic);
    await at('urgency');
    await this.choose('urgency', plan.urgency);
    if (URGENT.includes(plan.urgency)) {
      await at('urgentInfo');
      await this.next('urgentInfo');
    }
    await at('help');
    await this.tick('help', plan.help);
    if (plan.help.length === 1 && plan.help[0] === 'self') {
      await at('selfHelp');
      await this.choose('selfHelp', plan.selfHelp ?? 'finish');
      if (plan.selfHelp !== 'callback') {
        await at('selfDone');
        return 'selfDone';
      }
    }
    await at('phone');
    if (plan.invalidPhone !== undefined) {
      await this.enterPhone(plan.invalidPhone);
      await this.expectPhoneError(`phone.${plan.invalidPhoneCode ?? 'invalid'}`);
      await at('phone:error');
    }
    await this.enterPhone(plan.phone);
    await at('moments');
    await this.tick('moments', plan.moments);
    await at('ways');
    await this.choose('ways', plan.way);
    await at('consent');
    await this.choose('consent', plan.consent);
    if (plan.consent === 'no') {
      await at('noConsent');
      await this.choose('noConsent', plan.noConsent ?? 'finish');
      if (plan.noConsent !== 'back') {
        await at('selfDone');
        return 'selfDone';
      }
      await at('consent');
      await this.choose('consent', 'yes');
    }
    await at('done');
    if (!plan.extras) return 'done';
    const x = plan.extras;
    await this.button('steps.done.moreYes').click();
    await at('checkin');
    await this.choose('checkin', x.checkin);
    await at('happened');
    await this.choose('happened', x.happened);
    await at('moreBills');
    await this.choose('moreBills', x.moreBills);
    await at('talkLanguage');
    await this.choose('talkLanguage', x.talkLanguage);
    await at('contactPrefs');
    await this.tick('contactPrefs', x.contactPrefs);
    await at('voicemail');
    await this.choose('voicemail', x.voicemail);
    await at('name');
    await this.enterName(x.name);
    await at('thanks');
    return 'thanks';

  }
}

class StopWalk extends Error {
  readonly step: Step;
  constructor(step: Step) {
    super(`walk stopped at ${step}`);
    this.step = step;
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Reference format: two groups of four from the alphabet without 0/O and 1/I. */
export const REFERENCE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** The nl journey of the brief: energy, cut-off threatened, two kinds of help, a full request with every optional answer. */
export const NL_CALLBACK: Plan = {
  topic: 'energy',
  urgency: 'cutoff',
  help: ['arrangement', 'buurtteam'],
  phone: '06 12345678',
  moments: ['morning', 'evening'],
  way: 'whatsapp',
  consent: 'yes',
  extras: {
    checkin: 'worried',
    happened: 'income',
    moreBills: 'yes',
    talkLanguage: 'nl',
    contactPrefs: ['woman'],
    voicemail: 'yes',
    name: 'Samira',
  },
};

/** The shortest call-back: "call me back", a number, one part of day, a phone call. */
export const SHORTEST: Plan = {
  topic: 'rent',
  urgency: 'none',
  help: ['talk'],
  phone: '06 12345678',
  moments: ['evening'],
  way: 'call',
  consent: 'yes',
};
