/**
 * Text filtering: a case-insensitive substring match on the canonical cell
 * text (see cellText), over all columns and per column. Null cells match no
 * filter text. Text columns test each distinct string once.
 */
import { cellText, isDateTimeCell } from './format';
import { storeCell, type ColumnStore, type TableData } from './tableData';

export interface FilterSpec {
  /** Text to find in any column; empty matches every row. */
  all: string;
  /** Text to find per column index; empty entries are ignored. */
  columns: Record<number, string>;
}

export const NO_FILTER: FilterSpec = { all: '', columns: {} };

export function isFilterEmpty(filter: FilterSpec): boolean {
  return filter.all === '' && Object.values(filter.columns).every((text) => text === '');
}

/** Returns the rows of `order` that match the filter, in the same order. */
export function filterRows(table: TableData, filter: FilterSpec, order: Uint32Array): Uint32Array {
  if (isFilterEmpty(filter)) {
    return order;
  }
  const rowCount = table.loadedRows;
  let keep: Uint8Array = new Uint8Array(rowCount).fill(1);

  for (const [key, text] of Object.entries(filter.columns)) {
    const column = Number(key);
    if (text === '' || !table.stores[column]) {
      continue;
    }
    keep = and(keep, matchColumn(table.stores[column], text.toLowerCase(), rowCount));
  }
  if (filter.all !== '') {
    const any = new Uint8Array(rowCount);
    const needle = filter.all.toLowerCase();
    for (const store of table.stores) {
      const matches = matchColumn(store, needle, rowCount);
      for (let row = 0; row < rowCount; row++) {
        any[row] |= matches[row];
      }
    }
    keep = and(keep, any);
  }

  const result: number[] = [];
  for (const row of order) {
    if (keep[row]) {
      result.push(row);
    }
  }
  return Uint32Array.from(result);
}

function and(left: Uint8Array, right: Uint8Array): Uint8Array {
  for (let index = 0; index < left.length; index++) {
    left[index] &= right[index];
  }
  return left;
}

/** Characters of ISO 8601 datetime text; a needle with any other character cannot match a datetime cell. */
const DATETIME_CHARACTERS = /^[0-9tz:.-]*$/;

/** Marks the rows of one column whose text contains `needle` (already lower-cased). */
function matchColumn(store: ColumnStore, needle: string, rowCount: number): Uint8Array {
  const matches = new Uint8Array(rowCount);
  switch (store.kind) {
    case 'text': {
      const hits = Uint8Array.from(store.dictionary, (text) => (text.toLowerCase().includes(needle) ? 1 : 0));
      for (let row = 0; row < rowCount; row++) {
        const index = store.indexes[row];
        matches[row] = index === 0 ? 0 : hits[index - 1];
      }
      return matches;
    }
    case 'number':
      for (let row = 0; row < rowCount; row++) {
        matches[row] = !store.nulls[row] && String(store.values[row]).includes(needle) ? 1 : 0;
      }
      return matches;
    case 'bool': {
      const falseMatches = 'false'.includes(needle) ? 1 : 0;
      const trueMatches = 'true'.includes(needle) ? 1 : 0;
      for (let row = 0; row < rowCount; row++) {
        const value = store.values[row];
        matches[row] = value === 2 ? 0 : value === 1 ? trueMatches : falseMatches;
      }
      return matches;
    }
    case 'json':
      // The stored text is JSON.stringify of the value, which is the value's cellText.
      for (let row = 0; row < rowCount; row++) {
        const text = store.values[row];
        matches[row] = text !== null && text !== undefined && text.toLowerCase().includes(needle) ? 1 : 0;
      }
      return matches;
    case 'datetime':
      if (!DATETIME_CHARACTERS.test(needle)) {
        return matches;
      }
      break;
    default:
      break;
  }
  for (let row = 0; row < rowCount; row++) {
    const cell = storeCell(store, row);
    if (cell === null) {
      continue;
    }
    const text = isDateTimeCell(cell) ? cell.iso : cellText(cell);
    matches[row] = text.toLowerCase().includes(needle) ? 1 : 0;
  }
  return matches;
}
