/**
 * Table groups: the binder turns a wildcard such as `union *` or `union Sign*`
 * that matches several tables into one group symbol, and the local engine
 * expands it into the matching tables that are loaded.
 */
import { symbolKindName } from '../kusto/bridge';
import type { ColumnarTable } from './columns';
import type { Scope } from './context';
import type { Node } from './syntax';

/** The group symbol's member list, as the Kusto.Language build exposes it. */
interface GroupMembers {
  readonly Count: number;
  getItem(index: number): { readonly Name: string };
}

/**
 * Returns the loaded tables of the group an expression references, each with
 * its name as the union source, or undefined when it references no group.
 * Tables of the group that are not loaded are left out, because the loaded
 * tables are the whole database of a local run.
 */
export function loadedGroupTables(expression: Node, scope: Scope): Array<{ table: ColumnarTable; source: string }> | undefined {
  const symbol = expression.ReferencedSymbol;
  if (!symbol || symbolKindName(symbol.Kind) !== 'Group') {
    return undefined;
  }
  const members = (symbol as unknown as { Members: GroupMembers }).Members;
  const tables: Array<{ table: ColumnarTable; source: string }> = [];
  for (let index = 0; index < members.Count; index += 1) {
    const name = members.getItem(index).Name;
    const table = scope.run.tables.get(name);
    if (table) {
      scope.run.tablesReadByWildcard.add(name);
      tables.push({ table, source: name });
    }
  }
  return tables;
}
