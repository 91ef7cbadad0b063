// SPDX-License-Identifier: EUPL-1.2
/** The locale files, read at start, and one i18next instance over them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Resource } from 'i18next';
import { ALL_NAMESPACES, createI18n } from '../lib/i18n.ts';

const LOCALES = new URL('../../locales/', import.meta.url);

/** Every language folder's namespace files, read once when the server starts. */
export const resources: Resource = {};
for (const lng of readdirSync(LOCALES).sort()) {
  for (const ns of ALL_NAMESPACES) {
    const file = new URL(`${lng}/${ns}.json`, LOCALES);
    if (existsSync(file)) (resources[lng] ??= {})[ns] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  }
}

export const i18n = createI18n(resources);

export function shippedLanguages(): string[] {
  return Object.keys(resources);
}
