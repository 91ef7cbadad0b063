// SPDX-License-Identifier: EUPL-1.2
// What the service worker may answer from the device: resident pages and clips only, never the API or staff pages.
import { describe, expect, it } from 'vitest';
import { isAudioClip, isNeverIntercepted, offlinePagePath, residentPageLanguage } from '../../src/lib/offline-paths.ts';

describe('offline paths', () => {
  it.each([
    ['/voorbeeld/nl/', 'nl'],
    ['/voorbeeld/ar', 'ar'],
    ['/zeedorp/pap/anything/deeper', 'pap'],
    ['/gemeente-x/ti/', 'ti'],
  ])('%s is a resident page in %s', (path, lang) => {
    expect(residentPageLanguage(path)).toBe(lang);
  });

  it.each([
    '/',
    '/voorbeeld/',
    '/voorbeeld/xx/',
    '/voorbeeld/de/',
    '/api/v1/terugbelverzoeken',
    '/api/nl/',
    '/staff/nl/',
    '/staff/samen/voorbeeld/nl/',
    '/s/ABCD-EFGH-JKMNP',
    '/s/nl/',
    '/healthz',
    '/readyz/nl/',
    '/.well-known/nl/',
    '/offline/nl/',
    '/audio/nl/0016437e1e51b0f3.mp3',
    '/_astro/nl/x.js',
  ])('%s is not a resident page', (path) => {
    expect(residentPageLanguage(path)).toBeNull();
  });

  it('never intercepts the API, staff pages, personal links, the health and readiness checks or security.txt', () => {
    for (const path of ['/api', '/api/v1/gesprekken/1', '/staff', '/staff/login', '/s/x', '/healthz', '/readyz', '/.well-known/security.txt'])
      expect(isNeverIntercepted(path), path).toBe(true);
    for (const path of ['/voorbeeld/nl/', '/staffing/nl/', '/apis/nl/', '/sw.js'])
      expect(isNeverIntercepted(path), path).toBe(false);
  });

  it('knows a content-hashed clip', () => {
    expect(isAudioClip('/audio/nl/0016437e1e51b0f3.mp3')).toBe(true);
    expect(isAudioClip('/audio/nl/manifest.json')).toBe(false);
    expect(isAudioClip('/audio/nl/recorded/steps.welcome.body.mp3')).toBe(false);
  });

  it('names the precached offline page of a language, Dutch by default', () => {
    expect(offlinePagePath('ar')).toBe('/offline/ar/index.html');
    expect(offlinePagePath()).toBe('/offline/nl/index.html');
  });
});
