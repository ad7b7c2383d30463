/**
 * Text filtering: a case-insensitive substring match on the canonical cell
 * text (see cellText), over all columns and per column. Null cells match no
 * filter text. Text, number and dynamic columns test each distinct value
 * once, and datetime columns compare digits without building their text.
 */
import { DateTimeMatcher } from './dateTimeMatch';
import { cellText } from './format';
import type { ColumnStore, TableData } from './tableData';

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
    const matches = new Uint8Array(rowCount);
    markMatches(table.stores[column], text.toLowerCase(), rowCount, matches);
    keep = and(keep, matches);
  }
  if (filter.all !== '') {
    const any = new Uint8Array(rowCount);
    const needle = filter.all.toLowerCase();
    for (const store of table.stores) {
      markMatches(store, needle, rowCount, any);
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

/**
 * Sets `marks[row]` to 1 for each row whose cell in `store` contains `needle`
 * (already lower-cased). Rows already marked are skipped, so the all-column
 * filter tests each row only until one column matches.
 */
function markMatches(store: ColumnStore, needle: string, rowCount: number, marks: Uint8Array): void {
  switch (store.kind) {
    case 'empty':
      return;
    case 'text': {
      const hits = Uint8Array.from(store.dictionary, (text) => (text.toLowerCase().includes(needle) ? 1 : 0));
      for (let row = 0; row < rowCount; row++) {
        const index = store.indexes[row];
        if (index !== 0 && hits[index - 1]) {
          marks[row] = 1;
        }
      }
      return;
    }
    case 'number':
      markNumbers(store, needle, rowCount, marks);
      return;
    case 'bool': {
      const falseMatches = 'false'.includes(needle);
      const trueMatches = 'true'.includes(needle);
      for (let row = 0; row < rowCount; row++) {
        const value = store.values[row];
        if ((value === 1 && trueMatches) || (value === 0 && falseMatches)) {
          marks[row] = 1;
        }
      }
      return;
    }
    case 'json':
      markJson(store, needle, rowCount, marks);
      return;
    case 'datetime':
      markDateTimes(store, needle, rowCount, marks);
      return;
    case 'cells':
      for (let row = 0; row < rowCount; row++) {
        const cell = store.values[row] ?? null;
        if (!marks[row] && cell !== null && cellText(cell).toLowerCase().includes(needle)) {
          marks[row] = 1;
        }
      }
      return;
  }
}

/** Matches each distinct number once. Its text is String(value), as cellText writes it. */
function markNumbers(store: Extract<ColumnStore, { kind: 'number' }>, needle: string, rowCount: number, marks: Uint8Array): void {
  const known = new Map<number, boolean>();
  for (let row = 0; row < rowCount; row++) {
    if (marks[row] || store.nulls[row]) {
      continue;
    }
    const value = store.values[row];
    let hit = known.get(value);
    if (hit === undefined) {
      hit = String(value).toLowerCase().includes(needle);
      known.set(value, hit);
    }
    if (hit) {
      marks[row] = 1;
    }
  }
}

/** Matches each distinct JSON text once. The stored text is JSON.stringify of the value, which is its cellText. */
function markJson(store: Extract<ColumnStore, { kind: 'json' }>, needle: string, rowCount: number, marks: Uint8Array): void {
  const known = new Map<string, boolean>();
  for (let row = 0; row < rowCount; row++) {
    const text = store.values[row];
    if (marks[row] || text === null || text === undefined) {
      continue;
    }
    let hit = known.get(text);
    if (hit === undefined) {
      hit = text.toLowerCase().includes(needle);
      known.set(text, hit);
    }
    if (hit) {
      marks[row] = 1;
    }
  }
}

function markDateTimes(store: Extract<ColumnStore, { kind: 'datetime' }>, needle: string, rowCount: number, marks: Uint8Array): void {
  const matcher = new DateTimeMatcher(needle);
  if (matcher.neverMatches) {
    return;
  }
  for (let row = 0; row < rowCount; row++) {
    if (!marks[row] && !store.nulls[row] && matcher.matches(store.epochMs[row], store.subMsTicks[row])) {
      marks[row] = 1;
    }
  }
}
