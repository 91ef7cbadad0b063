// SPDX-License-Identifier: EUPL-1.2
// The welcome's promise is measured: questions, taps and listening time of the shortest way to a request.
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../src/cli/audio.ts';
import { metaOf } from '../../src/lib/conversation.ts';
import { estimate, lengthClipId, shortestRequestPath } from '../../src/lib/estimate.ts';
import { LANGUAGES, type LanguageCode } from '../../src/lib/languages.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';

describe('the shortest way to a call-back request', () => {
  it('asks only what is needed to help, "call me back" first, in at most 12 taps', () => {
    const path = shortestRequestPath(false);
    expect(path.map((s) => s.state)).toEqual(['language', 'welcome', 'topic', 'urgency', 'help', 'phone', 'moments', 'ways', 'consent']);
    expect(path.find((s) => s.state === 'help')?.event).toEqual({ type: 'CHOOSE_MANY', values: ['talk'] });
    expect(metaOf('help').options?.[0]?.value).toBe('talk');
    const e = estimate(readManifest('nl'), 'voorbeeld', false);
    expect(e.taps).toBeLessThanOrEqual(12);
    expect(e.questions).toBe(7);
    // with the topic known from the invitation, one question less
    expect(estimate(readManifest('nl'), 'voorbeeld', true).questions).toBe(6);
  });

  it('says no more minutes than hearing every sentence takes, and no fewer, in every language', () => {
    for (const m of demoMunicipalities()) {
      for (const lng of m.languages as LanguageCode[]) {
        const manifest = readManifest(lng);
        const e = estimate(manifest, m.slug, false);
        expect(e.seconds, `${m.slug} ${lng}`).toBeGreaterThan(20);
        expect(e.seconds, `${m.slug} ${lng}`).toBeLessThanOrEqual(e.minutes * 60);
        expect(e.seconds, `${m.slug} ${lng}`).toBeGreaterThan((e.minutes - 1) * 60);
        // the sentence saying it has its own clip, made for these numbers
        expect(manifest.entries[lengthClipId(e)], `${m.slug} ${lng}: ${lengthClipId(e)}`).toBeDefined();
      }
    }
    expect(Object.keys(LANGUAGES)).toContain('ti');
  });
});
