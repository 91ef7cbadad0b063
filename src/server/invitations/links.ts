// SPDX-License-Identifier: EUPL-1.2
/**
 * Opening a personal link (/s/<code>): a valid code is counted and handed to the conversation
 * in a cookie; an unknown, mistyped or expired one gets the same friendly page, which never
 * tells whether the code exists. Failed lookups are rate limited per client network. The page
 * (src/components/LinkProblem.astro) speaks the resident's language: the one asked for (?taal=),
 * else the browser's preference, else Dutch, with a clip for every sentence.
 */
import { normaliseInviteCode } from '../../lib/invite-code.ts';
import { directionOf, isLanguage, LANGUAGES, preferredLanguage, type LanguageCode } from '../../lib/languages.ts';
import { ltr } from '../../lib/text-vars.ts';
import { manifestFor } from '../resident/audio.ts';
import { i18n, shippedLanguages } from '../locales.ts';
import { allMunicipalities } from '../municipalities.ts';
import { clientKey, hitLimit, peekLimit, type Limit } from '../http/rate-limit.ts';
import { getStore, publicUrl } from '../runtime.ts';
import type { Store } from '../store/index.ts';
import { findInviteByCode, getInvite, recordInviteOpened, type Invite } from '../store/invites.ts';
import { readCookie, setCookie } from '../http/cookies.ts';
import { isId } from '../../lib/ids.ts';

export const INVITE_COOKIE = 'hg_invite';
/** A day: long enough to finish the conversation later that day, short on a shared phone. */
const COOKIE_MAX_AGE = 24 * 60 * 60;
/** More than 20 failed lookups in 10 minutes from one network: 429. */
export const FAILED_LOOKUPS: Limit = { max: 20, windowMs: 10 * 60_000 };
/** One link opened more than 50 times in an hour has been shared or is being hammered: 429. */
export const OPENS_PER_INVITE: Limit = { max: 50, windowMs: 60 * 60_000 };

/** The count of one client network's failed lookups (FAILED_LOOKUPS). */
export function guessingBucket(clientAddress: string | undefined): string {
  return `code-fail:${clientKey(clientAddress)}`;
}

export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // The code is in this page's address; the links on it lead to other sites.
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  // Plain HTML with inline CSS, one form and the clips: nothing else may load or run.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; media-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  // the language follows the browser's preference
  Vary: 'Accept-Language',
};

export type LinkProblem = 'enter' | 'notWorking' | 'tooMany';

/** A sentence of the page, with the clip that says it (when there is one). */
export interface Sentence {
  text: string;
  clip: string | null;
}

/** Everything the page shows; the same for every code that does not work. */
export interface LinkPage {
  problem: LinkProblem;
  status: number;
  headers: Record<string, string>;
  lang: LanguageCode;
  dir: 'ltr' | 'rtl';
  title: Sentence;
  body: Sentence[];
  wait: string | null;
  form: { label: Sentence; submit: string } | null;
  withoutCode: Sentence;
  municipalities: { slug: string; start: Sentence; call: Sentence; phone: string; phoneDisplay: string }[];
  languages: { code: LanguageCode; name: string; href: string; current: boolean }[];
  languagesLabel: string;
  listen: string;
}

export type LinkOutcome = { kind: 'redirect'; response: Response } | { kind: 'page'; page: LinkPage };

/** GET /s/<code> and GET /s/?code=… (the form on the page). */
export async function openInviteLink(request: Request, rawCode: string | null, clientAddress: string | undefined): Promise<LinkOutcome> {
  const store = await getStore();
  const show = async (problem: LinkProblem, status: number, retryAfterSeconds?: number): Promise<LinkOutcome> => ({
    kind: 'page',
    page: await linkPage(store, request, problem, status, retryAfterSeconds),
  });
  if (rawCode === null || rawCode.trim() === '') return show('enter', 200);
  const now = Date.now();
  const at = new Date(now).toISOString();
  // Once a client has guessed too often, every code answers 429 until the window ends, the right
  // one too: otherwise the answer to the 21st guess would still tell a working code from the rest.
  const guessing = await peekLimit(store, guessingBucket(clientAddress), FAILED_LOOKUPS, now);
  if (guessing.limited) return show('tooMany', 429, guessing.retryAfterSeconds);
  const code = normaliseInviteCode(rawCode);
  const invite = code ? await findInviteByCode(store, code) : undefined;
  if (invite && invite.expiresAt > at) {
    const opens = await hitLimit(store, `invite-open:${invite.id}`, OPENS_PER_INVITE, now);
    if (opens.limited) return show('tooMany', 429, opens.retryAfterSeconds);
    // HEAD (link checkers of phone networks and mail filters) is answered alike but not counted
    // as an opening; it does count for both limits, or it would be a way to guess without them.
    if (request.method === 'HEAD') return { kind: 'redirect', response: redirectInto(request, invite, null) };
    // Conditional on still being valid, so an invitation expiring this very moment is not counted.
    if (await recordInviteOpened(store, invite.id, at)) return { kind: 'redirect', response: redirectInto(request, invite, await caseLanguage(store, invite)) };
  }
  // Valid codes are not counted: a household that typed its own code right adds nothing.
  const failures = await hitLimit(store, guessingBucket(clientAddress), FAILED_LOOKUPS, now);
  if (failures.limited) return show('tooMany', 429, failures.retryAfterSeconds);
  return show('notWorking', 200);
}

/** The language the case system gave for the resident (a batch's `taal`), or null. */
async function caseLanguage(store: Store, invite: Invite): Promise<LanguageCode | null> {
  if (!invite.caseId) return null;
  const row = await store.db.selectFrom('cases').select('language').where('id', '=', invite.caseId).executeTakeFirst();
  return row?.language && isLanguage(row.language) ? row.language : null;
}

function redirectInto(request: Request, invite: Invite, language: LanguageCode | null): Response {
  const secure = new URL(request.url).protocol === 'https:' || publicUrl().startsWith('https:');
  const cookie = setCookie(INVITE_COOKIE, invite.id, { path: '/', secure, sameSite: 'lax', maxAge: COOKIE_MAX_AGE });
  return new Response(null, {
    status: 303,
    headers: {
      // the resident's language where the case system gave it (a language the municipality does
      // not offer is redirected on by the page); else /<municipality>/ picks the browser's
      Location: language ? `/${invite.municipality}/${language}/` : `/${invite.municipality}/`,
      'Set-Cookie': cookie,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
}

/** The invitation the cookie names, if it is this municipality's and still valid. */
export async function inviteFromCookie(store: Store, request: Request, municipality: string): Promise<Invite | null> {
  const id = readCookie(request, INVITE_COOKIE);
  if (!isId(id)) return null;
  const invite = await getInvite(store, id);
  if (!invite || invite.municipality !== municipality || invite.expiresAt <= new Date().toISOString()) return null;
  return invite;
}

/** The page's language: ?taal= when it is shipped, else the browser's preference, else Dutch. */
export function pageLanguage(request: Request): LanguageCode {
  const shipped = shippedLanguages().filter(isLanguage);
  const asked = new URL(request.url).searchParams.get('taal') ?? '';
  if (isLanguage(asked) && shipped.includes(asked)) return asked;
  return preferredLanguage(shipped, request.headers.get('accept-language')) ?? 'nl';
}

/** The page of a link that does not work (or of typing a code, or of too many tries), in the resident's language. */
export async function linkPage(store: Store, request: Request, problem: LinkProblem, status: number, retryAfterSeconds?: number): Promise<LinkPage> {
  const lang = pageLanguage(request);
  const clips = manifestFor(lang)?.entries ?? {};
  const clip = (id: string) => {
    const entry = clips[id];
    return entry ? `/audio/${lang}/${entry.file}` : null;
  };
  const text = (key: string, vars: Record<string, string | number> = {}) => i18n.t(`linkProblem.${key}`, { lng: lang, ns: 'link', ...vars });
  const say = (key: string, id = `linkProblem.${key}`, vars: Record<string, string | number> = {}): Sentence => ({ text: text(key, vars), clip: clip(id) });
  const headers: Record<string, string> = { ...PAGE_HEADERS, 'Content-Language': lang };
  let wait: string | null = null;
  if (retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(retryAfterSeconds);
    wait = text('wait', { count: Math.ceil(retryAfterSeconds / 60) });
  }
  const municipalities = (await allMunicipalities(store)).map((m) => ({
    slug: m.slug,
    start: say('start', `linkProblem.start@${m.slug}`, { municipality: m.name }),
    // a phone number reads left to right inside Arabic too
    call: say('call', `linkProblem.call@${m.slug}`, { phone: ltr(m.phoneDisplay, lang) }),
    phone: m.phone,
    phoneDisplay: m.phoneDisplay,
  }));
  return {
    problem,
    status,
    headers,
    lang,
    dir: directionOf(lang),
    title: say(`${problem}.title`),
    body: [say(`${problem}.body`), ...(problem === 'enter' ? [] : [say(`${problem}.again`)])],
    wait,
    form: problem === 'tooMany' ? null : { label: say('codeLabel'), submit: text('submit') },
    withoutCode: say('withoutCode'),
    municipalities,
    // a relative link keeps the address (and so the code) without writing it into the page
    languages: (Object.keys(LANGUAGES) as LanguageCode[])
      .filter((code) => shippedLanguages().includes(code))
      .map((code) => ({ code, name: LANGUAGES[code].name, href: `?taal=${code}`, current: code === lang })),
    languagesLabel: text('languages'),
    listen: text('listen'),
  };
}
