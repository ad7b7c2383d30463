/**
 * Columnar storage. Strings and guids are dictionary-encoded (one Int32 code
 * per row), numbers, datetimes and timespans live in a Float64Array with NaN
 * as null, booleans in a Uint8Array, and dynamic values in a plain array.
 */
import type { ColumnSchema, KustoColumnType } from '../schema/tables';
import { textOf, type Value } from './values';
import { scratch } from './scratch';

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

/**
 * A column not yet copied out of a filtered or reordered table: row i is
 * row rows[i] of base. Filters chain without copying the columns that later
 * operators never read.
 */
export interface LazyColumn {
  readonly base: Column;
  readonly rows: Int32Array;
  readonly type: KustoColumnType;
}

export type ColumnEntry = Column | LazyColumn;

export function isLazy(entry: ColumnEntry): entry is LazyColumn {
  return 'base' in entry;
}

/**
 * A text column as loaded, whose dictionary may hold a text more than once.
 * Columns of ids are loaded this way, without a lookup per row, and the
 * table makes the dictionary unique the first time a query reads the column.
 * Columns that no query reads never pay for it.
 */
export interface UnsettledText {
  readonly kind: 'unsettled';
  readonly codes: Int32Array;
  readonly texts: readonly (string | null)[];
}

function isUnsettled(entry: ColumnEntry | UnsettledText): entry is UnsettledText {
  return 'texts' in entry;
}

/** Returns the column with one dictionary entry per distinct text, translating the codes in place. */
export function settleText(column: UnsettledText): Column {
  const { codes, texts } = column;
  const codeOf = new Map<string | null, number>();
  const dictionary: (string | null)[] = [];
  const translated = new Int32Array(texts.length);
  for (let code = 0; code < texts.length; code++) {
    const text = texts[code];
    let unique = codeOf.get(text);
    if (unique === undefined) {
      unique = dictionary.length;
      dictionary.push(text);
      codeOf.set(text, unique);
    }
    translated[code] = unique;
  }
  for (let row = 0; row < codes.length; row++) {
    codes[row] = translated[codes[row]];
  }
  return { kind: 'dictionary', codes, dictionary };
}

export class ColumnarTable implements Table {
  private readonly entries: (ColumnEntry | UnsettledText)[];

  constructor(
    readonly name: string,
    readonly columns: readonly ColumnSchema[],
    entries: readonly (ColumnEntry | UnsettledText)[],
    readonly rowCount: number,
  ) {
    this.entries = [...entries];
  }

  columnIndex(name: string): number {
    return this.columns.findIndex((column) => column.name === name);
  }

  /** Returns column `index`, copying it out of its base table on first use. */
  column(index: number): Column {
    const entry = this.entry(index);
    if (!isLazy(entry)) {
      return entry;
    }
    const column = gatherColumn(entry.base, entry.rows, entry.type);
    this.entries[index] = column;
    return column;
  }

  /** Returns column `index` without copying it, to place it in another table of the same rows. */
  entry(index: number): ColumnEntry {
    const entry = this.entries[index];
    if (!isUnsettled(entry)) {
      return entry;
    }
    const settled = settleText(entry);
    this.entries[index] = settled;
    return settled;
  }

  /** Every column, copied out of its base table where needed. */
  get data(): readonly Column[] {
    return this.columns.map((_, index) => this.column(index));
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

/** Returns the dictionary entry that a text column stores for a value: null becomes '' in a string column. */
function textCell(value: Value | undefined, type: KustoColumnType): string | null {
  if (value !== null && value !== undefined) {
    return textOf(value);
  }
  return type === 'string' ? '' : null;
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
  private lastText: string | null = null;
  private lastCode = -1;

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
    if (this.codes) {
      this.pushText(value);
    } else if (this.numbers) {
      this.pushNumber(value);
    } else if (this.bools) {
      this.pushBool(value);
    } else {
      this.length++;
      this.dynamics.push(value === undefined ? null : value);
    }
  }

  private pushText(value: Value): void {
    const row = this.length++;
    if (row >= this.codes!.length) {
      this.codes = grow(this.codes!, new Int32Array(this.codes!.length * 2));
    }
    const text = textCell(value, this.type);
    // Runs of one value (nulls, repeated keys) skip the map lookup.
    if (text !== this.lastText || this.lastCode < 0) {
      let code = this.codeOf.get(text);
      if (code === undefined) {
        code = this.dictionary.length;
        this.dictionary.push(text);
        this.codeOf.set(text, code);
      }
      this.lastText = text;
      this.lastCode = code;
    }
    this.codes![row] = this.lastCode;
  }

  private pushNumber(value: Value): void {
    const row = this.length++;
    if (row >= this.numbers!.length) {
      this.numbers = grow(this.numbers!, new Float64Array(this.numbers!.length * 2));
    }
    this.numbers![row] = typeof value === 'number' ? value : NaN;
  }

  private pushBool(value: Value): void {
    const row = this.length++;
    if (row >= this.bools!.length) {
      this.bools = grow(this.bools!, new Uint8Array(this.bools!.length * 2));
    }
    this.bools![row] = value === null || value === undefined ? BOOL_NULL : value === true ? 1 : 0;
  }

  finish(): Column {
    if (this.codes) {
      return { kind: 'dictionary', codes: trimmed(this.codes, this.length), dictionary: this.dictionary };
    }
    if (this.numbers) {
      return { kind: 'number', values: trimmed(this.numbers, this.length) };
    }
    if (this.bools) {
      return { kind: 'bool', values: trimmed(this.bools, this.length) };
    }
    return { kind: 'dynamic', values: this.dynamics };
  }
}

/** Returns the first `length` values; copies only when over a quarter of the buffer is unused. */
function trimmed<T extends Int32Array | Float64Array | Uint8Array>(values: T, length: number): T {
  return (length * 4 >= values.length * 3 ? values.subarray(0, length) : values.slice(0, length)) as T;
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
      if (count * COMPACT_DICTIONARY_RATIO < column.dictionary.length) {
        return gatherCompacted(column, rows, type);
      }
      let dictionary = column.dictionary;
      let nullCode = -1;
      const codes = scratch.int32(count);
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
      const values = scratch.float64(count);
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

/**
 * A gathered text column keeps the source dictionary unless it has this many
 * times more entries than the gathered rows. A small table then does not drag
 * a dictionary of millions of entries into every later per-code array, and a
 * large one is not slowed by hashing each row's code.
 */
const COMPACT_DICTIONARY_RATIO = 64;

/** gatherColumn for a few rows of a large dictionary column: the result's dictionary holds only the values picked. */
function gatherCompacted(column: Column & { kind: 'dictionary' }, rows: Int32Array, type: KustoColumnType): Column {
  const codes = new Int32Array(rows.length);
  const dictionary: (string | null)[] = [];
  const newCodeOf = new Map<number, number>();
  let nullSourceCode: number | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    // -1 stands for the null row of an outer join. It shares the code of an equal source value, so the dictionary stays free of duplicates.
    if (row < 0 && nullSourceCode === undefined) {
      nullSourceCode = column.dictionary.indexOf(textCell(null, type));
    }
    const sourceCode = row < 0 ? nullSourceCode! : column.codes[row];
    let code = newCodeOf.get(sourceCode);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(sourceCode < 0 ? textCell(null, type) : column.dictionary[sourceCode]);
      newCodeOf.set(sourceCode, code);
    }
    codes[i] = code;
  }
  return { kind: 'dictionary', codes, dictionary };
}

/** Returns the table with rows picked by `rows`, in that order; columns are copied only when read. */
export function gatherTable(table: ColumnarTable, rows: Int32Array, name = table.name): ColumnarTable {
  const composed = new Map<Int32Array, Int32Array>();
  const entries = table.columns.map((column, index): ColumnEntry => {
    const entry = table.entry(index);
    if (!isLazy(entry)) {
      return { base: entry, rows, type: column.type };
    }
    let combined = composed.get(entry.rows);
    if (!combined) {
      combined = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        combined[i] = rows[i] < 0 ? -1 : entry.rows[rows[i]];
      }
      composed.set(entry.rows, combined);
    }
    return { base: entry.base, rows: combined, type: column.type };
  });
  return new ColumnarTable(name, table.columns, entries, rows.length);
}

/** Builds a column of `count` rows from a per-row function. */
export function buildColumn(type: KustoColumnType, count: number, valueAt: (row: number) => Value): Column {
  const writer = new ColumnWriter(type, count);
  for (let row = 0; row < count; row++) {
    writer.push(valueAt(row));
  }
  return writer.finish();
}

/**
 * Builds a column whose row values depend only on a per-row code of a
 * source column (its dictionary code). Row i of the result is source row
 * rows[i], or row i when rows is undefined; a source row of -1 gives null.
 * For text types, valueAt runs once per distinct code and the result's
 * dictionary is built from those values alone.
 */
export function buildColumnByCode(
  type: KustoColumnType,
  count: number,
  source: { readonly codes: Int32Array; readonly cardinality: number },
  valueAt: (row: number) => Value,
  rows?: Int32Array,
): Column {
  if (type !== 'string' && type !== 'guid') {
    return buildColumn(type, count, (index) => {
      const row = rows ? rows[index] : index;
      return row < 0 ? null : valueAt(row);
    });
  }
  const sourceCodes = source.codes;
  const codeOfSource = new Int32Array(source.cardinality).fill(-1);
  const dictionary: (string | null)[] = [];
  const codeOfText = new Map<string | null, number>();
  const codeOf = (value: Value): number => {
    const text = textCell(value, type);
    let code = codeOfText.get(text);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(text);
      codeOfText.set(text, code);
    }
    return code;
  };
  const codes = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    const row = rows ? rows[index] : index;
    if (row < 0) {
      codes[index] = codeOf(null);
      continue;
    }
    const sourceCode = sourceCodes[row];
    let code = codeOfSource[sourceCode];
    if (code < 0) {
      code = codeOfSource[sourceCode] = codeOf(valueAt(row));
    }
    codes[index] = code;
  }
  return { kind: 'dictionary', codes, dictionary };
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
