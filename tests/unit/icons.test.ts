// SPDX-License-Identifier: EUPL-1.2
// Pictograms: one typed registry, every choice has one, and the sprite ships exactly the icons in use.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSprite } from '../../src/cli/icons.ts';
import { metaOf, STATE_NAMES } from '../../src/lib/conversation.ts';
import { ICONS, type IconName } from '../../src/lib/icons.ts';

const root = new URL('../../', import.meta.url).pathname;
const sprite = readFileSync(join(root, 'public/icons.svg'), 'utf8');
const symbols = [...sprite.matchAll(/<symbol id="([^"]+)"/g)].map((m) => m[1] as string);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(tsx?|astro)$/.test(e.name) ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

describe('icons', () => {
  it('gives every step and every choice a pictogram from the registry', () => {
    for (const state of STATE_NAMES) {
      const meta = metaOf(state);
      expect(ICONS[meta.icon], state).toBeDefined();
      for (const o of meta.options ?? []) expect(ICONS[o.icon], `${state}.${o.value}`).toBeDefined();
    }
  });

  it('ships a sprite that is exactly what `npm run icons` builds today', () => {
    expect(sprite).toBe(buildSprite());
  });

  it('ships only icons that are in use', () => {
    const used = new Set<IconName>();
    for (const state of STATE_NAMES) {
      const meta = metaOf(state);
      used.add(meta.icon);
      for (const o of meta.options ?? []) used.add(o.icon);
    }
    const code = [...sources(join(root, 'src/islands')), ...sources(join(root, 'src/components')), ...sources(join(root, 'src/pages'))].join('\n');
    for (const name of Object.keys(ICONS) as IconName[]) if (new RegExp(`['"#]${name}['"]`).test(code)) used.add(name);
    const unused = symbols.filter((s) => !used.has(s as IconName));
    expect(unused, 'icons in the sprite that nothing shows: remove them from src/lib/icons.ts').toEqual([]);
    expect(symbols.sort()).toEqual(Object.keys(ICONS).sort());
  });

  it('gives the choices of a step pictograms of their own, each meaning its choice', () => {
    for (const state of STATE_NAMES) {
      const options = metaOf(state).options ?? [];
      // talk languages are told apart by their own names in their own scripts, shown beside the label
      if (state === 'talkLanguage') continue;
      const icons = options.map((o) => o.icon);
      expect(new Set(icons).size, `${state}: ${icons.join(', ')}`).toBe(icons.length);
    }
    const icon = (state: Parameters<typeof metaOf>[0], value: string) => metaOf(state).options?.find((o) => o.value === value)?.icon;
    // the four that residents found meant nothing: a bailiff is the law, a separation or a death a broken heart,
    // a money coach a person who helps, someone who went through it a hug
    expect(icon('urgency', 'bailiff')).toBe('balance-scale');
    expect(icon('happened', 'family')).toBe('broken-heart');
    expect(icon('help', 'coach')).toBe('helping-person');
    expect(icon('help', 'expert')).toBe('people-hugging');
    const everyChoice = STATE_NAMES.flatMap((s) => (metaOf(s).options ?? []).map((o) => `${s}.${o.value}:${o.icon}`));
    for (const name of ['balance-scale', 'broken-heart', 'helping-person', 'people-hugging'])
      expect(everyChoice.filter((c) => c.endsWith(`:${name}`)), name).toHaveLength(1);
  });

  it('keeps every pictogram small (about 1 KB or less)', () => {
    for (const m of sprite.matchAll(/<symbol id="([^"]+)"[\s\S]*?<\/symbol>/g)) expect(m[0].length, m[1]).toBeLessThan(4096);
  });
});
