// SPDX-License-Identifier: EUPL-1.2
/** Command-line options for the project's CLIs: strict parsing, usage on a mistake (exit 2) or --help (exit 0). */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** `options` must include `help: { type: 'boolean', short: 'h' }`. */
type Values<T extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: T; strict: true }>>['values'];

export function parseOptionsOrExit<const T extends ParseArgsOptionsConfig>(options: T, usage: string): Values<T> {
  let values: Values<T>;
  try {
    values = parseArgs({ options, strict: true }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}
