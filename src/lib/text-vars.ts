// SPDX-License-Identifier: EUPL-1.2
/** The values a municipality fills into texts, as shown and as spoken. */
import type { i18n } from 'i18next';
import { openingHoursText } from './hours.ts';
import type { Municipality } from './municipality.ts';
import { spokenPhone, spokenTimes } from './speech.ts';

export function promiseText(i18next: i18n, m: Municipality, lng: string): string {
  const parts = [i18next.t('promise.workingDays', { lng, ns: 'resident', count: m.promise.workingDays })];
  if (m.promise.window) parts.push(i18next.t('promise.window', { lng, ns: 'resident', ...m.promise.window }));
  return parts.join(lng === 'ar' ? '، ' : ', ');
}

export function textVars(i18next: i18n, m: Municipality, lng: string): Record<string, string | number> {
  return {
    municipality: m.name,
    phone: m.phoneDisplay,
    hours: openingHoursText(m.openingHours, lng),
    retentionMonths: m.retentionMonths,
    promise: promiseText(i18next, m, lng),
  };
}

export function spokenVars(i18next: i18n, m: Municipality, lng: string): Record<string, string | number> {
  const shown = textVars(i18next, m, lng);
  return {
    ...shown,
    phone: spokenPhone(m.phoneDisplay),
    hours: spokenTimes(openingHoursText(m.openingHours, lng, 'long')),
    promise: spokenTimes(String(shown.promise)),
  };
}
