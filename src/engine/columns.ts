/**
 * Columnar storage. Strings and guids are dictionary-encoded (one Int32 code
 * per row), numbers, datetimes and timespans live in a Float64Array with NaN
 * as null, booleans in a Uint8Array, and dynamic values in a plain array.
 */
import type { ColumnSchema, KustoColumnType } from '../schema/tables';
import { textOf, type Value } from './values';

export const BOOL_NULL = 2;

export type Column =
  | { readonly kind: 'dictionary'; readonly codes: Int32Array; readonly dictionary: readonly (string | null)[] }
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'bool'; readonly values: Uint8Array }
  | { readonly kind: 'dynamic'; readonly values: readonly unknown[] };

/** A table in the engine's columnar form. */
export interface Table {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  readonly rowCount: number;
}

export class ColumnarTable implements Table {
  constructor(
    readonly name: string,
    readonly columns: readonly ColumnSchema[],
    readonly data: readonly Column[],
    readonly rowCount: number,
  ) {}

  columnIndex(name: string): number {
    return this.columns.findIndex((column) => column.name === name);
  }
}

export function isNumberType(type: KustoColumnType): boolean {
  return type === 'long' || type === 'int' || type === 'real' || type === 'datetime' || type === 'timespan';
}

/** Returns a function that reads row `i` of a column as an evaluator value. */
export function columnReader(column: Column): (row: number) => Value {
  switch (column.kind) {
    case 'dictionary': {
      const { codes, dictionary } = column;
      return (row) => dictionary[codes[row]];
    }
    case 'number': {
      const values = column.values;
      return (row) => {
        const value = values[row];
        return value !== value ? null : value;
      };
    }
    case 'bool': {
      const values = column.values;
      return (row) => {
        const value = values[row];
        return value === BOOL_NULL ? null : value === 1;
      };
    }
    case 'dynamic': {
      const values = column.values;
      return (row) => values[row] as Value;
    }
  }
}

/** Appends evaluator values of one type and produces a column. */
export class ColumnWriter {
  private readonly type: KustoColumnType;
  private length = 0;
  private numbers: Float64Array | undefined;
  private bools: Uint8Array | undefined;
  private codes: Int32Array | undefined;
  private readonly dictionary: (string | null)[] = [];
  private readonly codeOf = new Map<string | null, number>();
  private readonly dynamics: unknown[] = [];

  constructor(type: KustoColumnType, capacity = 16) {
    this.type = type;
    const size = Math.max(capacity, 16);
    if (type === 'string' || type === 'guid') {
      this.codes = new Int32Array(size);
    } else if (type === 'bool') {
      this.bools = new Uint8Array(size);
    } else if (isNumberType(type)) {
      this.numbers = new Float64Array(size);
    }
  }

  push(value: Value): void {
    const row = this.length++;
    if (this.codes) {
      if (row >= this.codes.length) {
        this.codes = grow(this.codes, new Int32Array(this.codes.length * 2));
      }
      const text = value === null || value === undefined ? (this.type === 'string' ? '' : null) : textOf(value);
      let code = this.codeOf.get(text);
      if (code === undefined) {
        code = this.dictionary.length;
        this.dictionary.push(text);
        this.codeOf.set(text, code);
      }
      this.codes[row] = code;
    } else if (this.numbers) {
      if (row >= this.numbers.length) {
        this.numbers = grow(this.numbers, new Float64Array(this.numbers.length * 2));
      }
      this.numbers[row] = typeof value === 'number' ? value : NaN;
    } else if (this.bools) {
      if (row >= this.bools.length) {
        this.bools = grow(this.bools, new Uint8Array(this.bools.length * 2));
      }
      this.bools[row] = value === null || value === undefined ? BOOL_NULL : value === true ? 1 : 0;
    } else {
      this.dynamics.push(value === undefined ? null : value);
    }
  }

  finish(): Column {
    if (this.codes) {
      return { kind: 'dictionary', codes: this.codes.slice(0, this.length), dictionary: this.dictionary };
    }
    if (this.numbers) {
      return { kind: 'number', values: this.numbers.slice(0, this.length) };
    }
    if (this.bools) {
      return { kind: 'bool', values: this.bools.slice(0, this.length) };
    }
    return { kind: 'dynamic', values: this.dynamics };
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Returns the column with rows picked by `rows`, in that order. A row index
 * of -1 produces null (the empty string in a string column), for the
 * unmatched side of an outer join.
 */
export function gatherColumn(column: Column, rows: Int32Array, type: KustoColumnType): Column {
  const count = rows.length;
  switch (column.kind) {
    case 'dictionary': {
      let dictionary = column.dictionary;
      let nullCode = -1;
      const codes = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const row = rows[i];
        if (row < 0) {
          if (nullCode < 0) {
            const empty = type === 'string' ? '' : null;
            nullCode = dictionary.indexOf(empty);
            if (nullCode < 0) {
              dictionary = [...dictionary, empty];
              nullCode = dictionary.length - 1;
            }
          }
          codes[i] = nullCode;
        } else {
          codes[i] = column.codes[row];
        }
      }
      return { kind: 'dictionary', codes, dictionary };
    }
    case 'number': {
      const values = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const row = rows[i];
        values[i] = row < 0 ? NaN : column.values[row];
      }
      return { kind: 'number', values };
    }
    case 'bool': {
      const values = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const row = rows[i];
        values[i] = row < 0 ? BOOL_NULL : column.values[row];
      }
      return { kind: 'bool', values };
    }
    case 'dynamic': {
      const values = new Array<unknown>(count);
      for (let i = 0; i < count; i++) {
        const row = rows[i];
        values[i] = row < 0 ? null : column.values[row];
      }
      return { kind: 'dynamic', values };
    }
  }
}

export function gatherTable(table: ColumnarTable, rows: Int32Array, name = table.name): ColumnarTable {
  const data = table.data.map((column, index) => gatherColumn(column, rows, table.columns[index].type));
  return new ColumnarTable(name, table.columns, data, rows.length);
}

/** Builds a column of `count` rows from a per-row function. */
export function buildColumn(type: KustoColumnType, count: number, valueAt: (row: number) => Value): Column {
  const writer = new ColumnWriter(type, count);
  for (let row = 0; row < count; row++) {
    writer.push(valueAt(row));
  }
  return writer.finish();
}

/** Converts a value to a column type, as storing it in a column of that type does. */
export function coerceToType(value: Value, type: KustoColumnType): Value {
  if (value === null || value === undefined) {
    return type === 'string' ? '' : null;
  }
  if (type === 'string' || type === 'guid') {
    return typeof value === 'object' ? JSON.stringify(value) : textOf(value);
  }
  if (type === 'bool') {
    return typeof value === 'boolean' ? value : null;
  }
  if (type === 'int' || type === 'long') {
    return typeof value === 'number' ? Math.trunc(value) : null;
  }
  if (isNumberType(type)) {
    return typeof value === 'number' ? value : null;
  }
  return value;
}
