// SPDX-License-Identifier: EUPL-1.2
/**
 * The national model for early signals, DDAS Uitwisselmodel Vroegsignalering v0.9: its code
 * lists under the portal's own codes (what is stored and what the API speaks), the official
 * value of each (what the delivery to CBS carries, src/lib/ddas-values.json), and the two rules
 * the model leaves to the municipality's clock: a contact attempt's date and part of the day.
 */
import values from './ddas-values.json' with { type: 'json' };

/** Who reported the unpaid bill (EnumSignaalpartner). */
export const SIGNAL_PARTNERS = [
  'energy',
  'rent',
  'mortgage',
  'cak_health_insurance',
  'health_insurance',
  'water',
  'duo',
  'tax',
  'cak_own_contribution',
  'other',
  'allowances',
] as const;
export type SignalPartner = (typeof SIGNAL_PARTNERS)[number];

/** How an attempt to reach the resident was made (EnumContactsoort). */
export const CONTACT_KINDS = ['email', 'letter', 'sms_whatsapp', 'phone', 'home_visit', 'card', 'other', 'administrative'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** How a case ended (EnumEindresultaat), in the model's order: first the cases never taken up, last the help given. */
export const END_RESULTS = [
  'repeat_signal',
  'wrong_signal',
  'deceased',
  'not_resident',
  'not_picked_up_other',
  'known_debt_help',
  'other_trajectory',
  'never_reached',
  'no_response_after_contact',
  'no_help_needed',
  'paid_or_arranged',
  'advice_quick_fix',
  'follow_up_financial',
  'referral_without_contact',
  'follow_up_non_financial',
] as const;
export type EndResult = (typeof END_RESULTS)[number];

/** Part of the day of an attempt (EnumDagdeel). */
export const DAY_PARTS = ['morning', 'afternoon', 'evening'] as const;
export type DayPart = (typeof DAY_PARTS)[number];

/** Where a signal stands (EnumSignaalstatus). */
export const SIGNAL_STATUSES = ['not_picked_up_yet', 'wrong_signal', 'deceased', 'not_resident', 'repeat_signal', 'not_picked_up_other'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

type Lists = {
  signalPartner: SignalPartner;
  contactKind: ContactKind;
  endResult: EndResult;
  dayPart: DayPart;
  signalStatus: SignalStatus;
};

const VALUES = values as unknown as { [L in keyof Lists]: Record<Lists[L], string> };

/** The value the national model writes for one of the portal's codes. */
export function ddasValue<L extends keyof Lists>(list: L, code: Lists[L]): string {
  return VALUES[list][code];
}

/** The portal's code for a value of the national model, or undefined when the list has no such value. */
export function codeOfDdasValue<L extends keyof Lists>(list: L, value: string): Lists[L] | undefined {
  const entry = Object.entries(VALUES[list]).find(([, v]) => v === value);
  return entry?.[0] as Lists[L] | undefined;
}

/** Every value of one list as the national model spells it, in the model's order. */
export function ddasValues(list: keyof Lists): string[] {
  return Object.values(VALUES[list]);
}

/** End results that mean the case was never taken up: it counts as a case, not as one the municipality tried to reach. */
export const NOT_TAKEN_UP: readonly EndResult[] = ['repeat_signal', 'wrong_signal', 'deceased', 'not_resident', 'not_picked_up_other'];

const TIME_ZONE = 'Europe/Amsterdam';
const PARTS = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });

function local(at: Date): { date: string; hour: number } {
  const p = Object.fromEntries(PARTS.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

/** The date of a moment on the municipality's clock (YYYY-MM-DD, Amsterdam time), as the model's `datum`. */
export function ddasDate(at: Date | string): string {
  return local(typeof at === 'string' ? new Date(at) : at).date;
}

/** Morning before 12:00, afternoon until 18:00, evening after, on the municipality's clock: the default `dagdeel` of an attempt. */
export function dayPartOf(at: Date | string): DayPart {
  const { hour } = local(typeof at === 'string' ? new Date(at) : at);
  return hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
}
