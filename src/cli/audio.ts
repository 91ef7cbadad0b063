// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm run audio`: a voice for every sentence. For each language and municipality it speaks every
 * text with eSpeak NG (WebAssembly build, so no system speech engine is needed), trims the
 * silence, evens out the loudness, encodes small MP3 (mono, 32 kb/s) and writes
 * public/audio/<lng>/manifest.json. A recording made by a person, dropped in as
 * public/audio/<lng>/recorded/<id>.mp3, wins over the generated clip. Unchanged texts keep their
 * clips, so a run after a text edit only renews what changed.
 *   npm run audio              renew what is missing or stale
 *   npm run audio -- --lang ti only one language
 *   npm run audio -- --accept-recordings   take recordings as matching today's texts
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Mp3Encoder } from '@breezystack/lamejs';
import { MPEGDecoder } from 'mpg123-decoder';
import { createI18n, SPOKEN_PAGE_NAMESPACES } from '../lib/i18n.ts';
import { LANGUAGES, type LanguageCode } from '../lib/languages.ts';
import type { Municipality } from '../lib/municipality.ts';
import { clipTexts, type AudioEntry, type AudioManifest, type ClipText, type Tree } from '../lib/speech.ts';
import { addressContext, spokenVars, textVars } from '../lib/text-vars.ts';
import { CHECK_WORDS } from '../lib/check-words.ts';
import { COUNTED_STATES, EXTRA_STATES } from '../lib/conversation.ts';
import { estimate } from '../lib/estimate.ts';
import { demoMunicipalities } from '../server/seed/seed.ts';

const root = new URL('../../', import.meta.url).pathname;
export const ENGINE = 'espeak-ng (@echogarden/espeak-ng-emscripten 0.3.5)';
const SAMPLE_RATE = 22050;
const KBPS = 32;
/** words a minute: a little slower than eSpeak's 175, for residents who listen rather than read */
const RATE = 150;
const MIN_SECONDS = 0.5;
const MAX_SECONDS = 18;
const FAST_RATE = 185;

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function loadLocales(): { resources: Record<string, Record<string, Tree>>; spoken: Record<string, Tree> } {
  const resources: Record<string, Record<string, Tree>> = {};
  const spoken: Record<string, Tree> = {};
  for (const lng of readdirSync(join(root, 'locales'))) {
    for (const file of readdirSync(join(root, 'locales', lng))) {
      const data = JSON.parse(readFileSync(join(root, 'locales', lng, file), 'utf8')) as Tree;
      if (file === 'spoken.json') spoken[lng] = data;
      else (resources[lng] ??= {})[file.replace(/\.json$/, '')] = data;
    }
  }
  return { resources, spoken };
}

/**
 * All clips one language needs across the given municipalities, each id once. The welcome's
 * length sentence says what the other clips measure, so it is made from `manifest` (the one on
 * disk unless told): `build` runs this twice.
 */
export function clipsFor(lng: LanguageCode, municipalities: Municipality[], manifest: AudioManifest = readManifest(lng)): ClipText[] {
  const { resources, spoken } = loadLocales();
  const i18next = createI18n(resources);
  const byId = new Map<string, ClipText>();
  for (const m of municipalities) {
    // the page of a link that does not work lists every municipality, in any language
    const offered = m.languages.includes(lng);
    const vars = { display: textVars(i18next, m, lng), spoken: spokenVars(i18next, m, lng, spoken[lng] ?? null) };
    const lengths = [false, true].map((preset) => estimate(manifest, m.slug, preset));
    const counts = { progress: COUNTED_STATES.length, progressExtra: EXTRA_STATES.length, lengths };
    const namespaces = offered ? undefined : SPOKEN_PAGE_NAMESPACES;
    for (const clip of clipTexts(i18next, lng, m, vars, spoken[lng] ?? null, counts, addressContext(m, lng), namespaces)) byId.set(clip.id, clip);
  }
  byId.set('@language', { id: '@language', key: '@language', display: LANGUAGES[lng].name, spoken: LANGUAGES[lng].name });
  // the check word of a letter or SMS is a Dutch word: heard in the Dutch voice on every language's page
  if (lng === 'nl') for (const w of CHECK_WORDS) byId.set(`@word:${w}`, { id: `@word:${w}`, key: '@word', display: w, spoken: w });
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function manifestPath(lng: string): string {
  return join(root, 'public/audio', lng, 'manifest.json');
}

export function readManifest(lng: string): AudioManifest {
  const path = manifestPath(lng);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as AudioManifest) : { language: lng, entries: {} };
}

type Worker = { set_voice(v: string): number; set_rate(r: number): void; synthesize(text: string, cb: (samples: Int16Array | null) => boolean): void };
let worker: Worker | undefined;
async function speechWorker(): Promise<Worker> {
  if (!worker) {
    const { default: Module } = (await import('@echogarden/espeak-ng-emscripten/espeak-ng.js' as string)) as { default: () => Promise<{ eSpeakNGWorker: new () => Worker }> };
    const m = await Module();
    worker = new m.eSpeakNGWorker();
  }
  return worker;
}

async function synthesize(text: string, voice: string, rate = RATE): Promise<Int16Array> {
  const w = await speechWorker();
  if (w.set_voice(voice) !== 0) throw new Error(`eSpeak NG has no voice "${voice}"`);
  w.set_rate(rate);
  const chunks: Int16Array[] = [];
  w.synthesize(text, (samples) => {
    if (samples) chunks.push(samples.slice());
    return false;
  });
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Cuts leading and trailing silence (keeping 60 ms) and brings the clip to one loudness. */
export function trimAndNormalise(pcm: Int16Array): Int16Array {
  const threshold = 400;
  let start = pcm.findIndex((s) => Math.abs(s) > threshold);
  if (start < 0) return pcm;
  let end = pcm.length - 1;
  while (end > start && Math.abs(pcm[end] as number) <= threshold) end--;
  const pad = Math.round(SAMPLE_RATE * 0.06);
  start = Math.max(0, start - pad);
  end = Math.min(pcm.length, end + pad);
  const speech = pcm.slice(start, end);
  let sum = 0;
  let peak = 1;
  for (const s of speech) {
    sum += s * s;
    peak = Math.max(peak, Math.abs(s));
  }
  const rms = Math.sqrt(sum / speech.length) || 1;
  const target = 32767 * 10 ** (-18 / 20); // -18 dBFS RMS
  const gain = Math.min(target / rms, (32767 * 10 ** (-1 / 20)) / peak); // never above -1 dBFS peak
  const out = new Int16Array(Math.max(speech.length, Math.round(SAMPLE_RATE * MIN_SECONDS)));
  // A one-word clip ("Nie") is centred in a little more silence: too short a sound is easily missed.
  const offset = Math.floor((out.length - speech.length) / 2);
  for (let i = 0; i < speech.length; i++) out[offset + i] = Math.max(-32768, Math.min(32767, Math.round((speech[i] as number) * gain)));
  return out;
}

function encodeMp3(pcm: Int16Array): Uint8Array {
  const encoder = new Mp3Encoder(1, SAMPLE_RATE, KBPS);
  const parts: Uint8Array[] = [];
  // lamejs hands out Int8Array views: take their bytes as they are
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < pcm.length; i += 1152) parts.push(bytes(encoder.encodeBuffer(pcm.subarray(i, i + 1152))));
  parts.push(bytes(encoder.flush()));
  return Buffer.concat(parts);
}

export async function decodeMp3(bytes: Uint8Array): Promise<{ samples: Float32Array; sampleRate: number }> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  const { channelData, sampleRate } = decoder.decode(bytes);
  decoder.free();
  return { samples: channelData[0] ?? new Float32Array(), sampleRate };
}

async function build(languages: LanguageCode[], acceptRecordings: boolean): Promise<void> {
  const municipalities = demoMunicipalities();
  for (const lng of languages) {
    // twice: the second pass makes the welcome's length sentence from what the first one measured
    await buildLanguage(lng, municipalities, acceptRecordings);
    await buildLanguage(lng, municipalities, acceptRecordings);
  }
}

async function buildLanguage(lng: LanguageCode, municipalities: Municipality[], acceptRecordings: boolean): Promise<void> {
  {
    const dir = join(root, 'public/audio', lng);
    mkdirSync(join(dir, 'recorded'), { recursive: true });
    const old = readManifest(lng);
    const entries: Record<string, AudioEntry> = {};
    let made = 0;
    const clips = clipsFor(lng, municipalities, old);
    for (const clip of clips) {
      const textHash = hashText(clip.spoken);
      const recorded = join(dir, 'recorded', `${clip.id}.mp3`);
      const previous = old.entries[clip.id];
      if (existsSync(recorded)) {
        const bytes = readFileSync(recorded);
        const { samples, sampleRate } = await decodeMp3(bytes);
        // A recording is tied to the text it was made for; a changed text makes it stale until re-recorded.
        const hash = previous?.source === 'recorded' && !acceptRecordings ? previous.textHash : textHash;
        entries[clip.id] = { file: `recorded/${clip.id}.mp3`, textHash: hash, text: clip.spoken, source: 'recorded', seconds: round(samples.length / sampleRate), bytes: bytes.length };
        continue;
      }
      const file = `${textHash}.mp3`;
      if (previous?.source === 'generated' && previous.textHash === textHash && previous.seconds >= MIN_SECONDS && previous.seconds <= 20 && existsSync(join(dir, file))) {
        entries[clip.id] = { ...previous, text: clip.spoken };
        continue;
      }
      let pcm = trimAndNormalise(await synthesize(clip.spoken, lng));
      // A long sentence (a web address spelled out) is read a little faster to stay under 20 s.
      if (pcm.length / SAMPLE_RATE > MAX_SECONDS) pcm = trimAndNormalise(await synthesize(clip.spoken, lng, FAST_RATE));
      const mp3 = encodeMp3(pcm);
      writeFileSync(join(dir, file), mp3);
      entries[clip.id] = { file, textHash, text: clip.spoken, source: 'generated', engine: ENGINE, voice: lng, seconds: round(pcm.length / SAMPLE_RATE), bytes: mp3.length };
      made++;
    }
    const used = new Set(Object.values(entries).map((e) => e.file));
    let removed = 0;
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.mp3') && !used.has(f) && statSync(join(dir, f)).isFile()) {
        rmSync(join(dir, f));
        removed++;
      }
    }
    const manifest: AudioManifest = { language: lng, entries };
    writeFileSync(manifestPath(lng), `${JSON.stringify(manifest, null, 1)}\n`);
    const bytes = Object.values(entries).reduce((n, e) => n + e.bytes, 0);
    console.log(`${lng}: ${clips.length} clips (${made} new, ${removed} removed), ${(bytes / 1024).toFixed(0)} KB`);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { lang: { type: 'string', multiple: true }, 'accept-recordings': { type: 'boolean' } } });
  const all = Object.keys(LANGUAGES) as LanguageCode[];
  const chosen = (values.lang ?? all) as LanguageCode[];
  for (const l of chosen) if (!all.includes(l)) throw new Error(`unknown language ${l}; known: ${all.join(', ')}`);
  await build(chosen, values['accept-recordings'] ?? false);
}
