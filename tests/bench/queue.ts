// SPDX-License-Identifier: EUPL-1.2
// The staff queue after a big batch: /staff with 10,000 open requests, p50/p99 of 200 loads (plain and filtered), and its HTML size.
import { startApp } from '../support/app-server.ts';
import { insertRequests } from '../support/queue-fixture.ts';
import { createStaff, StaffClient } from '../support/staff.ts';
import { median, round, type SectionOutcome } from './section.ts';

export async function queueBench(): Promise<SectionOutcome> {
  const app = await startApp();
  try {
    const admin = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld', 'zeedorp'] });
    insertRequests(app.databaseFile, 10_000, admin.id);
    const client = new StaffClient(app.url);
    await client.login(admin);
    const paths = ['/staff', '/staff?pagina=120', '/staff?taal=ar&dringend=1', '/staff?gemeente=zeedorp&status=nieuw'];
    for (const p of paths) await (await client.fetch(p)).text(); // warm up
    const times: number[] = [];
    let largest = 0;
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const html = await (await client.fetch(paths[i % paths.length] ?? '/staff')).text();
      times.push(performance.now() - started);
      largest = Math.max(largest, Buffer.byteLength(html));
    }
    const sorted = [...times].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
    const result = { requests: 10_000, loads: times.length, p50Ms: round(median(times)), p99Ms: round(p99), largestKiB: round(largest / 1024) };
    return {
      result,
      rows: [
        ['staff queue, 10,000 open requests: page p50 (plain, page 120, filtered)', `${result.p50Ms} ms`, '', null],
        ['staff queue, 10,000 open requests: page p99', `${result.p99Ms} ms`, '', null],
        ['staff queue, 10,000 open requests: largest page', `${result.largestKiB} KB`, '< 200 KB', largest < 200 * 1024],
      ],
    };
  } finally {
    await app.stop();
  }
}
