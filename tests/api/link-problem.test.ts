// SPDX-License-Identifier: EUPL-1.2
/**
 * The page of a personal link that does not work speaks the resident's language: every shipped
 * language, picked from Accept-Language and switchable with ?taal=, a clip for every sentence it
 * says, and still the same bytes for every wrong code.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/invite-code.ts';
import { LANGUAGES } from '../../src/lib/languages.ts';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;
const languages = Object.keys(LANGUAGES);
let app: AppServer;

beforeAll(async () => {
  // a fresh database: the failed-lookup limit of 20 per client is far away
  app = await startApp({ RATE_LIMIT_SECRET: 'x'.repeat(32) });
});
afterAll(async () => {
  await app.stop();
});

function texts(lng: string): { linkProblem: { notWorking: { title: string; body: string }; codeLabel: string } } {
  return JSON.parse(readFileSync(`${root}locales/${lng}/link.json`, 'utf8')) as never;
}

async function open(path: string, acceptLanguage?: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(`${app.url}${path}`, { headers: acceptLanguage ? { 'Accept-Language': acceptLanguage } : {}, redirect: 'manual' });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe('the page of a link that does not work', () => {
  it.each(languages)('%s: picked from Accept-Language, with its texts, direction and a clip for every sentence', async (lng) => {
    const page = await open(`/s/${generateInviteCode()}`, `${lng};q=0.9, xx;q=0.8`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-language')).toBe(lng);
    expect(page.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(page.body).toContain(`<html lang="${lng}" dir="${LANGUAGES[lng as keyof typeof LANGUAGES].dir}">`);
    const t = texts(lng).linkProblem;
    for (const text of [t.notWorking.title, t.notWorking.body, t.codeLabel]) expect(page.body).toContain(text.replace(/'/g, '&#39;'));
    // title, two sentences, the code label, "without a code", and per municipality its start and its phone
    const clips = [...page.body.matchAll(/<audio controls preload="none" src="([^"]+)"/g)].map((m) => m[1] as string);
    expect(clips.length).toBeGreaterThanOrEqual(9);
    for (const clip of new Set(clips)) {
      expect(clip).toMatch(new RegExp(`^/audio/${lng}/[0-9a-f]{16}\\.mp3$`));
      const res = await fetch(`${app.url}${clip}`);
      expect(res.status, clip).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/mpeg');
    }
    // every language one tap away, without the code in the page
    for (const other of languages) expect(page.body).toContain(`href="?taal=${other}"`);
  });

  it('takes the language asked for over the browser preference, and falls back to Dutch', async () => {
    const asked = await open(`/s/${generateInviteCode()}?taal=ar`, 'tr');
    expect(asked.body).toContain('<html lang="ar" dir="rtl">');
    expect(asked.body).toContain(texts('ar').linkProblem.notWorking.title);
    expect((await open(`/s/${generateInviteCode()}`, 'fr, de;q=0.5')).body).toContain('<html lang="nl" dir="ltr">');
    expect((await open(`/s/${generateInviteCode()}`)).body).toContain('<html lang="nl" dir="ltr">');
  });

  it('is the same for every wrong code, in every language', async () => {
    for (const lng of ['ar', 'ti']) {
      const a = await open(`/s/${generateInviteCode()}`, lng);
      const b = await open(`/s/${generateInviteCode().slice(0, 10)}XYZ`, lng);
      expect(a.body).toBe(b.body);
    }
  });

  it('keeps the chosen language when the code is typed again', async () => {
    const page = await open(`/s/?taal=pl`);
    expect(page.body).toContain('<input type="hidden" name="taal" value="pl">');
    expect(page.body).toContain(texts('pl').linkProblem.codeLabel);
  });
});
