/**
 * The contract between the export readers and the local engine's table
 * builder. A reader turns a file into batches of rows in the form below; the
 * builder converts each value to its column's Kusto type once, at load time.
 *
 * Input form, per column type (null and undefined are Kusto's null in every
 * type but string, where they become the empty string, as in Kusto):
 * - string, guid: a string; any other value is converted with String().
 * - long, int, real: a number, or text holding a number ("42", "-1.5e3").
 *   Text that is not a number becomes null.
 * - bool: a boolean, or the text "true"/"false"/"1"/"0" in any case.
 * - datetime: ISO 8601 text with up to 7 fractional digits (no zone means
 *   UTC), a Date, or a number of milliseconds since the Unix epoch.
 * - timespan: Kusto timespan text ("01:02:03.5000000", "1.02:03:04", "5m"),
 *   or a number of 100-ns ticks.
 * - dynamic: any JSON value (object, array, number, boolean, string). Text
 *   that parses as a JSON object or array is parsed; other text stays text.
 * The empty string is null in every type but string.
 */
import type { ColumnSchema } from '../schema/tables';

/** One table read from an export file. */
export interface ReadTable {
  /** The table the rows belong to, for example SigninLogs. */
  readonly table: string;
  /** The table's columns; every row has one value per column, in this order. */
  readonly columns: readonly ColumnSchema[];
  /** Rows in input form, in batches of up to a few thousand. */
  readonly batches: AsyncIterable<unknown[][]>;
}

/** A line or record that a reader skipped; the good rows around it are kept. */
export interface ReadProblem {
  readonly file: string;
  /** 1-based line (for CSV and line-delimited JSON) or record number. */
  readonly line: number;
  readonly message: string;
  /**
   * Scope of the problem: 'file' for a whole file or folder that was not
   * read, 'fileNote' for a file that was read but whose rows all carry a
   * caveat (a guessed encoding, a possible copy of another file), 'cell'
   * for one value of a row that was still loaded (an unreadable datetime, for
   * example). Absent for a line or record that was skipped.
   */
  readonly kind?: ReadProblemKind;
}

/** See ReadProblem.kind. */
export type ReadProblemKind = 'file' | 'fileNote' | 'cell';
