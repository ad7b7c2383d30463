/**
 * Converts rows in the readers' input form (see input.ts) into columns, once
 * per value, at load time.
 */
import type { ColumnSchema, KustoColumnType } from '../schema/tables';
import { BoolAppender, createAppender, DynamicAppender, NumberAppender, TextAppender, toBool, type ColumnAppender } from './columnAppenders';
import { ColumnarTable, type Column, type Table } from './columns';
import { epochMsOfTicks, textOf, parseDatetime, parseDynamicText, parseTimespan, ticksFromEpochMs, type Value } from './values';

/** Converts one input-form value to an evaluator value of `type`. */
export function convertInput(value: unknown, type: KustoColumnType): Value {
  if (value === null || value === undefined) {
    return type === 'string' ? '' : null;
  }
  if (value === '' && type !== 'string') {
    return null;
  }
  switch (type) {
    case 'string':
      return textOf(value);
    case 'guid':
      return textOf(value).toLowerCase();
    case 'long':
    case 'int':
      return toNumber(value, true);
    case 'real':
      return toNumber(value, false);
    case 'bool':
      return toBool(value);
    case 'datetime':
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? null : ticksFromEpochMs(value.getTime());
      }
      if (typeof value === 'number') {
        return ticksFromEpochMs(value);
      }
      return typeof value === 'string' ? parseDatetime(value) : null;
    case 'timespan':
      if (typeof value === 'number') {
        return value;
      }
      return typeof value === 'string' ? parseTimespan(value) : null;
    case 'dynamic':
      return typeof value === 'string' ? (parseDynamicText(value) as Value) : (value);
  }
}

function toNumber(value: unknown, whole: boolean): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (Number.isNaN(number) || (typeof value === 'string' && value.trim() === '')) {
    return null;
  }
  return whole ? Math.trunc(number) : number;
}

/** A cell that was stored as null because its value could not be converted to its column's type. */
export interface RejectedCell {
  /** Index of the row in the batch passed to appendBatch. */
  readonly row: number;
  readonly column: string;
  readonly value: unknown;
}

/** Collects batches of input-form rows into a columnar table. */
export class TableBuilder {
  private readonly appenders: ColumnAppender[];
  private rowCount = 0;

  constructor(
    private readonly name: string,
    private readonly columns: readonly ColumnSchema[],
    appenders?: ColumnAppender[],
  ) {
    this.appenders = appenders ?? columns.map((column) => createAppender(column.type));
  }


  /**
   * Returns a builder for rows that come after all of this one's, sharing its text
   * dictionaries and dynamic values, so appendBuilder can take its rows
   * without encoding them again. Its own rows can be appended in the meantime.
   */
  sibling(): TableBuilder {
    return new TableBuilder(
      this.name,
      this.columns,
      this.appenders.map((appender) => appender.sibling()),
    );
  }

  /** Makes room for `extra` more rows in every column, such as the rows of siblings about to be appended. */
  reserveRows(extra: number): void {
    for (const appender of this.appenders) {
      if (!(appender instanceof DynamicAppender)) {
        appender.reserveRows(extra);
      }
    }
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** Appends the rows of a sibling builder after this one's. */
  appendBuilder(sibling: TableBuilder): void {
    for (let column = 0; column < this.appenders.length; column++) {
      appendSiblingRows(this.appenders[column], sibling.appenders[column]);
    }
    this.rowCount += sibling.rowCount;
  }

  /**
   * Appends rows in input form. With `order`, table column i takes its value
   * from row index order[i] (-1: null); without it, rows are in table order.
   * Returns the datetime cells whose values could not be read; they are null
   * in the table. Values of other types that cannot be converted are not returned.
   */
  appendBatch(rows: readonly (readonly unknown[])[], order?: readonly number[]): RejectedCell[] {
    const count = rows.length;
    let rejected: RejectedCell[] | undefined;
    for (let column = 0; column < this.appenders.length; column++) {
      const source = order ? order[column] : column;
      const appender = this.appenders[column];
      appendColumn(appender, rows, count, source);
      const values = appender instanceof NumberAppender ? appender.takeRejected() : undefined;
      if (values !== undefined) {
        rejected ??= [];
        for (const { row, value } of values) {
          rejected.push({ row: row - this.rowCount, column: this.columns[column].name, value });
        }
      }
    }
    this.rowCount += count;
    // Reported in file order: by row, and by column within a row.
    return rejected === undefined ? [] : rejected.sort((a, b) => a.row - b.row);
  }

  /**
   * Appends rows that another builder of the same column types finished,
   * such as one that read part of a file in another thread. `order` maps
   * table columns to `columns` as in appendBatch.
   */
  appendColumns(columns: readonly Column[], rowCount: number, order?: readonly number[]): void {
    for (let column = 0; column < this.appenders.length; column++) {
      const source = order ? order[column] : column;
      const appender = this.appenders[column];
      if (source < 0) {
        for (let row = 0; row < rowCount; row++) {
          appender.add(null);
        }
      } else {
        appender.appendColumn(columns[source]);
      }
    }
    this.rowCount += rowCount;
  }

  /**
   * Returns the finished columns and their row count, for a builder whose
   * rows go to another thread's appendColumns. Their dictionaries may repeat
   * entries, which appendColumns encodes again.
   */
  finishColumns(): { columns: Column[]; rowCount: number } {
    return { columns: this.appenders.map((appender) => appender.finish()), rowCount: this.rowCount };
  }

  finish(): Table {
    const columns = this.appenders.map((appender) => (appender instanceof TextAppender ? appender.finishEntry() : appender.finish()));
    return new ColumnarTable(this.name, this.columns, columns, this.rowCount);
  }
}

/**
 * Appends one column of a batch. Each branch calls one appender class, so
 * every call site stays monomorphic.
 */
function appendColumn(appender: ColumnAppender, rows: readonly (readonly unknown[])[], count: number, source: number): void {
  if (appender instanceof TextAppender) {
    for (let row = 0; row < count; row++) {
      appender.add(source < 0 ? null : rows[row][source]);
    }
  } else if (appender instanceof NumberAppender) {
    for (let row = 0; row < count; row++) {
      appender.add(source < 0 ? null : rows[row][source]);
    }
  } else if (appender instanceof BoolAppender) {
    for (let row = 0; row < count; row++) {
      appender.add(source < 0 ? null : rows[row][source]);
    }
  } else {
    for (let row = 0; row < count; row++) {
      appender.add(source < 0 ? null : rows[row][source]);
    }
  }
}

/** Appends one column of a sibling, with one call site per appender class. */
function appendSiblingRows(appender: ColumnAppender, sibling: ColumnAppender): void {
  if (appender instanceof TextAppender && sibling instanceof TextAppender) {
    appender.appendRows(sibling);
  } else if (appender instanceof NumberAppender && sibling instanceof NumberAppender) {
    appender.appendRows(sibling);
  } else if (appender instanceof BoolAppender && sibling instanceof BoolAppender) {
    appender.appendRows(sibling);
  } else if (appender instanceof DynamicAppender && sibling instanceof DynamicAppender) {
    appender.appendRows(sibling);
  } else {
    throw new TypeError('A sibling builder has the same column types as its builder.');
  }
}

/** A set of tables that queries run against. */
export class Database {
  readonly tables: readonly Table[];

  constructor(tables: readonly Table[]) {
    for (const table of tables) {
      if (!(table instanceof ColumnarTable)) {
        throw new TypeError(`Table ${table.name} was not made by TableBuilder: build every table with TableBuilder.finish().`);
      }
    }
    this.tables = tables;
  }

  /** Newest value of TimeGenerated/Timestamp over all tables, ms since epoch, or undefined. */
  newestTime(): number | undefined {
    let newest = -Infinity;
    for (const table of this.tables as readonly ColumnarTable[]) {
      for (const name of ['TimeGenerated', 'Timestamp']) {
        const index = table.columnIndex(name);
        const column = index >= 0 ? table.column(index) : undefined;
        if (!column || column.kind !== 'number' || table.columns[index].type !== 'datetime') {
          continue;
        }
        for (const ticks of column.values) {
          if (ticks > newest) {
            newest = ticks;
          }
        }
      }
    }
    return newest === -Infinity ? undefined : epochMsOfTicks(newest).epochMs;
  }
}
