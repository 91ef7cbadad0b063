// SPDX-License-Identifier: EUPL-1.2
// Benchmark section `api`: throughput and latency of POST /api/v1/terugbelverzoeken under a fixed load, on SQLite and
// PostgreSQL, each next to a bare node:http server doing the same insert (tests/bench/bare-server.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, round, type Row, type SectionOutcome } from './section.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The part of autocannon 9's API used here (it ships no types). */
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { total: number; average: number };
}
type Autocannon = (options: {
  url: string;
  method: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  body: string;
  timeout?: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Per server: a warm-up, then `rounds` measured runs of `secondsPerRound`, app and bare taking turns (so a change in the machine's other load hits both alike). */
export const LOAD = { connections: 32, warmupSeconds: 2, rounds: 3, secondsPerRound: 5 };
const PATH = '/api/v1/terugbelverzoeken';
const BODY = JSON.stringify({ municipality: 'voorbeeld', language: 'nl', topic: 'energy', phone: '0612345678', consent: true });
export const TARGET_RATIO = 0.7;
/** The app with its rate limits off: every request comes from the one benchmarking address. */
const APP_ENV = { RATE_LIMIT_CALLBACKS: '0', RATE_LIMIT_CALLBACKS_PER_INVITE: '0', RATE_LIMIT_PROGRESS: '0' };

export interface LoadRun {
  /** all measured requests ÷ all measured seconds */
  rps: number;
  /** mean of the rounds' medians */
  p50Ms: number;
  /** the worst round's 99th percentile */
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** the server process's CPU time (user + system) per measured request; null where /proc is missing */
  cpuUsPerRequest: number | null;
  rounds: { rps: number; p50Ms: number; p99Ms: number }[];
}

export interface DatabaseResult {
  database: 'sqlite' | 'postgres';
  app?: LoadRun;
  bare?: LoadRun;
  /** app rps ÷ bare rps */
  ratio?: number;
  skipped?: string;
  error?: string;
}

export interface ApiLoadResult {
  load: typeof LOAD;
  body: string;
  targetRatio: number;
  databases: DatabaseResult[];
}

interface Server {
  url: string;
  /** CPU time the process has used so far, in µs (null without /proc) */
  cpuUs: () => number | null;
  stop: () => Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

function processCpuUs(pid: number | undefined): number | null {
  try {
    // Fields after the command name: state is the 3rd, utime and stime the 14th and 15th (clock ticks).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/**
 * Starts a Node 24 child on a free port. Its stdout (the app's JSON request log: one line per
 * request, 100k+ lines in a run) goes straight to /dev/null, so nothing here has to hold or drain
 * it; ready is when `probePath` answers at all.
 */
async function startOnce(script: string, env: Record<string, string>, probePath: string): Promise<Server> {
  const port = await freePort();
  const devNull = openSync('/dev/null', 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [script], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', devNull, 'pipe'],
    });
  } finally {
    closeSync(devNull);
  }
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (err.length < 64_000) err += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${script} exited (${code ?? signal}) before it answered:\n${err}`))),
  );
  exited.catch(() => {});
  const deadline = Date.now() + 30_000;
  const ready = (async () => {
    for (;;) {
      try {
        await fetch(url + probePath, { signal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`${script} did not answer within 30 s:\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    cpuUs: () => processCpuUs(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A build being replaced under us can make one start fail; the second try is the real one. */
async function start(script: string, env: Record<string, string>, probePath: string): Promise<Server> {
  try {
    return await startOnce(script, env, probePath);
  } catch (error) {
    console.error(`bench api: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}; retrying once`);
    await new Promise((r) => setTimeout(r, 2_000));
    return startOnce(script, env, probePath);
  }
}

function loadOptions(url: string) {
  return {
    url: url + PATH,
    method: 'POST',
    connections: LOAD.connections,
    headers: { 'content-type': 'application/json' },
    body: BODY,
    timeout: 10,
  };
}

/** Warms both servers up, then runs the measured rounds in turns: app, bare, app, bare. */
async function compare(app: Server, bare: Server): Promise<{ app: LoadRun; bare: LoadRun }> {
  for (const server of [app, bare]) await autocannon({ ...loadOptions(server.url), duration: LOAD.warmupSeconds });
  const runs = new Map<Server, { results: AutocannonResult[]; cpuUs: number | null }>([
    [app, { results: [], cpuUs: 0 }],
    [bare, { results: [], cpuUs: 0 }],
  ]);
  for (let turn = 0; turn < LOAD.rounds; turn++) {
    for (const [server, run] of runs) {
      const before = server.cpuUs();
      run.results.push(await autocannon({ ...loadOptions(server.url), duration: LOAD.secondsPerRound }));
      const after = server.cpuUs();
      run.cpuUs = before === null || after === null || run.cpuUs === null ? null : run.cpuUs + after - before;
    }
  }
  const summary = ({ results, cpuUs }: { results: AutocannonResult[]; cpuUs: number | null }): LoadRun => {
    const requests = results.reduce((n, r) => n + r.requests.total, 0);
    const seconds = results.reduce((n, r) => n + r.duration, 0);
    const statusCodes: Record<string, number> = {};
    for (const r of results) for (const [code, stat] of Object.entries(r.statusCodeStats)) statusCodes[code] = (statusCodes[code] ?? 0) + stat.count;
    return {
      rps: round(requests / seconds, 0),
      p50Ms: round(results.reduce((n, r) => n + r.latency.p50, 0) / results.length, 1),
      p99Ms: Math.max(...results.map((r) => r.latency.p99)),
      requests,
      non2xx: results.reduce((n, r) => n + r.non2xx, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
      statusCodes,
      cpuUsPerRequest: cpuUs === null || requests === 0 ? null : round(cpuUs / requests, 0),
      rounds: results.map((r) => ({ rps: round(r.requests.total / r.duration, 0), p50Ms: r.latency.p50, p99Ms: r.latency.p99 })),
    };
  };
  return { app: summary(runs.get(app) ?? { results: [], cpuUs: null }), bare: summary(runs.get(bare) ?? { results: [], cpuUs: null }) };
}

/** Starts the app and the bare server on their own databases, and compares them. */
async function appAgainstBare(appEnv: Record<string, string>, bareEnv: Record<string, string>): Promise<{ app: LoadRun; bare: LoadRun; ratio: number }> {
  const app = await start('src/cli/start.ts', { ...APP_ENV, ...appEnv }, '/healthz');
  try {
    const bare = await start('tests/bench/bare-server.ts', bareEnv, '/');
    try {
      const result = await compare(app, bare);
      return { ...result, ratio: round(result.app.rps / result.bare.rps, 2) };
    } finally {
      await bare.stop();
    }
  } finally {
    await app.stop();
  }
}

async function sqlite(): Promise<DatabaseResult> {
  mkdirSync(join(root, 'tests/.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, 'tests/.tmp/bench-api-'));
  try {
    const { app, bare, ratio } = await appAgainstBare({ DATABASE_URL: '', DATABASE_FILE: join(dir, 'app.sqlite') }, { BARE_DATABASE_FILE: join(dir, 'bare.sqlite') });
    return { database: 'sqlite', app, bare, ratio };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The server to make throwaway databases on: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else a local default. */
export function postgresServerUrl(): string {
  return process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function postgres(): Promise<DatabaseResult> {
  const serverUrl = postgresServerUrl();
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    return { database: 'postgres', skipped: `skipped: no PostgreSQL at ${new URL(serverUrl).host} (${reason})` };
  }
  const suffix = randomBytes(5).toString('hex');
  const names = { app: `bench_${suffix}_app`, bare: `bench_${suffix}_bare` };
  const urlOf = (name: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
  try {
    for (const name of Object.values(names)) await admin.query(`create database ${name}`);
    const { app, bare, ratio } = await appAgainstBare({ DATABASE_URL: urlOf(names.app) }, { BARE_DATABASE_URL: urlOf(names.bare) });
    return { database: 'postgres', app, bare, ratio };
  } finally {
    for (const name of Object.values(names)) await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
}

export async function apiLoad(): Promise<SectionOutcome> {
  // One database failing still leaves the other's numbers.
  const failed = (database: DatabaseResult['database']) => (error: unknown): DatabaseResult => ({
    database,
    error: error instanceof Error ? error.message : String(error),
  });
  const databases = [await sqlite().catch(failed('sqlite')), await postgres().catch(failed('postgres'))];
  const result: ApiLoadResult = { load: LOAD, body: BODY, targetRatio: TARGET_RATIO, databases };
  const rows: Row[] = [];
  const how = `${LOAD.connections} connections, ${LOAD.rounds * LOAD.secondsPerRound} s`;
  for (const d of databases) {
    const name = d.database === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    if (!d.app || !d.bare || d.ratio === undefined) {
      if (d.error !== undefined) rows.push([`API ${name}`, `error: ${d.error.split('\n')[0]}`, `ratio ≥ ${TARGET_RATIO}`, false]);
      else rows.push([`API ${name}`, d.skipped ?? 'skipped', `ratio ≥ ${TARGET_RATIO}`, null]);
      continue;
    }
    rows.push(
      [`API ${name}: app requests/s (${how})`, String(d.app.rps), '', null],
      [`API ${name}: bare node:http requests/s (same insert)`, String(d.bare.rps), '', null],
      [`API ${name}: ratio app ÷ bare`, d.ratio.toFixed(2), `≥ ${TARGET_RATIO}`, d.ratio >= TARGET_RATIO],
      [`API ${name}: app latency p50 / p99`, `${d.app.p50Ms} / ${d.app.p99Ms} ms`, '', null],
      [`API ${name}: bare latency p50 / p99`, `${d.bare.p50Ms} / ${d.bare.p99Ms} ms`, '', null],
      [`API ${name}: server CPU per request app / bare`, `${d.app.cpuUsPerRequest ?? '?'} / ${d.bare.cpuUsPerRequest ?? '?'} µs`, '', null],
      [
        `API ${name}: non-2xx + errors, app (of ${d.app.requests}) / bare`,
        `${d.app.non2xx + d.app.errors} / ${d.bare.non2xx + d.bare.errors}`,
        '0',
        d.app.non2xx + d.app.errors === 0 && d.bare.non2xx + d.bare.errors === 0,
      ],
    );
  }
  return { result, rows };
}
