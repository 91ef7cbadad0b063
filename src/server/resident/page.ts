// SPDX-License-Identifier: EUPL-1.2
/**
 * Everything a resident conversation page needs, for GET (first screen) and POST (the
 * no-JavaScript path: the server applies the submitted answer with the same flow machine).
 */
import { ANSWERS } from '../../../flows/answers.ts';
import { TOPICS, type Topic } from '../../../flows/resident.ts';
import {
  applyEvent,
  eventFromForm,
  isSent,
  metaOf,
  parseSaved,
  progressReport,
  screenOf,
  startConversation,
  type SavedConversation,
} from '../../lib/conversation.ts';
import { estimate, lengthClipId } from '../../lib/estimate.ts';
import { callbackBody, extrasBody } from '../../lib/request-body.ts';
import { weekdayNames } from '../../lib/hours.ts';
import { stringTable } from '../../lib/i18n.ts';
import { openingSchedule } from '../../lib/opening.ts';
import { checkPhone } from '../../lib/phone.ts';
import { directionOf, isLanguage, LANGUAGES, orderByPreference, type LanguageCode } from '../../lib/languages.ts';
import { pick, type Municipality } from '../../lib/municipality.ts';
import { addressContext, textVars } from '../../lib/text-vars.ts';
import type { RunnerProps } from '../../islands/ConversationRunner.tsx';
import { readForm } from '../http/problem.ts';
import { overClientLimit, overInviteLimit } from '../http/rate-limit.ts';
import { checkWordClip, clipTable, manifestFor } from './audio.ts';
import { submitCallbackRequest, supplementRequest } from '../callbacks/requests.ts';
import { FORM_CHOICES } from '../staff/requests.ts';
import { inviteFromCookie } from '../invitations/links.ts';
import { smsStopOffered } from '../store/sms.ts';
import { i18n, shippedLanguages } from '../locales.ts';
import { findMunicipality } from '../municipalities.ts';
import { appConfig, getStore } from '../runtime.ts';
import { themeFileTokens, usedTokens } from './theme-file.ts';
import { upsertConversationProgress } from '../store/conversations.ts';
import { st } from '../staff/texts.ts';

export type ResidentPage =
  | { kind: 'redirect'; location: string }
  | { kind: 'notFound' }
  | { kind: 'response'; response: Response }
  | {
      kind: 'page';
      lang: LanguageCode;
      dir: 'ltr' | 'rtl';
      title: string;
      municipality: Municipality;
      hours: string;
      themeCss: string;
      t: (key: string) => string;
      runner: RunnerProps;
      /** fetched early, beside the first screen: the clip table */
      preload: string;
      /** "no more SMS" in the footer, for a resident who came by a link whose case gets the plan's SMS */
      smsStopHref: string | null;
    };

/** What the first screen shows of the invitation the resident came in with (the lead renders it). */
export interface InvitePageInfo {
  /** as printed on the letter or in the SMS, e.g. APPEL */
  checkWord: string;
  channel: 'sms' | 'letter-qr';
}

export function availableLanguages(m: Municipality): LanguageCode[] {
  const shipped = new Set(shippedLanguages());
  return m.languages.filter((l) => shipped.has(l));
}

/**
 * The municipality's NL Design System tokens as one CSS rule (values were validated on load): the
 * ones its token file (THEME_CSS_FILE) supplies that the page uses, then its own `theme`, which wins.
 */
export function themeCss(m: Municipality): string {
  const supplied = themeFileTokens();
  const own = Object.entries(m.theme);
  const decls = [...(supplied ? usedTokens(supplied, Object.values(m.theme)) : []), ...own].map(([k, v]) => `${k}:${v}`);
  // doubled :root outranks the stylesheet's defaults wherever the two end up in the page
  return decls.length ? `:root:root{${decls.join(';')}}` : '';
}

function presetTopic(topic: string | null): Topic | null {
  return TOPICS.find((t) => t === topic) ?? null;
}

async function fromForm(request: Request, start: SavedConversation): Promise<{ saved: SavedConversation; changed: boolean; extras?: boolean } | Response> {
  // the same 16 KB limit as the API: a real step's form is a few kilobytes
  const body = await readForm(request);
  if (!body.ok) return body.response;
  const form = body.form;
  const saved = parseSaved(form.get('conversation')) ?? start;
  const answer = form.get('answer');
  const screen = screenOf(saved);
  const event = eventFromForm(screen, {
    event: (form.get('event') as string | null) ?? (answer !== null ? 'ANSWER' : null),
    value: typeof answer === 'string' ? answer : null,
    values: form.getAll('answer').filter((v): v is string => typeof v === 'string'),
  });
  // "send again" on the thanks screen: the optional answers go to the stored request once more
  if (form.get('event') === 'RETRY_EXTRAS') return { saved, changed: false, extras: true };
  if (!event) return { saved, changed: false };
  // a typed number is checked as the call-back will be, so a wrong one is explained right away
  const checked = screen.state === 'phone' && event.type === 'ENTER' ? checkPhone(event.value) : null;
  const next = applyEvent(
    saved,
    checked === null
      ? event
      : checked.ok
        ? { type: 'ENTER', value: checked.display }
        : { type: 'REJECT', value: event.type === 'ENTER' ? event.value : '', errors: { phone: `phone.${checked.code}` } },
  );
  return { saved: event.type === 'RESTART' ? { ...next, id: crypto.randomUUID() } : next, changed: true, extras: metaOf(saved.state).extra === true && next.state !== saved.state };
}

/**
 * Staff mode ("samen invullen" on a tablet): the same conversation under /staff/samen, channel
 * "staff", nothing kept on the device, every form carrying the staff session's CSRF token.
 */
export interface StaffMode {
  csrf: string;
}

export async function residentPage(
  request: Request,
  slug: string,
  lang: string,
  staffMode?: StaffMode,
  clientAddress?: string,
): Promise<ResidentPage> {
  const store = await getStore();
  const m = await findMunicipality(store, slug);
  if (!m) return { kind: 'notFound' };
  const languages = availableLanguages(m);
  if (!isLanguage(lang) || !languages.includes(lang)) {
    const best = orderByPreference(languages, request.headers.get('accept-language'))[0] ?? 'nl';
    return { kind: 'redirect', location: `${staffMode ? '/staff/samen' : ''}/${m.slug}/${best}/` };
  }
  // A personal link (/s/<code>) left a cookie naming the invitation: the conversation starts
  // with its channel and topic, so call-backs and counts are attributed to it.
  const invite = staffMode ? null : await inviteFromCookie(store, request, m.slug);
  const start = staffMode
    ? startConversation({ channel: 'staff' })
    : invite
    ? startConversation({ channel: invite.channel, topic: presetTopic(invite.topic), inviteId: invite.id })
    : startConversation({ channel: 'web' });
  let saved = start;
  let fromPost = false;
  if (request.method === 'POST') {
    const result = await fromForm(request, start);
    if (result instanceof Response) return { kind: 'response', response: result };
    saved = result.saved;
    fromPost = true;
    // the no-JS path shares the API's per-client and per-invitation limits (the same buckets)
    const config = appConfig();
    const limited =
      saved.state === 'sending' &&
      !staffMode &&
      ((await overClientLimit(store, 'callback-post', config.callbackRateLimit, clientAddress)) ||
        (await overInviteLimit(store, saved.context.inviteId, config.callbackInviteLimit)));
    if (limited) {
      saved = applyEvent(saved, { type: 'FAILED', errors: { network: 'generic' } });
    } else if (saved.state === 'sending') {
      const outcome = await submitCallbackRequest(store, callbackBody(saved, m.slug, lang, ANSWERS), saved.id);
      if (outcome.kind === 'created' || outcome.kind === 'replay') {
        saved = applyEvent(saved, { type: 'SENT', reference: outcome.body.reference, requestId: outcome.body.id });
      } else if (outcome.kind === 'invalid') {
        const errors = Object.fromEntries(outcome.invalid.map((p) => [p.name, `${p.name}.${p.code}`]));
        saved = applyEvent(saved, { type: 'FAILED', errors });
      } else {
        saved = applyEvent(saved, { type: 'FAILED', errors: { network: 'generic' } });
      }
    }
    if (result.extras && isSent(saved) && saved.context.requestId) {
      // an optional answer after sending: added to the stored request at once
      const added = await supplementRequest(store, saved.context.requestId, extrasBody(saved, ANSWERS));
      saved = applyEvent(saved, { type: 'EXTRAS_SAVED', ok: added.kind === 'ok' });
    }
    const report = progressReport(saved, m.slug, lang);
    if (report && result.changed) await upsertConversationProgress(store, { id: saved.id, ...report });
  }
  const vars = textVars(i18n, m, lang);
  const context = addressContext(m, lang);
  const strings = stringTable(i18n, lang, vars, undefined, context);
  const t = (key: string) => strings[key] ?? key;
  // what the welcome promises is measured: the questions and clip seconds of the shortest way to a request
  const measured = estimate(manifestFor(lang), m.slug, saved.context.topicPreset);
  const lengthText = i18n.t('steps.welcome.length', { lng: lang, ns: 'resident', count: measured.minutes, questions: measured.questions, ...(context ? { context } : {}) });
  const table = clipTable(lang, m.slug);
  const ordered = orderByPreference(languages, request.headers.get('accept-language'));
  const base = `${staffMode ? '/staff/samen' : ''}/${m.slug}`;
  return {
    kind: 'page',
    lang,
    dir: directionOf(lang),
    title: `${t(screenOf(saved).meta.title)} · ${m.name}`,
    municipality: m,
    hours: String(vars.hours),
    themeCss: themeCss(m),
    t,
    preload: table.url,
    smsStopHref: invite && invite.caseId && (await smsStopOffered(store, invite.caseId)) ? `/s/${invite.code}?sms=stoppen&taal=${lang}` : null,
    runner: {
      initial: saved,
      resumeFromDevice: !fromPost && !staffMode,
      strings,
      // the clip table comes apart (clipsUrl); only the check word of this resident's letter is here
      clips: invite ? checkWordClip(invite.checkWord) : {},
      page: {
        lang,
        action: `${base}/${lang}/`,
        municipalitySlug: m.slug,
        apiPath: '/api/v1/terugbelverzoeken',
        progressPath: '/api/v1/gesprekken',
        phonePath: '/api/v1/telefoonnummer',
        clipsUrl: table.url,
        nativeNames: Object.fromEntries(Object.entries(LANGUAGES).map(([code, l]) => [code, { name: l.name, dir: l.dir }])),
        schedule: openingSchedule(m, new Date()),
        renderedAt: Date.now(),
        weekdays: weekdayNames(lang),
        length: { text: lengthText, clip: lengthClipId(measured) },
        storageKey: `hulpgesprek:${m.slug}`,
        municipality: {
          name: m.name,
          phone: m.phone,
          phoneDisplay: m.phoneDisplay,
          hours: String(vars.hours),
          website: m.website,
        },
        languages: ordered.map((code) => ({ code, name: LANGUAGES[code].name, dir: directionOf(code), action: `${base}/${code}/` })),
        offers: m.offers.map((o) => ({
          help: o.help,
          name: pick(o.name, lang),
          description: o.description && pick(o.description, lang),
          phone: o.phone,
          address: o.address,
          walkIn: o.walkIn && pick(o.walkIn, lang),
          url: o.url,
        })),
        invite: invite ? { checkWord: invite.checkWord, channel: invite.channel } : undefined,
        staff: staffMode
          ? {
              csrf: staffMode.csrf,
              finishPath: '/staff/samen/afronden',
              startPath: `${base}/nl/`,
              outcomes: FORM_CHOICES.outcomes.map(({ value, label }) => ({ value, label })),
              texts: { title: st('together.finishTitle'), outcome: st('together.outcome'), submit: st('together.finishSubmit') },
            }
          : undefined,
      },
    },
  };
}
