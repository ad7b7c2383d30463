/**
 * Compact columnar form of a result table, for the trip from the extension
 * host to the webview. A chunk holds a run of rows; strings are dictionary
 * encoded per chunk and numbers, datetimes and booleans travel as typed
 * arrays, which VS Code's postMessage transfers without copying them into JSON.
 */
import type { CellValue, ColumnType, DateTimeValue, ResultTable } from '../../results/model';

/** Cells of one column within one chunk. */
export type EncodedColumn =
  /** Numbers with a null mask (1 = null). */
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array }
  /** Datetimes as epoch milliseconds plus 100-ns ticks, with a null mask. */
  | { kind: 'datetime'; epochMs: Float64Array; subMsTicks: Uint16Array; nulls: Uint8Array }
  /** Booleans: 0 false, 1 true, 2 null. */
  | { kind: 'bool'; values: Uint8Array }
  /** Strings: index 0 is null, index i + 1 is dictionary[i]. */
  | { kind: 'text'; dictionary: string[]; indexes: Uint32Array }
  /** Dynamic values as JSON text; null is Kusto's null. */
  | { kind: 'json'; values: Array<string | null> }
  /** Fallback for columns whose cells do not match the declared type, such as longs beyond 2^53 kept as text. */
  | { kind: 'cells'; values: CellValue[] };

export interface EncodedChunk {
  tableIndex: number;
  rowStart: number;
  rowCount: number;
  columns: EncodedColumn[];
}

/** Default rows per chunk: small enough that the first screen paints after the first chunk. */
export const DEFAULT_CHUNK_ROWS = 20_000;

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['int', 'long', 'real', 'decimal']);
const TEXT_TYPES: ReadonlySet<ColumnType> = new Set(['string', 'guid', 'timespan']);

/** Encodes rows [start, end) of a table as one chunk. */
export function encodeChunk(table: ResultTable, tableIndex: number, start: number, end: number): EncodedChunk {
  const stop = Math.min(end, table.rows.length);
  const columns = table.columns.map((column, index) => encodeColumn(table.rows, index, column.type, start, stop));
  return { tableIndex, rowStart: start, rowCount: Math.max(0, stop - start), columns };
}

/** Splits a table into chunks of at most `chunkRows` rows; an empty table yields one empty chunk. */
export function* encodeChunks(table: ResultTable, tableIndex: number, chunkRows = DEFAULT_CHUNK_ROWS): Generator<EncodedChunk> {
  if (table.rows.length === 0) {
    yield encodeChunk(table, tableIndex, 0, 0);
    return;
  }
  for (let start = 0; start < table.rows.length; start += chunkRows) {
    yield encodeChunk(table, tableIndex, start, start + chunkRows);
  }
}

function encodeColumn(rows: CellValue[][], column: number, type: ColumnType, start: number, end: number): EncodedColumn {
  const cells = rows.slice(start, end).map((row) => row[column] ?? null);
  if (NUMERIC_TYPES.has(type) && cells.every((cell) => cell === null || typeof cell === 'number')) {
    return encodeNumbers(cells);
  }
  if (type === 'datetime' && cells.every((cell) => cell === null || isDateTime(cell))) {
    return encodeDateTimes(cells);
  }
  if (type === 'bool' && cells.every((cell) => cell === null || typeof cell === 'boolean')) {
    return { kind: 'bool', values: Uint8Array.from(cells, (cell) => (cell === null ? 2 : cell ? 1 : 0)) };
  }
  if (TEXT_TYPES.has(type) && cells.every((cell) => cell === null || typeof cell === 'string')) {
    return encodeText(cells);
  }
  if (type === 'dynamic') {
    return { kind: 'json', values: cells.map(dynamicJson) };
  }
  return { kind: 'cells', values: cells };
}

function encodeNumbers(cells: Array<number | null>): EncodedColumn {
  const values = new Float64Array(cells.length);
  const nulls = new Uint8Array(cells.length);
  cells.forEach((cell, index) => {
    if (cell === null) {
      nulls[index] = 1;
    } else {
      values[index] = cell;
    }
  });
  return { kind: 'number', values, nulls };
}

function encodeDateTimes(cells: Array<DateTimeValue | null>): EncodedColumn {
  const epochMs = new Float64Array(cells.length);
  const subMsTicks = new Uint16Array(cells.length);
  const nulls = new Uint8Array(cells.length);
  cells.forEach((cell, index) => {
    if (cell === null) {
      nulls[index] = 1;
    } else {
      epochMs[index] = cell.epochMs;
      subMsTicks[index] = cell.subMsTicks;
    }
  });
  return { kind: 'datetime', epochMs, subMsTicks, nulls };
}

function encodeText(cells: Array<string | null>): EncodedColumn {
  const dictionary: string[] = [];
  const positions = new Map<string, number>();
  const indexes = new Uint32Array(cells.length);
  cells.forEach((cell, index) => {
    if (cell === null) {
      return;
    }
    let position = positions.get(cell);
    if (position === undefined) {
      position = dictionary.length;
      dictionary.push(cell);
      positions.set(cell, position);
    }
    indexes[index] = position + 1;
  });
  return { kind: 'text', dictionary, indexes };
}

function isDateTime(cell: CellValue): cell is DateTimeValue {
  return typeof cell === 'object' && cell !== null && cell.kind === 'datetime';
}

/** Shown in place of a dynamic value too deeply nested for JSON.stringify, so the rest of the table still loads. */
export const TOO_DEEP_TEXT = '(dynamic value nested too deeply to show)';

/** Returns the JSON text of a dynamic cell; a cell that is not wrapped as dynamic is encoded as it is. */
function dynamicJson(cell: CellValue): string | null {
  if (cell === null) {
    return null;
  }
  const value = typeof cell === 'object' && cell.kind === 'dynamic' ? cell.value : cell;
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    // Thousands of nesting levels overflow the stack. Such a value comes from a
    // hand-made or hostile results file; one cell must not stop the whole table.
    if (error instanceof RangeError) {
      return JSON.stringify(TOO_DEEP_TEXT);
    }
    throw error;
  }
}

/** Builds the datetime ISO text with all seven fractional digits, for example 2024-05-01T08:00:00.1234567Z. */
export function isoFromParts(epochMs: number, subMsTicks: number): string {
  const base = new Date(epochMs).toISOString(); // 2024-05-01T08:00:00.123Z
  return `${base.slice(0, 23)}${String(subMsTicks).padStart(4, '0')}Z`;
}

/** Decodes one cell of a chunk column back into the results model's form. */
export function decodeCell(column: EncodedColumn, row: number): CellValue {
  switch (column.kind) {
    case 'number':
      return column.nulls[row] ? null : column.values[row];
    case 'datetime':
      return column.nulls[row] ? null : dateTime(column.epochMs[row], column.subMsTicks[row]);
    case 'bool':
      return column.values[row] === 2 ? null : column.values[row] === 1;
    case 'text': {
      const index = column.indexes[row];
      return index === 0 ? null : column.dictionary[index - 1];
    }
    case 'json': {
      const text = column.values[row];
      return text === null || text === undefined ? null : { kind: 'dynamic', value: JSON.parse(text) as unknown };
    }
    case 'cells':
      return column.values[row] ?? null;
  }
}

export function dateTime(epochMs: number, subMsTicks: number): DateTimeValue {
  return { kind: 'datetime', epochMs, subMsTicks, iso: isoFromParts(epochMs, subMsTicks) };
}

/** Decodes a whole chunk into row-major cells; used by tests and by small exports. */
export function decodeChunk(chunk: EncodedChunk): CellValue[][] {
  const rows: CellValue[][] = [];
  for (let row = 0; row < chunk.rowCount; row++) {
    rows.push(chunk.columns.map((column) => decodeCell(column, row)));
  }
  return rows;
}
