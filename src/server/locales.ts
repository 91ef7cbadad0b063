// SPDX-License-Identifier: EUPL-1.2
/** The locale files, bundled into the server build, and one i18next instance over them. */
import type { Resource } from 'i18next';
import { createI18n } from '../lib/i18n.ts';

const files = import.meta.glob<{ default: Record<string, unknown> }>(
  '../../locales/*/{common,resident,legal,staff}.json',
  { eager: true },
);

export const resources: Resource = {};
for (const [path, mod] of Object.entries(files)) {
  const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!match) continue;
  const [, lng, ns] = match as unknown as [string, string, string];
  (resources[lng] ??= {})[ns] = mod.default;
}

export const i18n = createI18n(resources);

export function shippedLanguages(): string[] {
  return Object.keys(resources);
}
