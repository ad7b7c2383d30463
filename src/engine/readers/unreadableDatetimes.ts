/**
 * Reports of datetime values that could not be read. Each such cell is loaded
 * as null, the first few of a file are reported one by one with their line
 * and value, and the rest are counted in one more report.
 */
import type { ReadProblem } from '../input';
import type { JsonLayout } from './jsonRecords';

/** Unreadable datetime values reported one by one per file. */
export const QUOTED_UNREADABLE_DATETIMES = 3;

/** Unit of a row's position: a line of the file, or a record where the file does not put one record per line. */
export type RowPosition = 'line' | 'record';

/** Returns what JsonRecord.line counts in a JSON file of this layout. */
export function jsonRowPosition(layout: JsonLayout): RowPosition {
  return layout === 'tokens' ? 'record' : 'line';
}

/** A problem without its file, as the CSV readers report it. */
export type FileProblem = Omit<ReadProblem, 'file'>;

/** Counts one file's unreadable datetime values and reports the first QUOTED_UNREADABLE_DATETIMES of them. */
export class UnreadableDatetimeCount {
  private count = 0;
  private firstLine = 0;

  constructor(private readonly report: (problem: FileProblem) => void) {}

  /** Counts a value at `line`, and reports it with the message `describe` returns while few have been reported. */
  add(line: number, describe: () => string): void {
    this.count += 1;
    if (this.count === 1) {
      this.firstLine = line;
    }
    if (this.count <= QUOTED_UNREADABLE_DATETIMES) {
      this.report({ line, kind: 'cell', message: describe() });
    }
  }

  /** Counts values that were not quoted, after at least one that was. */
  addUnquoted(count: number): void {
    this.count += count;
  }

  /** Reports how many values could not be read in all, when more were counted than reported. */
  finish(): void {
    if (this.count > QUOTED_UNREADABLE_DATETIMES) {
      this.report({
        line: this.firstLine,
        kind: 'cell',
        message:
          `in all, ${this.count} datetime values in this file could not be read ` +
          `(the first ${QUOTED_UNREADABLE_DATETIMES} are reported one by one), so their cells are empty (null)`,
      });
    }
  }
}

/** Maximum length of the value quoted in a report, in UTF-16 code units. */
const MAX_QUOTED_LENGTH = 80;

/**
 * Reports the unreadable datetime values of one export file's rows: a JSON
 * value that is not text (a number, for example), or text that is not ISO
 * 8601 or PowerShell's `/Date(ms)/` form. The CSV readers report their own
 * values with the display forms they accept, so only JSON values reach this
 * report in practice. Values come from the reader (values that are not
 * text) and from the table builder (text it could not read) at different
 * times, so each batch's values are held until flush and reported in line order.
 */
export class UnreadableDatetimes {
  private readonly count: UnreadableDatetimeCount;
  private pending: Array<{ line: number; column: string; value: unknown }> = [];

  constructor(
    file: string,
    private readonly position: RowPosition,
    onProblem: (problem: ReadProblem) => void,
  ) {
    this.count = new UnreadableDatetimeCount((problem) => onProblem({ file, ...problem }));
  }

  /** Holds the value of `column` at `line` (a line or record number, as the file's position counts) until flush. */
  add(line: number, column: string, value: unknown): void {
    this.pending.push({ line, column, value });
  }

  /** Counts and reports the values held since the last flush, in line order. */
  flush(): void {
    if (this.pending.length === 0) {
      return;
    }
    const cells = this.pending.sort((a, b) => a.line - b.line);
    this.pending = [];
    for (const { line, column, value } of cells) {
      this.count.add(line, () => this.describe(line, column, value));
    }
  }

  /** Reports the values still held, and how many could not be read in all when that is more than were quoted. */
  finish(): void {
    this.flush();
    this.count.finish();
  }

  /** Counts values of a later part of the file that its thread counted but did not quote. */
  addUnquoted(count: number): void {
    this.count.addUnquoted(count);
  }

  private describe(line: number, column: string, value: unknown): string {
    const where = this.position === 'record' ? `record ${line} (this file does not put one record per line, so the number counts records): ` : '';
    const text = JSON.stringify(value) ?? String(value);
    const quoted = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}...` : text;
    const found = typeof value === 'string' ? `the datetime ${quoted}` : `the value ${quoted} (a JSON ${jsonKind(value)}, where datetime text is expected)`;
    return (
      `${where}column ${column}: ${found} could not be read, so the cell is empty (null). ` +
      'Expected ISO 8601 text such as "2026-11-20T03:14:00Z" (or PowerShell\'s "/Date(1795144440000)/")'
    );
  }
}

/** An unreadable datetime value and where it is. */
export interface UnreadableCell {
  readonly line: number;
  readonly column: string;
  readonly value: unknown;
}

/**
 * The unreadable datetime values of one part of a file, kept as data for the
 * thread that reports the whole file (see UnreadableDatetimes.addPart): the
 * first few in line order, and how many in all.
 */
export class UnreadableDatetimeCells {
  readonly quoted: UnreadableCell[] = [];
  count = 0;
  private pending: UnreadableCell[] = [];

  /** Holds the value of `column` at `line` until flush, as UnreadableDatetimes.add does. */
  add(line: number, column: string, value: unknown): void {
    this.pending.push({ line, column, value });
  }

  /** Counts the values held since the last flush, keeping the first few. */
  flush(): void {
    for (const cell of this.pending.sort((a, b) => a.line - b.line)) {
      this.count += 1;
      if (this.quoted.length < QUOTED_UNREADABLE_DATETIMES) {
        this.quoted.push(cell);
      }
    }
    this.pending = [];
  }
}

/** The part of UnreadableDatetimes that the readers call. */
export type UnreadableDatetimeSink = Pick<UnreadableDatetimes, 'add'>;

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  return value === null ? 'null' : typeof value;
}
