// SPDX-License-Identifier: EUPL-1.2
/**
 * CSV as RFC 4180 has it: quoted fields with "" for a quote, line breaks inside quotes, CRLF or
 * LF between records. Errors name the record the way a spreadsheet numbers rows (header = 1).
 */

export class CsvError extends Error {
  override name = 'CsvError';
  /** 1-based record number, as a spreadsheet numbers its rows */
  row: number;
  constructor(row: number, message: string) {
    super(`row ${row}: ${message}`);
    this.row = row;
  }
}

/**
 * Parses CSV text into records of fields. A byte order mark is skipped (spreadsheets write one),
 * and a final line break does not make an empty record. Throws CsvError on broken quoting.
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
          throw new CsvError(records.length + 1, 'after a closing quote only a separator or a line break may follow');
        }
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (fieldStarted || field !== '') {
        throw new CsvError(
          records.length + 1,
          'a quote inside a field that does not start with a quote (write it as "")',
        );
      }
      quoted = true;
      fieldStarted = true;
      i += 1;
    } else if (ch === delimiter) {
      endField();
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i += 1;
    }
  }
  if (quoted) throw new CsvError(records.length + 1, 'a quoted field is not closed');
  // Text that does not end with a line break still has its last record pending.
  if (fieldStarted || field !== '' || record.length > 0) endRecord();
  return records;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function quote(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Records to CSV text: comma-separated, CRLF after every record, quoted where needed. */
export function toCsv(records: readonly (readonly string[])[]): string {
  return records.map((r) => `${r.map(quote).join(',')}\r\n`).join('');
}
