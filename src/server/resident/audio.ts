// SPDX-License-Identifier: EUPL-1.2
/** The committed audio manifests, read at start, and the clip table one page needs. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { LANGUAGES } from '../../lib/languages.ts';
import { audioTable, type AudioManifest } from '../../lib/speech.ts';

const AUDIO = new URL('../../../public/audio/', import.meta.url);
const manifests = new Map<string, AudioManifest>();
for (const lng of readdirSync(AUDIO)) {
  const file = new URL(`${lng}/manifest.json`, AUDIO);
  if (!existsSync(file)) continue;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as AudioManifest;
  manifests.set(manifest.language, manifest);
}

export function manifestFor(lng: string): AudioManifest | undefined {
  return manifests.get(lng);
}

/** The clip of a letter's check word: a Dutch word, in the Dutch voice, on every language's page. */
export function checkWordClip(checkWord: string): Record<string, string> {
  // printed in capitals on the letter, spoken from the word list's clip
  const word = manifests.get('nl')?.entries[`@word:${checkWord.toLowerCase()}`];
  return word ? { [`@word:${checkWord}`]: `/audio/nl/${word.file}` } : {};
}

/** Text key → clip URL for one language and municipality, plus each language's spoken name. */
export function clipsFor(lng: string, slug: string): Record<string, string> {
  const table = audioTable(manifests.get(lng), lng, slug);
  for (const code of Object.keys(LANGUAGES)) {
    const entry = manifests.get(code)?.entries['@language'];
    if (entry) table[`@language:${code}`] = `/audio/${code}/${entry.file}`;
  }
  return table;
}

export interface ClipTable {
  /** text key → clip URL */
  clips: Record<string, string>;
  /** content hash: the table's URL changes when a clip does, so it may be kept for good */
  version: string;
  url: string;
}

const tables = new Map<string, ClipTable>();

/**
 * The clip table of one language and municipality as the island fetches it (after the first
 * screen, which it would make too heavy to carry inline), under a content-hashed URL.
 */
export function clipTable(lng: string, slug: string): ClipTable {
  const key = `${lng}/${slug}`;
  let table = tables.get(key);
  if (!table) {
    const clips = clipsFor(lng, slug);
    const version = createHash('sha256').update(JSON.stringify(clips)).digest('hex').slice(0, 12);
    table = { clips, version, url: `/audio/${lng}/clips-${slug}-${version}.json` };
    tables.set(key, table);
  }
  return table;
}
