// SPDX-License-Identifier: EUPL-1.2
/**
 * Every text of the staff pages, in Dutch: the `staff` namespace of locales/nl, declared Dutch-only
 * (DUTCH_ONLY_NAMESPACES in src/lib/i18n.ts), so no other language needs it.
 */
import STAFF_TEXTS from '../../../locales/nl/staff.json' with { type: 'json' };

/** The staff pages' texts (locales/nl/staff.json, Dutch only: staff work in Dutch). */
export const TEXTS = STAFF_TEXTS;

/**
 * The text at `key` with `{{name}}` placeholders filled; `count` picks a `_one`/`_other` form.
 * Named `st`, not `t`: the locale test holds every `t('…')` in src to the resident locale files.
 */
export function st(key: string, vars: Record<string, string | number> = {}): string {
  const plural = typeof vars.count === 'number' ? `${key}_${vars.count === 1 ? 'one' : 'other'}` : undefined;
  const text = (plural !== undefined ? lookup(plural) : undefined) ?? lookup(key);
  if (text === undefined) throw new Error(`No staff text "${key}"`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? `{{${name}}}`));
}

/** The label of a code in one of the `labels` groups, or the code itself when there is none. */
export function label(group: keyof typeof TEXTS.labels, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  const found = lookup(`labels.${group}.${code}`);
  return found ?? code;
}

function lookup(key: string): string | undefined {
  let node: unknown = TEXTS;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}
