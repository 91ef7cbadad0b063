// SPDX-License-Identifier: EUPL-1.2
/** The committed audio manifests, bundled into the server, and the clip table one page needs. */
import { LANGUAGES } from '../lib/languages.ts';
import { audioTable, type AudioManifest } from '../lib/speech.ts';

const files = import.meta.glob<{ default: AudioManifest }>('../../public/audio/*/manifest.json', { eager: true });
const manifests = new Map<string, AudioManifest>();
for (const mod of Object.values(files)) manifests.set(mod.default.language, mod.default);

/** Text key → clip URL for one language and municipality, plus each language's spoken name. */
export function clipsFor(lng: string, slug: string): Record<string, string> {
  const table = audioTable(manifests.get(lng), lng, slug);
  for (const code of Object.keys(LANGUAGES)) {
    const entry = manifests.get(code)?.entries['@language'];
    if (entry) table[`@language:${code}`] = `/audio/${code}/${entry.file}`;
  }
  return table;
}
