// SPDX-License-Identifier: EUPL-1.2
/**
 * Invite codes (the secret part of a personal link) and check words (shown on the letter or SMS
 * and on the first screen, so the resident can see the page belongs to their letter).
 */
import { CHECK_WORDS } from './check-words.ts';

/** No 0/O, 1/I/L: the code is printed on letters and may be typed over by hand. */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 13 × log2(31) ≈ 64.4 random bits: guessing one live code among 10^6 takes ~10^13 tries. */
export const INVITE_CODE_LENGTH = 13;
const CANONICAL = new RegExp(`^[${INVITE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`);
/** 248 = 8 × 31: bytes from 248 up are thrown away, so every character is equally likely. */
const BYTE_LIMIT = Math.floor(256 / INVITE_ALPHABET.length) * INVITE_ALPHABET.length;

/** Fills the array with random bytes; tests pass a fake one to check the rejection sampling. */
export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => void;
const cryptoFill: RandomFill = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

/** A fresh code in canonical form (13 characters, no dashes), from the CSPRNG by rejection sampling. */
export function generateInviteCode(fill: RandomFill = cryptoFill): string {
  let code = '';
  const bytes = new Uint8Array(32);
  while (code.length < INVITE_CODE_LENGTH) {
    fill(bytes);
    for (const byte of bytes) {
      if (byte >= BYTE_LIMIT) continue;
      code += INVITE_ALPHABET[byte % INVITE_ALPHABET.length];
      if (code.length === INVITE_CODE_LENGTH) break;
    }
  }
  return code;
}

export function isInviteCode(code: string): boolean {
  return CANONICAL.test(code);
}

/** `XXXX-XXXX-XXXXX`: short groups are easier to read aloud and to type over from paper. */
export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

// Spaces of any kind and every dash a phone keyboard or word processor may produce.
const SEPARATORS = /[\s\u00a0\u2007\u202f\-\u2010-\u2015\u2212_.]/gu;

/**
 * Turns what a resident typed or a link carried into the canonical code, or null.
 *
 * Accepted: any letter case, with or without dashes, spaces, dots or underscores between the
 * groups, and full-width characters (NFKC). Not mapped but rejected: 0, O, 1, I, L and anything
 * else outside the alphabet. Codes never contain them, so a typed one is a misreading of some
 * other character, and there is no single right guess which (an O may be a Q or a D; a 1 a 7 or
 * a J). A wrong guess would send the resident to someone else's invitation in the worst case, so
 * they get the "link did not work" page, which lets them retype the code or call.
 */
export function normaliseInviteCode(input: string): string | null {
  if (input.length > 64) return null;
  const code = input.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
  return isInviteCode(code) ? code : null;
}

/** A check word at random, uppercase as printed and shown (APPEL). Not a secret: a comparison aid. */
export function pickCheckWord(fill: RandomFill = cryptoFill): string {
  const n = CHECK_WORDS.length;
  const limit = Math.floor(65536 / n) * n;
  const pair = new Uint8Array(2);
  for (;;) {
    fill(pair);
    const value = ((pair[0] ?? 0) << 8) | (pair[1] ?? 0);
    if (value < limit) return (CHECK_WORDS[value % n] as string).toUpperCase();
  }
}

export { CHECK_WORDS };
