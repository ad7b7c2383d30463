/**
 * Records of a Log Analytics or Entra admin center CSV as column values of
 * its table: Entra rows mapped (with attempt keys) and datetime cells in a
 * browser's display form converted to ISO 8601, each unreadable one reported.
 */
import type { TableSchema } from '../../schema/tables';
import { parseDatetime } from '../values';
import { readCsvRecords, type CsvSkip } from './csvRecords';
import type { CsvDelimiter } from './csvRecoveringParser';
import { isoFromParts, lacksSeconds, provenDayOrder, splitDisplayDateTime, type DayOrder, type DisplayDateTime } from './displayDateTimes';
import { AttemptKeys, datetimeMs } from './attemptKeys';
import { mapEntraSignIn, type AuthDetailsIndex } from './entraCsv';
import { UnreadableDatetimeCount } from './unreadableDatetimes';

/** A CSV record as column values, with the line it starts on. */
export interface CsvTableRecord {
  readonly line: number;
  readonly values: Record<string, unknown>;
}

/** The CSV formats whose records map to one table, with the separator that format detection found. */
export interface CsvTableFormat {
  readonly kind: 'logAnalyticsCsv' | 'entraCsv';
  readonly table: TableSchema;
  readonly delimiter: CsvDelimiter;
}

/** Reads a CSV file's records as column values of its table. Problems go to `report` with the line they are on. */
export async function* readCsvTableRecords(
  file: string,
  format: CsvTableFormat,
  report: (skip: CsvSkip) => void,
  options: { readonly signal?: AbortSignal; readonly authDetails?: AuthDetailsIndex },
): AsyncGenerator<CsvTableRecord> {
  const attempts = new AttemptKeys();
  const dates = new DateTimeCells(file, format, report, options.signal);
  for await (const record of readCsvRecords(file, report, options.signal, format.delimiter)) {
    const values: Record<string, unknown> =
      format.kind === 'entraCsv' ? mapEntraSignIn(record.values, format.table, options.authDetails) : record.values;
    if (!dates.convert(values, record.line)) {
      await dates.scanOrder();
      dates.convert(values, record.line);
    }
    if (format.kind === 'entraCsv') {
      // The key needs the converted time, because the raw text may be a locale's form such as "25.11.2026 01:44:54".
      values.OriginalRequestId = attempts.keyOf(record.values, datetimeMs(values.TimeGenerated), truncatedMs(record.values['date (utc)']));
    }
    yield { line: record.line, values };
  }
  dates.finish();
}

/** Returns how much of a minute a datetime without seconds may have lost, in ms: 60_000 for "25/11/2026 01:44" or "2026-11-25 01:44", else 0. */
function truncatedMs(text: string | undefined): number {
  return lacksSeconds(text ?? '') ? 60_000 : 0;
}

/** The day and month order of a file's slashed dates, with the line and the date that proved it. */
interface ProvenOrder {
  readonly order: DayOrder;
  readonly line: number;
  readonly text: string;
}

/**
 * Converts the datetime cells of one file's records. The day and month order
 * of slashed dates is fixed once per file: by the first date with a field
 * above 12, searched in the whole file when the first dates leave it open.
 */
class DateTimeCells {
  private readonly datetimeColumns: Map<string, string>;
  private readonly columnByKey = new Map<string, string | undefined>();
  private proven: ProvenOrder | undefined;
  private scanned = false;
  private guessReported = false;
  private noSecondsReported = false;
  private readonly unreadable: UnreadableDatetimeCount;

  constructor(
    private readonly file: string,
    private readonly format: CsvTableFormat,
    private readonly report: (skip: CsvSkip) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.datetimeColumns = new Map(
      format.table.columns.filter((column) => column.type === 'datetime').map((column) => [column.name.toLowerCase(), column.name]),
    );
    this.unreadable = new UnreadableDatetimeCount(report);
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
      if (column === undefined || typeof text !== 'string' || text.trim() === '') {
        continue;
      }
      if (parseDatetime(text) !== null) {
        if (lacksSeconds(text)) {
          this.reportNoSeconds(line, column, text);
        }
        continue;
      }
      const parts = splitDisplayDateTime(text);
      let order: DayOrder | undefined;
      if (parts) {
        order = parts.fixedOrder ?? this.provenOrder(parts, line, text);
        if (order === undefined && !this.scanned) {
          return false;
        }
        order ??= this.fallbackOrder(parts, line, column, text);
      }
      const converted = parts && order && isoFromParts(parts, order);
      if (converted !== undefined) {
        values[key] = converted;
        if (lacksSeconds(text)) {
          this.reportNoSeconds(line, column, text);
        }
        continue;
      }
      values[key] = null;
      this.unreadable.add(line, () => this.unreadableMessage(column, text, parts));
    }
    return true;
  }

  /** Reports how many more datetime cells could not be read than were reported one by one. */
  finish(): void {
    this.unreadable.finish();
  }

  /** Returns the datetime column a record key names, or undefined; remembered per key because a file repeats its keys. */
  private columnOf(key: string): string | undefined {
    if (!this.columnByKey.has(key)) {
      this.columnByKey.set(key, this.datetimeColumns.get(key.toLowerCase()));
    }
    return this.columnByKey.get(key);
  }

  /** Returns the file's order, fixing it from this date when it is the first to prove one. */
  private provenOrder(parts: DisplayDateTime, line: number, text: string): DayOrder | undefined {
    if (this.proven === undefined) {
      const order = provenDayOrder(parts);
      this.proven = order && { order, line, text };
    }
    return this.proven?.order;
  }

  /** Searches the whole file once for a date that proves the day and month order. */
  async scanOrder(): Promise<void> {
    this.scanned = true;
    this.proven ??= await scanDayOrder(this.file, this.format.delimiter, this.datetimeColumns, this.signal);
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
    const order = guessedOrder(parts);
    if (!this.guessReported) {
      this.guessReported = true;
      const reading = order === 'monthFirst' ? 'month/day, the order of en-US with AM/PM' : 'day/month, the order of 24-hour locales such as en-GB';
      this.report({
        line,
        kind: 'cell',
        message:
          `no line of this file fixes the day and month order, because no slashed date has a field above 12, ` +
          `so dates such as "${text}" in column ${column} could be day/month or month/day. ` +
          `They were read as ${reading}. If that is wrong, export the query with an ISO 8601 column (for example format_datetime)`,
      });
    }
    return order;
  }

  /** Reports once per file that its times are whole minutes. */
  private reportNoSeconds(line: number, column: string, text: string): void {
    if (this.noSecondsReported) {
      return;
    }
    this.noSecondsReported = true;
    this.report({
      line,
      kind: 'cell',
      message:
        `datetimes such as "${text.slice(0, 80)}" in column ${column} have no seconds, so they were read as whole minutes ` +
        '(Excel\'s default date format drops the seconds when it saves a CSV). The order of rows within a minute and durations ' +
        'such as a burst\'s length are approximate. Download the export again and do not save it in Excel, or export ISO 8601 datetimes',
    });
  }

  private unreadableMessage(column: string, text: string, parts: DisplayDateTime | undefined): string {
    const reading = parts ? ` ${this.describeOrder(parts)}` : '';
    return (
      `column ${column}: the datetime "${text.slice(0, 80)}"${reading} could not be read, so the cell is empty (null). ` +
      'Accepted forms are ISO 8601 and the portal\'s display forms such as "12/2/2026, 2:10:00.000 PM" and "02/12/2026, 14:10:00.000"'
    );
  }

  /** Says in which order a display date was read and what fixed that order, for a hunter to check. */
  private describeOrder(parts: DisplayDateTime): string {
    if (parts.fixedOrder !== undefined) {
      return parts.fixedOrder === 'dayFirst' ? '(read day first, as its dots or dashes mean)' : '(read as year/month/day)';
    }
    const proven = this.proven;
    if (proven !== undefined) {
      const reading = proven.order === 'dayFirst' ? 'day/month' : 'month/day';
      return `(read as ${reading}, the order that line ${proven.line} fixed for this file with "${proven.text.slice(0, 80)}")`;
    }
    const reading = guessedOrder(parts) === 'dayFirst' ? 'day/month' : 'month/day';
    return `(read as ${reading}, a guess, because no line of this file fixes the order)`;
  }
}

function guessedOrder(parts: DisplayDateTime): DayOrder {
  return parts.twelveHour ? 'monthFirst' : 'dayFirst';
}

/** Reads a file's datetime cells until one proves the day and month order of its slashed dates. */
async function scanDayOrder(
  file: string,
  delimiter: CsvDelimiter,
  datetimeColumns: ReadonlyMap<string, string>,
  signal: AbortSignal | undefined,
): Promise<ProvenOrder | undefined> {
  const ignoreSkip = (): void => undefined;
  for await (const record of readCsvRecords(file, ignoreSkip, signal, delimiter)) {
    for (const [key, text] of Object.entries(record.values)) {
      if (!datetimeColumns.has(key.toLowerCase()) && key !== 'date (utc)') {
        continue;
      }
      const parts = splitDisplayDateTime(text);
      const order = parts && provenDayOrder(parts);
      if (order !== undefined) {
        return { order, line: record.line, text };
      }
    }
  }
  return undefined;
}
