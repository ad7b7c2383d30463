/** Streaming CSV records with normalized headers, from csv-parse. */
import { parse, type CsvError } from 'csv-parse';
import { openExportStream } from './source';

/** One CSV record keyed by normalized header, with the line it ended on. */
export interface CsvRecord {
  readonly line: number;
  readonly values: Record<string, string>;
}

/** A record that csv-parse rejected (for example a wrong number of fields); the rest of the file is still read. */
export interface CsvSkip {
  readonly line: number;
  readonly message: string;
}

/**
 * Normalizes a header cell for matching: trimmed, runs of whitespace collapsed
 * to one space, lower case, and a trailing " [UTC]" (the Log Analytics portal
 * adds it to datetime columns) removed. Entra admin center downloads have
 * headers with trailing and doubled spaces, such as "Application ID " and
 * "Autonomous system  number".
 */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/ \[utc\]$/i, '')
    .toLowerCase();
}

/**
 * Makes repeated header names unique: the second "incoming token type" becomes
 * "incoming token type#2". Entra admin center downloads repeat that column.
 */
export function uniqueHeaders(headers: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((header) => {
    const name = normalizeHeader(header);
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}#${count}`;
  });
}

/**
 * Reads a CSV file record by record. Records that csv-parse rejects go to
 * `onSkip`, and a record that repeats the header row (two exports joined
 * with `cat`) is dropped.
 */
export async function* readCsvRecords(
  file: string,
  onSkip: (skip: CsvSkip) => void,
  signal?: AbortSignal,
): AsyncGenerator<CsvRecord> {
  let headers: string[] = [];
  const parser = parse({
    bom: true,
    columns: (row: string[]) => {
      headers = uniqueHeaders(row);
      return headers;
    },
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_quotes: true,
  });
  parser.on('skip', (error: CsvError) => {
    onSkip({ line: Number(error.lines ?? 0), message: error.message });
  });
  const input = await openExportStream(file, signal, onSkip);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const item of parser) {
      const { record, info } = item as { record: Record<string, string>; info: { lines: number } };
      if (isRepeatedHeader(record, headers)) {
        continue;
      }
      yield { line: info.lines, values: record };
    }
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function isRepeatedHeader(record: Record<string, string>, headers: readonly string[]): boolean {
  return headers.every((header) => normalizeHeader(record[header] ?? '') === header.replace(/#\d+$/, ''));
}
