/**
 * Scalar function calls: dispatch by name to the implementations in
 * functionLibrary.ts, plus the functions that read the table itself
 * (column_ifexists, pack_all) or depend on row order (prev, next,
 * row_number, row_window_session).
 */
import type { KustoColumnType } from '../schema/tables';
import { columnReader } from './columns';
import type { Scope } from './context';
import { SCALAR_FUNCTIONS } from './functionLibrary';
import { callScalarFunction, userFunction } from './lets';
import { compileColumn, compileExpression, unionDeps, type Compiled, type RowFunction } from './scalar';
import { columnTypeOf, nameOf, requireChild, type Node } from './syntax';
import { valueToDynamic } from './values';

export function callFunction(node: Node, argumentNodes: readonly Node[], scope: Scope): Compiled {
  const name = nameOf(requireChild(node, 'Name')).toLowerCase();
  const type = columnTypeOf(node);
  switch (name) {
    case 'column_ifexists':
      return columnIfExists(node, argumentNodes, scope);
    case 'pack_all':
      return packAll(argumentNodes, scope);
    case 'prev':
    case 'next':
      return neighbour(name, argumentNodes, scope, type);
    case 'row_number':
      return rowNumber(argumentNodes, scope);
    case 'row_window_session':
      return rowWindowSession(argumentNodes, scope);
  }
  const declared = userFunction(node, scope);
  if (declared) {
    return callScalarFunction(node, declared, scope);
  }
  const implementation = SCALAR_FUNCTIONS[name];
  if (!implementation) {
    throw scope.run.unsupported(node, `The function ${name}()`);
  }
  const args = argumentNodes.map((argument) => compileExpression(argument, scope));
  if (name === 'tostring' && type === 'string' && args.length === 1 && args[0].type === 'string' && args[0].column !== undefined) {
    // tostring() of a text column is the column itself, which summarize and project then copy instead of encoding each text again.
    return args[0];
  }
  const fn = implementation({
    args: args.map((argument) => argument.fn),
    types: args.map((argument) => argument.type),
    type,
    node,
    scope,
  });
  return { fn, type, deps: unionDeps(args) };
}

function columnIfExists(node: Node, argumentNodes: readonly Node[], scope: Scope): Compiled {
  const name = compileExpression(argumentNodes[0], scope).fn(0);
  if (typeof name === 'string' && scope.table && scope.table.columnIndex(name) >= 0) {
    return compileColumn(node, name, scope);
  }
  return compileExpression(argumentNodes[1], scope);
}

/** pack_all([ignore_null_empty]): a bag of every column of the row. */
function packAll(argumentNodes: readonly Node[], scope: Scope): Compiled {
  const skipEmpty = argumentNodes.length > 0 && compileExpression(argumentNodes[0], scope).fn(0) === true;
  const table = scope.table;
  if (!table) {
    return { fn: () => ({}), type: 'dynamic', deps: new Set() };
  }
  const readers = table.data.map((column) => columnReader(column));
  const columns = table.columns;
  return {
    fn: (row) => {
      const bag: Record<string, unknown> = {};
      for (let index = 0; index < columns.length; index++) {
        const value = readers[index](row);
        if (skipEmpty && (value === null || value === '')) {
          continue;
        }
        bag[columns[index].name] = valueToDynamic(value, columns[index].type);
      }
      return bag;
    },
    type: 'dynamic',
    deps: new Set(columns.map((column) => column.name)),
  };
}

/** prev(column[, offset[, default]]) and next(...): the value in another row of the serialized table. */
function neighbour(name: string, argumentNodes: readonly Node[], scope: Scope, type: KustoColumnType): Compiled {
  const value = compileExpression(argumentNodes[0], scope).fn;
  const offset = argumentNodes[1] ? Number(compileExpression(argumentNodes[1], scope).fn(0)) : 1;
  const fallback = argumentNodes[2] ? compileExpression(argumentNodes[2], scope).fn(0) : null;
  const step = name === 'prev' ? -offset : offset;
  const rowCount = scope.table?.rowCount ?? 0;
  return {
    fn: (row) => {
      const other = row + step;
      return other < 0 || other >= rowCount ? fallback : value(other);
    },
    type,
    deps: null,
  };
}

/** row_number([start[, restart]]): counts rows in evaluation order, which is table order. */
function rowNumber(argumentNodes: readonly Node[], scope: Scope): Compiled {
  const start = argumentNodes[0] ? Number(compileExpression(argumentNodes[0], scope).fn(0)) : 1;
  const restart = argumentNodes[1] ? compileExpression(argumentNodes[1], scope).fn : undefined;
  let current = start - 1;
  return {
    fn: (row) => {
      if (row === 0 || (restart && restart(row) === true)) {
        current = start - 1;
      }
      current += 1;
      return current;
    },
    type: 'long',
    deps: null,
  };
}

/**
 * row_window_session(expr, maxDistanceFromFirst, maxDistanceBetweenNeighbors[, restart]):
 * the start of the session each row belongs to. Rows must be evaluated in
 * table order, which extend does.
 */
function rowWindowSession(argumentNodes: readonly Node[], scope: Scope): Compiled {
  const args = argumentNodes.map((argument) => compileExpression(argument, scope));
  const value = args[0].fn;
  const maxFromFirst = args[1].fn;
  const maxFromPrevious = args[2].fn;
  const restart: RowFunction | undefined = args[3]?.fn;
  let sessionStart: number | null = null;
  let previous: number | null = null;
  return {
    fn: (row) => {
      const current = value(row) as number | null;
      if (current === null) {
        return sessionStart;
      }
      const fromFirst = maxFromFirst(row) as number;
      const fromPrevious = maxFromPrevious(row) as number;
      const startNew =
        row === 0 ||
        sessionStart === null ||
        previous === null ||
        (restart !== undefined && restart(row) === true) ||
        current - sessionStart > fromFirst ||
        current - previous > fromPrevious;
      if (startNew) {
        sessionStart = current;
      }
      previous = current;
      return sessionStart;
    },
    type: 'datetime',
    deps: null,
  };
}
