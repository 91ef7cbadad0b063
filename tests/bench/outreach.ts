// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm run bench -- outreach`: a batch of 5,000 cases planned at once and their SMS sent through a
 * local Notify (tests/support/fake-notify.ts) by the app's own jobs, in the app's own process
 * (tests/bench/outreach-server.ts), while autocannon loads a resident page from this process:
 * plan throughput, the sending rate against the configured one, and the resident page's p99
 * before and during the batch.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendSchedule, SMS_TIME_ZONE } from '../../src/lib/sms-window.ts';
import { startFakeNotify } from '../support/fake-notify.ts';
import type { SectionOutcome } from './section.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATE = '5a1c2d3e-0000-4000-8000-000000000001';
const CASES = 5000;
const PER_MINUTE = 600;
const SEND_SECONDS = 20;
const PAGE = '/voorbeeld/nl/';

interface Latency {
  p50: number;
  p99: number;
  max: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<{ latency: Latency; requests: { total: number }; non2xx: number; errors: number }>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export async function outreachBench(): Promise<SectionOutcome> {
  const fake = await startFakeNotify();
  const tmp = join(root, 'tests/.tmp');
  mkdirSync(tmp, { recursive: true });
  const databaseFile = join(tmp, `outreach-${process.pid}-${Date.now()}.sqlite`);
  const child = spawn(process.execPath, ['tests/bench/outreach-server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_FILE: databaseFile,
      NOTIFY_API_KEY: fake.apiKey,
      NOTIFY_SMS_TEMPLATE_ID: TEMPLATE,
      NOTIFY_BASE_URL: fake.url,
      OUTREACH_CASES: String(CASES),
      PER_MINUTE: String(PER_MINUTE),
      SEND_SECONDS: String(SEND_SECONDS),
    },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const line = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`outreach server: no ${prefix} within ${timeoutMs / 1000} s:\n${err.slice(-4000)}`)), timeoutMs);
      const check = () => {
        const m = new RegExp(`^${prefix} (.*)$`, 'm').exec(err);
        const failed = /^FAILED (.*)$/m.exec(err);
        if (m || failed) {
          clearTimeout(timer);
          child.stderr.off('data', check);
          if (failed) reject(new Error(`outreach server failed: ${err.slice(-4000)}`));
          else resolve(m?.[1] ?? '');
        }
      };
      child.stderr.on('data', check);
      child.once('exit', (code) => reject(new Error(`outreach server exited (${code}):\n${err.slice(-4000)}`)));
      check();
    });
  try {
    const base = await line('READY', 180_000);
    const url = base + PAGE;
    await autocannon({ url, connections: 4, duration: 2 });
    const before = await autocannon({ url, connections: 8, duration: 5 });
    child.stdin.write('go\n');
    // the resident page while the batch is planned and its SMS go out
    const during = await autocannon({ url, connections: 8, duration: SEND_SECONDS });
    const result = JSON.parse(await line('RESULT', 120_000)) as {
      cases: number;
      seedSeconds: number;
      planMs: number;
      planned: number;
      casesPerSecond: number;
      queued: number;
      firstSenderRunMs: number;
      sent: number;
      sendSeconds: number;
      perMinuteAllowed: number;
      perMinuteSent: number;
      smallestGapMs: number | null;
      lastPlannedFor: string | null;
    };
    const received = fake.sent.length;
    const references = new Set(fake.sent.map((s) => s.reference)).size;
    // where the default rate puts the same batch: 60 a minute, 09:00–20:00, from a Saturday 19:00
    const spread = sendSchedule(CASES, new Date('2026-12-05T18:00:00.000Z'), { from: '09:00', to: '20:00', perMinute: 60 }, SMS_TIME_ZONE);
    const lastAtDefault = spread.at(-1)?.toISOString() ?? '';
    const outcome = {
      ...result,
      notifyReceived: received,
      notifyReferencesUnique: references === received,
      page: PAGE,
      before: { p50: before.latency.p50, p99: before.latency.p99, requests: before.requests.total, non2xx: before.non2xx },
      during: { p50: during.latency.p50, p99: during.latency.p99, max: during.latency.max, requests: during.requests.total, non2xx: during.non2xx, errors: during.errors },
      defaultRateLastSms: lastAtDefault,
    };
    const gapTarget = 60_000 / PER_MINUTE;
    return {
      result: outcome,
      rows: [
        [`outreach: ${CASES} cases planned at once (contact plan job)`, `${result.planMs} ms (${result.casesPerSecond} cases/s)`, '', result.planned === CASES],
        ['outreach: SMS queued by the sender (first run)', `${result.queued} in ${result.firstSenderRunMs} ms`, `${CASES}`, result.queued === CASES],
        [`outreach: SMS sent in ${result.sendSeconds} s at ${PER_MINUTE}/min allowed`, `${result.sent} (${result.perMinuteSent}/min), Notify got ${received}`, `≤ ${PER_MINUTE}/min, none twice`, result.perMinuteSent <= PER_MINUTE * 1.02 && references === received && received === result.sent],
        ['outreach: smallest gap between two planned SMS', `${result.smallestGapMs} ms`, `≥ ${gapTarget} ms`, (result.smallestGapMs ?? 0) >= gapTarget - 1],
        [`outreach: resident page ${PAGE} p99, before the batch`, `${before.latency.p99} ms (p50 ${before.latency.p50})`, '', null],
        [`outreach: resident page ${PAGE} p99, during plan + sending`, `${during.latency.p99} ms (p50 ${during.latency.p50}, max ${during.latency.max})`, '≤ 200 ms, no errors', during.latency.p99 <= 200 && during.errors === 0 && during.non2xx === 0],
        [`outreach: ${CASES} SMS at 60/min, 09:00–20:00, from Saturday 19:00: the last goes`, lastAtDefault, 'not Sunday, not at night', new Date(lastAtDefault).getUTCDay() !== 0],
      ].map(([a, b, c, d]) => [a, b, c, d] as [string, string, string, boolean | null]),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r).once('error', r));
    await fake.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(databaseFile + suffix, { force: true });
  }
}
