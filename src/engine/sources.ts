/**
 * Operators that make a table from nothing or from several tables: union,
 * print, datatable and range.
 */
import type { ColumnSchema } from '../schema/tables';
import { buildColumn, columnReader, ColumnarTable, type Column } from './columns';
import type { Scope } from './context';
import { compileExpression, type RowFunction } from './scalar';
import { childOf, elementsOf, kindOf, nameOf, requireChild, tableColumnsOf, type Node } from './syntax';
import { loadedGroupTables } from './tableGroups';
import { evaluateTabular, namedExpression } from './tabular';
import type { Value } from './values';

/** Scope for expressions that read no table. */
function constantScope(scope: Scope): Scope {
  return { ...scope, table: undefined };
}

function constantValue(node: Node, scope: Scope): Value {
  return compileExpression(node, constantScope(scope)).fn(0);
}

/**
 * union: columns are matched by name and type, as the binder lays them out.
 * A column whose type differs between the tables is split into one column
 * per type, named with the type as a suffix (Status_dynamic, Status_string).
 */
export function union(node: Node, input: ColumnarTable | undefined, scope: Scope): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const sourceColumn = elementsOf(childOf(node, 'Parameters'))
    .filter((parameter) => nameOf(requireChild(parameter, 'Name')).toLowerCase() === 'withsource')
    .map((parameter) => nameOf(requireChild(parameter, 'Expression')))[0];
  const parts: { table: ColumnarTable; source: string }[] = input ? [{ table: input, source: input.name }] : [];
  elementsOf(childOf(node, 'Expressions')).forEach((expression, index) => {
    const group = loadedGroupTables(expression, scope);
    if (group) {
      parts.push(...group);
      return;
    }
    const table = evaluateTabular(expression, constantScope(scope));
    const source = kindOf(expression) === 'NameReference' ? nameOf(expression) : `union_arg${index}`;
    parts.push({ table, source });
  });
  const rowCount = parts.reduce((sum, part) => sum + part.table.rowCount, 0);
  scope.run.checkSize(rowCount, schema.length, node);
  const data = schema.map((column) => unionColumn(column, parts, sourceColumn, rowCount));
  return new ColumnarTable('union', schema, data, rowCount);
}

function unionColumn(column: ColumnSchema, parts: readonly { table: ColumnarTable; source: string }[], sourceColumn: string | undefined, rowCount: number): Column {
  const readers: (RowFunction | string | undefined)[] = parts.map(({ table, source }) => {
    if (column.name === sourceColumn) {
      return source;
    }
    const index = table.columns.findIndex(
      (candidate) => candidate.type === column.type && (candidate.name === column.name || `${candidate.name}_${candidate.type}` === column.name),
    );
    return index >= 0 ? columnReader(table.column(index)) : undefined;
  });
  let part = 0;
  let offset = 0;
  return buildColumn(column.type, rowCount, (row) => {
    while (row - offset >= parts[part].table.rowCount) {
      offset += parts[part].table.rowCount;
      part += 1;
    }
    const reader = readers[part];
    return typeof reader === 'string' ? reader : reader ? reader(row - offset) : null;
  });
}

export function print(node: Node, scope: Scope): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const items = elementsOf(childOf(node, 'Expressions'));
  const data = items.map((item, index) => {
    const value = constantValue(namedExpression(item).expression, scope);
    return buildColumn(schema[index].type, 1, () => value);
  });
  return new ColumnarTable('print', schema, data, 1);
}

export function datatable(node: Node, scope: Scope): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const values = elementsOf(childOf(node, 'Values')).map((value) => constantValue(value, scope));
  const width = Math.max(schema.length, 1);
  if (values.length % width !== 0) {
    throw scope.run.error('semantic', node, `datatable has ${values.length} values, which is not a multiple of its ${schema.length} columns.`);
  }
  const rowCount = values.length / width;
  const data = schema.map((column, index) => buildColumn(column.type, rowCount, (row) => values[row * width + index]));
  return new ColumnarTable('datatable', schema, data, rowCount);
}

export function range(node: Node, scope: Scope): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const from = constantValue(requireChild(node, 'From'), scope);
  const to = constantValue(requireChild(node, 'To'), scope);
  const step = constantValue(requireChild(node, 'Step'), scope);
  if (typeof from !== 'number' || typeof to !== 'number' || typeof step !== 'number' || step === 0) {
    throw scope.run.error('semantic', node, 'range needs numeric, datetime or timespan bounds and a step other than zero.');
  }
  const rowCount = Math.max(0, Math.floor((to - from) / step) + 1);
  scope.run.checkSize(rowCount, 1, node);
  return new ColumnarTable('range', schema, [buildColumn(schema[0].type, rowCount, (row) => from + row * step)], rowCount);
}
