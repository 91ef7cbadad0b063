// SPDX-License-Identifier: EUPL-1.2
/**
 * Which sentences get a voice, and what exactly is spoken: one clip per text key and language,
 * a clip per municipality where the text names the municipality, its phone number or hours,
 * and a spoken variant where the screen shows numbers, times or phone numbers.
 * Used by `npm run audio` (to make clips), the audio tests (to find stale ones) and the server
 * (to tell the island which clip belongs to which text).
 */
import type { i18n } from 'i18next';
import { weekdayNames } from './hours.ts';
import { keyPaths, NAMESPACES, SPOKEN_PAGE_NAMESPACES } from './i18n.ts';
import { SOURCE_LANGUAGE } from './languages.ts';
import type { Municipality } from './municipality.ts';

/** Placeholders whose value comes from the municipality's settings. */
const MUNICIPALITY_VARS = ['municipality', 'phone', 'hours', 'retentionMonths', 'retention', 'promise', 'urgentPromise'];

export interface ClipText {
  /** manifest id: the text key, `key@municipality` when the text depends on it, `progress#n` */
  id: string;
  key: string;
  /** what the screen shows */
  display: string;
  /** what the speech engine is given */
  spoken: string;
}

export interface AudioEntry {
  file: string;
  /** sha256 of the spoken text (first 16 hex): a different text means a stale clip */
  textHash: string;
  /** the text as spoken, for reviewers */
  text: string;
  source: 'recorded' | 'generated';
  engine?: string;
  voice?: string;
  seconds: number;
  bytes: number;
}

export interface AudioManifest {
  language: string;
  entries: Record<string, AudioEntry>;
}

export type Tree = Record<string, unknown>;

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Tree)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Phone numbers are spoken digit by digit, in groups as written: "0 1 1 8, 1 2 3, 4 5 6". */
export function spokenPhone(display: string): string {
  return display
    .trim()
    .split(/[\s-]+/)
    .map((group) => group.replace(/\+/g, 'plus ').split('').filter((c) => /[\d]/.test(c) || c === 'p').join(' ').replace(/p/g, '+'))
    .join(', ');
}

/** Times are spoken without a leading zero ("9:00", not "09:00"), which every voice reads as a time. */
export function spokenTimes(text: string): string {
  // word joiners only keep a range on one line on screen
  return text.replace(/\u2060/g, '').replace(/\b0(\d):(\d\d)\b/g, '$1:$2').replace(/–/g, ' – ');
}

/** Every resident-facing text of one language as displayed and as spoken, for one municipality. */
/** How many numbered clips a "x of y" text needs, and what the welcome's length sentence says. */
export interface ClipCounts {
  /** total of "question x of y" */
  progress: number;
  /** total of "extra question x of y" */
  progressExtra: number;
  /** the measured lengths (questions, minutes) the welcome can say for this municipality */
  lengths: { questions: number; minutes: number }[];
}

/** The texts that name a time of the opening hours ("we are there again on Monday at 9:00"). */
const OPENING_KEYS = ['talkNow.opensToday', 'talkNow.opensTomorrow', 'talkNow.opensOn'];

/** One clip per opening time (and weekday, where the text names it) of the municipality. */
function openingVariants(key: string, m: Municipality, lng: string): { suffix: string; values: Record<string, string> }[] {
  const names = weekdayNames(lng);
  const out = new Map<string, { suffix: string; values: Record<string, string> }>();
  for (const slot of m.openingHours) {
    if (key !== 'talkNow.opensOn') out.set(slot.from, { suffix: slot.from, values: { time: slot.from, day: '' } });
    else for (const d of slot.days) out.set(`${d}-${slot.from}`, { suffix: `${d}-${slot.from}`, values: { time: slot.from, day: names[d - 1] ?? '' } });
  }
  return [...out.values()];
}

export function clipTexts(
  i18next: i18n,
  lng: string,
  m: Municipality,
  vars: { display: Record<string, string | number>; spoken: Record<string, string | number> },
  spokenOverrides: Tree | null,
  counts: ClipCounts,
  /** i18next context for the municipality's form of address ('u' for formal Dutch) */
  context?: string,
  /** the namespaces to speak: the conversation's and the spoken pages' unless told */
  namespaces: readonly string[] = [...NAMESPACES, ...SPOKEN_PAGE_NAMESPACES],
): ClipText[] {
  const out: ClipText[] = [];
  for (const ns of namespaces) {
    const source = i18next.getResourceBundle(SOURCE_LANGUAGE, ns) as unknown;
    for (const key of keyPaths(source)) {
      // building blocks of other texts (the call-back promise, the retention period), never shown on their own
      if (key.startsWith('promise.') || key.startsWith('retention.')) continue;
      // how long to wait changes with every answer: shown, not spoken (the sentence before it says "later")
      if (key === 'linkProblem.wait') continue;
      if (key === 'steps.welcome.length') {
        out.push(...lengthClips(i18next, lng, spokenOverrides, counts.lengths, context));
        continue;
      }
      const template = (i18next.getResource(lng, ns, key) as string | undefined) ?? (i18next.getResource(lng, ns, `${key}_other`) as string | undefined) ?? '';
      const names = [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((x) => x[1] as string);
      // a formal variant (key_u) belongs to the municipalities that say "u"
      const formal = context !== undefined && i18next.getResource(lng, ns, `${key}_${context}`) !== undefined;
      const perMunicipality = formal || names.some((n) => MUNICIPALITY_VARS.includes(n));
      const override = spokenOverrides && !formal ? lookup(spokenOverrides[ns], key) : undefined;
      const render = (values: Record<string, string | number>) => i18next.t(key, { lng, ns, ...values, ...(formal ? { context } : {}) });
      const speak = (values: Record<string, string | number>) =>
        override !== undefined ? interpolate(override, values) : spokenTimes(render(values));
      if (names.includes('current') || names.includes('total')) {
        const total = key === 'progressExtra' ? counts.progressExtra : counts.progress;
        for (let n = 1; n <= total; n++) {
          const extra = { current: n, total };
          out.push({ id: `${key}#${n}`, key, display: render({ ...vars.display, ...extra }), spoken: speak({ ...vars.spoken, ...extra }) });
        }
        continue;
      }
      if (OPENING_KEYS.includes(key)) {
        for (const v of openingVariants(key, m, lng)) {
          out.push({ id: `${key}#${v.suffix}`, key, display: render({ ...vars.display, ...v.values }), spoken: speak({ ...vars.spoken, ...v.values }) });
        }
        continue;
      }
      // A reference is a random code: the sentence is spoken without it, the code stays on screen.
      const extra: Record<string, string> = names.includes('reference') ? { reference: '' } : {};
      out.push({
        id: perMunicipality ? `${key}@${m.slug}` : key,
        key,
        display: render({ ...vars.display, ...extra }),
        spoken: speak({ ...vars.spoken, ...extra }).replace(/\s+([:.,])?\s*$/, '$1').trim(),
      });
    }
  }
  return out;
}

/** The welcome's "N short questions, about M minutes" for each measured length (plural by minutes). */
function lengthClips(
  i18next: i18n,
  lng: string,
  spokenOverrides: Tree | null,
  lengths: ClipCounts['lengths'],
  context: string | undefined,
): ClipText[] {
  const key = 'steps.welcome.length';
  return lengths.map(({ questions, minutes }) => {
    const display = i18next.t(key, { lng, ns: 'resident', count: minutes, questions, ...(context ? { context } : {}) });
    const plural = new Intl.PluralRules(lng === 'pap' ? 'nl' : lng).select(minutes);
    const override = context ? undefined : (lookup(spokenOverrides?.resident, `${key}_${plural}`) ?? lookup(spokenOverrides?.resident, `${key}_other`));
    const spoken = override !== undefined ? interpolate(override, { count: minutes, questions }) : display;
    return { id: `${key}#${questions}-${minutes}`, key, display, spoken };
  });
}

function interpolate(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The clips the island needs: text key → URL, the municipality's own clip winning over a shared one. */
export function audioTable(manifest: AudioManifest | undefined, lng: string, slug: string): Record<string, string> {
  const table: Record<string, string> = {};
  if (!manifest) return table;
  for (const [id, entry] of Object.entries(manifest.entries)) {
    const url = `/audio/${lng}/${entry.file}`;
    const at = id.indexOf('@');
    if (at === -1) table[id] ??= url;
    else if (id.slice(at + 1) === slug) table[id.slice(0, at)] = url;
  }
  return table;
}
