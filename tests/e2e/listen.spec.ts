// SPDX-License-Identifier: EUPL-1.2
// Listening: a button by every sentence and choice, one tap plays, another stops, "slower" is slower,
// nothing plays by itself, and the clip is the one made for that text in that language.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { isOpenNow, Resident } from '../support/journey.ts';
import { t } from '../support/strings.ts';

declare global {
  interface Window {
    __plays: { src: string; rate: number }[];
  }
}

/** Records every play() the page makes, with the clip and the speed. */
async function recordPlays(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__plays = [];
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      window.__plays.push({ src: this.currentSrc || this.src, rate: this.playbackRate });
      return play.call(this);
    };
  });
}
const plays = (page: Page) => page.evaluate(() => window.__plays);
const manifest = (lng: string) =>
  JSON.parse(readFileSync(new URL(`../../public/audio/${lng}/manifest.json`, import.meta.url), 'utf8')) as { entries: Record<string, { file: string }> };

test('one tap plays the sentence\'s own clip, another stops it; nothing plays by itself', async ({ page }) => {
  await recordPlays(page);
  const r = new Resident(page, 'nl');
  await r.open();
  await r.chooseLanguage('nl');
  await r.expectStep('welcome');
  expect(await plays(page), 'no autoplay').toEqual([]);

  const body = t('nl', 'steps.welcome.body', { municipality: 'Gemeente Voorbeeld' });
  const listen = page.getByRole('button', { name: `${t('nl', 'listen.play')}: ${body}` });
  await listen.click();
  await expect(page.getByRole('button', { name: `${t('nl', 'listen.stop')}: ${body}` })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.reading')).toHaveText(body);
  const [first] = await plays(page);
  expect(first?.src).toContain(`/audio/nl/${manifest('nl').entries['steps.welcome.body']?.file}`);
  expect(first?.rate).toBe(1);
  const clip = await page.request.get(first?.src ?? '');
  expect(clip.status()).toBe(200);
  expect(clip.headers()['content-type']).toContain('audio/mpeg');

  await page.getByRole('button', { name: `${t('nl', 'listen.stop')}: ${body}` }).click();
  await expect(listen).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('.reading')).toHaveCount(0);
  expect(await page.evaluate(() => [...document.querySelectorAll('audio')].length)).toBe(0);
});

test('"slower" plays at 0.75× and is remembered on the next step', async ({ page }) => {
  await recordPlays(page);
  const r = new Resident(page, 'nl');
  await r.open();
  await r.chooseLanguage('nl');
  const slower = page.getByRole('button', { name: t('nl', 'listen.slower') });
  await slower.click();
  await expect(slower).toHaveAttribute('aria-pressed', 'true');
  await r.start();
  await r.expectStep('topic');
  const label = t('nl', 'steps.topic.options.water');
  await page.getByRole('button', { name: `${t('nl', 'listen.play')}: ${label}` }).click();
  const played = (await plays(page)).at(-1);
  expect(played?.rate).toBe(0.75);
  expect(played?.src).toContain(`/audio/nl/${manifest('nl').entries['steps.topic.options.water']?.file}`);
});

test('every sentence and every choice on a step has its listen button, in Arabic too', async ({ page }) => {
  const r = new Resident(page, 'ar');
  await r.open('ar');
  await r.chooseLanguage('ar');
  await r.start();
  await r.expectStep('topic');
  const step = page.locator('form.step');
  const options = await step.locator('button[name=answer]').count();
  // the question itself, and one per choice
  await expect(step.locator('.listen')).toHaveCount(options + 2); // + progress line
  // open: the heading and the hours; closed: the heading, when it opens again, the call-back instead, the hours
  await expect(page.locator('section.talk-now .listen')).toHaveCount(isOpenNow() ? 2 : 4);
  for (const src of await step.locator('.listen').evaluateAll((els) => els.map((e) => e.getAttribute('data-clip')))) {
    expect(src).toBeTruthy();
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('shows no listen buttons that could do nothing', async ({ page }) => {
    await page.goto('/voorbeeld/nl/');
    await expect(page.locator('form.step')).toBeVisible();
    await expect(page.locator('.listen')).toHaveCount(0);
  });
});
