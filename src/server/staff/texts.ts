// SPDX-License-Identifier: EUPL-1.2
/**
 * Every text of the staff pages, in Dutch: the `staff` i18next namespace (locales/nl/staff.json),
 * declared Dutch-only (DUTCH_ONLY_NAMESPACES in src/lib/i18n.ts), so no other language needs it.
 */
import { ddasValues, ddasValue } from '../../lib/ddas.ts';
import { i18n } from '../locales.ts';

const STAFF = { lng: 'nl', ns: 'staff', fallbackNS: false } as const;

/**
 * The text at `key` with `{{name}}` placeholders filled; `count` picks a `_one`/`_other` form.
 * Named `st`, not `t`: the locale test holds every `t('…')` in src to the resident locale files.
 * A key that is not there is a mistake in the code, so it throws rather than show the key.
 */
export function st(key: string, vars: Record<string, string | number> = {}): string {
  const options = { ...STAFF, ...vars };
  if (!i18n.exists(key, options)) throw new Error(`No staff text "${key}"`);
  return i18n.t(key, options);
}

/** Label groups whose Dutch words are the national model's own values (src/lib/ddas-values.json). */
const DDAS_GROUPS = { kind: 'contactKind', outcome: 'endResult', dayPart: 'dayPart', partner: 'signalPartner', signalStatus: 'signalStatus' } as const;

/**
 * The label of a code in one of the `labels` groups, or the code itself when there is none. Contact
 * kinds, end results, parts of the day and signal partners are labelled with the official DDAS
 * value, so staff read exactly what the delivery to CBS says.
 */
export function label(group: string, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  const list = DDAS_GROUPS[group as keyof typeof DDAS_GROUPS];
  if (list) {
    const value = ddasValue(list, code as never) as string | undefined;
    return value !== undefined && ddasValues(list).includes(value) ? value : code;
  }
  const key = `labels.${group}.${code}`;
  return i18n.exists(key, STAFF) ? i18n.t(key, STAFF) : code;
}
