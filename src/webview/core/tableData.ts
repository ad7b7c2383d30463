/**
 * The webview's copy of one result table, filled chunk by chunk. Storage is
 * allocated once for the row count the header announced, so 500,000 rows
 * cost typed arrays plus one dictionary per text column, not an object per cell.
 */
import type { CellValue, ResultColumn } from '../../results/model';
import { dateTime, type EncodedChunk, type EncodedColumn } from './columnar';

/** Storage for one column. `kind` follows the first chunk; a later chunk of another kind switches the column to `cells`. */
export type ColumnStore =
  | { kind: 'empty' }
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array }
  | { kind: 'datetime'; epochMs: Float64Array; subMsTicks: Uint16Array; nulls: Uint8Array }
  | { kind: 'bool'; values: Uint8Array }
  | { kind: 'text'; dictionary: string[]; positions: Map<string, number>; indexes: Uint32Array }
  | { kind: 'json'; values: Array<string | null> }
  | { kind: 'cells'; values: CellValue[] };

export class TableData {
  readonly stores: ColumnStore[];
  /** Rows received so far; chunks arrive in order. */
  loadedRows = 0;

  constructor(
    readonly name: string,
    readonly columns: ResultColumn[],
    readonly rowCount: number,
  ) {
    this.stores = columns.map((): ColumnStore => ({ kind: 'empty' }));
  }

  /** Copies a chunk into the stores. Throws when the chunk does not fit the announced shape. */
  append(chunk: EncodedChunk): void {
    if (chunk.columns.length !== this.columns.length) {
      throw new Error(`Chunk has ${chunk.columns.length} columns but table "${this.name}" has ${this.columns.length}.`);
    }
    if (chunk.rowStart + chunk.rowCount > this.rowCount) {
      throw new Error(`Chunk rows ${chunk.rowStart}-${chunk.rowStart + chunk.rowCount} exceed the ${this.rowCount} rows of table "${this.name}".`);
    }
    chunk.columns.forEach((column, index) => {
      this.stores[index] = appendColumn(this.stores[index], column, chunk.rowStart, chunk.rowCount, this.rowCount);
    });
    this.loadedRows = Math.max(this.loadedRows, chunk.rowStart + chunk.rowCount);
  }

  cell(row: number, column: number): CellValue {
    return storeCell(this.stores[column], row);
  }

  row(row: number): CellValue[] {
    return this.columns.map((_column, index) => this.cell(row, index));
  }
}

export function storeCell(store: ColumnStore | undefined, row: number): CellValue {
  if (!store) {
    return null;
  }
  switch (store.kind) {
    case 'empty':
      return null;
    case 'number':
      return store.nulls[row] ? null : store.values[row];
    case 'datetime':
      return store.nulls[row] ? null : dateTime(store.epochMs[row], store.subMsTicks[row]);
    case 'bool':
      return store.values[row] === 2 ? null : store.values[row] === 1;
    case 'text': {
      const index = store.indexes[row];
      return index === 0 ? null : store.dictionary[index - 1];
    }
    case 'json': {
      const text = store.values[row];
      return text === null || text === undefined ? null : { kind: 'dynamic', value: JSON.parse(text) as unknown };
    }
    case 'cells':
      return store.values[row] ?? null;
  }
}

function allocate(column: EncodedColumn, rowCount: number): ColumnStore {
  switch (column.kind) {
    case 'number':
      return { kind: 'number', values: new Float64Array(rowCount), nulls: new Uint8Array(rowCount) };
    case 'datetime':
      return { kind: 'datetime', epochMs: new Float64Array(rowCount), subMsTicks: new Uint16Array(rowCount), nulls: new Uint8Array(rowCount) };
    case 'bool':
      return { kind: 'bool', values: new Uint8Array(rowCount).fill(2) };
    case 'text':
      return { kind: 'text', dictionary: [], positions: new Map(), indexes: new Uint32Array(rowCount) };
    case 'json':
      return { kind: 'json', values: new Array<string | null>(rowCount).fill(null) };
    case 'cells':
      return { kind: 'cells', values: new Array<CellValue>(rowCount).fill(null) };
  }
}

/** Converts a store to per-cell values, used when chunks of one column disagree on their kind. */
function toCells(store: ColumnStore, filledRows: number, rowCount: number): ColumnStore {
  const values = new Array<CellValue>(rowCount).fill(null);
  for (let row = 0; row < filledRows; row++) {
    values[row] = storeCell(store, row);
  }
  return { kind: 'cells', values };
}

function appendColumn(current: ColumnStore, column: EncodedColumn, rowStart: number, count: number, rowCount: number): ColumnStore {
  let store = current.kind === 'empty' ? allocate(column, rowCount) : current;
  if (store.kind !== column.kind) {
    store = store.kind === 'cells' ? store : toCells(store, rowStart, rowCount);
  }
  if (store.kind === 'number' && column.kind === 'number') {
    store.values.set(column.values, rowStart);
    store.nulls.set(column.nulls, rowStart);
  } else if (store.kind === 'datetime' && column.kind === 'datetime') {
    store.epochMs.set(column.epochMs, rowStart);
    store.subMsTicks.set(column.subMsTicks, rowStart);
    store.nulls.set(column.nulls, rowStart);
  } else if (store.kind === 'bool' && column.kind === 'bool') {
    store.values.set(column.values, rowStart);
  } else if (store.kind === 'text' && column.kind === 'text') {
    appendText(store, column, rowStart, count);
  } else if (store.kind === 'json' && column.kind === 'json') {
    for (let row = 0; row < count; row++) {
      store.values[rowStart + row] = column.values[row] ?? null;
    }
  } else if (store.kind === 'cells') {
    // Chunk columns and stores share field names, so a chunk column reads like a store.
    for (let row = 0; row < count; row++) {
      store.values[rowStart + row] = storeCell(column as ColumnStore, row);
    }
  }
  return store;
}

/** Maps the chunk's dictionary onto the table-wide one, then copies the indexes. */
function appendText(store: Extract<ColumnStore, { kind: 'text' }>, column: Extract<EncodedColumn, { kind: 'text' }>, rowStart: number, count: number): void {
  const mapping = new Uint32Array(column.dictionary.length + 1);
  column.dictionary.forEach((text, index) => {
    let position = store.positions.get(text);
    if (position === undefined) {
      position = store.dictionary.length;
      store.dictionary.push(text);
      store.positions.set(text, position);
    }
    mapping[index + 1] = position + 1;
  });
  for (let row = 0; row < count; row++) {
    store.indexes[rowStart + row] = mapping[column.indexes[row]];
  }
}
