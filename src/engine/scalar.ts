/**
 * Compiles scalar expressions of the bound syntax tree into closures that
 * evaluate one row by index. Types come from the binder, so the Kusto type of
 * every closure's result is known when it is compiled.
 */
import { symbolKindName } from '../kusto/bridge';
import type { KustoColumnType } from '../schema/tables';
import { convertInput } from './builder';
import { columnReader } from './columns';
import type { Scope } from './context';
import { callFunction } from './functions';
import { compileBinary } from './operators';
import { argumentsOf, childOf, columnTypeOf, kindOf, nameOf, requireChild, tokenText, type Node } from './syntax';
import { evaluateTabular } from './tabular';
import { parseDynamicText, type Value } from './values';

export type RowFunction = (row: number) => Value;

export interface Compiled {
  readonly fn: RowFunction;
  readonly type: KustoColumnType;
  /** Columns the value depends on, or null when it also depends on row order (prev(), row_number()…). */
  readonly deps: ReadonlySet<string> | null;
  /** Set when the expression is a bare column reference. */
  readonly column?: string;
  /**
   * Set when the value depends only on one dictionary-encoded column: that
   * column's codes and dictionary size. Rows with the same code have the same
   * value, so callers may evaluate one row per code.
   */
  readonly source?: DictionarySource;
}

export interface DictionarySource {
  readonly codes: Int32Array;
  readonly cardinality: number;
}

const NO_DEPS: ReadonlySet<string> = new Set();

export function constant(value: Value, type: KustoColumnType): Compiled {
  return { fn: () => value, type, deps: NO_DEPS };
}

/** Unions the dependencies of several compiled expressions; null (order-dependent) wins. */
export function unionDeps(parts: readonly Compiled[]): ReadonlySet<string> | null {
  const deps = new Set<string>();
  for (const part of parts) {
    if (part.deps === null) {
      return null;
    }
    part.deps.forEach((name) => deps.add(name));
  }
  return deps;
}

/** Compiles an expression, folding it to a constant when it reads no row. */
export function compileExpression(node: Node, scope: Scope): Compiled {
  const compiled = compileNode(node, scope);
  if (compiled.deps !== null && compiled.deps.size === 0 && !compiled.column) {
    const value = compiled.fn(0);
    return constant(value, compiled.type);
  }
  return compiled;
}

/**
 * Compiles an expression that is evaluated once per row of the scope's table.
 * When it depends on one dictionary-encoded column only, each distinct
 * value is computed once and cached by dictionary code. When it depends on
 * one dynamic column only, values are cached by the row's object, which pays
 * off when rows share objects.
 */
export function compileRowExpression(node: Node, scope: Scope): Compiled {
  return cacheByDictionary(compileExpression(node, scope), scope);
}

export function cacheByDictionary(compiled: Compiled, scope: Scope): Compiled {
  const table = scope.table;
  if (!table || compiled.column || compiled.deps === null || compiled.deps.size !== 1) {
    return compiled;
  }
  const [name] = compiled.deps;
  const index = table.columnIndex(name);
  const column = index >= 0 ? table.column(index) : undefined;
  if (column?.kind === 'dynamic') {
    return cacheByObject(compiled, column.values);
  }
  if (!column || column.kind !== 'dictionary') {
    return compiled;
  }
  const codes = column.codes;
  const inner = compiled.fn;
  const cache = new Array<Value>(column.dictionary.length);
  const done = new Uint8Array(column.dictionary.length);
  const fn = (row: number): Value => {
    const code = codes[row];
    if (done[code] === 1) {
      return cache[code];
    }
    const value = inner(row);
    cache[code] = value;
    done[code] = 1;
    return value;
  };
  return { fn, type: compiled.type, deps: compiled.deps, source: { codes, cardinality: column.dictionary.length } };
}

/** Rows read before the object cache checks whether it pays off. */
const OBJECT_CACHE_TRIAL_ROWS = 4096;

/**
 * Caches the value of an expression of one dynamic column by the row's
 * object (arrays and property bags; other values are computed per row). The
 * cache turns itself off when most lookups miss, as they do when every row
 * has its own object. Dynamic values are never changed in place, so a value
 * computed from one object holds for every row that shares it.
 */
function cacheByObject(compiled: Compiled, values: readonly unknown[]): Compiled {
  const inner = compiled.fn;
  let cache: Map<object, Value> | undefined = new Map();
  let lookups = 0;
  const fn = (row: number): Value => {
    const key = values[row];
    if (cache === undefined || key === null || typeof key !== 'object') {
      return inner(row);
    }
    lookups++;
    const hit = cache.get(key);
    if (hit !== undefined) {
      return hit;
    }
    const value = inner(row);
    cache.set(key, value);
    // More distinct objects than half the lookups: the cache costs more than it saves.
    if (lookups >= OBJECT_CACHE_TRIAL_ROWS && cache.size * 2 > lookups) {
      cache = undefined;
    }
    return value;
  };
  return { fn, type: compiled.type, deps: compiled.deps };
}

function compileNode(node: Node, scope: Scope): Compiled {
  const kind = kindOf(node);
  const type = columnTypeOf(node);
  switch (kind) {
    case 'ParenthesizedExpression':
      return compileExpression(requireChild(node, 'Expression'), scope);
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
      return constant(typeof node.LiteralValue === 'string' ? node.LiteralValue : '', 'string');
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression':
    case 'BooleanLiteralExpression':
    case 'DateTimeLiteralExpression':
    case 'TimespanLiteralExpression':
    case 'GuidLiteralExpression':
    case 'NullLiteralExpression':
      return constant(literalValue(node, type), type);
    case 'DynamicExpression':
      return constant(parseDynamicText(typeof node.LiteralValue === 'string' ? node.LiteralValue : 'null') as Value, 'dynamic');
    case 'NameReference':
      return compileName(node, scope);
    case 'BracketedExpression':
      return compileExpression(requireChild(node, 'Expression'), scope);
    case 'PathExpression':
      return compilePath(node, scope);
    case 'ElementExpression':
      return compileElement(node, scope);
    case 'FunctionCallExpression':
      return callFunction(node, argumentsOf(node), scope);
    case 'ToScalarExpression':
      return compileToScalar(node, scope, type);
    case 'UnaryMinusExpression': {
      const operand = compileExpression(requireChild(node, 'Expression'), scope);
      const inner = operand.fn;
      return { fn: (row) => negate(inner(row)), type, deps: operand.deps };
    }
    case 'UnaryPlusExpression':
      return compileExpression(requireChild(node, 'Expression'), scope);
    default:
      if (childOf(node, 'Left') && childOf(node, 'Right')) {
        return compileBinary(node, scope);
      }
      throw scope.run.unsupported(node, `The expression ${kind}`);
  }
}

/** toscalar(T): the first column of the first row of T, or null when T is empty. */
function compileToScalar(node: Node, scope: Scope, type: KustoColumnType): Compiled {
  const table = evaluateTabular(requireChild(node, 'Expression'), { ...scope, table: undefined });
  const value = table.rowCount > 0 && table.columns.length > 0 ? columnReader(table.column(0))(0) : null;
  return constant(value, type);
}

function negate(value: Value): Value {
  return typeof value === 'number' ? -value : null;
}

/** Converts a literal token such as `7d`, `datetime(2024-01-01)` or `long(null)` to a value. */
function literalValue(node: Node, type: KustoColumnType): Value {
  const text = tokenText(node).trim();
  const wrapped = /^[a-z_]+\s*\((.*)\)$/is.exec(text);
  const inner = (wrapped ? wrapped[1] : text).trim();
  if (inner.toLowerCase() === 'null' || kindOf(node) === 'NullLiteralExpression') {
    return null;
  }
  if (type === 'bool') {
    return inner.toLowerCase() === 'true';
  }
  if ((type === 'long' || type === 'int') && /^0x[0-9a-f]+$/i.test(inner)) {
    return parseInt(inner, 16);
  }
  return convertInput(inner, type);
}

function compileName(node: Node, scope: Scope): Compiled {
  const symbolKind = node.ReferencedSymbol ? kindOfSymbol(node) : undefined;
  const name = nameOf(node);
  if (symbolKind === 'Column' || (symbolKind === undefined && (scope.table?.columnIndex(name) ?? -1) >= 0)) {
    return compileColumn(node, name, scope);
  }
  const binding = scope.env.lookup(name);
  if (binding?.kind === 'scalar') {
    return constant(binding.value, binding.type);
  }
  if (binding?.kind === 'expression') {
    return binding.compiled;
  }
  if (binding?.kind === 'tabular') {
    throw scope.run.error('semantic', node, `${name} is a table, not a scalar value. Read one value from it with toscalar(${name}).`);
  }
  throw scope.run.unsupported(node, `The name ${name}`);
}

export function compileColumn(node: Node, name: string, scope: Scope): Compiled {
  const table = scope.table;
  const index = table ? table.columnIndex(name) : -1;
  if (!table || index < 0) {
    throw scope.run.error('semantic', node, `The column ${name} does not exist at this point of the query.`);
  }
  return { fn: columnReader(table.column(index)), type: table.columns[index].type, deps: new Set([name]), column: name };
}

function kindOfSymbol(node: Node): string {
  // SymbolKind names are looked up through the bridge's enum map.
  return symbolKindName(node.ReferencedSymbol!.Kind);
}

/** `x.name`: a column of a join side ($left.x) or a property of a dynamic value. */
function compilePath(node: Node, scope: Scope): Compiled {
  const selector = requireChild(node, 'Selector');
  const target = requireChild(node, 'Expression');
  if (node.ReferencedSymbol && kindOfSymbol(node) === 'Column') {
    return compileColumn(node, nameOf(selector), scope);
  }
  const object = compileExpression(target, scope);
  const property = nameOf(selector);
  const read = object.fn;
  const fromText = object.type === 'string';
  if (fromText) {
    return { fn: (row) => propertyOf(read(row), property, true), type: 'dynamic', deps: object.deps };
  }
  // Only names that objects inherit (toString, constructor…) need the own-property check on every read.
  const inherited = property in Object.prototype;
  return {
    fn: (row) => {
      const value = read(row);
      if (value === null || typeof value !== 'object' || inherited || Array.isArray(value)) {
        return propertyOf(value, property);
      }
      const element = (value as Record<string, unknown>)[property];
      return element === undefined ? null : element;
    },
    type: 'dynamic',
    deps: object.deps,
  };
}

function compileElement(node: Node, scope: Scope): Compiled {
  const object = compileExpression(requireChild(node, 'Expression'), scope);
  const selector = compileExpression(requireChild(node, 'Selector'), scope);
  const read = object.fn;
  const key = selector.fn;
  const fromText = object.type === 'string';
  return {
    fn: (row) => {
      const index = key(row);
      return typeof index === 'number' || typeof index === 'string' ? propertyOf(read(row), index, fromText) : null;
    },
    type: 'dynamic',
    deps: unionDeps([object, selector]),
  };
}

/** Reads a property or array element of a dynamic value; a negative index counts from the end. */
export function propertyOf(value: Value, key: string | number, fromText = false): Value {
  const object = fromText && typeof value === 'string' ? parseDynamicText(value) : value;
  if (object === null || typeof object !== 'object') {
    return null;
  }
  if (Array.isArray(object)) {
    const index = typeof key === 'number' ? key : Number(key);
    if (!Number.isInteger(index)) {
      return null;
    }
    const element: unknown = object[index < 0 ? object.length + index : index];
    return element === undefined ? null : (element);
  }
  const element = (object as Record<string, unknown>)[String(key)];
  return element === undefined || !Object.prototype.hasOwnProperty.call(object, String(key)) ? null : (element);
}
