/**
 * join (every kind) and lookup, as hash joins that build on the right side.
 * A row whose key is null matches no row.
 */
import { ColumnarTable, columnReader, gatherColumn, type Column } from './columns';
import { RunState, type Scope } from './context';
import { childOf, elementsOf, kindOf, nameOf, requireChild, tableColumnsOf, tokenText, type Node } from './syntax';
import { evaluateTabular } from './tabular';
import { textOf, type Value } from './values';

const JOIN_KINDS = new Set([
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'anti',
  'leftantisemi',
  'rightanti',
  'rightantisemi',
  'leftsemi',
  'rightsemi',
]);

type KeyReader = (row: number) => unknown;

/** Growable list of row indexes. */
class RowList {
  rows = new Int32Array(1024);
  length = 0;

  push(row: number): void {
    if (this.length === this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[this.length++] = row;
  }

  toArray(): Int32Array {
    return this.rows.subarray(0, this.length);
  }
}

function parameterText(node: Node, name: string): string | undefined {
  for (const parameter of elementsOf(childOf(node, 'Parameters'))) {
    if (nameOf(requireChild(parameter, 'Name')).toLowerCase() === name) {
      return tokenText(requireChild(parameter, 'Expression')).toLowerCase();
    }
  }
  return undefined;
}

/** Reads the `on` clause: pairs of left and right column names. */
function joinKeys(clause: Node, scope: Scope): { left: string; right: string }[] {
  return elementsOf(childOf(clause, 'Expressions')).map((condition) => {
    if (kindOf(condition) === 'NameReference') {
      const name = nameOf(condition);
      return { left: name, right: name };
    }
    if (kindOf(condition) !== 'EqualExpression') {
      throw scope.run.unsupported(condition, 'A join condition other than == between $left and $right columns');
    }
    const sides: Record<string, string> = {};
    for (const role of ['Left', 'Right']) {
      const path = requireChild(condition, role);
      const side = tokenText(requireChild(path, 'Expression')).toLowerCase();
      sides[side] = nameOf(requireChild(path, 'Selector'));
    }
    if (!sides.$left || !sides.$right) {
      throw scope.run.unsupported(condition, 'A join condition that does not compare a $left column with a $right column');
    }
    return { left: sides.$left, right: sides.$right };
  });
}

function keyReader(table: ColumnarTable, names: readonly string[], node: Node, scope: Scope): KeyReader {
  const readers = names.map((name) => {
    const index = table.columnIndex(name);
    if (index < 0) {
      throw scope.run.error('semantic', node, `The join key ${name} is not a column of its side.`);
    }
    return columnReader(table.column(index));
  });
  if (readers.length === 1) {
    const read = readers[0];
    return (row) => normalizeKey(read(row));
  }
  return (row) => {
    let key = '';
    for (const read of readers) {
      const value = normalizeKey(read(row));
      if (value === null) {
        return null;
      }
      key += `${typeof value}:${textOf(value)}\u0000`;
    }
    return key;
  };
}

function normalizeKey(value: Value): unknown {
  if (value === null || value === '') {
    return value === '' ? '' : null;
  }
  return typeof value === 'object' ? JSON.stringify(value) : value;
}

function buildIndex(table: ColumnarTable, key: KeyReader, run: RunState): Map<unknown, number[]> {
  const index = new Map<unknown, number[]>();
  for (let row = 0; row < table.rowCount; row++) {
    if ((row & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      run.checkCancelled();
    }
    const value = key(row);
    if (value === null) {
      continue;
    }
    const rows = index.get(value);
    if (rows) {
      rows.push(row);
    } else {
      index.set(value, [row]);
    }
  }
  return index;
}

export function join(node: Node, left: ColumnarTable, scope: Scope): ColumnarTable {
  const kind = parameterText(node, 'kind') ?? 'innerunique';
  if (!JOIN_KINDS.has(kind)) {
    throw scope.run.unsupported(node, `join kind=${kind}`);
  }
  if (childOf(node, 'ConditionClause') && kindOf(requireChild(node, 'ConditionClause')) !== 'JoinOnClause') {
    throw scope.run.unsupported(node, 'join with a where clause');
  }
  const right = evaluateTabular(requireChild(node, 'Expression'), { ...scope, table: undefined });
  const keys = joinKeys(requireChild(node, 'ConditionClause'), scope);
  const leftKey = keyReader(left, keys.map((key) => key.left), node, scope);
  const rightKey = keyReader(right, keys.map((key) => key.right), node, scope);
  const schema = tableColumnsOf(node) ?? [];
  const run = scope.run;

  const index = buildIndex(right, rightKey, run);
  const leftRows = new RowList();
  const rightRows = new RowList();
  const matchedRight = kind.startsWith('right') || kind === 'fullouter' ? new Uint8Array(right.rowCount) : undefined;
  const seenLeftKeys = kind === 'innerunique' ? new Set<unknown>() : undefined;
  const columnCount = left.columns.length + right.columns.length;

  for (let row = 0; row < left.rowCount; row++) {
    if ((row & (RunState.CANCEL_CHECK_ROWS - 1)) === 0) {
      run.checkCancelled();
    }
    const key = leftKey(row);
    if (seenLeftKeys) {
      if (key === null || seenLeftKeys.has(key)) {
        continue;
      }
      seenLeftKeys.add(key);
    }
    const matches = key === null ? undefined : index.get(key);
    switch (kind) {
      case 'leftanti':
      case 'anti':
      case 'leftantisemi':
        if (!matches) {
          leftRows.push(row);
        }
        continue;
      case 'leftsemi':
        if (matches) {
          leftRows.push(row);
        }
        continue;
    }
    if (matches) {
      for (const match of matches) {
        leftRows.push(row);
        rightRows.push(match);
        if (matchedRight) {
          matchedRight[match] = 1;
        }
      }
      if (leftRows.length > run.limits.maxRows) {
        run.checkSize(leftRows.length, columnCount, node, false);
      }
    } else if (kind === 'leftouter' || kind === 'fullouter') {
      leftRows.push(row);
      rightRows.push(-1);
    }
  }

  if (kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi' || kind === 'leftsemi') {
    return assemble(schema, [[left, leftRows.toArray()]], run, node);
  }
  if (kind === 'rightsemi' || kind === 'rightanti' || kind === 'rightantisemi') {
    const rows = new RowList();
    for (let row = 0; row < right.rowCount; row++) {
      if ((matchedRight![row] === 1) === (kind === 'rightsemi')) {
        rows.push(row);
      }
    }
    return assemble(schema, [[right, rows.toArray()]], run, node);
  }
  if (kind === 'rightouter' || kind === 'fullouter') {
    for (let row = 0; row < right.rowCount; row++) {
      if (matchedRight![row] !== 1) {
        leftRows.push(-1);
        rightRows.push(row);
      }
    }
  }
  run.checkSize(leftRows.length, columnCount, node);
  return assemble(schema, [[left, leftRows.toArray()], [right, rightRows.toArray()]], run, node);
}

/** Gathers each side's rows and names the columns as the binder does (duplicates get a numeric suffix). */
function assemble(
  schema: ReturnType<typeof tableColumnsOf> & object,
  sides: readonly (readonly [ColumnarTable, Int32Array])[],
  run: RunState,
  node: Node,
  skipRight?: ReadonlySet<string>,
): ColumnarTable {
  const data: Column[] = [];
  sides.forEach(([table, rows], sideIndex) => {
    table.columns.forEach((column, index) => {
      if (sideIndex === 1 && skipRight?.has(column.name)) {
        return;
      }
      data.push(gatherColumn(table.column(index), rows, column.type));
    });
  });
  if (data.length !== schema.length) {
    throw run.error('runtime', node, `The join made ${data.length} columns where the binder expects ${schema.length}. Report this query as a Hunt Lens bug.`);
  }
  return new ColumnarTable(sides[0][0].name, schema, data, sides[0][1].length);
}

/** lookup: a left outer join (or inner with kind=inner) that keeps one copy of the key columns. */
export function lookup(node: Node, left: ColumnarTable, scope: Scope): ColumnarTable {
  const kind = parameterText(node, 'kind') ?? 'leftouter';
  const right = evaluateTabular(requireChild(node, 'Expression'), { ...scope, table: undefined });
  const keys = joinKeys(requireChild(node, 'LookupClause'), scope);
  const leftKey = keyReader(left, keys.map((key) => key.left), node, scope);
  const rightKey = keyReader(right, keys.map((key) => key.right), node, scope);
  const index = buildIndex(right, rightKey, scope.run);
  const leftRows = new RowList();
  const rightRows = new RowList();
  for (let row = 0; row < left.rowCount; row++) {
    const key = leftKey(row);
    const matches = key === null ? undefined : index.get(key);
    if (matches) {
      for (const match of matches) {
        leftRows.push(row);
        rightRows.push(match);
      }
    } else if (kind !== 'inner') {
      leftRows.push(row);
      rightRows.push(-1);
    }
  }
  const schema = tableColumnsOf(node) ?? [];
  const sameNameKeys = new Set(keys.filter((key) => key.left === key.right).map((key) => key.right));
  return assemble(schema, [[left, leftRows.toArray()], [right, rightRows.toArray()]], scope.run, node, sameNameKeys);
}
