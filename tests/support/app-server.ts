// SPDX-License-Identifier: EUPL-1.2
// Starts the built app (as `npm start` does, minus the build) on a free port with its own SQLite file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertFreshBuild } from './build-fresh.ts';

export interface AppServer {
  url: string;
  databaseFile: string;
  process: ChildProcess;
  /** stdout and stderr as they came */
  output: () => string;
  /** stdout alone: the JSON log (the start banner goes to stderr) */
  stdout: () => string;
  /** The JSON log lines of answered requests, once `count` of them are out (the log is written in batches, at least every half second). */
  requestLines: (count: number, timeoutMs?: number) => Promise<Record<string, unknown>[]>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

const root = new URL('../../', import.meta.url).pathname;

export async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
  assertFreshBuild();
  const tmp = join(root, 'tests/.tmp');
  mkdirSync(tmp, { recursive: true });
  const databaseFile = env.DATABASE_FILE ?? join(tmp, `api-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`);
  const child = spawn(process.execPath, ['src/cli/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_FILE: databaseFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /running on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stderr?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    databaseFile,
    process: child,
    output: () => out,
    stdout: () => stdout,
    requestLines: async (count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .filter((l) => l.action === 'http.request');
        if (lines.length >= count || Date.now() > deadline) return lines;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        // A process ended by a signal has no exit code, only a signalCode.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
