/** Streaming CSV records with normalized headers. */
import type { ReadProblemKind } from '../input';
import { detectCsvDelimiter, RecoveringCsvParser, type CsvDelimiter } from './csvRecoveringParser';
import { openExportStream, readExportHead } from './source';

/** One CSV record keyed by normalized header, with the line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly values: Record<string, string>;
}

/** A record that could not be read (for example a wrong number of fields); the rest of the file is still read. */
export interface CsvSkip {
  readonly line: number;
  readonly message: string;
  /** Set to 'cell' for a problem with one value of a record that was still loaded, 'fileNote' for a note about the whole file. */
  readonly kind?: ReadProblemKind;
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
 * Reads a CSV file record by record with csv-parse. The separator is
 * `delimiter` (the one format detection found) or, without it, the one the
 * file's first line shows (comma, semicolon or tab). Records with the wrong
 * number of fields go to `onSkip` with the line they start on, and so do
 * lines that an unbalanced quote makes unreadable (see RecoveringCsvParser).
 * A record that repeats the header row (two exports joined with `cat`) is
 * dropped.
 */
export async function* readCsvRecords(
  file: string,
  onSkip: (skip: CsvSkip) => void,
  signal?: AbortSignal,
  delimiter?: CsvDelimiter,
): AsyncGenerator<CsvRecord> {
  let headers: string[] | undefined;
  let ready: CsvRecord[] = [];
  const separator = delimiter ?? detectCsvDelimiter(await readExportHead(file));
  const parser = new RecoveringCsvParser((record) => {
    if (headers === undefined) {
      headers = uniqueHeaders(record.fields);
      return;
    }
    const values: Record<string, string> = {};
    for (let index = 0; index < headers.length; index += 1) {
      values[headers[index]] = record.fields[index];
    }
    if (!isRepeatedHeader(values, headers)) {
      ready.push({ line: record.line, values });
    }
  }, onSkip, separator);
  const input = await openExportStream(file, signal, onSkip);
  try {
    for await (const chunk of input) {
      await parser.push(chunk as Buffer);
      yield* takeAll();
    }
    await parser.end();
    yield* takeAll();
  } finally {
    input.destroy();
    parser.destroy();
  }

  function takeAll(): CsvRecord[] {
    const taken = ready;
    ready = [];
    return taken;
  }
}

function isRepeatedHeader(record: Record<string, string>, headers: readonly string[]): boolean {
  return headers.every((header) => normalizeHeader(record[header] ?? '') === header.replace(/#\d+$/, ''));
}
