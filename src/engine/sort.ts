/**
 * sort/order by and top. Without asc or desc a key sorts descending. Nulls
 * come first in ascending order and last in descending order unless a
 * `nulls first`/`nulls last` clause sets another order, as in Kusto.
 */
import { ColumnarTable, gatherTable } from './columns';
import type { Scope } from './context';
import { compareValues } from './operators';
import { compileRowExpression } from './scalar';
import { childOf, elementsOf, kindOf, requireChild, tokenText, type Node } from './syntax';
import type { Value } from './values';

interface SortKey {
  readonly values: Value[];
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

function sortKey(item: Node, input: ColumnarTable, scope: Scope): SortKey {
  const ordered = kindOf(item) === 'OrderedExpression';
  const expression = ordered ? requireChild(item, 'Expression') : item;
  const ordering = ordered ? childOf(item, 'Ordering') : undefined;
  const direction = ordering ? tokenText(childOf(ordering, 'AscOrDescKeyword')).toLowerCase() : '';
  const descending = direction !== 'asc';
  const nullsClause = ordering ? childOf(ordering, 'NullsClause') : undefined;
  const nulls = nullsClause ? tokenText(childOf(nullsClause, 'FirstOrLastKeyword')).toLowerCase() : '';
  const nullsFirst = nulls ? nulls === 'first' : !descending;
  const fn = compileRowExpression(expression, scope).fn;
  const values = new Array<Value>(input.rowCount);
  for (let row = 0; row < input.rowCount; row++) {
    values[row] = fn(row);
  }
  return { values, descending, nullsFirst };
}

/** Returns the row order of `input` under the given keys; equal rows keep their order. */
function sortedRows(keys: readonly SortKey[], rowCount: number): Int32Array {
  const rows = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    rows[row] = row;
  }
  return rows.sort((a, b) => {
    for (const key of keys) {
      const x = key.values[a];
      const y = key.values[b];
      if (x === y) {
        continue;
      }
      if (x === null || y === null) {
        return (x === null ? -1 : 1) * (key.nullsFirst ? 1 : -1);
      }
      const comparison = compareValues(x, y);
      if (comparison !== 0) {
        return key.descending ? -comparison : comparison;
      }
    }
    return 0;
  });
}

export function sortTable(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const keys = elementsOf(childOf(node, 'Expressions')).map((item) => sortKey(item, input, scope));
  scope.run.checkCancelled();
  return gatherTable(input, sortedRows(keys, input.rowCount));
}

export function topTable(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const count = Number(compileRowExpression(requireChild(node, 'Expression'), { ...scope, table: undefined }).fn(0));
  const key = sortKey(requireChild(node, 'ByExpression'), input, scope);
  const rows = sortedRows([key], input.rowCount);
  return gatherTable(input, rows.subarray(0, Math.max(0, Math.min(count, rows.length))));
}
