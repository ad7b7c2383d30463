/**
 * summarize and distinct. Rows are assigned dense group ids key by key: each
 * key becomes an integer code per row (dictionary codes for string columns,
 * a value map otherwise), and the codes of several keys are combined pairwise.
 */
import { evaluateAtRows } from './columnBuild';
import { columnReader, ColumnarTable, type Column } from './columns';
import { RunState, type Scope } from './context';
import { BLOCK_ROWS, Conditions, createAggregator, type Aggregator } from './aggregates';
import { compileRowExpression, type Compiled } from './scalar';
import { childOf, elementsOf, kindOf, tableColumnsOf, type Node } from './syntax';
import { namedExpression } from './tabular';
import { scratch } from './scratch';

interface Groups {
  readonly groupOf: Int32Array;
  readonly groupCount: number;
  /** The first row of each group, where key values are read. */
  readonly firstRow: Int32Array;
}

const NULL_KEY = Symbol('null');

/** Returns an integer code per row for one key, and an upper bound of the codes. */
function keyCodes(key: Compiled, table: ColumnarTable, run: RunState): { codes: Int32Array; cardinality: number } {
  if (key.column) {
    const column = table.column(table.columnIndex(key.column));
    if (column.kind === 'dictionary') {
      return { codes: column.codes, cardinality: column.dictionary.length };
    }
  }
  const codes = scratch.int32(table.rowCount);
  const codeOf = new Map<unknown, number>();
  const fn = key.fn;
  const keyCodeOf = (row: number): number => {
    const value = fn(row);
    const mapKey = value === null ? NULL_KEY : typeof value === 'object' ? JSON.stringify(value) : value;
    let code = codeOf.get(mapKey);
    if (code === undefined) {
      code = codeOf.size;
      codeOf.set(mapKey, code);
    }
    return code;
  };
  if (key.source) {
    // The key depends on one dictionary column only: look up one value per dictionary code.
    const sourceCodes = key.source.codes;
    const codeOfSource = new Int32Array(key.source.cardinality).fill(-1);
    for (let row = 0; row < table.rowCount; row++) {
      const sourceCode = sourceCodes[row];
      let code = codeOfSource[sourceCode];
      if (code < 0) {
        code = codeOfSource[sourceCode] = keyCodeOf(row);
      }
      codes[row] = code;
    }
    return { codes, cardinality: codeOf.size };
  }
  for (let row = 0; row < table.rowCount; row++) {
    if ((row & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      run.checkCancelled();
    }
    codes[row] = keyCodeOf(row);
  }
  return { codes, cardinality: codeOf.size };
}

/**
 * Numbers pairs of non-negative Int32 values densely in order of first
 * appearance: an open-addressing hash table in typed arrays, which unlike a
 * Map of packed numbers allocates nothing per pair.
 */
class PairIds {
  size = 0;
  private firsts = new Int32Array(1024);
  private seconds = new Int32Array(1024);
  private ids = new Int32Array(1024).fill(-1);

  idOf(first: number, second: number): number {
    const mask = this.ids.length - 1;
    let slot = pairHash(first, second) & mask;
    for (;;) {
      const id = this.ids[slot];
      if (id < 0) {
        break;
      }
      if (this.firsts[slot] === first && this.seconds[slot] === second) {
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    this.firsts[slot] = first;
    this.seconds[slot] = second;
    this.ids[slot] = id;
    // Keep the table at most half full, so probe runs stay short.
    if (this.size * 2 > this.ids.length) {
      this.grow();
    }
    return id;
  }

  private grow(): void {
    const { firsts, seconds, ids } = this;
    const capacity = ids.length * 2;
    const mask = capacity - 1;
    this.firsts = new Int32Array(capacity);
    this.seconds = new Int32Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    for (let old = 0; old < ids.length; old++) {
      if (ids[old] < 0) {
        continue;
      }
      let slot = pairHash(firsts[old], seconds[old]) & mask;
      while (this.ids[slot] >= 0) {
        slot = (slot + 1) & mask;
      }
      this.firsts[slot] = firsts[old];
      this.seconds[slot] = seconds[old];
      this.ids[slot] = ids[old];
    }
  }
}

function pairHash(first: number, second: number): number {
  const mixed = Math.imul(first, 0x9e3779b1) ^ Math.imul(second + 0x7f4a7c15, 0x85ebca77);
  return mixed ^ (mixed >>> 15);
}

function assignGroups(keys: readonly Compiled[], table: ColumnarTable, run: RunState): Groups {
  const rowCount = table.rowCount;
  if (keys.length === 0) {
    return { groupOf: new Int32Array(rowCount), groupCount: 1, firstRow: Int32Array.of(rowCount > 0 ? 0 : -1) };
  }
  let combined: Int32Array | undefined;
  let combinedCount = 1;
  for (const key of keys) {
    const { codes, cardinality } = keyCodes(key, table, run);
    const next = scratch.int32(rowCount);
    if (!combined) {
      // Densify, because after a filter some dictionary codes occur in no row.
      const dense = scratch.int32(cardinality).fill(-1);
      let count = 0;
      for (let row = 0; row < rowCount; row++) {
        const code = codes[row];
        let group = dense[code];
        if (group < 0) {
          group = dense[code] = count++;
        }
        next[row] = group;
      }
      combinedCount = count;
    } else {
      const pairs = new PairIds();
      for (let row = 0; row < rowCount; row++) {
        next[row] = pairs.idOf(combined[row], codes[row]);
      }
      combinedCount = pairs.size;
    }
    combined = next;
  }
  const firstRow = new Int32Array(combinedCount).fill(-1);
  for (let row = 0; row < rowCount; row++) {
    const group = combined![row];
    if (firstRow[group] < 0) {
      firstRow[group] = row;
    }
  }
  return { groupOf: combined!, groupCount: combinedCount, firstRow };
}

/** summarize (distinct = false) or distinct (distinct = true, the list items are the keys). */
export function summarize(node: Node, input: ColumnarTable, scope: Scope, distinct: boolean): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const keyItems = distinct ? distinctKeys(node, input) : elementsOf(childOf(childOf(node, 'ByClause') ?? node, 'Expressions'));
  const keyExpressions = keyItems.map((item) => (item === 'all' ? undefined : namedExpression(item).expression));
  const keys = keyExpressions.map((expression, index): Compiled => {
    if (expression) {
      return compileRowExpression(expression, scope);
    }
    const column = input.columns[index];
    return { fn: columnReader(input.column(index)), type: column.type, deps: new Set([column.name]), column: column.name };
  });
  const conditions = new Conditions(scope);
  const aggregates: Aggregator[] = distinct
    ? []
    : elementsOf(childOf(node, 'Aggregates')).map((item) => createAggregator(namedExpression(item).expression, scope, conditions));

  const groups = assignGroups(keys, input, scope.run);
  const { groupOf, groupCount, firstRow } = groups;
  const rowCount = input.rowCount;
  for (let start = 0; start < rowCount; start += BLOCK_ROWS) {
    if ((start & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      scope.run.checkCancelled();
    }
    const end = Math.min(start + BLOCK_ROWS, rowCount);
    for (const aggregator of aggregates) {
      if (aggregator.addRange) {
        aggregator.addRange(groupOf, start, end, groupCount);
      } else {
        for (let row = start; row < end; row++) {
          aggregator.add(groupOf[row], row);
        }
      }
    }
  }

  const outputGroups = keys.length > 0 && input.rowCount === 0 ? 0 : groupCount;
  const keyRows = firstRow.subarray(0, outputGroups);
  const data: Column[] = keys.map((key, index) => evaluateAtRows(key, schema[index].type, input, keyRows));
  let offset = keys.length;
  const fixedWidth = aggregates.reduce((sum, aggregator) => sum + Math.max(aggregator.width, 0), 0);
  for (const aggregator of aggregates) {
    const width = aggregator.width >= 0 ? aggregator.width : schema.length - keys.length - fixedWidth;
    data.push(...aggregator.finish(outputGroups, schema.slice(offset, offset + width)));
    offset += width;
  }
  if (offset !== schema.length) {
    throw scope.run.error('runtime', node, `summarize made ${offset} columns where the binder expects ${schema.length}. Report this query as a Hunt Lens bug.`);
  }
  return new ColumnarTable(input.name, schema, data, outputGroups);
}

/** Returns the keys of distinct: its expressions, or every column for `distinct *`. */
function distinctKeys(node: Node, input: ColumnarTable): (Node | 'all')[] {
  const items = elementsOf(childOf(node, 'Expressions'));
  if (items.length === 1 && kindOf(items[0]) === 'StarExpression') {
    return input.columns.map(() => 'all');
  }
  return items;
}
