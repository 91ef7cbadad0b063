// SPDX-License-Identifier: EUPL-1.2
// What a benchmark section returns: its raw result (into results.json) and rows for the printed table; small shared helpers.
import net from 'node:net';

/** measure, value as printed, target as printed, whether the target is met (null: no target) */
export type Row = [measure: string, value: string, target: string, ok: boolean | null];

export interface SectionOutcome {
  result: unknown;
  rows: Row[];
}

export interface Section {
  name: string;
  run(): Promise<SectionOutcome>;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A port nobody listens on right now, for a server the section starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
