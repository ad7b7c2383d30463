/**
 * The time column of each loaded table: its newest value, for the warning
 * that the data ends long before now(), and how many rows have no value, for
 * the warning that time filters skip those rows.
 */
import { ColumnarTable, type Table } from './columns';
import { epochMsOfTicks } from './values';

/** The columns that hold a record's time, in the order they are looked for. */
const TIME_COLUMNS = ['TimeGenerated', 'Timestamp'] as const;

export interface TableTimes {
  readonly table: string;
  /** TimeGenerated for Log Analytics tables, Timestamp for Defender XDR tables. */
  readonly column: string;
  /** The newest value of the column, in ms since the Unix epoch, or undefined when no row has one. */
  readonly newestMs: number | undefined;
  /** Rows whose value is null: the cell was empty or could not be read as a datetime. */
  readonly rowsWithoutTime: number;
}

/** Returns the facts about the table's time column, or undefined when it has no datetime TimeGenerated or Timestamp column. */
export function tableTimes(table: Table): TableTimes | undefined {
  if (!(table instanceof ColumnarTable)) {
    return undefined;
  }
  for (const name of TIME_COLUMNS) {
    const index = table.columnIndex(name);
    if (index < 0 || table.columns[index].type !== 'datetime') {
      continue;
    }
    const column = table.column(index);
    if (column.kind !== 'number') {
      continue;
    }
    let newest = -Infinity;
    let missing = 0;
    for (const ticks of column.values) {
      if (Number.isNaN(ticks)) {
        missing += 1;
      } else if (ticks > newest) {
        newest = ticks;
      }
    }
    const newestMs = newest === -Infinity ? undefined : epochMsOfTicks(newest).epochMs;
    return { table: table.name, column: name, newestMs, rowsWithoutTime: missing };
  }
  return undefined;
}

/** A table's time facts as the worker sends them and the warnings read them, with the newest time as ISO 8601 text. */
export interface TableTimesSummary {
  readonly table: string;
  readonly column: string;
  readonly newestRecord?: string;
  readonly rowsWithoutTime: number;
}

/** Converts the facts to their summary, with the newest time as ISO 8601 text. */
export function summarizeTimes(times: readonly TableTimes[]): TableTimesSummary[] {
  return times.map(({ table, column, newestMs, rowsWithoutTime }) =>
    newestMs === undefined ? { table, column, rowsWithoutTime } : { table, column, newestRecord: new Date(newestMs).toISOString(), rowsWithoutTime },
  );
}
