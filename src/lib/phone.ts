// SPDX-License-Identifier: EUPL-1.2
/**
 * A resident's phone number, checked with libphonenumber (server side: the metadata is too large
 * for the island) and read back the way Dutch people say it: "06 12 34 56 78", "0118 123 456".
 * Arabic-Indic and Persian digits count as digits; a problem gets a code the screen translates.
 */
import { parsePhoneNumberFromString, validatePhoneNumberLength, type PhoneNumber } from 'libphonenumber-js/max';
import { westernDigits } from './digits.ts';

export type PhoneProblem = 'required' | 'letters' | 'tooShort' | 'tooLong' | 'invalid';

export type PhoneCheck =
  | { ok: true; e164: string; /** grouped for the eye and the ear */ groups: string[]; display: string }
  | { ok: false; code: PhoneProblem };

/** Dutch numbers as dialled at home; others with their country code (+ or 00). */
export function checkPhone(raw: string): PhoneCheck {
  const number = phoneNumber(raw);
  if (!number.ok) return number;
  const parsed = number.parsed;
  const groups = readBackGroups(parsed.countryCallingCode === '31' ? parsed.formatNational() : parsed.formatInternational(), parsed.getType());
  return { ok: true, e164: parsed.number, groups, display: groups.join(' ') };
}

/** The number in E.164, checked as checkPhone checks it, without reading it back (a stored request needs no groups). */
export function phoneE164(raw: string): { ok: true; e164: string } | { ok: false; code: PhoneProblem } {
  const number = phoneNumber(raw);
  return number.ok ? { ok: true, e164: number.parsed.number } : number;
}

function phoneNumber(raw: string): { ok: true; parsed: PhoneNumber } | { ok: false; code: PhoneProblem } {
  const typed = westernDigits(raw).trim();
  if (typed === '') return { ok: false, code: 'required' };
  if (/\p{L}/u.test(typed)) return { ok: false, code: 'letters' };
  const international = typed.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(international, 'NL');
  if (parsed?.isValid()) return { ok: true, parsed };
  // Not a number that can be called: say which way it is off where that is clear.
  const length = validatePhoneNumberLength(international, 'NL');
  if (length === 'TOO_SHORT') return { ok: false, code: 'tooShort' };
  if (length === 'TOO_LONG') return { ok: false, code: 'tooLong' };
  // A Dutch number dialled at home has 10 digits (0 + 9): where it has not, say which way it is off.
  const digits = international.replace(/\D/g, '');
  const national = !international.startsWith('+') && digits.startsWith('0');
  if (national && digits.length !== 10) return { ok: false, code: digits.length > 10 ? 'tooLong' : 'tooShort' };
  return { ok: false, code: 'invalid' };
}

/**
 * libphonenumber writes a Dutch mobile number "06 12345678"; said aloud (and printed on most
 * letters) it is "06 12 34 56 78". Other numbers keep libphonenumber's groups.
 */
function readBackGroups(formatted: string, type: string | undefined): string[] {
  const groups = formatted.split(/[\s-]+/).filter(Boolean);
  if (type === 'MOBILE' && groups[0] === '06' && groups.length === 2 && groups[1]?.length === 8) {
    const rest = groups[1];
    return ['06', ...(rest.match(/\d\d/g) ?? [rest])];
  }
  return groups;
}
