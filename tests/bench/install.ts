// SPDX-License-Identifier: EUPL-1.2
// Benchmark section `install`: seconds from `npm install && npm start` (warm npm cache) in a fresh clone of the
// committed HEAD to the first page answering 200.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, round, type Row, type SectionOutcome } from './section.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const INSTALL_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 180_000;
const PAGE = '/voorbeeld/nl/';

export interface InstallResult {
  commit: string;
  cloneSeconds: number;
  /** `npm install --prefer-offline --no-audit --no-fund` */
  installSeconds: number;
  /** `npm start` (build, migrate, seed, listen) until PAGE answers 200 */
  startSeconds: number;
  /** install + start */
  totalSeconds: number;
}

/**
 * The environment of someone who types the commands: none of the variables `npm run bench` set
 * (npm_config_local_prefix and friends would point a nested npm at this checkout), and no
 * node_modules/.bin of this checkout on PATH.
 */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.includes('node_modules'))
    .join(delimiter);
  return { ...env, ...extra };
}

const tail = (text: string) => text.slice(-4_000);

export async function timeInstall(): Promise<InstallResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hg-bench-install-'));
  const repo = join(dir, 'hulpgesprek');
  try {
    let t = performance.now();
    const clone = spawnSync('git', ['clone', '--quiet', root, repo], { encoding: 'utf8' });
    if (clone.status !== 0) throw new Error(`git clone failed: ${clone.stderr}`);
    const cloneSeconds = (performance.now() - t) / 1000;
    const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout.trim();

    t = performance.now();
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: repo,
      env: userEnv({}),
      encoding: 'utf8',
      timeout: INSTALL_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (install.status !== 0) throw new Error(`npm install failed (${install.status ?? install.signal}):\n${tail(install.stdout + install.stderr)}`);
    const installSeconds = (performance.now() - t) / 1000;

    const port = await freePort();
    let startSeconds = 0;
    t = performance.now();
    // Its own process group, so the build's and the server's processes all end with it.
    const child = spawn('npm', ['start'], {
      cwd: repo,
      env: userEnv({ PORT: String(port), HOST: '127.0.0.1', DATABASE_FILE: join(dir, 'data/hulpgesprek.sqlite') }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const collect = (d: Buffer) => {
      out = tail(out + d.toString());
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    try {
      const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`npm start exited (${code ?? signal}):\n${out}`))));
      exited.catch(() => {});
      const url = `http://127.0.0.1:${port}${PAGE}`;
      const firstPage = (async () => {
        for (;;) {
          if (performance.now() - t > START_TIMEOUT_MS) throw new Error(`${PAGE} gave no 200 within ${START_TIMEOUT_MS / 1000} s:\n${out}`);
          try {
            const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
            await res.arrayBuffer();
            if (res.status === 200) return;
          } catch {
            // not listening yet
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await Promise.race([firstPage, exited]);
      startSeconds = (performance.now() - t) / 1000;
    } finally {
      const gone = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      killGroup('SIGTERM');
      const hard = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await gone;
      clearTimeout(hard);
      // npm may exit before the server it started has finished stopping.
      await new Promise((r) => setTimeout(r, 500));
      killGroup('SIGKILL');
    }
    return {
      commit,
      cloneSeconds: round(cloneSeconds),
      installSeconds: round(installSeconds),
      startSeconds: round(startSeconds),
      totalSeconds: round(installSeconds + startSeconds),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function install(): Promise<SectionOutcome> {
  const result = await timeInstall();
  const rows: Row[] = [
    [`install: npm install (warm cache, clone of ${result.commit})`, `${result.installSeconds} s`, '', null],
    ['install: npm start (build + start) to first page', `${result.startSeconds} s`, '', null],
    ['install: npm install && npm start to first page', `${result.totalSeconds} s`, '', null],
  ];
  return { result, rows };
}
