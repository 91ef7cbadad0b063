// SPDX-License-Identifier: EUPL-1.2
/**
 * One app: the configuration is read once by one schema that covers the README's table, a wrong
 * value stops the start with one line, and the build does not carry a second copy of the server
 * modules (the pages import them from src/, where the app loads them too).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig } from '../../src/server/config.ts';
import { assertFreshBuild } from '../support/build-fresh.ts';

const root = new URL('../../', import.meta.url).pathname;

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('configuration', () => {
  it('has one schema for exactly the variables of the README table (the connector secrets aside)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('Only for the tools and tests'));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(CONFIG_VARIABLES).sort());
  });

  it('takes the defaults, and names the variable and what it accepts for a wrong value', () => {
    expect(parseConfig({})).toMatchObject({ port: 4321, host: 'localhost', inviteTtlDays: 90, seedDemo: true, publicUrl: undefined });
    expect(() => parseConfig({ INVITE_TTL_DAYS: 'abc' })).toThrow('INVITE_TTL_DAYS must be a whole number of days from 1 to 3650, got "abc"');
    expect(() => parseConfig({ PORT: '70000' })).toThrow(/^PORT must be a whole number/);
    expect(() => parseConfig({ SEED_DEMO: 'nee' })).toThrow('SEED_DEMO must be true or false, got "nee"');
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/^DATABASE_URL must be a postgres:\/\/ address/);
    expect(() => parseConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/^PUBLIC_URL must be an http/);
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/^METRICS_TOKEN must be at least 16 characters/);
    expect(() => parseConfig({ OUTBOX_MAX_ATTEMPTS: '0' })).toThrow(/^OUTBOX_MAX_ATTEMPTS must be a whole number from 1 to 100/);
    expect(() => parseConfig({ SECURITY_CONTACT: 'security@gemeente.example' })).toThrow(/^SECURITY_CONTACT: /);
  });

  it('stops the start with that one line and exit code 1', () => {
    const run = spawnSync(process.execPath, ['src/cli/start.ts'], {
      cwd: root,
      env: { ...process.env, STAFF_IDLE_MINUTES: 'forever' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('Configuration: STAFF_IDLE_MINUTES must be a whole number of minutes from 1 to 720, got "forever"');
  });
});

describe('one copy of the server', () => {
  it('builds no server module into the pages: they import them from src/ (#server/…), as the app does', () => {
    assertFreshBuild();
    const built = files(join(root, 'dist/server'), /\.m?js$/).map((f) => readFileSync(f, 'utf8'));
    const all = built.join('\n');
    const imported = new Set([...all.matchAll(/["'](#server\/[^"']+)["']/g)].map((m) => m[1]));
    expect(imported).toContain('#server/runtime.ts');
    expect(imported).toContain('#server/log.ts');
    // Node runs them from src/ with type stripping, so none may import an island (JSX): the pages do
    const withJsx = files(join(root, 'src/server'), /\.ts$/).filter((f) => /from '[^']+\.tsx'/.test(readFileSync(f, 'utf8').replace(/import type [^;]+;/g, '')));
    expect(withJsx).toEqual([]);
    const inlined: string[] = [];
    for (const file of files(join(root, 'src/server'), /\.ts$/)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^export (?:async )?function (\w+)/gm)) {
        if (new RegExp(`function ${m[1]}\\(`).test(all)) inlined.push(`${file.slice(root.length)}: ${m[1]}`);
      }
    }
    expect(inlined).toEqual([]);
  });

  it('has no globalThis bridges between copies of a module', () => {
    const bridges = files(join(root, 'src'), /\.(ts|tsx|astro)$/).filter((f) => /globalThis as unknown as Record<symbol/.test(readFileSync(f, 'utf8')));
    expect(bridges).toEqual([]);
  });
});
