// SPDX-License-Identifier: EUPL-1.2
// Browser tests (journeys and accessibility) against the built app on a fresh SQLite file per run.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { assertFreshBuild } from './support/build-fresh.ts';

// against yesterday's build the browser tests would pass or fail for the wrong reasons
assertFreshBuild();

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = fileURLToPath(new URL('.tmp/', import.meta.url));
mkdirSync(tmp, { recursive: true });

// The config is loaded again in every worker: the main process picks the file once and the
// workers inherit it through the environment, so all of them read the database the server writes.
process.env.E2E_DATABASE_FILE ??= `${tmp}e2e-${Date.now()}-${process.pid}.sqlite`;
const databaseFile = process.env.E2E_DATABASE_FILE;

const PORT = 4455;
const HOST = '127.0.0.1';
export const BASE_URL = `http://${HOST}:${PORT}`;

export default defineConfig({
  testDir: '.',
  testMatch: ['e2e/**/*.spec.ts', 'a11y/**/*.spec.ts'],
  outputDir: './.tmp/test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 5_000 },
  use: {
    browserName: 'chromium',
    baseURL: BASE_URL,
    viewport: { width: 360, height: 740 },
    locale: 'nl-NL',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'node src/cli/start.ts',
    cwd: root,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    // the server's own JSON request log would drown the test report
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST,
      DATABASE_FILE: databaseFile,
      ASTRO_TELEMETRY_DISABLED: '1',
      // Every journey comes from 127.0.0.1: the per-client write limits would count them as one resident.
      RATE_LIMIT_CALLBACKS: '0',
      RATE_LIMIT_PROGRESS: '0',
    },
  },
});
