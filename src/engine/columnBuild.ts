/**
 * Turns compiled expressions into columns, taking the cheapest path the
 * expression allows: a bare column is copied, a value of one dictionary
 * column is computed once per dictionary code, and anything else per row.
 */
import type { KustoColumnType } from '../schema/tables';
import { buildColumn, buildColumnByCode, gatherColumn, type Column, type ColumnarTable } from './columns';
import { RunState } from './context';
import type { Compiled } from './scalar';

/** Evaluates `compiled` on rows 0 to rowCount - 1 into a column of `type`, checking for cancellation. */
export function evaluateColumn(compiled: Compiled, type: KustoColumnType, rowCount: number, run: RunState): Column {
  run.checkCancelled();
  const fn = compiled.fn;
  if (compiled.source) {
    return buildColumnByCode(type, rowCount, compiled.source, fn);
  }
  return buildColumn(type, rowCount, (row) => {
    if ((row & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      run.checkCancelled();
    }
    return fn(row);
  });
}

/**
 * Evaluates `compiled` at the rows `rows` of `table` (a row of -1 gives
 * null), for the key and aggregate columns of summarize.
 */
export function evaluateAtRows(compiled: Compiled, type: KustoColumnType, table: ColumnarTable | undefined, rows: Int32Array): Column {
  const index = table && compiled.column && compiled.type === type ? table.columnIndex(compiled.column) : -1;
  if (table && index >= 0) {
    return gatherColumn(table.column(index), rows, type);
  }
  const fn = compiled.fn;
  if (compiled.source) {
    return buildColumnByCode(type, rows.length, compiled.source, fn, rows);
  }
  return buildColumn(type, rows.length, (index) => {
    const row = rows[index];
    return row < 0 ? null : fn(row);
  });
}
