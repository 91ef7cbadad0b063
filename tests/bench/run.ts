// SPDX-License-Identifier: EUPL-1.2
// `npm run bench`: runs the benchmark sections against a fresh build, prints a table and writes tests/bench/results.json.
// `npm run bench -- durability` runs only the named sections.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { bytes } from './bytes.ts';
import { apiLoad } from './api-load.ts';
import { durability } from './durability.ts';
import { lighthouseSection } from './lighthouse.ts';
import { stepChange } from './step-change.ts';
import { install } from './install.ts';
import { queueBench } from './queue.ts';
import { outreachBench } from './outreach.ts';
import type { Row, Section } from './section.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const SECTIONS: Section[] = [
  { name: 'bytes', run: bytes },
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
  { name: 'api', run: apiLoad },
  { name: 'install', run: install },
  { name: 'lighthouse', run: lighthouseSection },
  { name: 'step-change', run: stepChange },
  { name: 'queue', run: queueBench },
  { name: 'outreach', run: outreachBench },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
interface Recorded {
  date: string;
  machine: typeof machine;
  result: unknown;
  rows: Row[];
}
// A run of some sections keeps the other sections' last results (each with its own date).
const file = `${root}tests/bench/results.json`;
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { sections?: Record<string, Recorded> }).sections ?? {} : {};
const sections: Record<string, Recorded> = { ...previous };

const rows: Row[] = [];
for (const section of SECTIONS) {
  if (wanted.length && !wanted.includes(section.name)) continue;
  console.error(`bench: ${section.name} …`);
  let outcome: { result: unknown; rows: Row[] };
  try {
    outcome = await section.run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = { result: { error: message }, rows: [[section.name, `error: ${message.split('\n')[0]}`, '', false]] };
  }
  rows.push(...outcome.rows);
  sections[section.name] = { date: new Date().toISOString(), machine, result: outcome.result, rows: outcome.rows };
}
const ordered = Object.fromEntries(SECTIONS.filter((s) => sections[s.name]).map((s) => [s.name, sections[s.name]]));
writeFileSync(file, `${JSON.stringify({ sections: ordered }, null, 2)}\n`);

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), 8));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['measure', 'value', 'target']) + '  ok');
for (const r of rows) console.log(line([r[0], r[1], r[2]]) + (r[3] === null ? '' : r[3] ? '  ✓' : '  ✗'));
console.log(`\nwritten to tests/bench/results.json (${machine.cpus} × ${machine.cpu}, Node ${machine.node})`);
