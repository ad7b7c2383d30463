/**
 * Hunt Lens's own checks on a bound statement block, for mistakes that the
 * Kusto binder accepts or reports in words that do not name the fix. Each
 * finding has a stable code, a message that names the fix and, where one
 * exists, the text edits of a quick fix. Offsets are relative to the block.
 */
import { findStringNumberComparisons } from '../kusto/comparisons';
import { walkSyntax, type QueryAnalysis, type SyntaxNodeView } from '../kusto/service';
import type { RuleId } from '../protocol/languageServer';
import { filtersOnTime } from '../runner/connections';
import type { TableSchema } from '../schema/tables';
import { UNKNOWN_OPERATOR_CODE, unknownOperators } from './operatorRule';
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

/** The huntLens settings that the rules read. */
export interface RuleSettings {
  readonly enabled: ReadonlySet<RuleId>;
  /** huntLens.defaultTimespan: the time range the query runner sends with a query that does not filter on time. */
  readonly defaultTimespan: string;
  /**
   * True when the block runs on the local data folder, where the runner reads
   * every loaded row and sends no time range.
   */
  readonly localData: boolean;
}

export const RULE_CODES: Readonly<Record<RuleId, string>> = {
  textNumberComparison: 'HL001',
  jsonTextProperty: 'HL002',
  missingTimeFilter: 'HL003',
  unionTypeConflict: UNION_TYPE_CONFLICT_CODE,
  unknownOperator: UNKNOWN_OPERATOR_CODE,
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
export function runRules(analysis: QueryAnalysis, settings: RuleSettings, schemas: readonly TableSchema[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const enabled = settings.enabled;
  if (enabled.has('textNumberComparison')) {
    findings.push(...textNumberComparisons(analysis));
  }
  if (enabled.has('jsonTextProperty')) {
    findings.push(...jsonTextProperties(analysis));
  }
  if (enabled.has('missingTimeFilter')) {
    findings.push(...missingTimeFilters(analysis, settings));
  }
  if (enabled.has('unionTypeConflict')) {
    findings.push(...unionTypeConflicts(analysis, schemas));
  }
  if (enabled.has('unknownOperator')) {
    findings.push(...unknownOperators(analysis.text, analysis.diagnostics));
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

/** Comparisons that bound a time column when it is one of their operands. */
const TIME_BOUNDS = new Set([
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
  'EqualExpression',
  'NotEqualExpression',
  'BetweenExpression',
  'NotBetweenExpression',
]);

/**
 * True when a time column reference sits in a comparison or between() inside
 * a where or filter operator. A column that is only projected, summarized or
 * passed to another function does not limit the rows.
 */
function isTimeFilter(reference: SyntaxNodeView): boolean {
  let compared = false;
  for (let node = reference.parent; node; node = node.parent) {
    if (TIME_BOUNDS.has(node.kind)) {
      compared = true;
    } else if (node.kind === 'FilterOperator') {
      return compared;
    } else if (node.kind.endsWith('Operator') || node.kind === 'PipeExpression') {
      return false;
    }
  }
  return false;
}

/**
 * Flags each reference to a large sign-in table when the block never compares
 * a time column in a where or filter. The query runner sends
 * huntLens.defaultTimespan with a query that has no time filter (see
 * filtersOnTime), so such a block is bounded when Hunt Lens runs it on a
 * service, but not when it is pasted into the portal or a rule. That case is
 * reported as information that names the range. A block that calls ago(),
 * between() or datetime() on another column gets no range from the runner and
 * scans the whole retention, which is a warning. On local data the runner
 * sends no range and reads every loaded row, which is information.
 * NOTE: the check is per block, so a filter on one side of a join also counts
 * for the other side.
 */
function missingTimeFilters(analysis: QueryAnalysis, settings: RuleSettings): RuleFinding[] {
  const tableReferences: SyntaxNodeView[] = [];
  let filtersTime = false;
  walkSyntax(analysis.syntax, (node) => {
    if (node.kind !== 'NameReference') {
      return;
    }
    const symbol = node.symbol;
    if (symbol?.kind === 'Table' && LARGE_SIGNIN_TABLES.has(symbol.name)) {
      tableReferences.push(node);
    } else if (symbol?.kind === 'Column' && TIME_COLUMNS.has(symbol.name) && isTimeFilter(node)) {
      filtersTime = true;
    }
  });
  if (filtersTime) {
    return [];
  }
  const runnerSendsRange = !settings.localData && !filtersOnTime(analysis.text);
  return tableReferences.map((table) => {
    const timeColumn = LARGE_SIGNIN_TABLES.get(table.symbol?.name ?? '') ?? 'TimeGenerated';
    const filter = `| where ${timeColumn} > ago(1d)`;
    return {
      rule: 'missingTimeFilter',
      code: RULE_CODES.missingTimeFilter,
      message: missingTimeFilterMessage(table.text, timeColumn, filter, settings, runnerSendsRange),
      start: table.start,
      length: table.length,
      severity: runnerSendsRange || settings.localData ? 'information' : 'warning',
      fix: {
        title: `Add ${filter}`,
        edits: [{ start: table.start + table.length, length: 0, newText: `\n${filter}` }],
      },
    };
  });
}

function missingTimeFilterMessage(table: string, timeColumn: string, filter: string, settings: RuleSettings, runnerSendsRange: boolean): string {
  if (settings.localData) {
    return (
      `${table} has no filter on ${timeColumn}. On local data Hunt Lens reads every loaded row, with now() at the reference time ` +
      `(huntLens.localData.referenceTime). In the portal, in a rule or through the API it scans the whole retention. Add \`${filter}\` after it.`
    );
  }
  if (runnerSendsRange) {
    return (
      `${table} has no time filter. Hunt Lens runs this query over the last ${settings.defaultTimespan} (huntLens.defaultTimespan), ` +
      `but in the portal, in a rule or through the API it scans the whole retention. Add \`${filter}\` after it to keep the range in the query.`
    );
  }
  return (
    `${table} has no filter on ${timeColumn}. The query calls ago(), between() or datetime(), so Hunt Lens sends no time range ` +
    `and the query scans the whole retention of ${table}. Add \`${filter}\` after it.`
  );
}
