// SPDX-License-Identifier: EUPL-1.2
/**
 * CSV as RFC 4180 has it, read and written by the `csv` project's parser and stringifier: quoted
 * fields with "" for a quote, line breaks inside quotes, CRLF or LF between records. Errors name
 * the record the way a spreadsheet numbers rows (header = 1). Every written cell that a
 * spreadsheet would run as a formula is neutralised (OWASP's CSV injection advice).
 */
import { CsvError as ParseError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export class CsvError extends Error {
  override name = 'CsvError';
  /** 1-based record number, as a spreadsheet numbers its rows */
  row: number;
  constructor(row: number, message: string) {
    super(`row ${row}: ${message}`);
    this.row = row;
  }
}

/** What each quoting mistake the parser names means, for the person who made the file. */
const QUOTING: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'after a closing quote only a separator or a line break may follow',
  INVALID_OPENING_QUOTE: 'a quote inside a field that does not start with a quote (write it as "")',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
};

/**
 * Parses CSV text into records of fields. A byte order mark is skipped (spreadsheets write one),
 * an empty line is a record of one empty field (so rows keep a spreadsheet's numbers), and a
 * final line break does not make an empty record. Throws CsvError on broken quoting.
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  try {
    return parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const row = ((error as ParseError & { records?: number }).records ?? 0) + 1;
    throw new CsvError(row, QUOTING[error.code] ?? 'the file cannot be read as CSV');
  }
}

/** A cell a spreadsheet would start as a formula (= + - @, or a tab or carriage return first) gets a leading apostrophe. */
export function neutralised(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Records to CSV text: comma-separated, CRLF after every record, quoted where needed, no cell a formula. */
export function toCsv(records: readonly (readonly string[])[]): string {
  if (records.length === 0) return '';
  return stringify(
    records.map((r) => r.map(neutralised)),
    { record_delimiter: 'windows', quoted_match: [/^\s/, /\s$/, /[\r\n]/] },
  );
}
