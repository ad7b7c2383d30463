/**
 * The union type-conflict rule. When tables in a `union` define a column with
 * different types (Status is dynamic in SigninLogs but a string in
 * AADNonInteractiveUserSignInLogs), union keeps both as Status_dynamic and
 * Status_string, and a later `Status` no longer binds. The binder then
 * reports an unknown name. This rule names the cause and the fix instead.
 */
import { walkSyntax, type QueryAnalysis, type SyntaxNodeView } from '../kusto/service';
import type { TableSchema } from '../schema/tables';
import type { RuleFinding } from './rules';

export const UNION_TYPE_CONFLICT_CODE = 'HL004';

/** Returns the column's type in each table of `tableNames` that has it. */
function columnTypes(name: string, tableNames: readonly string[], schemas: readonly TableSchema[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const tableName of tableNames) {
    const type = schemas.find((table) => table.name === tableName)?.columns.find((column) => column.name === name)?.type;
    if (type) {
      types.set(tableName, type);
    }
  }
  return types;
}

/** Returns the names of the tables that a union operator reads directly. */
function unionTables(union: SyntaxNodeView): string[] {
  const names: string[] = [];
  walkSyntax(union, (node) => {
    if (node.kind === 'NameReference' && node.symbol?.kind === 'Table') {
      names.push(node.symbol.name);
    }
  });
  return names;
}

/**
 * Finds names that do not bind after a union whose tables give that column
 * different types. NOTE: only tables named inside the union operator count,
 * not a table piped into it.
 */
export function unionTypeConflicts(analysis: QueryAnalysis, schemas: readonly TableSchema[]): RuleFinding[] {
  const unions: Array<{ end: number; tables: string[] }> = [];
  const unbound: SyntaxNodeView[] = [];
  walkSyntax(analysis.syntax, (node) => {
    if (node.kind === 'UnionOperator') {
      unions.push({ end: node.start + node.length, tables: unionTables(node) });
    } else if (node.kind === 'NameReference' && node.symbol === undefined) {
      unbound.push(node);
    }
  });
  const findings: RuleFinding[] = [];
  for (const name of unbound) {
    const union = unions.find((candidate) => candidate.end <= name.start);
    if (!union) {
      continue;
    }
    const types = columnTypes(name.text, union.tables, schemas);
    const distinct = [...new Set(types.values())];
    if (distinct.length < 2) {
      continue;
    }
    const perTable = [...types].map(([table, type]) => `${type} in ${table}`).join(', ');
    const renamed = distinct.map((type) => `${name.text}_${type}`);
    const canMerge = distinct.length === 2 && distinct.includes('dynamic') && distinct.includes('string');
    const merged = `coalesce(${name.text}_dynamic, todynamic(${name.text}_string))`;
    const fix = { title: `Merge into ${merged}`, edits: [{ start: name.start, length: name.length, newText: merged }] };
    findings.push({
      rule: 'unionTypeConflict',
      code: UNION_TYPE_CONFLICT_CODE,
      message:
        `${name.text} has different types in the union (${perTable}), so union renamed it to ${renamed.join(' and ')}. ` +
        (canMerge ? `Use ${merged}.` : `Use ${renamed.join(' or ')}, or convert the column to one type in each table before the union.`),
      start: name.start,
      length: name.length,
      severity: 'error',
      ...(canMerge ? { fix } : {}),
      replacesParserErrors: true,
    });
  }
  return findings;
}
