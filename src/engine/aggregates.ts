/**
 * Aggregation functions for summarize. An aggregator takes rows one at a
 * time with the group they belong to, then produces one or more columns with
 * a value per group. State is kept in arrays indexed by group.
 */
import type { ColumnSchema } from '../schema/tables';
import { buildColumn, columnReader as compileColumnReader, isNumberType, type Column } from './columns';
import type { Scope } from './context';
import { compareValues } from './operators';
import { evaluateAtRows } from './columnBuild';
import { compileRowExpression, type Compiled, type RowFunction } from './scalar';
import { argumentsOf, fullText, kindOf, nameOf, requireChild, type Node } from './syntax';
import { valueToDynamic, type Value } from './values';
import { scratch } from './scratch';

export interface Aggregator {
  /** Number of output columns, or -1 for arg_min(x, *) and arg_max(x, *), whose width the caller sets from the binder's schema. */
  width: number;
  add(group: number, row: number): void;
  /**
   * Adds rows `start` to `end - 1` (at most BLOCK_ROWS of them), where row r
   * belongs to group `groupOf[r]` and no group reaches `groupCount`. The
   * common aggregates have this loop of their own, which keeps the call per
   * row inside one function that the compiler can specialize.
   */
  addRange?(groupOf: Int32Array, start: number, end: number, groupCount: number): void;
  finish(groupCount: number, schemas: readonly ColumnSchema[]): Column[];
}

/** Rows that summarize hands to addRange at a time, and the length of a condition's mask. */
export const BLOCK_ROWS = 4096;

/**
 * The condition of an aggregate such as countif or maxif, tested once per
 * block of rows into a mask of 1 (true) and 0 (false or null).
 */
export class Condition {
  private readonly mask = new Uint8Array(BLOCK_ROWS);
  private start = -1;
  private end = -1;

  constructor(readonly fn: RowFunction) {}

  /** Returns a mask whose entry `row - start` is 1 where the condition is true, for rows start to end - 1. */
  over(start: number, end: number): Uint8Array {
    if (start !== this.start || end !== this.end) {
      const { fn, mask } = this;
      for (let row = start; row < end; row++) {
        mask[row - start] = fn(row) === true ? 1 : 0;
      }
      this.start = start;
      this.end = end;
    }
    return this.mask;
  }
}

/**
 * The conditions of one summarize's aggregates. A condition that reads one
 * dictionary column and nothing else is shared by every aggregate that
 * spells it the same way, so `ResultType == "0"` in dcountif and maxif is
 * tested once per row.
 */
export class Conditions {
  private readonly shared = new Map<string, Condition>();

  constructor(private readonly scope: Scope) {}

  of(node: Node): Condition {
    const compiled = compileRowExpression(node, this.scope);
    if (!compiled.source) {
      return new Condition(compiled.fn);
    }
    const key = fullText(node);
    let condition = this.shared.get(key);
    if (!condition) {
      condition = new Condition(compiled.fn);
      this.shared.set(key, condition);
    }
    return condition;
  }
}

/** Default element limit of make_set, make_list and make_bag. */
const MAX_SET_SIZE = 1_048_576;

export function createAggregator(call: Node, scope: Scope, conditions = new Conditions(scope)): Aggregator {
  if (kindOf(call) !== 'FunctionCallExpression') {
    throw scope.run.unsupported(call, 'An aggregate that is not a function call');
  }
  const name = nameOf(requireChild(call, 'Name')).toLowerCase();
  const argumentNodes = argumentsOf(call);
  const compile = (index: number): Compiled => compileRowExpression(argumentNodes[index], scope);
  const condition = (index: number): Condition => conditions.of(argumentNodes[index]);
  const constantArgument = (index: number, fallback: number): number =>
    argumentNodes[index] ? Number(compileRowExpression(argumentNodes[index], { ...scope, table: undefined }).fn(0)) : fallback;
  switch (name) {
    case 'count':
      return counter(undefined);
    case 'countif':
      return counter(condition(0));
    case 'dcount':
      return distinctCounter(compile(0), undefined, scope);
    case 'dcountif':
      return distinctCounter(compile(0), condition(1), scope);
    case 'sum':
      return summer(compile(0), undefined, false);
    case 'sumif':
      return summer(compile(0), condition(1), false);
    case 'avg':
      return summer(compile(0), undefined, true);
    case 'avgif':
      return summer(compile(0), condition(1), true);
    case 'min':
      return extreme(compile(0), undefined, -1, scope);
    case 'max':
      return extreme(compile(0), undefined, 1, scope);
    case 'minif':
      return extreme(compile(0), condition(1), -1, scope);
    case 'maxif':
      return extreme(compile(0), condition(1), 1, scope);
    case 'take_any':
    case 'any':
      return takeAny(compile(0), scope);
    case 'make_set':
      return collector(compile(0), undefined, constantArgument(1, MAX_SET_SIZE), true);
    case 'make_set_if':
      return collector(compile(0), condition(1).fn, constantArgument(2, MAX_SET_SIZE), true);
    case 'make_list':
      return collector(compile(0), undefined, constantArgument(1, MAX_SET_SIZE), false);
    case 'make_list_if':
      return collector(compile(0), condition(1).fn, constantArgument(2, MAX_SET_SIZE), false);
    case 'make_bag':
      return bagMaker(compile(0), constantArgument(1, MAX_SET_SIZE));
    case 'arg_min':
    case 'arg_max':
      return argExtreme(call, argumentNodes, scope, name === 'arg_max' ? 1 : -1);
    default:
      throw scope.run.unsupported(call, `The aggregation ${name}()`);
  }
}

function counter(condition: Condition | undefined): Aggregator {
  let counts: Float64Array = new Float64Array(16);
  const predicate = condition?.fn;
  return {
    width: 1,
    add(group, row) {
      if (group >= counts.length) {
        counts = growNumbers(counts, group);
      }
      if (!predicate || predicate(row) === true) {
        counts[group] += 1;
      }
    },
    addRange(groupOf, start, end, groupCount) {
      if (groupCount > counts.length) {
        counts = growNumbers(counts, groupCount - 1);
      }
      const mask = condition?.over(start, end);
      for (let row = start; row < end; row++) {
        if (!mask || mask[row - start] === 1) {
          counts[groupOf[row]] += 1;
        }
      }
    },
    finish: (groupCount) => [{ kind: 'number', values: sized(counts, groupCount) }],
  };
}

// NOTE: dcount here is exact, while Kusto's dcount is an estimate, so large
// counts can differ slightly from a workspace's.
function distinctCounter(value: Compiled, condition: Condition | undefined, scope: Scope): Aggregator {
  const table = scope.table;
  const column = table && value.column ? table.column(table.columnIndex(value.column)) : undefined;
  if (column?.kind === 'dictionary') {
    return distinctCodeCounter(column.codes, column.dictionary, condition);
  }
  const predicate = condition?.fn;
  const sets: Set<unknown>[] = [];
  return {
    width: 1,
    add(group, row) {
      if (predicate && predicate(row) !== true) {
        return;
      }
      const item = value.fn(row);
      const set = (sets[group] ??= new Set());
      if (item !== null) {
        set.add(typeof item === 'object' ? JSON.stringify(item) : item);
      }
    },
    finish: (groupCount) => [{ kind: 'number', values: Float64Array.from({ length: groupCount }, (_, group) => sets[group]?.size ?? 0) }],
  };
}

/**
 * dcount of a dictionary-encoded column. add() records each counted row's
 * group and code. finish() orders the codes by group and counts, for each
 * group, the codes not yet stamped with that group, so nothing is hashed and
 * memory grows linearly with the rows. Null guids are not counted.
 */
function distinctCodeCounter(codes: Int32Array, dictionary: readonly (string | null)[], condition: Condition | undefined): Aggregator {
  const nullCode = dictionary.indexOf(null);
  const predicate = condition?.fn;
  let groups: Int32Array = new Int32Array(1024);
  let pickedCodes: Int32Array = new Int32Array(1024);
  let length = 0;
  return {
    width: 1,
    addRange(groupOf, start, end) {
      if (length + (end - start) > groups.length) {
        groups = growScratch(groups, length, length + (end - start));
        pickedCodes = growScratch(pickedCodes, length, length + (end - start));
      }
      const mask = condition?.over(start, end);
      for (let row = start; row < end; row++) {
        if (mask && mask[row - start] === 0) {
          continue;
        }
        const code = codes[row];
        if (code !== nullCode) {
          groups[length] = groupOf[row];
          pickedCodes[length] = code;
          length++;
        }
      }
    },
    add(group, row) {
      if (predicate && predicate(row) !== true) {
        return;
      }
      const code = codes[row];
      if (code === nullCode) {
        return;
      }
      if (length === groups.length) {
        groups = growRows(groups, length);
        pickedCodes = growRows(pickedCodes, length);
      }
      groups[length] = group;
      pickedCodes[length] = code;
      length++;
    },
    finish: (groupCount) => [{ kind: 'number', values: countDistinctByGroup(groups, pickedCodes, length, groupCount, dictionary.length) }],
  };
}

/** Counts distinct codes per group over the first `length` (group, code) pairs. */
function countDistinctByGroup(groups: Int32Array, codes: Int32Array, length: number, groupCount: number, cardinality: number): Float64Array {
  // Counting sort of the codes by group.
  const starts = scratch.int32(groupCount + 1);
  for (let i = 0; i < length; i++) {
    starts[groups[i] + 1]++;
  }
  for (let group = 0; group < groupCount; group++) {
    starts[group + 1] += starts[group];
  }
  const next = starts.slice(0, groupCount);
  const ordered = scratch.int32(length);
  for (let i = 0; i < length; i++) {
    ordered[next[groups[i]]++] = codes[i];
  }
  const counts = new Float64Array(groupCount);
  // stamp[code] is 1 + the last group that counted the code.
  const stamp = scratch.int32(cardinality);
  for (let group = 0; group < groupCount; group++) {
    let count = 0;
    for (let i = starts[group]; i < starts[group + 1]; i++) {
      const code = ordered[i];
      if (stamp[code] !== group + 1) {
        stamp[code] = group + 1;
        count++;
      }
    }
    counts[group] = count;
  }
  return counts;
}

function summer(value: Compiled, condition: Condition | undefined, average: boolean): Aggregator {
  let sums: Float64Array = new Float64Array(16);
  let counts: Float64Array = new Float64Array(16);
  const predicate = condition?.fn;
  return {
    width: 1,
    add(group, row) {
      if (group >= sums.length) {
        sums = growNumbers(sums, group);
        counts = growNumbers(counts, group);
      }
      if (predicate && predicate(row) !== true) {
        return;
      }
      const item = value.fn(row);
      if (typeof item === 'number') {
        sums[group] += item;
        counts[group] += 1;
      }
    },
    finish: (groupCount) => {
      const values = new Float64Array(groupCount);
      for (let group = 0; group < groupCount; group++) {
        if (counts[group] === 0) {
          values[group] = NaN;
        } else {
          values[group] = average ? sums[group] / counts[group] : sums[group];
        }
      }
      return [{ kind: 'number', values }];
    },
  };
}

function extreme(value: Compiled, condition: Condition | undefined, direction: number, scope: Scope): Aggregator {
  if (isNumberType(value.type)) {
    return numericExtreme(value, condition, direction, scope);
  }
  const predicate = condition?.fn;
  const best: Value[] = [];
  return {
    width: 1,
    add(group, row) {
      if (predicate && predicate(row) !== true) {
        return;
      }
      const item = value.fn(row);
      if (item === null || item === '') {
        return;
      }
      const current = best[group];
      if (current === undefined || current === null || compareValues(item, current) * direction > 0) {
        best[group] = item;
      }
    },
    finish: (groupCount, schemas) => [buildColumn(schemas[0].type, groupCount, (group) => best[group] ?? null)],
  };
}

/**
 * min and max of numbers, datetimes and timespans, kept in a Float64Array
 * with NaN for no value yet. A bare number column is read from its
 * Float64Array, which skips boxing each datetime into a heap number.
 */
function numericExtreme(value: Compiled, condition: Condition | undefined, direction: number, scope: Scope): Aggregator {
  let best: Float64Array = new Float64Array(16).fill(NaN);
  const table = scope.table;
  const column = table && value.column ? table.column(table.columnIndex(value.column)) : undefined;
  const values = column?.kind === 'number' ? column.values : undefined;
  const fn = value.fn;
  const predicate = condition?.fn;
  return {
    width: 1,
    addRange: values
      ? (groupOf, start, end, groupCount) => {
          if (groupCount > best.length) {
            const grown = new Float64Array(groupCount).fill(NaN);
            grown.set(best);
            best = grown;
          }
          const mask = condition?.over(start, end);
          for (let row = start; row < end; row++) {
            if (mask && mask[row - start] === 0) {
              continue;
            }
            // NaN, the column's null, fails both comparisons and leaves best unchanged.
            const item = values[row];
            const group = groupOf[row];
            const current = best[group];
            if (current !== current || (direction > 0 ? item > current : item < current)) {
              best[group] = item;
            }
          }
        }
      : undefined,
    add(group, row) {
      if (group >= best.length) {
        const grown = new Float64Array(Math.max(best.length * 2, group + 1)).fill(NaN);
        grown.set(best);
        best = grown;
      }
      if (predicate && predicate(row) !== true) {
        return;
      }
      let item: number;
      if (values) {
        // NaN, the column's null, leaves best unchanged below.
        item = values[row];
      } else {
        const read = fn(row);
        if (typeof read !== 'number') {
          return;
        }
        item = read;
      }
      const current = best[group];
      if (current !== current || (direction > 0 ? item > current : item < current)) {
        best[group] = item;
      }
    },
    finish: (groupCount) => {
      const result = new Float64Array(groupCount).fill(NaN);
      result.set(best.subarray(0, Math.min(groupCount, best.length)));
      return [{ kind: 'number', values: result }];
    },
  };
}

/**
 * take_any: the first non-empty value of each group in row order, or the
 * last value when all are empty. The chosen row is kept, and the column is
 * built from those rows at the end.
 */
function takeAny(value: Compiled, scope: Scope): Aggregator {
  if (value.deps === null) {
    return takeAnyValue(value);
  }
  let chosenRow: Int32Array = new Int32Array(16).fill(-1);
  let found: Uint8Array = new Uint8Array(16);
  const fn = value.fn;
  return {
    width: 1,
    add(group, row) {
      if (group >= chosenRow.length) {
        chosenRow = growRows(chosenRow, group);
        found = growFlags(found, group);
      }
      if (found[group] === 1) {
        return;
      }
      const item = fn(row);
      chosenRow[group] = row;
      if (item !== null && item !== '') {
        found[group] = 1;
      }
    },
    finish: (groupCount, schemas) => [evaluateAtRows(value, schemas[0].type, scope.table, sizedRows(chosenRow, groupCount))],
  };
}

/** take_any of a value that depends on row order (row_window_session…), which must not be evaluated again out of order. */
function takeAnyValue(value: Compiled): Aggregator {
  const chosen: Value[] = [];
  return {
    width: 1,
    add(group, row) {
      const current = chosen[group];
      if (current !== undefined && current !== null && current !== '') {
        return;
      }
      chosen[group] = value.fn(row);
    },
    finish: (groupCount, schemas) => [buildColumn(schemas[0].type, groupCount, (group) => chosen[group] ?? null)],
  };
}

function collector(value: Compiled, predicate: RowFunction | undefined, limit: number, distinct: boolean): Aggregator {
  const lists: unknown[][] = [];
  const seen: Set<unknown>[] = [];
  return {
    width: 1,
    add(group, row) {
      const list = (lists[group] ??= []);
      if ((predicate && predicate(row) !== true) || list.length >= limit) {
        return;
      }
      const item = value.fn(row);
      if (item === null) {
        return;
      }
      const element = value.type === 'dynamic' ? item : valueToDynamic(item, value.type);
      if (distinct) {
        const key = typeof element === 'object' ? JSON.stringify(element) : element;
        const set = (seen[group] ??= new Set());
        if (set.has(key)) {
          return;
        }
        set.add(key);
      }
      list.push(element);
    },
    finish: (groupCount) => [{ kind: 'dynamic', values: Array.from({ length: groupCount }, (_, group) => lists[group] ?? []) }],
  };
}

function bagMaker(value: Compiled, limit: number): Aggregator {
  const bags: Record<string, unknown>[] = [];
  return {
    width: 1,
    add(group, row) {
      const bag = (bags[group] ??= {});
      const item = value.fn(row);
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        return;
      }
      for (const [key, element] of Object.entries(item)) {
        if (Object.keys(bag).length >= limit && !(key in bag)) {
          break;
        }
        bag[key] = element;
      }
    },
    finish: (groupCount) => [{ kind: 'dynamic', values: Array.from({ length: groupCount }, (_, group) => bags[group] ?? {}) }],
  };
}

/**
 * arg_min/arg_max(expr, col…|*): the row with the smallest or largest expr
 * per group; the other columns are read from that row. Rows where expr is
 * null are skipped.
 */
function argExtreme(call: Node, argumentNodes: readonly Node[], scope: Scope, direction: number): Aggregator {
  const key = compileRowExpression(argumentNodes[0], scope);
  const star = argumentNodes.slice(1).some((argument) => kindOf(argument) === 'StarExpression');
  const extras = star ? [] : argumentNodes.slice(1).map((argument) => compileRowExpression(argument, scope));
  const bestRow: number[] = [];
  const bestValue: Value[] = [];
  const table = scope.table;
  return {
    width: star ? -1 : 1 + extras.length,
    add(group, row) {
      const item = key.fn(row);
      if (item === null) {
        bestRow[group] ??= -1;
        return;
      }
      const current = bestValue[group];
      if (current === undefined || current === null || compareValues(item, current) * direction > 0) {
        bestValue[group] = item;
        bestRow[group] = row;
      }
    },
    finish(groupCount, schemas) {
      const rows = Int32Array.from({ length: groupCount }, (_, group) => bestRow[group] ?? -1);
      const sources: Compiled[] = star
        ? schemas.map((schema, index) => (index === 0 ? key : starColumn(schema.name, call, scope)))
        : [key, ...extras];
      return schemas.map((schema, index) => evaluateAtRows(sources[index], schema.type, table, rows));
    },
  };
  function starColumn(name: string, node: Node, inner: Scope): Compiled {
    const index = table ? findColumn(table.columns, name) : -1;
    if (!table || index < 0) {
      throw inner.run.error('runtime', node, `arg_min/arg_max could not find the input column for ${name}.`);
    }
    const column = table.columns[index];
    return { fn: compileColumnReader(table.column(index)), type: column.type, deps: new Set([column.name]), column: column.name };
  }
}

/** Finds a column by name, or by the name without the numeric suffix the binder adds to duplicates. */
function findColumn(columns: readonly ColumnSchema[], name: string): number {
  const exact = columns.findIndex((column) => column.name === name);
  return exact >= 0 ? exact : columns.findIndex((column) => column.name === name.replace(/\d+$/, ''));
}

function growNumbers(values: Float64Array, index: number): Float64Array {
  const grown = new Float64Array(Math.max(values.length * 2, index + 1));
  grown.set(values);
  return grown;
}

/** Returns an array of at least `needed` elements from the run's scratch buffers, holding the first `length` of `array`. */
function growScratch(array: Int32Array, length: number, needed: number): Int32Array {
  const grown = scratch.int32(Math.max(array.length * 2, needed));
  grown.set(array.subarray(0, length));
  return grown;
}

function growRows(rows: Int32Array, index: number): Int32Array {
  const grown = new Int32Array(Math.max(rows.length * 2, index + 1)).fill(-1);
  grown.set(rows);
  return grown;
}

function growFlags(flags: Uint8Array, index: number): Uint8Array {
  const grown = new Uint8Array(Math.max(flags.length * 2, index + 1));
  grown.set(flags);
  return grown;
}

/** Returns the first `count` rows, -1 (no row) past the end of `rows`. */
function sizedRows(rows: Int32Array, count: number): Int32Array {
  return rows.length >= count ? rows.slice(0, count) : growRows(rows, count - 1).slice(0, count);
}

function sized(values: Float64Array, count: number): Float64Array {
  return values.length >= count ? values.slice(0, count) : growNumbers(values, count - 1).slice(0, count);
}
