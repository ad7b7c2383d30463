/**
 * mv-expand and mv-apply. Each expanded value gives one row per element: a
 * null value gives one row with null, an empty array or bag gives none, and
 * a bag gives one row per property ({key: value} by default, [key, value]
 * with kind=array). Several expressions expand in parallel, padded with null.
 */
import type { ColumnSchema, KustoColumnType } from '../schema/tables';
import { buildColumn, coerceToType, ColumnarTable, gatherColumn, gatherTable, type Column } from './columns';
import { RunState, type Scope } from './context';
import { compileRowExpression } from './scalar';
import { childOf, columnTypeOf, elementsOf, kindOf, nameOf, requireChild, tableColumnsOf, tokenText, type Node } from './syntax';
import type { TabularScope } from './tabular';
import { namedExpression } from './tabular';
import type { Value } from './values';

interface Expansion {
  readonly name: string;
  readonly type: KustoColumnType;
  readonly read: (row: number) => Value;
}

function elementsToExpand(value: Value, bagAsArray: boolean): unknown[] {
  if (value === null) {
    return [null];
  }
  if (Array.isArray(value)) {
    return value as unknown[];
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([key, element]) => (bagAsArray ? [key, element] : { [key]: element }));
  }
  return [value];
}

/** Converts an element to the `to typeof()` type by cast only: an element of another type becomes null. */
function castElement(element: unknown, type: KustoColumnType): Value {
  if (type === 'dynamic') {
    return element as Value;
  }
  if (type === 'string') {
    return typeof element === 'string' ? element : '';
  }
  return coerceToType(element as Value, type);
}

function parameter(node: Node, name: string): Node | undefined {
  return elementsOf(childOf(node, 'Parameters')).find((item) => nameOf(requireChild(item, 'Name')).toLowerCase() === name);
}

/** Expands the rows of `input`; returns the source row of each output row and the expanded columns. */
function expandRows(node: Node, input: ColumnarTable, scope: Scope): { sourceRows: Int32Array; expansions: Expansion[]; values: unknown[][]; indexes: number[] } {
  const kindParameter = parameter(node, 'kind') ?? parameter(node, 'bagexpansion');
  const bagAsArray = kindParameter ? tokenText(requireChild(kindParameter, 'Expression')).toLowerCase() === 'array' : false;
  const expansions = elementsOf(childOf(node, 'Expressions')).map((item): Expansion => {
    const { name, expression } = namedExpression(requireChild(item, 'Expression'));
    return {
      name: name ?? nameOf(expression),
      type: columnTypeOf(item),
      read: compileRowExpression(expression, scope).fn,
    };
  });
  const limitClause = childOf(node, 'RowLimitClause');
  const limit = limitClause ? Number(compileRowExpression(requireChild(limitClause, 'Expression'), { ...scope, table: undefined }).fn(0)) : Infinity;
  const sourceRows: number[] = [];
  const indexes: number[] = [];
  const values: unknown[][] = expansions.map(() => []);
  for (let row = 0; row < input.rowCount; row++) {
    if ((row & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      scope.run.checkCancelled();
    }
    const lists = expansions.map((expansion) => elementsToExpand(expansion.read(row), bagAsArray));
    const count = Math.min(limit, Math.max(...lists.map((list) => list.length)));
    for (let index = 0; index < count; index++) {
      sourceRows.push(row);
      indexes.push(index);
      lists.forEach((list, which) => values[which].push(index < list.length ? list[index] : null));
    }
    if (sourceRows.length > scope.run.limits.maxRows) {
      scope.run.checkSize(sourceRows.length, input.columns.length, node, false);
    }
  }
  return { sourceRows: Int32Array.from(sourceRows), expansions, values, indexes };
}

export function mvExpand(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const { sourceRows, expansions, values, indexes } = expandRows(node, input, scope);
  const indexParameter = parameter(node, 'with_itemindex');
  const indexColumn = indexParameter ? nameOf(requireChild(indexParameter, 'Expression')) : undefined;
  const data = schema.map((column): Column => {
    const which = expansions.findIndex((expansion) => expansion.name === column.name);
    if (which >= 0) {
      return buildColumn(column.type, sourceRows.length, (row) => castElement(values[which][row], column.type));
    }
    if (column.name === indexColumn) {
      return buildColumn('long', sourceRows.length, (row) => indexes[row]);
    }
    const index = input.columnIndex(column.name);
    return gatherColumn(input.column(index), sourceRows, column.type);
  });
  return new ColumnarTable(input.name, schema, data, sourceRows.length);
}

type EvaluateTabular = (node: Node, scope: TabularScope) => ColumnarTable;

/**
 * mv-apply: expands each row's values, runs the subquery on that row's
 * expanded rows, and joins the subquery's rows back to the input row.
 */
export function mvApply(node: Node, input: ColumnarTable, scope: Scope, evaluate: EvaluateTabular): ColumnarTable {
  const schema = tableColumnsOf(node) ?? [];
  const expandedSchema: ColumnSchema[] = [...input.columns];
  const { sourceRows, expansions, values } = expandRows(node, input, scope);
  const expandedData: Column[] = input.data.map((column, index) => gatherColumn(column, sourceRows, input.columns[index].type));
  for (const [which, expansion] of expansions.entries()) {
    const column = buildColumn(expansion.type, sourceRows.length, (row) => castElement(values[which][row], expansion.type));
    const existing = expandedSchema.findIndex((candidate) => candidate.name === expansion.name);
    if (existing >= 0) {
      expandedSchema[existing] = { name: expansion.name, type: expansion.type };
      expandedData[existing] = column;
    } else {
      expandedSchema.push({ name: expansion.name, type: expansion.type });
      expandedData.push(column);
    }
  }
  const expanded = new ColumnarTable(input.name, expandedSchema, expandedData, sourceRows.length);
  const subquery = requireChild(node, 'Subquery');
  if (kindOf(subquery) !== 'MvApplySubqueryExpression') {
    throw scope.run.unsupported(subquery, 'This form of mv-apply subquery');
  }

  const outputRows: number[] = [];
  const outputParts: { table: ColumnarTable; row: number }[] = [];
  let start = 0;
  while (start < sourceRows.length) {
    const inputRow = sourceRows[start];
    let end = start;
    while (end < sourceRows.length && sourceRows[end] === inputRow) {
      end++;
    }
    const slice = gatherTable(expanded, Int32Array.from({ length: end - start }, (_, offset) => start + offset));
    const result = evaluate(subquery, { ...scope, table: undefined, implicitInput: slice });
    for (let row = 0; row < result.rowCount; row++) {
      outputRows.push(inputRow);
      outputParts.push({ table: result, row });
    }
    start = end;
  }
  const rows = Int32Array.from(outputRows);
  const data = schema.map((column): Column => {
    const fromSubquery = outputParts.length > 0 ? outputParts[0].table.columnIndex(column.name) : -1;
    if (fromSubquery >= 0 || input.columnIndex(column.name) < 0) {
      return buildColumn(column.type, rows.length, (row) => {
        const { table, row: resultRow } = outputParts[row];
        const index = table.columnIndex(column.name);
        return index < 0 ? null : readCell(table, index, resultRow);
      });
    }
    return gatherColumn(input.column(input.columnIndex(column.name)), rows, column.type);
  });
  return new ColumnarTable(input.name, schema, data, rows.length);
}

function readCell(table: ColumnarTable, index: number, row: number): Value {
  const column = table.column(index);
  switch (column.kind) {
    case 'dictionary':
      return column.dictionary[column.codes[row]];
    case 'number':
      return Number.isNaN(column.values[row]) ? null : column.values[row];
    case 'bool':
      return column.values[row] === 2 ? null : column.values[row] === 1;
    case 'dynamic':
      return column.values[row] as Value;
  }
}
