// SPDX-License-Identifier: EUPL-1.2
/** The values a municipality fills into texts, as shown and as spoken. */
import type { i18n } from 'i18next';
import { openingHoursText } from './hours.ts';
import { hasFormalAddress, LANGUAGES, type LanguageCode } from './languages.ts';
import type { Municipality } from './municipality.ts';
import { spokenPhone, spokenTimes } from './speech.ts';

/**
 * The call-back promise as the resident is told it ("binnen 2 werkdagen"): in working days only.
 * The calling window is the staff's deadline, not the resident's: they chose their own part of day.
 */
export function promiseText(i18next: i18n, workingDays: number, lng: string): string {
  return i18next.t('promise.workingDays', { lng, ns: 'resident', count: workingDays });
}

/**
 * Phone numbers and web addresses read left to right in every language: inside a right-to-left
 * sentence they are isolated (Unicode LRI … PDI), or "0118 123 456" would show as "456 123 0118".
 */
export function ltr(text: string, lng: string): string {
  return LANGUAGES[lng as LanguageCode]?.dir === 'rtl' ? `\u2066${text}\u2069` : text;
}

export function textVars(i18next: i18n, m: Municipality, lng: string): Record<string, string | number> {
  return {
    municipality: m.name,
    // no-break spaces: a phone number never breaks over two lines
    phone: ltr(m.phoneDisplay.replace(/ /g, '\u00a0'), lng),
    hours: openingHoursText(m.openingHours, lng),
    website: ltr(new URL(m.website).host, lng),
    retentionMonths: m.retentionMonths,
    retention: i18next.t('retention.months', { lng, ns: 'resident', count: m.retentionMonths }),
    promise: promiseText(i18next, m.promise.workingDays, lng),
    urgentPromise: promiseText(i18next, m.promise.urgentWorkingDays, lng),
  };
}

/** A plural text from a language's spoken overrides (vocalised Arabic), if it has one. */
function spokenPlural(spoken: Record<string, unknown> | null, key: string, lng: string, count: number): string | undefined {
  const path = key.split('.');
  const last = path.pop() as string;
  let forms: unknown = spoken?.resident;
  for (const part of path) forms = forms && typeof forms === 'object' ? (forms as Record<string, unknown>)[part] : undefined;
  if (!forms || typeof forms !== 'object') return undefined;
  const table = forms as Record<string, unknown>;
  const text = table[`${last}_${new Intl.PluralRules(lng).select(count)}`] ?? table[`${last}_other`];
  return typeof text === 'string' ? text.replace(/\{\{\s*count\s*\}\}/g, String(count)) : undefined;
}

export function spokenVars(i18next: i18n, m: Municipality, lng: string, spoken: Record<string, unknown> | null = null): Record<string, string | number> {
  const shown = textVars(i18next, m, lng);
  const retention = spokenPlural(spoken, 'retention.months', lng, m.retentionMonths);
  return {
    ...shown,
    ...(retention ? { retention } : {}),
    phone: spokenPhone(m.phoneDisplay),
    website: new URL(m.website).host,
    hours: spokenTimes(openingHoursText(m.openingHours, lng, 'long')),
    promise: spokenTimes(String(shown.promise)),
    urgentPromise: spokenTimes(String(shown.urgentPromise)),
  };
}

/** The i18next context for the municipality's form of address, in every language that has a polite form. */
export function addressContext(m: Municipality, lng: string): string | undefined {
  return m.address === 'u' && hasFormalAddress(lng) ? 'u' : undefined;
}
