// SPDX-License-Identifier: EUPL-1.2
/**
 * GSM 03.38 (the 7-bit SMS alphabet): which text fits, how many septets it takes, and a
 * transliteration for names that carry other characters. One character outside it would switch
 * the whole SMS to UCS-2, where a single message holds 70 characters instead of 160.
 */

/** The basic character set, without ESC (0x1B), which only introduces the extension table. */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Reached through ESC, so each takes two septets; some phones and networks render them badly. */
const EXTENSION = '\f^{}\\[~]|€';

const basicSet = new Set(BASIC);
const extensionSet = new Set(EXTENSION);

export const SMS_SINGLE_LENGTH = 160;

/** True when every character is in the basic set (what we send: no escapes, one septet each). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basicSet.has(ch)) return false;
  return true;
}

/** Septets the text takes as GSM-7 (extension characters count two), or null if it cannot be GSM-7. */
export function gsm7Length(text: string): number | null {
  let septets = 0;
  for (const ch of text) {
    if (basicSet.has(ch)) septets += 1;
    else if (extensionSet.has(ch)) septets += 2;
    else return null;
  }
  return septets;
}

const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '`': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u00ad': '',
  '\u0132': 'IJ',
  '\u0133': 'ij',
  '\u0152': 'OE',
  '\u0153': 'oe',
  // letters that have no mark to take off (Turkish dotless i, Polish l with stroke)
  '\u0131': 'i',
  '\u0130': 'I',
  '\u0142': 'l',
  '\u0141': 'L',
};

/**
 * Rewrites text into the basic set: typographic quotes and dashes to plain ones, letters with
 * marks outside the set to the bare letter (Fryslân → Fryslan, while é stays é), and line
 * breaks to spaces. What still does not fit is dropped.
 */
export function toGsm7Basic(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\n' || ch === '\r' || ch === '\t') out += ' ';
    else if (basicSet.has(ch)) out += ch;
    else if (Object.hasOwn(REPLACEMENTS, ch)) out += REPLACEMENTS[ch];
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      if (isGsm7(bare)) out += bare;
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}
