// SPDX-License-Identifier: EUPL-1.2
/**
 * The invitation SMS: one GSM-7 message of at most 160 characters with the municipality's name,
 * the personal link and the check word. Long names or addresses get a shorter wording.
 */
import OUTREACH from '../../locales/nl/outreach.json' with { type: 'json' };
import { gsm7Length, isGsm7, SMS_SINGLE_LENGTH, toGsm7Basic } from './gsm7.ts';

export class SmsTextError extends Error {
  override name = 'SmsTextError';
}

export interface InviteSmsInput {
  municipalityName: string;
  /** the personal link, `${PUBLIC_URL}/s/<code>` */
  link: string;
  /** as shown on the first screen, e.g. APPEL */
  checkWord: string;
}

type Wording = (name: string, link: string, word: string) => string;

/** Throws SmsTextError when the personal link cannot stand in an SMS: a character outside GSM-7, or a space. */
export function checkSmsLink(link: string): void {
  if (!isGsm7(link) || /\s/.test(link)) {
    throw new SmsTextError(`The invitation link "${link}" has characters an SMS cannot carry as GSM-7: check PUBLIC_URL.`);
  }
}

/** The first text, best first, that is one GSM-7 message (at most 160 septets), or null. */
export function firstFitting(candidates: readonly string[]): string | null {
  for (const text of candidates) {
    const length = gsm7Length(text);
    if (isGsm7(text) && length !== null && length <= SMS_SINGLE_LENGTH) return text;
  }
  return null;
}

/** A wording of locales/nl/outreach.json (Dutch only: the municipality writes to residents in Dutch first). */
function wording(key: keyof typeof OUTREACH.sms.invite): Wording {
  const text = OUTREACH.sms.invite[key];
  return (name, link, word) => text.replace('{{name}}', name).replace('{{link}}', link).replace('{{word}}', word);
}

// Best first. The link stands alone, with a space on both sides, so no phone takes a full stop
// or colon next to it as part of the address.
const FULL = wording('full');
const NO_KIJK_OP = wording('noKijkOp');
const SHORT = wording('short');
const SHORTER = wording('shorter');
const SHORTEST = wording('shortest');

/** "Gemeente Sint-Anna" → "Sint-Anna": the sender is still clear, and the SMS sender id names it too. */
export function withoutPrefix(name: string): string {
  return name.replace(/^gemeente\s+/i, '');
}

/**
 * The SMS text, in the longest wording that fits one message. The order of giving things up:
 * first the words "Kijk op", then "Gemeente" before the name, then the explanation, so the
 * name, the link and the check word are always there. Throws SmsTextError when even the
 * shortest form does not fit or the link holds characters outside the GSM-7 basic set.
 */
export function inviteSmsText({ municipalityName, link, checkWord }: InviteSmsInput): string {
  checkSmsLink(link);
  const word = toGsm7Basic(checkWord).toUpperCase();
  const full = toGsm7Basic(municipalityName);
  const short = toGsm7Basic(withoutPrefix(municipalityName));
  const names = full === short ? [full] : [full, short];
  const candidates: string[] = [];
  for (const name of names) for (const wording of [FULL, NO_KIJK_OP]) candidates.push(wording(name, link, word));
  for (const wording of [SHORT, SHORTER, SHORTEST])
    for (const name of names) candidates.push(wording(name, link, word));
  const fitting = firstFitting(candidates);
  if (fitting !== null) return fitting;
  const shortest = candidates.at(-1) ?? '';
  throw new SmsTextError(
    `The invitation SMS does not fit in ${SMS_SINGLE_LENGTH} characters even in its shortest form ` +
      `(${shortest.length}: "${shortest}"). Shorten PUBLIC_URL or the municipality's name.`,
  );
}
