// SPDX-License-Identifier: EUPL-1.2
// `npm run bench`: runs the benchmark sections against a fresh build, prints a table and writes tests/bench/results.json.
// `npm run bench -- durability` runs only the named sections.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { durability } from './durability.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

type Row = [measure: string, value: string, target: string, ok: boolean | null];
interface Section {
  name: string;
  run(): Promise<{ result: unknown; rows: Row[] }>;
}

const SECTIONS: Section[] = [
  {
    name: 'durability',
    async run() {
      const result = durability();
      return {
        result,
        rows: [
          [
            `crash/header/redaction tests, long (${result.killAfter} answers before SIGKILL, ${result.concurrency} at once)`,
            `${result.passed}/${result.tests} passed in ${result.seconds} s`,
            'all pass',
            result.failed === 0 && result.passed > 0,
          ],
        ],
      };
    },
  },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const results: Record<string, unknown> = {};
const rows: Row[] = [];
for (const section of SECTIONS) {
  if (wanted.length && !wanted.includes(section.name)) continue;
  console.error(`bench: ${section.name} …`);
  try {
    const outcome = await section.run();
    results[section.name] = outcome.result;
    rows.push(...outcome.rows);
  } catch (error) {
    results[section.name] = { error: error instanceof Error ? error.message : String(error) };
    rows.push([section.name, `error: ${error instanceof Error ? error.message : String(error)}`, '', false]);
  }
}

const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
const out = { date: new Date().toISOString(), machine, sections: results, table: rows };
writeFileSync(`${root}tests/bench/results.json`, `${JSON.stringify(out, null, 2)}\n`);

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), 8));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['measure', 'value', 'target']) + '  ok');
for (const r of rows) console.log(line([r[0], r[1], r[2]]) + (r[3] === null ? '' : r[3] ? '  ✓' : '  ✗'));
console.log(`\nwritten to tests/bench/results.json (${machine.cpus} × ${machine.cpu}, Node ${machine.node})`);
