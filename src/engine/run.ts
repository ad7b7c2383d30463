/**
 * Runs a KQL query on a Database: parses and binds it with Microsoft's Kusto
 * language service against the database's tables, then evaluates each
 * statement of the bound tree.
 */
import { language, listItems } from '../kusto/bridge';
import { globalsFor } from '../kusto/service';
import type { ResultTable, Visualization } from '../results/model';
import type { Database } from './builder';
import { ColumnarTable } from './columns';
import { Environment, RunState, type Scope } from './context';
import { EngineError } from './errors';
import { toResultTable } from './output';
import { compileExpression } from './scalar';
import { childOf, elementsOf, kindOf, LineMap, nameOf, requireChild, tableColumnsOf, tokenText, type Node } from './syntax';
import { defineLet } from './lets';
import { evaluateTabular } from './tabular';
import { textOf, ticksFromEpochMs } from './values';
import { scratch } from './scratch';

export interface RunOptions {
  /** Reference time of now() and ago(), in ms since the Unix epoch. Defaults to the current time. */
  now?: number;
  /** Polled in row loops; returning true stops the run with a cancelled EngineError. */
  isCancelled?: () => boolean;
  /** Maximum rows of any table the query makes. Default 10,000,000. */
  maxRows?: number;
  /** Maximum cells (rows times columns) of any table the query makes. Default 200,000,000. */
  maxCells?: number;
}

export interface EngineResult {
  tables: ResultTable[];
  visualization?: Visualization;
  /** Database tables the query named and read, in name order. */
  tablesRead?: string[];
  /** Database tables a wildcard union (`union *`, `union Sign*`) read, in name order; they may also be in tablesRead. */
  tablesReadByWildcard?: string[];
}

// NOTE: the default limits are estimates: 200 million cells of 8 bytes are
// about 1.6 GB, near what a Node process gets by default.
const DEFAULT_MAX_ROWS = 10_000_000;
const DEFAULT_MAX_CELLS = 200_000_000;

/** Parsed and bound queries per table list, so a query run again on the same database skips the Kusto language service. */
const analyzedByTables = new WeakMap<readonly ColumnarTable[], Map<string, AnalyzedCode>>();
/** Queries kept per table list; the oldest is dropped first. */
const MAX_ANALYZED_QUERIES = 16;

/** Returns the parsed and bound tree of `query`, from the cache when the same text ran on the same tables before. */
function analyze(query: string, tables: readonly ColumnarTable[]): AnalyzedCode {
  let cache = analyzedByTables.get(tables);
  if (!cache) {
    cache = new Map();
    analyzedByTables.set(tables, cache);
  }
  const cached = cache.get(query);
  if (cached) {
    // Re-inserting moves the query to the newest end of the map's order.
    cache.delete(query);
    cache.set(query, cached);
    return cached;
  }
  const code: AnalyzedCode = language().KustoCode.ParseAndAnalyze(query, globalsFor(tables));
  cache.set(query, code);
  if (cache.size > MAX_ANALYZED_QUERIES) {
    cache.delete(cache.keys().next().value as string);
  }
  return code;
}

export function runQuery(db: Database, query: string, options: RunOptions = {}): EngineResult {
  const tables = db.tables as readonly ColumnarTable[];
  const code = analyze(query, tables);
  const lines = new LineMap(query);
  throwOnDiagnostics(code, lines);

  const run = new RunState(
    new Map(tables.map((table) => [table.name, table])),
    lines,
    ticksFromEpochMs(options.now ?? Date.now()),
    { maxRows: options.maxRows ?? DEFAULT_MAX_ROWS, maxCells: options.maxCells ?? DEFAULT_MAX_CELLS },
    options.isCancelled ?? (() => false),
  );
  const scope: Scope = { run, env: new Environment(), table: undefined };
  const results: ResultTable[] = [];
  let visualization: Visualization | undefined;

  scratch.begin();
  try {
    visualization = runStatements(code, scope, results);
  } finally {
    scratch.end();
  }
  const tablesRead = [...run.tablesRead].sort();
  const tablesReadByWildcard = [...run.tablesReadByWildcard].sort();
  return visualization ? { tables: results, visualization, tablesRead, tablesReadByWildcard } : { tables: results, tablesRead, tablesReadByWildcard };
}

/** Runs each statement, adding the result of each tabular one to `results`; returns the last render's visualization. */
function runStatements(code: AnalyzedCode, scope: Scope, results: ResultTable[]): Visualization | undefined {
  const { run } = scope;
  let visualization: Visualization | undefined;
  for (const statement of elementsOf(childOf(code.Syntax, 'Statements'))) {
    run.checkCancelled();
    switch (kindOf(statement)) {
      case 'LetStatement':
        defineLet(statement, scope);
        break;
      case 'ExpressionStatement': {
        const expression = requireChild(statement, 'Expression');
        if (!tableColumnsOf(expression)) {
          throw run.unsupported(expression, 'A statement that returns a scalar instead of a table');
        }
        const table = evaluateTabular(expression, scope);
        results.push(toResultTable(table, results.length === 0 ? 'PrimaryResult' : `Table_${results.length}`));
        visualization = renderOf(expression, scope) ?? visualization;
        break;
      }
      default:
        throw run.unsupported(statement, `The ${tokenText(statement) || kindOf(statement)} statement`);
    }
  }
  return visualization;
}

interface AnalyzedCode {
  readonly Syntax: Node;
  GetDiagnostics(): { readonly Count: number; getItem(index: number): { Severity: string; Message: string; Start: number } };
}

function throwOnDiagnostics(code: AnalyzedCode, lines: LineMap): void {
  const error = listItems(code.GetDiagnostics()).find((diagnostic) => diagnostic.Severity === 'Error');
  if (!error) {
    return;
  }
  const { line, column } = lines.position(error.Start);
  const syntax = (code.Syntax as Node & { ContainsSyntaxDiagnostics?: boolean }).ContainsSyntaxDiagnostics === true;
  throw new EngineError(syntax ? 'syntax' : 'semantic', `${error.Message} (line ${line}, column ${column})`, line, column);
}

/** Reads the render operator at the end of a statement as visualization metadata. */
function renderOf(expression: Node, scope: Scope): Visualization | undefined {
  if (kindOf(expression) !== 'PipeExpression') {
    return undefined;
  }
  const operator = requireChild(expression, 'Operator');
  if (kindOf(operator) !== 'RenderOperator') {
    return undefined;
  }
  const visualization: Visualization = { visualization: tokenText(childOf(operator, 'ChartType')).toLowerCase() };
  const withClause = childOf(operator, 'WithClause');
  for (const property of elementsOf(withClause ? childOf(withClause, 'Properties') : undefined)) {
    const key = nameOf(requireChild(property, 'Name')).toLowerCase();
    const valueNode = requireChild(property, 'Expression');
    const value = kindOf(valueNode).endsWith('LiteralExpression')
      ? compileExpression(valueNode, { ...scope, table: undefined }).fn(0)
      : tokenText(valueNode);
    const names = elementsOf(valueNode).map((item) => nameOf(item));
    switch (key) {
      case 'xcolumn':
        visualization.xColumn = textOf(value);
        break;
      case 'ycolumns':
        visualization.yColumns = names.length > 0 ? names : [textOf(value)];
        break;
      case 'series':
        visualization.series = names.length > 0 ? names : [textOf(value)];
        break;
      default:
        visualization[key === 'title' ? 'title' : key] = value;
    }
  }
  return visualization;
}
