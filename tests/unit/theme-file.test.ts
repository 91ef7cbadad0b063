// SPDX-License-Identifier: EUPL-1.2
// A municipality's own token file (THEME_CSS_FILE): custom properties only, found as a path or in a package, and only what pages use is sent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadThemeFile, parseThemeCss, resolveThemeFile, usedTokens } from '../../src/server/resident/theme-file.ts';

const TOKENS = `/* Gemeente Voorbeeld design tokens (generated) */
.voorbeeld-theme {
  --voorbeeld-color-blue-700: #003e73;
  --voorbeeld-color-white: #fff;
  --voorbeeld-color-primary: var(--voorbeeld-color-blue-700);
  --voorbeeld-font-family: 'Fira Sans', system-ui, sans-serif;
  --voorbeeld-space-unused: 12px;
}
:root { --hg-radius: 0.25rem; --hg-font-family: var(--voorbeeld-font-family) }
`;

const outside = mkdtempSync(join(tmpdir(), 'hg-theme-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('parseThemeCss', () => {
  it('reads custom properties under :root, html or a theme class, comments and all', () => {
    const tokens = parseThemeCss(TOKENS, 'tokens.css');
    expect(tokens.get('--voorbeeld-color-primary')).toBe('var(--voorbeeld-color-blue-700)');
    expect(tokens.get('--voorbeeld-font-family')).toBe("'Fira Sans', system-ui, sans-serif");
    expect(tokens.get('--hg-radius')).toBe('0.25rem');
    expect(tokens.size).toBe(7);
  });

  it.each([
    ['a property that is not custom', ':root { color: red; }', /not a custom property/],
    ['an at-rule', '@media (prefers-color-scheme: dark) { :root { --x: #000 } }', /no @-rules/],
    ['an import', "@import url('x.css');\n:root { --x: 1 }", /selector/],
    ['url()', ":root { --logo: url('https://elders.example/x.svg') }", /not allowed/],
    ['markup', ':root { --x: </style><script>alert(1)</script> }', /not allowed/],
    ['!important', ':root { --x: red !important }', /not allowed/],
    ['another selector', 'body { --x: 1 }', /selector "body"/],
    ['nothing', '/* empty */', /no custom properties/],
  ])('refuses %s', (_what, css, message) => {
    expect(() => parseThemeCss(css, 'tokens.css')).toThrow(message);
  });

  it('names the line of the problem', () => {
    expect(() => parseThemeCss('/* one\n two */\n:root { --a: 1 }\n\nbody { --b: 2 }', 'tokens.css')).toThrow(
      /tokens\.css, line 5:/,
    );
  });
});

describe('usedTokens', () => {
  it('keeps the --hg- tokens and what they and the municipality theme refer to, nothing else', () => {
    const tokens = parseThemeCss(TOKENS, 'tokens.css');
    const used = new Map(usedTokens(tokens, ['var(--voorbeeld-color-primary)', 'var(--not-in-the-file)']));
    expect([...used.keys()].sort()).toEqual([
      '--hg-font-family',
      '--hg-radius',
      '--voorbeeld-color-blue-700',
      '--voorbeeld-color-primary',
      '--voorbeeld-font-family',
    ]);
  });
});

describe('finding the file', () => {
  it('takes a path outside the repository, or a file in an installed package', () => {
    const file = join(outside, 'tokens.css');
    writeFileSync(file, TOKENS);
    expect(resolveThemeFile(file)).toBe(file);
    expect(loadThemeFile(file).get('--hg-radius')).toBe('0.25rem');

    const pkg = join(outside, 'node_modules', '@gemeente-voorbeeld', 'design-tokens');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: '@gemeente-voorbeeld/design-tokens',
        version: '1.0.0',
        exports: { '.': './dist/index.js' },
      }),
    );
    writeFileSync(join(pkg, 'dist', 'index.css'), TOKENS);
    expect(resolveThemeFile('@gemeente-voorbeeld/design-tokens/dist/index.css', outside)).toBe(
      join(pkg, 'dist', 'index.css'),
    );
    expect(() => resolveThemeFile('@gemeente-elders/tokens/dist/index.css', outside)).toThrow(
      /THEME_CSS_FILE.*npm install/,
    );
    expect(() => loadThemeFile(join(outside, 'missing.css'))).toThrow(/THEME_CSS_FILE: cannot read/);
  });
});
