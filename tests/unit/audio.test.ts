// SPDX-License-Identifier: EUPL-1.2
// A voice for every sentence: every text key × language has a clip that decodes, is not silent,
// lasts 0.3–20 s and was made from today's text. Decoded with an npm package, no system tools.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipsFor, decodeMp3, hashText, readManifest } from '../../src/cli/audio.ts';
import { LANGUAGES, type LanguageCode } from '../../src/lib/languages.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';

const root = new URL('../../', import.meta.url).pathname;
const shipped = readdirSync(join(root, 'locales')).filter((l): l is LanguageCode => l in LANGUAGES);
const municipalities = demoMunicipalities();

/** The silence rule from the design notes: loud enough overall, and speech in enough of the clip. */
export function loudness(samples: Float32Array, sampleRate: number): { rmsDb: number; voicedShare: number } {
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rmsDb = 20 * Math.log10(Math.sqrt(sum / Math.max(1, samples.length)) || 1e-9);
  const frame = Math.round(sampleRate * 0.02);
  let frames = 0;
  let voiced = 0;
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let f = 0;
    for (let j = i; j < i + frame; j++) f += (samples[j] as number) ** 2;
    frames++;
    if (20 * Math.log10(Math.sqrt(f / frame) || 1e-9) > -40) voiced++;
  }
  return { rmsDb, voicedShare: frames ? voiced / frames : 0 };
}

describe('loudness rule', () => {
  it('calls digital silence silent and a tone loud', () => {
    const silence = loudness(new Float32Array(22050), 22050);
    expect(silence.rmsDb).toBeLessThan(-45);
    const tone = loudness(Float32Array.from({ length: 22050 }, (_, i) => 0.3 * Math.sin(i / 5)), 22050);
    expect(tone.rmsDb).toBeGreaterThan(-45);
    expect(tone.voicedShare).toBeGreaterThan(0.9);
  });
});

for (const lng of shipped) {
  describe(`audio ${lng}`, () => {
    const manifest = readManifest(lng);
    const clips = clipsFor(lng, municipalities);
    const renew = `npm run audio -- --lang ${lng}`;

    it('has a clip for every text, made from today\'s text', () => {
      const problems: string[] = [];
      for (const clip of clips) {
        const entry = manifest.entries[clip.id];
        if (!entry) problems.push(`missing clip for ${clip.id}`);
        else if (entry.textHash !== hashText(clip.spoken))
          problems.push(`${entry.source === 'recorded' ? 'recording' : 'clip'} for ${clip.id} is stale (the text changed)`);
        else if (!existsSync(join(root, 'public/audio', lng, entry.file))) problems.push(`file ${entry.file} of ${clip.id} is missing`);
      }
      expect(problems, `${problems.length} problems; renew with: ${renew}\n${problems.slice(0, 20).join('\n')}`).toEqual([]);
    });

    it('has clips that decode, are not silent and last 0.3–20 s', async () => {
      const problems: string[] = [];
      const files = new Map<string, string>();
      for (const [id, entry] of Object.entries(manifest.entries)) files.set(entry.file, id);
      for (const [file, id] of files) {
        const path = join(root, 'public/audio', lng, file);
        if (!existsSync(path)) continue; // reported by the test above
        const { samples, sampleRate } = await decodeMp3(readFileSync(path));
        const seconds = samples.length / sampleRate;
        const { rmsDb, voicedShare } = loudness(samples, sampleRate);
        if (!(seconds >= 0.3 && seconds <= 20)) problems.push(`${id}: ${seconds.toFixed(2)} s`);
        if (rmsDb <= -45 || voicedShare < 0.15) problems.push(`${id}: silent (RMS ${rmsDb.toFixed(1)} dBFS, ${(voicedShare * 100).toFixed(0)}% voiced)`);
      }
      expect(problems, `renew with: ${renew}\n${problems.join('\n')}`).toEqual([]);
    });
  });
}
