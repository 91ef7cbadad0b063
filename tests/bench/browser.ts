// SPDX-License-Identifier: EUPL-1.2
// What the browser benchmark sections share: Chromium's offline-safe flags, a Chromium to attach to, a fresh app.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type AppServer } from '../support/app-server.ts';
import { chromiumPath } from '../support/ensure-chromium.ts';

export { chromiumPath };

/** Without these, Chromium tries to reach the internet (updates, sync, field trials) and can hang. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The built app on a free port with its own SQLite file; one retry, since `dist/` may be being rebuilt. */
export async function startFreshApp(): Promise<AppServer> {
  try {
    return await startApp();
  } catch (error) {
    console.error(
      `bench: app did not start, retrying in 3 s (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return startApp();
  }
}

export interface DebuggableChromium {
  /** the remote debugging port (Lighthouse's `port` flag, Playwright's connectOverCDP) */
  port: number;
  close: () => Promise<void>;
}

/** Chromium with a fresh profile and a remote debugging port, for tools that attach to a running browser. */
export async function launchDebuggableChromium(): Promise<DebuggableChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'hulpgesprek-bench-'));
  const child = spawn(
    chromiumPath(),
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  const cleanup = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Chromium did not open its debugging port:\n${err}`)), 20_000);
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited with ${code}:\n${err}`));
      });
    });
    return {
      port,
      close: () =>
        new Promise<void>((resolve) => {
          const done = () => {
            cleanup();
            resolve();
          };
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
        }),
    };
  } catch (error) {
    child.kill('SIGKILL');
    cleanup();
    throw error;
  }
}
