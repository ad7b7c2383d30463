/**
 * Type-aware sorting of a table's rows, returning row indexes so the data
 * never moves. Nulls sort after every value in both directions, and ties keep
 * the original row order.
 */
import { storeCell, type ColumnStore, type TableData } from './tableData';
import { cellText } from './format';

export type SortDirection = 'ascending' | 'descending';

export interface SortSpec {
  column: number;
  direction: SortDirection;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/** Returns the row order for `rows` (all rows when omitted) sorted by one column. */
export function sortRows(table: TableData, spec: SortSpec, rows?: Uint32Array): Uint32Array {
  const order = rows ? Uint32Array.from(rows) : identity(table.loadedRows);
  const store = table.stores[spec.column];
  if (!store) {
    throw new Error(`Cannot sort by column ${spec.column}: table "${table.name}" has ${table.columns.length} columns.`);
  }
  const { keys, nulls } = sortKeys(store, table.loadedRows);
  const sign = spec.direction === 'ascending' ? 1 : -1;
  const sorted = Array.from(order).sort((a, b) => {
    const nullA = nulls[a];
    const nullB = nulls[b];
    if (nullA !== nullB) {
      return nullA - nullB;
    }
    const difference = nullA ? 0 : keys[a] - keys[b];
    return difference !== 0 ? sign * difference : a - b;
  });
  return Uint32Array.from(sorted);
}

export function identity(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index++) {
    order[index] = index;
  }
  return order;
}

/**
 * Computes one numeric key per row so the comparator never formats text.
 * Text and dynamic columns rank their distinct values once with a collator.
 */
function sortKeys(store: ColumnStore, rowCount: number): { keys: Float64Array; nulls: Uint8Array } {
  const nulls = new Uint8Array(rowCount);
  switch (store.kind) {
    case 'number':
      return { keys: store.values, nulls: store.nulls };
    case 'datetime': {
      // Milliseconds fit 2^53 with room for four more digits of ticks at today's dates.
      const keys = new Float64Array(rowCount);
      for (let row = 0; row < rowCount; row++) {
        keys[row] = store.epochMs[row] * 10_000 + store.subMsTicks[row];
      }
      return { keys, nulls: store.nulls };
    }
    case 'bool': {
      const keys = new Float64Array(rowCount);
      for (let row = 0; row < rowCount; row++) {
        keys[row] = store.values[row];
        nulls[row] = store.values[row] === 2 ? 1 : 0;
      }
      return { keys, nulls };
    }
    case 'text': {
      const ranks = rankTexts(store.dictionary);
      const keys = new Float64Array(rowCount);
      for (let row = 0; row < rowCount; row++) {
        const index = store.indexes[row];
        nulls[row] = index === 0 ? 1 : 0;
        keys[row] = index === 0 ? 0 : ranks[index - 1];
      }
      return { keys, nulls };
    }
    default:
      return genericKeys(store, rowCount);
  }
}

/** Ranks strings by the collator; equal strings share a rank. */
function rankTexts(texts: readonly string[]): Float64Array {
  const order = texts.map((_text, index) => index).sort((a, b) => collator.compare(texts[a], texts[b]));
  const ranks = new Float64Array(texts.length);
  let rank = 0;
  order.forEach((index, position) => {
    if (position > 0 && collator.compare(texts[order[position - 1]], texts[index]) !== 0) {
      rank++;
    }
    ranks[index] = rank;
  });
  return ranks;
}

/** Keys for dynamic and mixed columns: numbers by value first, then everything else by its text. */
function genericKeys(store: ColumnStore, rowCount: number): { keys: Float64Array; nulls: Uint8Array } {
  const nulls = new Uint8Array(rowCount);
  const numbers: Array<[number, number]> = [];
  const texts: string[] = [];
  const textRows: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    const cell = storeCell(store, row);
    const value = typeof cell === 'object' && cell !== null && cell.kind === 'dynamic' ? cell.value : cell;
    if (value === null || value === undefined) {
      nulls[row] = 1;
    } else if (typeof value === 'number') {
      numbers.push([row, value]);
    } else {
      texts.push(typeof value === 'string' ? value : cellText(cell));
      textRows.push(row);
    }
  }
  const keys = new Float64Array(rowCount);
  numbers.sort((a, b) => a[1] - b[1]).forEach(([row], position) => {
    keys[row] = position > 0 && numbers[position - 1][1] === numbers[position][1] ? keys[numbers[position - 1][0]] : position;
  });
  const ranks = rankTexts(texts);
  textRows.forEach((row, index) => {
    keys[row] = numbers.length + ranks[index];
  });
  return { keys, nulls };
}
