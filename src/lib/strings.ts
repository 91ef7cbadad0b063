// SPDX-License-Identifier: EUPL-1.2
/**
 * The island's tiny translator: a flat dictionary of one language, already resolved by
 * i18next on the server, with {{name}} placeholders left for values known only in the browser.
 */
export type StringTable = Record<string, string>;
export type Strings = (key: string, vars?: Record<string, string | number>) => string;

export function stringsFrom(table: StringTable): Strings {
  return (key, vars) => {
    const text = table[key] ?? key;
    if (!vars) return text;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}
