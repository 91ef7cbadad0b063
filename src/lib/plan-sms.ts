// SPDX-License-Identifier: EUPL-1.2
/**
 * The contact plan's SMS: one GSM-7 message of at most 160 characters in the resident's language
 * (where an SMS can carry its script; Dutch otherwise), with the municipality's name, the personal
 * link, the check word and how to stop. A step can have wording variants; each case gets one at
 * random, reproducibly from the plan's seed, so the reach page can show which wording works.
 */
import EN from '../../locales/en/outreach.json' with { type: 'json' };
import NL from '../../locales/nl/outreach.json' with { type: 'json' };
import PAP from '../../locales/pap/outreach.json' with { type: 'json' };
import PL from '../../locales/pl/outreach.json' with { type: 'json' };
import TR from '../../locales/tr/outreach.json' with { type: 'json' };
import { SMS_SINGLE_LENGTH, toGsm7Basic } from './gsm7.ts';
import { checkSmsLink, firstFitting, SmsTextError, withoutPrefix } from './invite-sms.ts';

/**
 * Languages the SMS is written in. Arabic, Ukrainian and Tigrinya cannot be written in GSM-7 (in
 * UCS-2 one SMS holds 70 characters, too few for the link and the stop word): those residents get
 * the Dutch SMS, and the link opens the portal in their language.
 */
export const SMS_LANGUAGES = ['nl', 'en', 'tr', 'pl', 'pap'] as const;
export type SmsLanguage = (typeof SMS_LANGUAGES)[number];

type PlanTexts = typeof NL.sms.plan;
const TEXTS: Record<SmsLanguage, PlanTexts> = { nl: NL.sms.plan, en: EN.sms.plan, tr: TR.sms.plan, pl: PL.sms.plan, pap: PAP.sms.plan };

/** The wordings a plan's SMS step can use (`short` is every wording's fallback, not a variant). */
export const SMS_VARIANTS = Object.keys(NL.sms.plan).filter((k) => k !== 'short') as Exclude<keyof PlanTexts, 'short'>[];
export type SmsVariant = (typeof SMS_VARIANTS)[number];

/** The language the SMS is written in for a resident of this language (Dutch when unknown or not GSM-7). */
export function smsLanguage(language: string | null): SmsLanguage {
  return (SMS_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as SmsLanguage) : 'nl';
}

export interface PlanSmsInput {
  language: SmsLanguage;
  variant: SmsVariant;
  municipalityName: string;
  link: string;
  checkWord: string;
}

/**
 * The text: the variant's wording with the municipality's full name, else with its name without
 * "Gemeente", else the short wording. Throws SmsTextError when nothing fits one GSM-7 message or
 * the link cannot be carried.
 */
export function planSmsText({ language, variant, municipalityName, link, checkWord }: PlanSmsInput): string {
  checkSmsLink(link);
  const texts = TEXTS[language];
  const word = toGsm7Basic(checkWord).toUpperCase();
  const full = toGsm7Basic(municipalityName);
  const short = toGsm7Basic(withoutPrefix(municipalityName));
  const fill = (text: string, name: string) => toGsm7Basic(text.replace('{{name}}', name).replace('{{link}}', link).replace('{{word}}', word));
  const fitting = firstFitting([fill(texts[variant], full), fill(texts[variant], short), fill(texts.short, full), fill(texts.short, short)]);
  if (fitting !== null) return fitting;
  throw new SmsTextError(`The ${language} SMS "${variant}" does not fit in ${SMS_SINGLE_LENGTH} characters even in its short form: shorten PUBLIC_URL or the municipality's name.`);
}

/**
 * FNV-1a, 32 bits, with MurmurHash3's finaliser: a small, well-known hash, the same on every
 * machine. FNV alone leaves its low bits poorly mixed (modulo 2 it follows the last character),
 * the finaliser spreads every input bit over all of them.
 */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The variant a case gets for a step: drawn from the plan's seed, the case and the step, so the
 * same seed gives every case the same variant again (reproducible), and over many cases each
 * variant about as often.
 */
export function variantOf<T extends string>(seed: string, caseId: string, stepId: string, variants: readonly T[]): T {
  if (variants.length === 0) throw new Error('a step without variants');
  return variants[fnv1a(`${seed}\u0000${caseId}\u0000${stepId}`) % variants.length] as T;
}
