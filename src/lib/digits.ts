// SPDX-License-Identifier: EUPL-1.2
/** Digits as residents type them: Arabic-Indic (٠–٩) and Persian (۰–۹) digits become 0–9. */
const ARABIC_INDIC = 0x0660;
const PERSIAN = 0x06f0;

export function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - (code >= PERSIAN ? PERSIAN : ARABIC_INDIC));
  });
}
