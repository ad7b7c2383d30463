/**
 * Hunt Lens's own checks on a bound statement block, for mistakes that the
 * Kusto binder accepts or reports in words that do not name the fix. Each
 * finding has a stable code, a message that names the fix and, where one
 * exists, the text edits of a quick fix. Offsets are relative to the block.
 */
import { findStringNumberComparisons } from '../kusto/comparisons';
import { walkSyntax, type QueryAnalysis, type SyntaxNodeView } from '../kusto/service';
import type { RuleId } from '../protocol/languageServer';
import type { TableSchema } from '../schema/tables';
import { UNION_TYPE_CONFLICT_CODE, unionTypeConflicts } from './unionRule';

export interface TextEdit {
  readonly start: number;
  readonly length: number;
  readonly newText: string;
}

export interface RuleFinding {
  readonly rule: RuleId;
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
  readonly severity: 'error' | 'warning' | 'information';
  readonly fix?: { readonly title: string; readonly edits: readonly TextEdit[] };
  /**
   * Binder errors inside this range are replaced by the finding, because they
   * describe the same mistake less helpfully (for example KS142 on
   * `Status.additionalDetails` when Status is text).
   */
  readonly replacesParserErrors?: boolean;
}

export const RULE_CODES: Readonly<Record<RuleId, string>> = {
  textNumberComparison: 'HL001',
  jsonTextProperty: 'HL002',
  missingTimeFilter: 'HL003',
  unionTypeConflict: UNION_TYPE_CONFLICT_CODE,
};

/**
 * Sign-in tables large enough that a query without a time filter scans the
 * whole retention period. Each maps to its time column.
 */
const LARGE_SIGNIN_TABLES: ReadonlyMap<string, string> = new Map([
  ['SigninLogs', 'TimeGenerated'],
  ['AADNonInteractiveUserSignInLogs', 'TimeGenerated'],
  ['AADSignInEventsBeta', 'Timestamp'],
  ['EntraIdSignInEvents', 'Timestamp'],
  ['IdentityLogonEvents', 'Timestamp'],
]);

const TIME_COLUMNS = new Set(['TimeGenerated', 'Timestamp']);

/** Runs the enabled rules over one analyzed block, whose tables are `schemas`. */
export function runRules(analysis: QueryAnalysis, enabled: ReadonlySet<RuleId>, schemas: readonly TableSchema[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (enabled.has('textNumberComparison')) {
    findings.push(...textNumberComparisons(analysis));
  }
  if (enabled.has('jsonTextProperty')) {
    findings.push(...jsonTextProperties(analysis));
  }
  if (enabled.has('missingTimeFilter')) {
    findings.push(...missingTimeFilters(analysis));
  }
  if (enabled.has('unionTypeConflict')) {
    findings.push(...unionTypeConflicts(analysis, schemas));
  }
  return findings;
}

function textNumberComparisons(analysis: QueryAnalysis): RuleFinding[] {
  return findStringNumberComparisons(analysis).map((comparison) => {
    const quoted = `"${comparison.number.replace(/^\+/, '')}"`;
    return {
      rule: 'textNumberComparison',
      code: RULE_CODES.textNumberComparison,
      message:
        `${comparison.stringOperand} is text, so \`${comparison.text}\` compares it with the number ${comparison.number} ` +
        `and does not reliably match. Compare with the string ${quoted} instead.`,
      start: comparison.numberStart,
      length: comparison.numberLength,
      severity: 'warning',
      fix: {
        title: `Quote the number: ${quoted}`,
        edits: [{ start: comparison.numberStart, length: comparison.numberLength, newText: quoted }],
      },
    };
  });
}

/**
 * Finds `Column.property` and `Column[index]` where the column is text. In
 * AADNonInteractiveUserSignInLogs, Status, AuthenticationDetails and other
 * JSON columns are strings, so they must be parsed with todynamic() first.
 */
function jsonTextProperties(analysis: QueryAnalysis): RuleFinding[] {
  const findings: RuleFinding[] = [];
  walkSyntax(analysis.syntax, (node) => {
    if (node.kind !== 'PathExpression' && node.kind !== 'ElementExpression') {
      return;
    }
    const target = node.child('Expression');
    if (!target || target.kind !== 'NameReference' || target.type !== 'string' || target.symbol?.kind !== 'Column') {
      return;
    }
    const access = node.kind === 'PathExpression' ? `.${node.child('Selector')?.text ?? ''}` : node.text.slice(target.length);
    findings.push({
      rule: 'jsonTextProperty',
      code: RULE_CODES.jsonTextProperty,
      message:
        `${target.text} is a string that contains JSON, so \`${node.text}\` cannot read a property from it. ` +
        `Parse it first: todynamic(${target.text})${access}.`,
      start: node.start,
      length: node.length,
      severity: 'error',
      fix: {
        title: `Parse ${target.text} with todynamic()`,
        edits: [{ start: target.start, length: target.length, newText: `todynamic(${target.text})` }],
      },
      replacesParserErrors: true,
    });
  });
  return findings;
}

/**
 * Flags each reference to a large sign-in table when the block never refers to
 * a time column. NOTE: the check is per block, so a filter on one side of a
 * join also counts for the other side.
 */
function missingTimeFilters(analysis: QueryAnalysis): RuleFinding[] {
  const tableReferences: SyntaxNodeView[] = [];
  let hasTimeColumn = false;
  walkSyntax(analysis.syntax, (node) => {
    if (node.kind !== 'NameReference') {
      return;
    }
    const symbol = node.symbol;
    if (symbol?.kind === 'Table' && LARGE_SIGNIN_TABLES.has(symbol.name)) {
      tableReferences.push(node);
    } else if (symbol?.kind === 'Column' && TIME_COLUMNS.has(symbol.name)) {
      hasTimeColumn = true;
    }
  });
  if (hasTimeColumn) {
    return [];
  }
  return tableReferences.map((table) => {
    const timeColumn = LARGE_SIGNIN_TABLES.get(table.symbol?.name ?? '') ?? 'TimeGenerated';
    const filter = `| where ${timeColumn} > ago(1d)`;
    return {
      rule: 'missingTimeFilter',
      code: RULE_CODES.missingTimeFilter,
      message: `${table.text} is read without a time filter, so the query scans its whole retention. Add \`${filter}\` after it.`,
      start: table.start,
      length: table.length,
      severity: 'warning',
      fix: {
        title: `Add ${filter}`,
        edits: [{ start: table.start + table.length, length: 0, newText: `\n${filter}` }],
      },
    };
  });
}
