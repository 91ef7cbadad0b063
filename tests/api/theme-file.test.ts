// SPDX-License-Identifier: EUPL-1.2
// The built server with a municipality's own token file (THEME_CSS_FILE) outside the repository: used tokens reach the page; a bad file stops the start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

const outside = mkdtempSync(join(tmpdir(), 'hg-theme-'));
let app: AppServer | undefined;
afterAll(async () => {
  await app?.stop();
  rmSync(outside, { recursive: true, force: true });
});

describe('THEME_CSS_FILE', () => {
  it('puts the tokens the page uses on the resident pages, under the municipality’s own theme', async () => {
    const file = join(outside, 'tokens.css');
    writeFileSync(
      file,
      `.voorbeeld-theme { --voorbeeld-font: 'Fira Sans', sans-serif; --voorbeeld-unused: 3px; }\n:root { --hg-radius: 0.25rem; --hg-font-family: var(--voorbeeld-font); --hg-color-primary: #111111; }\n`,
    );
    app = await startApp({ THEME_CSS_FILE: file });
    const theme = app
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.action === 'theme.load');
    expect(theme).toMatchObject({ object: 'THEME_CSS_FILE', result: 5 });

    const html = await (await fetch(`${app.url}/voorbeeld/nl/`)).text();
    const rule = /:root:root\{([^}]*)\}/.exec(html)?.[1] ?? '';
    expect(rule).toContain('--hg-radius:0.25rem');
    expect(rule).toContain('--hg-font-family:var(--voorbeeld-font)');
    expect(rule).toContain("--voorbeeld-font:'Fira Sans', sans-serif");
    expect(rule).not.toContain('--voorbeeld-unused');
    // the municipality's own theme (seed JSON) comes last, so it wins
    expect(rule.lastIndexOf('--hg-color-primary:')).toBeGreaterThan(rule.indexOf('--hg-color-primary:#111111'));
  });

  it('a file with anything but custom properties stops the start, saying where', async () => {
    const file = join(outside, 'bad.css');
    writeFileSync(file, ':root { --hg-radius: 0; }\nhtml { color: red; }\n');
    await expect(startApp({ THEME_CSS_FILE: file })).rejects.toThrow(
      /bad\.css, line 2: "color: red" is not a custom property/,
    );
  });
});
