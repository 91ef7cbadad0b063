// SPDX-License-Identifier: EUPL-1.2
/** The installable app: its icons (made by `npm run icons`) and the web manifest of one municipality in one language. */
import { directionOf, type LanguageCode } from './languages.ts';
import type { Municipality } from './municipality.ts';

export interface AppIcon {
  /** file in public/ */
  file: string;
  size: number;
  /** maskable: the pictogram sits in the inner safe zone on a full-bleed background */
  purpose: 'any' | 'maskable' | 'apple';
}

export const APP_ICONS: readonly AppIcon[] = [
  { file: 'app-icon-192.png', size: 192, purpose: 'any' },
  { file: 'app-icon-512.png', size: 512, purpose: 'any' },
  { file: 'app-icon-maskable-512.png', size: 512, purpose: 'maskable' },
  // iOS ignores manifest icons and rounds the corners itself
  { file: 'apple-touch-icon.png', size: 180, purpose: 'apple' },
];

export const DEFAULT_THEME_COLOR = '#00529b';
export const DEFAULT_BACKGROUND_COLOR = '#ffffff';

/** A theme token as a colour a browser's toolbar can take (custom properties like var(--x) cannot). */
function plainColour(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  return /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\([\d\s.,%/]+\)|[a-z]{3,20})$/i.test(v) ? v : null;
}

export function themeColour(m: Municipality): string {
  return plainColour(m.theme['--hg-color-primary']) ?? DEFAULT_THEME_COLOR;
}

export function backgroundColour(m: Municipality): string {
  return plainColour(m.theme['--hg-color-background']) ?? DEFAULT_BACKGROUND_COLOR;
}

export function manifestPath(slug: string, lang: string): string {
  return `/${slug}/${lang}/manifest.webmanifest`;
}

export interface WebAppManifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  lang: LanguageCode;
  dir: 'ltr' | 'rtl';
  start_url: string;
  scope: string;
  display: 'standalone';
  theme_color: string;
  background_color: string;
  prefer_related_applications: false;
  icons: { src: string; sizes: string; type: 'image/png'; purpose: 'any' | 'maskable' }[];
}

/**
 * One app per municipality (`id` is its scope), whatever language it was installed in: opening
 * the page in another language offers no second icon. The app opens in the install language;
 * the conversation's own language switch stays one tap away.
 */
export function webAppManifest(
  m: Municipality,
  lang: LanguageCode,
  texts: { name: string; tagline: string },
): WebAppManifest {
  return {
    id: `/${m.slug}/`,
    name: `${texts.name} · ${m.name}`,
    short_name: texts.name,
    description: texts.tagline,
    lang,
    dir: directionOf(lang),
    start_url: `/${m.slug}/${lang}/`,
    scope: `/${m.slug}/`,
    display: 'standalone',
    theme_color: themeColour(m),
    background_color: backgroundColour(m),
    prefer_related_applications: false,
    icons: APP_ICONS.filter((i): i is AppIcon & { purpose: 'any' | 'maskable' } => i.purpose !== 'apple').map((i) => ({
      src: `/${i.file}`,
      sizes: `${i.size}x${i.size}`,
      type: 'image/png',
      purpose: i.purpose,
    })),
  };
}
