/**
 * Binary scalar operators: arithmetic, comparisons, logic, string operators,
 * `in` lists and `between`. Operators are identified by their token text.
 */
import type { KustoColumnType } from '../schema/tables';
import type { Scope } from './context';
import { cacheByDictionary, compileExpression, unionDeps, type Compiled } from './scalar';
import { compileStringOperator, STRING_OPERATORS } from './strings';
import { childOf, columnTypeOf, elementsOf, kindOf, requireChild, tableColumnsOf, tokenText, type Node } from './syntax';
import { columnReader, isNumberType, type ColumnarTable } from './columns';
import { valueToString, type Value } from './values';
import { evaluateTabular } from './tabular';

export function compileBinary(node: Node, scope: Scope): Compiled {
  const operator = tokenText(childOf(node, 'Operator')).toLowerCase().replace(/\s+/g, ' ');
  const rightNode = requireChild(node, 'Right');
  if (kindOf(rightNode) === 'ExpressionList') {
    return compileInList(node, operator, rightNode, scope);
  }
  if (kindOf(rightNode) === 'ExpressionCouple') {
    return compileBetween(node, operator, rightNode, scope);
  }
  const left = compileExpression(requireChild(node, 'Left'), scope);
  const right = compileExpression(rightNode, scope);
  const type = columnTypeOf(node);
  const deps = unionDeps([left, right]);
  const parts = deps && deps.size > 1 ? [cacheByDictionary(left, scope), cacheByDictionary(right, scope)] : [left, right];
  const a = parts[0].fn;
  const b = parts[1].fn;

  if (STRING_OPERATORS.has(operator)) {
    return compileStringOperator(node, operator, parts[0], parts[1], scope, deps);
  }
  const numeric = compileNumericComparison(operator, parts[0], parts[1], scope);
  if (numeric) {
    return { fn: numeric, type, deps };
  }
  switch (operator) {
    case 'and':
      return { fn: (row) => and(a(row), b, row), type, deps };
    case 'or':
      return { fn: (row) => or(a(row), b, row), type, deps };
    case '==':
      return { fn: (row) => equalOrNull(a(row), b(row)), type, deps };
    case '!=':
    case '<>': {
      return {
        fn: (row) => {
          const equal = equalOrNull(a(row), b(row));
          return equal === null ? null : !equal;
        },
        type,
        deps,
      };
    }
    case '<':
      return { fn: (row) => compareWith(a(row), b(row), (c) => c < 0), type, deps };
    case '<=':
      return { fn: (row) => compareWith(a(row), b(row), (c) => c <= 0), type, deps };
    case '>':
      return { fn: (row) => compareWith(a(row), b(row), (c) => c > 0), type, deps };
    case '>=':
      return { fn: (row) => compareWith(a(row), b(row), (c) => c >= 0), type, deps };
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return { fn: arithmetic(operator, a, b, type), type, deps };
    default:
      throw scope.run.unsupported(node, `The operator ${operator}`);
  }
}

const NUMERIC_COMPARISONS: Record<string, (x: number, y: number) => boolean> = {
  '==': (x, y) => x === y,
  '!=': (x, y) => x !== y,
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
};

/**
 * Compiles a comparison of two numeric operands (numbers, datetimes or
 * timespans). A number column compared with a constant reads the column's
 * Float64Array directly, where NaN is null.
 */
function compileNumericComparison(operator: string, left: Compiled, right: Compiled, scope: Scope): ((row: number) => Value) | undefined {
  const test = NUMERIC_COMPARISONS[operator];
  if (!test || !isNumberType(left.type) || !isNumberType(right.type)) {
    return undefined;
  }
  const table = scope.table;
  const column = table && left.column ? table.column(table.columnIndex(left.column)) : undefined;
  if (column?.kind === 'number' && right.deps?.size === 0) {
    const values = column.values;
    const constantValue = right.fn(0);
    if (typeof constantValue !== 'number') {
      return () => null;
    }
    return compareColumnWithConstant(operator, values, constantValue, nullComparison(operator, false));
  }
  const a = left.fn;
  const b = right.fn;
  return (row) => {
    const x = a(row);
    const y = b(row);
    if (typeof x === 'number' && typeof y === 'number') {
      return test(x, y);
    }
    return nullComparison(operator, x === null && y === null);
  };
}

/**
 * Compares a number column with a constant, NaN being null. Each operator
 * has its own function, so V8 can inline the comparison instead of calling it
 * through the operator table for every row.
 */
function compareColumnWithConstant(operator: string, values: Float64Array, constant: number, nullResult: boolean | null): (row: number) => Value {
  switch (operator) {
    case '==':
      return (row) => {
        const value = values[row];
        return value !== value ? nullResult : value === constant;
      };
    case '!=':
      return (row) => {
        const value = values[row];
        return value !== value ? nullResult : value !== constant;
      };
    case '<':
      return (row) => {
        const value = values[row];
        return value !== value ? nullResult : value < constant;
      };
    case '<=':
      return (row) => {
        const value = values[row];
        return value !== value ? nullResult : value <= constant;
      };
    case '>':
      return (row) => {
        const value = values[row];
        return value !== value ? nullResult : value > constant;
      };
    default:
      return (row) => {
        const value = values[row];
        return value !== value ? nullResult : value >= constant;
      };
  }
}

/** Returns the result of comparing with null: == gives false and != true against a value, and every other case null. */
function nullComparison(operator: string, bothNull: boolean): boolean | null {
  if (bothNull) {
    return null;
  }
  if (operator === '==') {
    return false;
  }
  return operator === '!=' ? true : null;
}

function and(left: Value, right: (row: number) => Value, row: number): boolean | null {
  if (left === false) {
    return false;
  }
  const value = right(row);
  if (value === false) {
    return false;
  }
  return left === true && value === true ? true : null;
}

function or(left: Value, right: (row: number) => Value, row: number): boolean | null {
  if (left === true) {
    return true;
  }
  const value = right(row);
  if (value === true) {
    return true;
  }
  return left === false && value === false ? false : null;
}

function arithmetic(operator: string, a: (row: number) => Value, b: (row: number) => Value, type: KustoColumnType): (row: number) => Value {
  const whole = type === 'long' || type === 'int';
  return (row) => {
    const x = a(row);
    const y = b(row);
    if (typeof x !== 'number' || typeof y !== 'number') {
      return null;
    }
    switch (operator) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return whole ? Math.trunc(x * y) : x * y;
      case '/':
        if (whole) {
          return y === 0 ? null : Math.trunc(x / y);
        }
        return x / y;
      default:
        return y === 0 ? null : x % y;
    }
  };
}

/**
 * Kusto equality: null == null is null, and null == a value is false (so
 * null != a value is true). Numbers of different types compare by value.
 */
export function equalOrNull(x: Value, y: Value): boolean | null {
  if (x === null || y === null) {
    return x === y ? null : false;
  }
  if (typeof x === typeof y && typeof x !== 'object') {
    return x === y;
  }
  return compareValues(x, y) === 0;
}

function compareWith(x: Value, y: Value, test: (comparison: number) => boolean): boolean | null {
  if (x === null || y === null) {
    return null;
  }
  const comparison = compareValues(x, y);
  return Number.isNaN(comparison) ? null : test(comparison);
}

/** Orders two non-null values: numbers numerically, text ordinally, anything else by its JSON text. */
export function compareValues(x: Value, y: Value): number {
  if (typeof x === 'number' && typeof y === 'number') {
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof x === 'boolean' && typeof y === 'boolean') {
    return Number(x) - Number(y);
  }
  if (typeof x === 'number' && typeof y === 'string' && y.trim() !== '' && !Number.isNaN(Number(y))) {
    return compareValues(x, Number(y));
  }
  if (typeof y === 'number' && typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x))) {
    return compareValues(Number(x), y);
  }
  const textX = typeof x === 'string' ? x : JSON.stringify(x);
  const textY = typeof y === 'string' ? y : JSON.stringify(y);
  return textX < textY ? -1 : textX > textY ? 1 : 0;
}

/** Turns an operand into text for string operators: dynamic values as JSON, datetimes and timespans in Kusto form. */
export function operandText(value: Value, type: KustoColumnType): string {
  return valueToString(value, type);
}

/** `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`: the right side is a list of values or a one-column table. */
function compileInList(node: Node, operator: string, list: Node, scope: Scope): Compiled {
  const left = compileExpression(requireChild(node, 'Left'), scope);
  const candidates = listValues(list, scope);
  const type = columnTypeOf(node);
  if (operator === 'has_any' || operator === 'has_all') {
    return compileStringOperator(node, operator, left, { fn: () => candidates, type: 'dynamic', deps: new Set() }, scope, left.deps);
  }
  const insensitive = operator.endsWith('~');
  const negated = operator.startsWith('!');
  const keys = new Set<unknown>();
  for (const candidate of candidates) {
    keys.add(membershipKey(candidate as Value, left.type, insensitive));
  }
  const read = left.fn;
  const leftType = left.type;
  return {
    fn: (row) => {
      const value = read(row);
      if (value === null) {
        return negated ? null : false;
      }
      const found = keys.has(membershipKey(value, leftType, insensitive));
      return negated ? !found : found;
    },
    type,
    deps: left.deps,
  };
}

function membershipKey(value: Value, type: KustoColumnType, insensitive: boolean): unknown {
  if (typeof value === 'string') {
    return insensitive ? value.toLowerCase() : value;
  }
  if (value !== null && typeof value === 'object') {
    const text = JSON.stringify(value);
    return insensitive ? text.toLowerCase() : text;
  }
  if (insensitive && value !== null && type !== 'dynamic') {
    return valueToString(value, type).toLowerCase();
  }
  return value;
}

/** Evaluates the right side of `in`: constants, dynamic arrays (flattened) or the first column of a table. */
function listValues(list: Node, scope: Scope): unknown[] {
  const values: unknown[] = [];
  for (const element of elementsOf(childOf(list, 'Expressions'))) {
    if (tableColumnsOf(element)) {
      const table = evaluateTabular(element, scope);
      const first = table.columns[0];
      for (let row = 0; first && row < table.rowCount; row++) {
        values.push(firstColumnValue(table, row));
      }
      continue;
    }
    const compiled = compileExpression(element, { ...scope, table: undefined });
    const value = compiled.fn(0);
    if (Array.isArray(value)) {
      values.push(...(value as unknown[]));
    } else if (value !== null) {
      values.push(value);
    }
  }
  return values;
}

function firstColumnValue(table: ColumnarTable, row: number): unknown {
  return columnReader(table.column(0))(row);
}

/** `x between (a .. b)`; with a datetime or timespan start and a timespan end, the end is start + end. */
function compileBetween(node: Node, operator: string, couple: Node, scope: Scope): Compiled {
  const left = compileExpression(requireChild(node, 'Left'), scope);
  const first = compileExpression(requireChild(couple, 'First'), scope);
  const second = compileExpression(requireChild(couple, 'Second'), scope);
  const relative = second.type === 'timespan' && first.type === 'datetime';
  const negated = operator.startsWith('!');
  const value = left.fn;
  const low = first.fn;
  const high = second.fn;
  return {
    fn: (row) => {
      const x = value(row);
      const start = low(row);
      let end = high(row);
      if (x === null || start === null || end === null) {
        return null;
      }
      if (relative) {
        end = (start as number) + (end as number);
      }
      const inside = compareValues(x, start) >= 0 && compareValues(x, end) <= 0;
      return negated ? !inside : inside;
    },
    type: 'bool',
    deps: unionDeps([left, first, second]),
  };
}
