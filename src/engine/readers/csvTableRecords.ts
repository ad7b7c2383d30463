/**
 * Records of a Log Analytics or Entra admin center CSV as column values of
 * its table: Entra rows mapped (with attempt keys) and datetime cells in a
 * browser's display form converted to ISO 8601, each unreadable one reported.
 */
import type { TableSchema } from '../../schema/tables';
import { parseDatetime } from '../values';
import { readCsvRecords, type CsvSkip } from './csvRecords';
import { isoFromParts, provenDayOrder, splitDisplayDateTime, type DayOrder, type DisplayDateTime } from './displayDateTimes';
import { AttemptKeys } from './attemptKeys';
import { mapEntraSignIn, type AuthDetailsIndex } from './entraCsv';

/** Unreadable datetime cells reported one by one per file; the rest are counted in one more report. */
const QUOTED_BAD_DATETIMES = 3;

/** A CSV record as column values, with the line it starts on. */
export interface CsvTableRecord {
  readonly line: number;
  readonly values: Record<string, unknown>;
}

/** The CSV formats whose records map to one table. */
export interface CsvTableFormat {
  readonly kind: 'logAnalyticsCsv' | 'entraCsv';
  readonly table: TableSchema;
}

/** Reads a CSV file's records as column values of its table. Problems go to `report` with the line they are on. */
export async function* readCsvTableRecords(
  file: string,
  format: CsvTableFormat,
  report: (skip: CsvSkip) => void,
  options: { readonly signal?: AbortSignal; readonly authDetails?: AuthDetailsIndex },
): AsyncGenerator<CsvTableRecord> {
  const attempts = new AttemptKeys();
  const dates = new DateTimeCells(file, format.table, report, options.signal);
  for await (const record of readCsvRecords(file, report, options.signal)) {
    const values: Record<string, unknown> =
      format.kind === 'entraCsv'
        ? mapEntraSignIn(record.values, format.table, options.authDetails, attempts.keyOf(record.values))
        : record.values;
    if (!dates.convert(values, record.line)) {
      await dates.scanOrder();
      dates.convert(values, record.line);
    }
    yield { line: record.line, values };
  }
  dates.finish();
}

/**
 * Converts the datetime cells of one file's records. The day and month order
 * of slashed dates is fixed once per file: by the first date with a field
 * above 12, searched in the whole file when the first dates leave it open.
 */
class DateTimeCells {
  private readonly datetimeColumns: Map<string, string>;
  private readonly columnByKey = new Map<string, string | undefined>();
  private order: DayOrder | undefined;
  private scanned = false;
  private guessReported = false;
  private badCount = 0;
  private firstBadLine = 0;

  constructor(
    private readonly file: string,
    table: TableSchema,
    private readonly report: (skip: CsvSkip) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.datetimeColumns = new Map(
      table.columns.filter((column) => column.type === 'datetime').map((column) => [column.name.toLowerCase(), column.name]),
    );
  }

  /**
   * Replaces display datetimes in `values` by ISO 8601 text, and unreadable
   * ones by null after reporting them. Returns false, with the cells before
   * that one converted, when a date leaves the order open and the file has
   * not been scanned: call scanOrder and then convert again.
   */
  convert(values: Record<string, unknown>, line: number): boolean {
    for (const key of Object.keys(values)) {
      const column = this.columnOf(key);
      const text = values[key];
      if (column === undefined || typeof text !== 'string' || text.trim() === '' || parseDatetime(text) !== null) {
        continue;
      }
      const parts = splitDisplayDateTime(text);
      let order: DayOrder | undefined;
      if (parts) {
        order = parts.fixedOrder ?? this.provenOrder(parts);
        if (order === undefined && !this.scanned) {
          return false;
        }
        order ??= this.fallbackOrder(parts, line, column, text);
      }
      const converted = parts && order && isoFromParts(parts, order);
      if (converted !== undefined) {
        values[key] = converted;
        continue;
      }
      values[key] = null;
      this.reportBad(line, column, text);
    }
    return true;
  }

  /** Reports how many more datetime cells could not be read than were reported one by one. */
  finish(): void {
    if (this.badCount > QUOTED_BAD_DATETIMES) {
      this.report({
        line: this.firstBadLine,
        kind: 'cell',
        message: `in all, ${this.badCount} datetime values in this file could not be read (the first ${QUOTED_BAD_DATETIMES} are reported one by one), so their cells are empty (null)`,
      });
    }
  }

  /** Returns the datetime column a record key names, or undefined; remembered per key because a file repeats its keys. */
  private columnOf(key: string): string | undefined {
    if (!this.columnByKey.has(key)) {
      this.columnByKey.set(key, this.datetimeColumns.get(key.toLowerCase()));
    }
    return this.columnByKey.get(key);
  }

  private provenOrder(parts: DisplayDateTime): DayOrder | undefined {
    this.order ??= provenDayOrder(parts);
    return this.order;
  }

  /** Searches the whole file once for a date that proves the day and month order. */
  async scanOrder(): Promise<void> {
    this.scanned = true;
    this.order ??= await scanDayOrder(this.file, this.datetimeColumns, this.signal);
  }

  /**
   * Returns the usual order of the form when no date in the file proves one,
   * and reports the guess once. Dates with AM/PM are read month first, as
   * en-US writes them, the form the portal is known to write. 24-hour dates
   * are read day first, as en-GB and most other locales write them. Day-first
   * locales with AM/PM, such as en-AU and en-IN, read wrongly under this
   * guess, which is why it is always reported.
   */
  private fallbackOrder(parts: DisplayDateTime, line: number, column: string, text: string): DayOrder {
    const order: DayOrder = parts.twelveHour ? 'monthFirst' : 'dayFirst';
    if (!this.guessReported) {
      this.guessReported = true;
      const reading = order === 'monthFirst' ? 'month/day, the order of en-US with AM/PM' : 'day/month, the order of 24-hour locales such as en-GB';
      this.report({
        line,
        kind: 'cell',
        message:
          `no date in this file has a day above 12, so dates such as "${text}" in column ${column} could be day/month or month/day. ` +
          `They were read as ${reading}. If that is wrong, export the query with an ISO 8601 column (for example format_datetime)`,
      });
    }
    return order;
  }

  private reportBad(line: number, column: string, text: string): void {
    this.badCount += 1;
    if (this.badCount === 1) {
      this.firstBadLine = line;
    }
    if (this.badCount <= QUOTED_BAD_DATETIMES) {
      this.report({
        line,
        kind: 'cell',
        message: `column ${column}: the datetime "${text.slice(0, 80)}" could not be read, so the cell is empty (null). Accepted forms are ISO 8601 and the portal's display forms such as "12/2/2026, 2:10:00.000 PM" and "02/12/2026, 14:10:00.000"`,
      });
    }
  }
}

/** Reads a file's datetime cells until one proves the day and month order of its slashed dates. */
async function scanDayOrder(file: string, datetimeColumns: ReadonlyMap<string, string>, signal: AbortSignal | undefined): Promise<DayOrder | undefined> {
  const ignoreSkip = (): void => undefined;
  for await (const record of readCsvRecords(file, ignoreSkip, signal)) {
    for (const [key, text] of Object.entries(record.values)) {
      if (!datetimeColumns.has(key.toLowerCase()) && key !== 'date (utc)') {
        continue;
      }
      const parts = splitDisplayDateTime(text);
      const order = parts && provenDayOrder(parts);
      if (order !== undefined) {
        return order;
      }
    }
  }
  return undefined;
}
