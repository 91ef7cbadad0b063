// SPDX-License-Identifier: EUPL-1.2
/** Which addresses the service worker may answer from the device: shared by the worker, its build step and the tests. */
import { isLanguage, SOURCE_LANGUAGE, type LanguageCode } from './languages.ts';

/**
 * Never answered or cached by the worker: the API and staff pages must always reach the server
 * (personal data, sessions), personal links count openings, the health and readiness checks
 * and security.txt tell the truth.
 */
const NEVER = ['/api', '/staff', '/s', '/healthz', '/readyz', '/.well-known'];
/** First segments that look like /<municipality>/<lang>/ but are not resident pages. */
const NOT_A_MUNICIPALITY = new Set(['api', 'staff', 's', 'healthz', 'readyz', 'offline', 'audio', '_astro']);
const RESIDENT_PAGE = /^\/([a-z0-9][a-z0-9-]{1,40})\/([a-z]{2,3})(?:\/.*)?$/;
const AUDIO_CLIP = /^\/audio\/[a-z]{2,3}\/[0-9a-f]{8,64}\.mp3$/;
const CLIP_TABLE = /^\/audio\/[a-z]{2,3}\/clips-[a-z0-9][a-z0-9-]{1,40}-[0-9a-f]{12}\.json$/;

export function isNeverIntercepted(pathname: string): boolean {
  return NEVER.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** The language of a resident page path (`/<municipality>/<lang>/…`), or null for any other path. */
export function residentPageLanguage(pathname: string): LanguageCode | null {
  if (isNeverIntercepted(pathname)) return null;
  const match = RESIDENT_PAGE.exec(pathname);
  if (!match || NOT_A_MUNICIPALITY.has(match[1] as string)) return null;
  const lang = match[2] as string;
  return isLanguage(lang) ? lang : null;
}

/** A content-hashed clip (`/audio/<lng>/<hash>.mp3`): never changes, so it may be kept as long as it is used. */
export function isAudioClip(pathname: string): boolean {
  return AUDIO_CLIP.test(pathname);
}

/** A content-hashed clip table (`/audio/<lng>/clips-<municipality>-<hash>.json`): never changes either. */
export function isClipTable(pathname: string): boolean {
  return CLIP_TABLE.test(pathname);
}

/** The clip table a resident page names (its preload link), so a page kept offline can speak too. */
export function clipTableOf(html: string): string | null {
  return /<link rel="preload" href="(\/audio\/[a-z]{2,3}\/clips-[a-z0-9-]+\.json)"/.exec(html)?.[1] ?? null;
}

/** The prerendered "no internet" page of a language, as it is precached. */
export function offlinePagePath(lang: LanguageCode = SOURCE_LANGUAGE): string {
  return `/offline/${lang}/index.html`;
}
