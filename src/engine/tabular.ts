/**
 * Evaluates tabular expressions: table references, pipes, and the operators
 * that filter, project or reshape a table. Summarize, join, sorting, union
 * and mv-expand live in their own files.
 */
import type { ColumnSchema } from '../schema/tables';
import { evaluateColumn } from './columnBuild';
import { ColumnarTable, gatherTable, isLazy, type Column, type ColumnEntry } from './columns';
import { RunState, type Scope } from './context';
import { mvApply, mvExpand } from './expand';
import { join, lookup } from './join';
import { callTabularFunction, userFunction } from './lets';
import { parse } from './parse';
import { compileRowExpression } from './scalar';
import { sortTable, topTable } from './sort';
import { datatable, print, range, union } from './sources';
import { summarize } from './summarize';
import { childOf, elementsOf, kindOf, nameOf, requireChild, tableColumnsOf, tokenText, type Node } from './syntax';
import { scratch } from './scratch';

/** Scope of an mv-apply subquery, whose first operator reads an implicit input table. */
export interface TabularScope extends Scope {
  readonly implicitInput?: ColumnarTable;
}

export function evaluateTabular(node: Node, scope: TabularScope): ColumnarTable {
  scope.run.checkCancelled();
  const kind = kindOf(node);
  switch (kind) {
    case 'PipeExpression': {
      const input = evaluateTabular(requireChild(node, 'Expression'), scope);
      return applyOperator(requireChild(node, 'Operator'), input, scope);
    }
    case 'ParenthesizedExpression':
    case 'MaterializeExpression':
    case 'MvApplySubqueryExpression':
      return evaluateTabular(requireChild(node, 'Expression'), scope);
    case 'NameReference':
      return tableByName(node, scope);
    case 'FunctionCallExpression': {
      const name = nameOf(requireChild(node, 'Name')).toLowerCase();
      const args = elementsOf(childOf(requireChild(node, 'ArgumentList'), 'Expressions'));
      if (name === 'materialize' && args.length === 1) {
        return evaluateTabular(args[0], scope);
      }
      const declared = userFunction(node, scope);
      if (declared) {
        return callTabularFunction(node, declared, scope);
      }
      throw scope.run.unsupported(node, `The tabular function ${name}()`);
    }
    case 'UnionOperator':
      return union(node, undefined, scope);
    case 'PrintOperator':
      return print(node, scope);
    case 'DataTableExpression':
      return datatable(node, scope);
    case 'RangeOperator':
      return range(node, scope);
    default:
      if (scope.implicitInput && kind.endsWith('Operator')) {
        return applyOperator(node, scope.implicitInput, scope);
      }
      throw scope.run.unsupported(node, `The tabular expression ${kind}`);
  }
}

function tableByName(node: Node, scope: Scope): ColumnarTable {
  const name = nameOf(node);
  const binding = scope.env.lookup(name);
  if (binding?.kind === 'tabular') {
    return binding.table();
  }
  const table = scope.run.tables.get(name);
  if (!table) {
    throw scope.run.error('semantic', node, `The table ${name} is not loaded. Add an export of ${name} to the local data.`);
  }
  scope.run.tablesRead.add(name);
  return table;
}

function applyOperator(node: Node, input: ColumnarTable, outer: TabularScope): ColumnarTable {
  const scope: TabularScope = { ...outer, table: input };
  const kind = kindOf(node);
  let output: ColumnarTable;
  switch (kind) {
    case 'FilterOperator':
      output = filter(node, input, scope);
      break;
    case 'ProjectOperator':
      output = project(node, input, scope);
      break;
    case 'ExtendOperator':
      output = extend(node, input, scope);
      break;
    case 'ProjectAwayOperator':
    case 'ProjectKeepOperator':
    case 'ProjectRenameOperator':
    case 'ProjectReorderOperator':
      output = reshapeByBinder(node, input, scope);
      break;
    case 'TakeOperator':
      output = take(node, input, scope);
      break;
    case 'CountOperator':
      output = new ColumnarTable(input.name, [{ name: 'Count', type: 'long' }], [{ kind: 'number', values: Float64Array.of(input.rowCount) }], 1);
      break;
    case 'DistinctOperator':
      output = summarize(node, input, scope, true);
      break;
    case 'SummarizeOperator':
      output = summarize(node, input, scope, false);
      break;
    case 'SortOperator':
      output = sortTable(node, input, scope);
      break;
    case 'TopOperator':
      output = topTable(node, input, scope);
      break;
    case 'JoinOperator':
      output = join(node, input, scope);
      break;
    case 'LookupOperator':
      output = lookup(node, input, scope);
      break;
    case 'UnionOperator':
      output = union(node, input, scope);
      break;
    case 'MvExpandOperator':
      output = mvExpand(node, input, scope);
      break;
    case 'ParseOperator':
      output = parse(node, input, scope);
      break;
    case 'MvApplyOperator':
      output = mvApply(node, input, scope, evaluateTabular);
      break;
    case 'AsOperator':
    case 'SerializeOperator':
    case 'RenderOperator':
      output = kind === 'SerializeOperator' && elementsOf(childOf(node, 'Expressions')).length > 0 ? extend(node, input, scope) : input;
      break;
    default:
      throw scope.run.unsupported(node, `The ${tokenText(node) || kind} operator`);
  }
  scope.run.checkSize(output.rowCount, output.columns.length, node);
  return output;
}

function filter(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const selection = selectionOf(input);
  if (selection) {
    return filterSelection(node, input, selection, scope);
  }
  const condition = compileRowExpression(requireChild(node, 'Condition'), scope).fn;
  const selected = scratch.int32(input.rowCount);
  let count = 0;
  for (let row = 0; row < input.rowCount; row++) {
    if ((row & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      scope.run.checkCancelled();
    }
    if (condition(row) === true) {
      selected[count++] = row;
    }
  }
  return count === input.rowCount ? input : gatherTable(input, selected.subarray(0, count));
}

/**
 * Filters a table whose columns are all rows `selection.rows` of the columns
 * of one earlier table, such as the output of a `where`. The condition reads
 * those columns at the selected rows, so consecutive filters neither copy
 * the columns they test nor allocate an index array per input row.
 */
function filterSelection(node: Node, input: ColumnarTable, selection: Selection, scope: Scope): ColumnarTable {
  const condition = compileRowExpression(requireChild(node, 'Condition'), { ...scope, table: selection.table }).fn;
  const { rows } = selection;
  const selected = scratch.int32(rows.length);
  let count = 0;
  for (let index = 0; index < rows.length; index++) {
    if ((index & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      scope.run.checkCancelled();
    }
    const row = rows[index];
    if (condition(row) === true) {
      selected[count++] = row;
    }
  }
  return count === rows.length ? input : gatherTable(selection.table, selected.subarray(0, count), input.name);
}

/** Rows of an earlier table that a table's columns all are. */
interface Selection {
  /** The earlier table: the columns that the table's lazy columns gather from, with the table's schema. */
  readonly table: ColumnarTable;
  readonly rows: Int32Array;
}

/**
 * Returns the selection that every column of `table` gathers, when they all
 * gather the same rows (no null rows) of columns of one length. Otherwise
 * returns undefined, and the table's columns are read as they are.
 */
function selectionOf(table: ColumnarTable): Selection | undefined {
  let rows: Int32Array | undefined;
  let length = -1;
  const bases: Column[] = [];
  for (let index = 0; index < table.columns.length; index++) {
    const entry = table.entry(index);
    if (!isLazy(entry) || (rows !== undefined && entry.rows !== rows)) {
      return undefined;
    }
    const baseLength = columnLength(entry.base);
    if (length >= 0 && baseLength !== length) {
      return undefined;
    }
    rows = entry.rows;
    length = baseLength;
    bases.push(entry.base);
  }
  if (rows === undefined || hasNullRow(rows)) {
    return undefined;
  }
  return { table: new ColumnarTable(table.name, table.columns, bases, length), rows };
}

function columnLength(column: Column): number {
  return column.kind === 'dictionary' ? column.codes.length : column.values.length;
}

/** Returns whether a gather has a -1 (null) row. It loops plainly, because a callback per row would cost more than the filter it serves. */
function hasNullRow(rows: Int32Array): boolean {
  for (let index = 0; index < rows.length; index++) {
    if (rows[index] < 0) {
      return true;
    }
  }
  return false;
}

/** Returns the name and expression of one item of a project or extend list. */
export function namedExpression(item: Node): { name: string | undefined; expression: Node } {
  if (kindOf(item) === 'SimpleNamedExpression') {
    return { name: nameOf(requireChild(item, 'Name')), expression: requireChild(item, 'Expression') };
  }
  return { name: undefined, expression: item };
}

/** Evaluates one expression into a column; a bare column reference reuses the stored column. */
function expressionColumn(expression: Node, schema: ColumnSchema, input: ColumnarTable, scope: Scope): ColumnEntry {
  const compiled = compileRowExpression(expression, scope);
  if (compiled.column && compiled.type === schema.type) {
    return input.entry(input.columnIndex(compiled.column));
  }
  return evaluateColumn(compiled, schema.type, input.rowCount, scope.run);
}

function project(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const items = elementsOf(childOf(node, 'Expressions'));
  const schema = tableColumnsOf(node) ?? [];
  if (schema.length !== items.length) {
    throw scope.run.unsupported(node, 'A project item that makes several columns');
  }
  const data = items.map((item, index) => expressionColumn(namedExpression(item).expression, schema[index], input, scope));
  return new ColumnarTable(input.name, schema, data, input.rowCount);
}

/** Evaluates extend; each item can read the columns made by the items before it. */
function extend(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  let table = input;
  const final = tableColumnsOf(node) ?? [];
  for (const item of elementsOf(childOf(node, 'Expressions'))) {
    const { name, expression } = namedExpression(item);
    const columnName = name ?? (kindOf(expression) === 'NameReference' ? nameOf(expression) : undefined);
    const schema = final.find((column) => column.name === columnName);
    if (!columnName || !schema) {
      throw scope.run.unsupported(item, 'An extend item without a name');
    }
    const column = expressionColumn(expression, schema, table, { ...scope, table });
    const existing = table.columnIndex(columnName);
    const columns = [...table.columns];
    const data = table.columns.map((_, index) => table.entry(index));
    if (existing >= 0) {
      columns[existing] = schema;
      data[existing] = column;
    } else {
      columns.push(schema);
      data.push(column);
    }
    table = new ColumnarTable(table.name, columns, data, table.rowCount);
  }
  return reorderTo(final, table, node, scope);
}

/** Returns `table` with its columns in the binder's order, taken by name. */
export function reorderTo(schema: readonly ColumnSchema[], table: ColumnarTable, node: Node, scope: Scope): ColumnarTable {
  const data = schema.map((column) => {
    const index = table.columnIndex(column.name);
    if (index < 0) {
      throw scope.run.error('runtime', node, `The engine lost the column ${column.name}. Report this query as a Hunt Lens bug.`);
    }
    return table.entry(index);
  });
  return new ColumnarTable(table.name, schema, data, table.rowCount);
}

/** Evaluates project-away, project-keep, project-rename and project-reorder, taking the remaining columns and their order from the binder's result type. */
function reshapeByBinder(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const renames = new Map<string, string>();
  if (kindOf(node) === 'ProjectRenameOperator') {
    for (const item of elementsOf(childOf(node, 'Expressions'))) {
      const { name, expression } = namedExpression(item);
      if (name) {
        renames.set(name, nameOf(expression));
      }
    }
  }
  const data = schema.map((column) => {
    const index = input.columnIndex(renames.get(column.name) ?? column.name);
    if (index < 0) {
      throw scope.run.error('runtime', node, `The column ${column.name} was not found in the input.`);
    }
    return input.entry(index);
  });
  return new ColumnarTable(input.name, schema, data, input.rowCount);
}

function take(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const count = Number(compileRowExpression(requireChild(node, 'Expression'), { ...scope, table: undefined }).fn(0));
  if (!(count >= 0)) {
    throw scope.run.error('semantic', node, `take needs a row count of 0 or more, not ${count}.`);
  }
  if (count >= input.rowCount) {
    return input;
  }
  const rows = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    rows[row] = row;
  }
  return gatherTable(input, rows);
}
