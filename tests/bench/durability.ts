// SPDX-License-Identifier: EUPL-1.2
// Benchmark section: the longer durability run of the crash, header and log-redaction tests (npm test runs them short).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface DurabilityResult {
  /** requests answered 201 before the SIGKILL, in the long burst */
  killAfter: number;
  concurrency: number;
  tests: number;
  passed: number;
  failed: number;
  seconds: number;
}

const FILES = ['tests/api/crash.test.ts', 'tests/api/headers.test.ts', 'tests/api/logging.test.ts', 'tests/unit/log-redaction.test.ts'];

export function durability(options: { killAfter?: number; concurrency?: number } = {}): DurabilityResult {
  const killAfter = options.killAfter ?? 2000;
  const concurrency = options.concurrency ?? 32;
  const report = `${root}tests/.tmp/bench-durability.json`;
  rmSync(report, { force: true });
  const started = performance.now();
  spawnSync(
    process.execPath,
    [`${root}node_modules/vitest/vitest.mjs`, 'run', '--config', 'tests/vitest.config.ts', '--reporter=json', `--outputFile=${report}`, ...FILES],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CRASH_KILL_AFTER: String(killAfter), CRASH_MAX: String(killAfter * 3), CRASH_CONCURRENCY: String(concurrency) },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const json = JSON.parse(readFileSync(report, 'utf8')) as { numTotalTests: number; numPassedTests: number; numFailedTests: number };
  return { killAfter, concurrency, tests: json.numTotalTests, passed: json.numPassedTests, failed: json.numFailedTests, seconds: Math.round(seconds * 10) / 10 };
}
