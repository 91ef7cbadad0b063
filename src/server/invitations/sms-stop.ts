// SPDX-License-Identifier: EUPL-1.2
/**
 * "No more SMS" on the personal link (/s/<code>?sms=stoppen): a resident who gets the plan's SMS
 * can stop them here instead of sending STOP (which costs a prepaid phone money). One button, a
 * form post that works without JavaScript (cross-site posts are refused by the middleware, as
 * for every page), then the same address says in plain words that no SMS will come and that the
 * link still works. Offered only for a working link whose case has a number for SMS or got one
 * (src/server/store/sms.ts); for every other code the address answers as the link itself does:
 * the conversation, or the page of a link that does not work, which tells nothing of the code.
 */
import { directionOf, isLanguage, LANGUAGES, preferredLanguage, type LanguageCode } from '../../lib/languages.ts';
import { normaliseInviteCode } from '../../lib/invite-code.ts';
import type { Municipality } from '../../lib/municipality.ts';
import { audioTable } from '../../lib/speech.ts';
import { addressContext, ltr } from '../../lib/text-vars.ts';
import { readForm } from '../http/problem.ts';
import { hitLimit, peekLimit } from '../http/rate-limit.ts';
import { i18n, shippedLanguages } from '../locales.ts';
import { log } from '../log.ts';
import { findMunicipality } from '../municipalities.ts';
import { smsStopState, stopCaseSms } from '../store/sms.ts';
import { manifestFor } from '../resident/audio.ts';
import { getStore } from '../runtime.ts';
import { findInviteByCode } from '../store/invites.ts';
import { FAILED_LOOKUPS, guessingBucket, linkPage, OPENS_PER_INVITE, openInviteLink, PAGE_HEADERS, type LinkOutcome, type Sentence } from './links.ts';

/** The query (and form field) of the page: `?sms=stoppen`. */
export const SMS_STOP_FIELD = 'sms';
export const SMS_STOP_VALUE = 'stoppen';

export interface SmsStopPage {
  status: number;
  headers: Record<string, string>;
  lang: LanguageCode;
  dir: 'ltr' | 'rtl';
  /** the resident said STOP (here, by SMS, or before): the page confirms it */
  stopped: boolean;
  title: Sentence;
  body: Sentence[];
  /** the button, while SMS still come; posts to the same address */
  form: { action: string; name: string; value: string; submit: Sentence } | null;
  /** on to the conversation through the same link */
  start: Sentence & { href: string };
  call: Sentence & { phone: string };
  languages: { code: LanguageCode; name: string; href: string; current: boolean }[];
  languagesLabel: string;
  listen: string;
}

export type SmsStopOutcome = LinkOutcome | { kind: 'smsStop'; page: SmsStopPage };

/** Whether a request to /s/<code> is for this page: its query, or a form post (the page's one form). */
export function isSmsStopRequest(request: Request): boolean {
  return request.method === 'POST' || new URL(request.url).searchParams.get(SMS_STOP_FIELD) === SMS_STOP_VALUE;
}

/** ?taal= when the municipality offers it, else the language the case system gave, else the browser's, else Dutch. */
function stopPageLanguage(request: Request, offered: readonly LanguageCode[], caseLanguage: string | null): LanguageCode {
  const asked = new URL(request.url).searchParams.get('taal') ?? '';
  if (isLanguage(asked) && offered.includes(asked)) return asked;
  if (caseLanguage !== null && isLanguage(caseLanguage) && offered.includes(caseLanguage)) return caseLanguage;
  return preferredLanguage(offered, request.headers.get('accept-language')) ?? (offered.includes('nl') ? 'nl' : (offered[0] ?? 'nl'));
}

const pageAddress = (lang: LanguageCode) => `?${SMS_STOP_FIELD}=${SMS_STOP_VALUE}&taal=${lang}`;

/** GET and POST /s/<code>?sms=stoppen. */
export async function openSmsStop(request: Request, rawCode: string, clientAddress: string | undefined): Promise<SmsStopOutcome> {
  const store = await getStore();
  const now = new Date();
  // a client over the guessing limit learns nothing here either (src/server/invitations/links.ts)
  const guessing = await peekLimit(store, guessingBucket(clientAddress), FAILED_LOOKUPS, now.getTime());
  if (guessing.limited) return { kind: 'page', page: await linkPage(store, request, 'tooMany', 429, guessing.retryAfterSeconds) };
  const code = normaliseInviteCode(rawCode);
  const invite = code ? await findInviteByCode(store, code) : undefined;
  // an unknown or expired code: the same answer (and the same count of failed lookups) as the link's
  if (!invite || invite.expiresAt <= now.toISOString()) return openInviteLink(request, rawCode, clientAddress);
  const caseId = invite.caseId;
  const state = await smsStopState(store.db, caseId);
  const m = await findMunicipality(store, invite.municipality);
  // a resident who never gets SMS (a letter, a number that failed) is taken into the conversation as by the link
  if (caseId === null || !state.offered || !m) return openInviteLink(request, rawCode, clientAddress);
  // the same limit as opening the link: a shared or hammered link is not a way round it
  const opens = await hitLimit(store, `invite-open:${invite.id}`, OPENS_PER_INVITE, now.getTime());
  if (opens.limited) return { kind: 'page', page: await linkPage(store, request, 'tooMany', 429, opens.retryAfterSeconds) };

  const shipped = new Set(shippedLanguages());
  const offered = m.languages.filter((l): l is LanguageCode => shipped.has(l) && isLanguage(l));
  const caseRow = await store.db.selectFrom('cases').select('language').where('id', '=', caseId).executeTakeFirst();
  const lang = stopPageLanguage(request, offered, caseRow?.language ?? null);

  if (request.method === 'POST') {
    const read = await readForm(request);
    if (!read.ok) return { kind: 'redirect', response: read.response };
    if (read.form.get(SMS_STOP_FIELD) === SMS_STOP_VALUE && !state.stopped) {
      const first = await store.db.transaction().execute((trx) => stopCaseSms(trx, caseId, 'smsStopped', now.toISOString()));
      log.info({ action: 'sms.stop', object: '/s/[code]', result: first ? 'stopped' : 'already stopped', origin: 'http', actor: 'resident' }, 'a resident stopped the SMS on the personal link');
    }
    // after the post, the page's own address: a reload asks nothing again, and it now confirms
    return { kind: 'redirect', response: new Response(null, { status: 303, headers: { Location: pageAddress(lang), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } }) };
  }
  return { kind: 'smsStop', page: stopPage(m, lang, state.stopped, code ?? '') };
}

function stopPage(m: Municipality, lang: LanguageCode, stopped: boolean, code: string): SmsStopPage {
  // the municipality's own clip (its name, its number, its "u") wins over the shared one
  const clips = audioTable(manifestFor(lang), lang, m.slug);
  const context = addressContext(m, lang);
  const say = (key: string, vars: Record<string, string> = {}): Sentence => ({
    text: i18n.t(key, { lng: lang, ns: 'link', ...vars, ...(context ? { context } : {}) }),
    clip: clips[key] ?? null,
  });
  const body = stopped ? [say('smsStop.done.body'), say('smsStop.other')] : [say('smsStop.ask.body'), say('smsStop.other')];
  return {
    status: 200,
    headers: { ...PAGE_HEADERS, 'Content-Language': lang },
    lang,
    dir: directionOf(lang),
    stopped,
    title: say(stopped ? 'smsStop.done.title' : 'smsStop.ask.title'),
    body,
    form: stopped ? null : { action: pageAddress(lang), name: SMS_STOP_FIELD, value: SMS_STOP_VALUE, submit: say('smsStop.submit') },
    // relative: /s/<code> itself, which opens the conversation with the link's topic and channel
    start: { ...say('linkProblem.start', { municipality: m.name }), href: code },
    // a phone number reads left to right inside Arabic too
    call: { ...say('linkProblem.call', { phone: ltr(m.phoneDisplay, lang) }), phone: m.phone },
    languages: (Object.keys(LANGUAGES) as LanguageCode[])
      .filter((l) => m.languages.includes(l) && shippedLanguages().includes(l))
      .map((l) => ({ code: l, name: LANGUAGES[l].name, href: pageAddress(l), current: l === lang })),
    languagesLabel: i18n.t('linkProblem.languages', { lng: lang, ns: 'link' }),
    listen: i18n.t('linkProblem.listen', { lng: lang, ns: 'link' }),
  };
}
