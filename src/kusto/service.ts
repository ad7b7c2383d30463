/**
 * Parses and binds KQL with Microsoft's Kusto language service against the
 * bundled table schemas, and exposes the bound syntax tree. The language
 * service (see bridge.ts) is loaded on the first analysis.
 *
 * Everything exported here is plain data or narrow interfaces, so the Kusto
 * object model stays inside the kusto folder.
 */
import type { KustoColumnType, TableSchema } from '../schema/tables';
import {
  language,
  listItems,
  symbolKindName,
  syntaxKindName,
  typeName,
  type KustoDiagnostic,
  type KustoGlobalState,
  type KustoSyntaxNode,
  type KustoTypeSymbol,
} from './bridge';
import { rememberCodeService } from './codeServices';

export { loadKustoLanguage } from './bridge';

// ---------------------------------------------------------------------------
// Schemas

const SCALAR_TYPE_NAMES: Record<KustoColumnType, string> = {
  string: 'String',
  long: 'Long',
  int: 'Int',
  real: 'Real',
  bool: 'Bool',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  dynamic: 'Dynamic',
  guid: 'Guid',
};

const globalsBySchema = new WeakMap<readonly TableSchema[], KustoGlobalState>();

/** Builds (or reuses) a GlobalState whose default database contains the given tables. */
export function globalsFor(tables: readonly TableSchema[]): KustoGlobalState {
  const cached = globalsBySchema.get(tables);
  if (cached) {
    return cached;
  }
  const { Symbols, GlobalState } = language();
  const tableSymbols = tables.map((table) => {
    const columns = table.columns.map((column) => {
      const scalarType = Symbols.ScalarTypes[SCALAR_TYPE_NAMES[column.type]];
      if (!scalarType) {
        throw new Error(`Column ${table.name}.${column.name} has type ${column.type}, which Kusto.Language does not define.`);
      }
      return new Symbols.ColumnSymbol(column.name, scalarType, null, null, null, null);
    });
    return new Symbols.TableSymbol.$ctor4(table.name, columns);
  });
  const database = new Symbols.DatabaseSymbol.ctor('HuntLens', tableSymbols);
  const globals = GlobalState.Default.WithDatabase(database);
  globalsBySchema.set(tables, globals);
  return globals;
}

// ---------------------------------------------------------------------------
// Analysis

export type DiagnosticSeverity = 'error' | 'warning' | 'suggestion' | 'information';

export interface KqlDiagnostic {
  readonly severity: DiagnosticSeverity;
  /** Kusto diagnostic code, for example `KS142` (unknown name) or `KS508` (join without kind). */
  readonly code: string;
  readonly message: string;
  /** Offset of the first character, in UTF-16 code units from the start of the text. */
  readonly start: number;
  readonly length: number;
  /** 1-based line of `start`. */
  readonly line: number;
  /** 1-based column of `start`, in UTF-16 code units. */
  readonly column: number;
  /** `parser` for syntax and binding errors, `analyzer` for the language service's code-quality checks. */
  readonly source: 'parser' | 'analyzer';
}

export interface ResultColumn {
  readonly name: string;
  /** Kusto type name, for example `string`, `datetime` or `dynamic`. */
  readonly type: string;
}

export interface AnalyzeOptions {
  /** Also run the language service's analyzers (warnings such as a join without a kind). Default true. */
  readonly analyzers?: boolean;
}

export interface QueryAnalysis {
  readonly text: string;
  readonly diagnostics: readonly KqlDiagnostic[];
  /** Columns of the last statement's tabular result, or undefined when it does not return a table. */
  readonly resultColumns: readonly ResultColumn[] | undefined;
  /** Root of the bound syntax tree. */
  readonly syntax: SyntaxNodeView;
}

/**
 * Parses and binds `text` against a database that contains `tables`, and returns
 * its diagnostics, its result columns and its syntax tree. Loads the Kusto
 * language service on first use.
 */
export function analyzeQuery(text: string, tables: readonly TableSchema[], options: AnalyzeOptions = {}): QueryAnalysis {
  const { KustoCode, Editor } = language();
  const code = KustoCode.ParseAndAnalyze(text, globalsFor(tables));
  const lineStarts = lineStartOffsets(text);

  const diagnostics: KqlDiagnostic[] = listItems(code.GetDiagnostics()).map((diagnostic) =>
    toDiagnostic(diagnostic, 'parser', lineStarts),
  );
  if (options.analyzers ?? true) {
    const service = new Editor.KustoCodeService.ctor(code);
    rememberCodeService(text, tables, service);
    for (const diagnostic of listItems(service.GetAnalyzerDiagnostics(true))) {
      diagnostics.push(toDiagnostic(diagnostic, 'analyzer', lineStarts));
    }
  }

  return {
    text,
    diagnostics,
    resultColumns: resultColumnsOf(code.ResultType),
    syntax: new SyntaxNodeView(code.Syntax, text, undefined),
  };
}

function toDiagnostic(diagnostic: KustoDiagnostic, source: KqlDiagnostic['source'], lineStarts: readonly number[]): KqlDiagnostic {
  const { line, column } = lineAndColumn(lineStarts, diagnostic.Start);
  return {
    severity: severityOf(diagnostic.Severity),
    code: diagnostic.Code,
    message: diagnostic.Message,
    start: diagnostic.Start,
    length: diagnostic.Length,
    line,
    column,
    source,
  };
}

function severityOf(severity: string): DiagnosticSeverity {
  switch (severity) {
    case 'Error':
      return 'error';
    case 'Warning':
      return 'warning';
    case 'Suggestion':
      return 'suggestion';
    default:
      return 'information';
  }
}

function resultColumnsOf(resultType: KustoTypeSymbol | null): ResultColumn[] | undefined {
  if (!resultType?.Columns || symbolKindName(resultType.Kind) !== 'Table') {
    return undefined;
  }
  return listItems(resultType.Columns).map((column) => ({ name: column.Name, type: typeName(column.Type) }));
}

/** Returns the offset at which each line of `text` starts. A line ends at \n, \r\n or a lone \r. */
function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const ch = text[index];
    if (ch === '\r' && text[index + 1] === '\n') {
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      starts.push(index + 1);
    }
  }
  return starts;
}

function lineAndColumn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (lineStarts[middle] <= offset) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return { line: low + 1, column: offset - lineStarts[low] + 1 };
}

// ---------------------------------------------------------------------------
// Syntax tree

export interface SymbolReference {
  readonly name: string;
  /** Kusto symbol kind, for example `Column`, `Table`, `Function` or `Variable`. */
  readonly kind: string;
}

/**
 * A read-only view of one node of the bound syntax tree. Tokens are left out:
 * a node's kind already names its operator (`EqualExpression`,
 * `InExpression`…) and its text contains the token text.
 */
export class SyntaxNodeView {
  /** Kusto SyntaxKind name, for example `BinaryExpression` kinds such as `EqualExpression`, or `NameReference`. */
  readonly kind: string;
  /** The node's role in its parent, for example `Left`, `Right` or `Expression`. */
  readonly role: string | undefined;
  readonly start: number;
  readonly length: number;

  private childViews: SyntaxNodeView[] | undefined;

  constructor(
    private readonly node: KustoSyntaxNode,
    private readonly source: string,
    readonly parent: SyntaxNodeView | undefined,
  ) {
    this.kind = syntaxKindName(node.Kind);
    this.role = node.NameInParent ?? undefined;
    this.start = node.TextStart;
    this.length = node.Width;
  }

  /** The node's source text, without leading trivia. */
  get text(): string {
    return this.source.slice(this.start, this.start + this.length);
  }

  /** The bound result type name (`string`, `long`, `table`…), or undefined when the node has none. */
  get type(): string | undefined {
    return this.node.ResultType ? typeName(this.node.ResultType) : undefined;
  }

  /** The symbol a name, call or operator binds to, if any. */
  get symbol(): SymbolReference | undefined {
    const symbol = this.node.ReferencedSymbol;
    return symbol ? { name: symbol.Name, kind: symbolKindName(symbol.Kind) } : undefined;
  }

  /** True for literal expressions such as `0`, `"0"` or `7d`. */
  get isLiteral(): boolean {
    return this.node.IsLiteral === true;
  }

  /** The value of a string literal with its escapes applied, or undefined for any other node. */
  get stringValue(): string | undefined {
    const value = this.node.IsLiteral ? this.node.LiteralValue : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  /** Child nodes in source order, tokens excluded. */
  get children(): readonly SyntaxNodeView[] {
    if (!this.childViews) {
      this.childViews = [];
      for (let index = 0; index < this.node.ChildCount; index++) {
        const child = this.node.GetChild(index);
        if (child && !child.IsToken) {
          this.childViews.push(new SyntaxNodeView(child as KustoSyntaxNode, this.source, this));
        }
      }
    }
    return this.childViews;
  }

  /** Returns the first child with the given role, for example `Left` or `Right`. */
  child(role: string): SyntaxNodeView | undefined {
    return this.children.find((child) => child.role === role);
  }
}

/**
 * Visits `root` and its descendants depth-first, parents before children.
 * Returning false from `visit` skips that node's descendants.
 */
export function walkSyntax(root: SyntaxNodeView, visit: (node: SyntaxNodeView) => boolean | void): void {
  const stack: SyntaxNodeView[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) {
      continue;
    }
    const children = node.children;
    for (let index = children.length - 1; index >= 0; index--) {
      stack.push(children[index]);
    }
  }
}
