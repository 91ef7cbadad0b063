// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm test`: everything a release needs, in the order that fails fastest: lint, types, build,
 * unit and API tests (Vitest), browser and accessibility tests (Playwright in Chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.ts';

const root = new URL('../../', import.meta.url).pathname;
const tmp = join(root, 'tests/.tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const chromium = ensureChromium();
if (!process.env.TEST_DATABASE_URL) {
  console.log('Note: TEST_DATABASE_URL is not set, so the PostgreSQL contract tests will be skipped (SQLite runs always).');
}

function run(name: string, command: string, args: string[]): void {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n${name} failed after ${seconds} s`);
    summary();
    process.exit(result.status ?? 1);
  }
  console.log(`${name}: ok in ${seconds} s`);
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
function summary(): void {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const vitest = join(tmp, 'vitest.json');
  if (existsSync(vitest)) {
    const r = JSON.parse(readFileSync(vitest, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    total.passed += r.numPassedTests;
    total.failed += r.numFailedTests;
    total.skipped += r.numPendingTests + r.numTodoTests;
  }
  const pw = join(tmp, 'playwright.json');
  if (existsSync(pw)) {
    const r = JSON.parse(readFileSync(pw, 'utf8')) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
    total.passed += r.stats.expected + r.stats.flaky;
    total.failed += r.stats.unexpected;
    total.skipped += r.stats.skipped;
  }
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
}

const bin = (name: string) => join(root, 'node_modules/.bin', name);
run('lint', bin('eslint'), ['--config', 'tests/eslint.config.js', '.']);
run('type check', 'npm', ['run', '--silent', 'typecheck']);
run('build', 'npm', ['run', '--silent', 'build']);
run('unit and API tests', bin('vitest'), ['run', '--config', 'tests/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${join(tmp, 'vitest.json')}`]);
process.env.PLAYWRIGHT_JSON_OUTPUT_NAME = join(tmp, 'playwright.json');
run('browser and accessibility tests', bin('playwright'), ['test', '--config', 'tests/playwright.config.ts', '--reporter=list,json']);
summary();
