/**
 * Loads Microsoft's Kusto language service (`@kusto/language-service-next`,
 * the Kusto.Language parser and binder compiled to JavaScript with Bridge.NET)
 * and declares the narrow views of its object model that service.ts uses.
 *
 * The package is about 31 MB on disk and has no module entry that works in
 * Node: its two scripts expect to be evaluated in order as browser-style
 * globals, after which `globalThis.Kusto.Language` exists. They are evaluated
 * on first use, once per process, and define the globals `Bridge`, `System`
 * and `Kusto`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

// ---------------------------------------------------------------------------
// Narrow views of the parts of the Bridge.NET object model used here. Property
// names follow the C# API, which the compiled package keeps.

/** A .NET IReadOnlyList as Bridge.NET exposes it. */
export interface BridgeList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

export interface KustoSymbol {
  readonly Name: string;
  readonly Kind: number;
}

export interface KustoColumnSymbol extends KustoSymbol {
  readonly Type: KustoSymbol;
}

/** A type symbol. Table types also carry their columns. */
export interface KustoTypeSymbol extends KustoSymbol {
  readonly Columns?: BridgeList<KustoColumnSymbol>;
}

export interface KustoSyntaxElement {
  readonly Kind: number;
  readonly IsToken: boolean;
  readonly ChildCount: number;
  readonly NameInParent: string | null;
  readonly TextStart: number;
  readonly Width: number;
  GetChild(index: number): KustoSyntaxElement | null;
}

export interface KustoSyntaxNode extends KustoSyntaxElement {
  readonly ResultType: KustoTypeSymbol | null;
  readonly ReferencedSymbol: KustoSymbol | null;
  /** Defined on expressions only. */
  readonly IsLiteral?: boolean;
  /** The literal's value: a JavaScript string for string literals, a Bridge.NET object for most other kinds. */
  readonly LiteralValue?: unknown;
}

export interface KustoDiagnostic {
  readonly Severity: string;
  readonly Code: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
}

export interface KustoCode {
  readonly Syntax: KustoSyntaxNode;
  readonly ResultType: KustoTypeSymbol | null;
  GetDiagnostics(): BridgeList<KustoDiagnostic>;
}

/** Opaque handles: only passed back into the language service. */
export interface KustoGlobalState {
  WithDatabase(database: KustoDatabaseSymbol): KustoGlobalState;
}
export type KustoScalarType = { readonly __kustoScalarType: never };
export type KustoColumnHandle = { readonly __kustoColumn: never };
export type KustoTableHandle = { readonly __kustoTable: never };
export type KustoDatabaseSymbol = { readonly __kustoDatabase: never };

export interface KustoLanguage {
  readonly KustoCode: {
    ParseAndAnalyze(text: string, globals: KustoGlobalState): KustoCode;
  };
  readonly GlobalState: { readonly Default: KustoGlobalState };
  readonly Symbols: {
    readonly ColumnSymbol: new (
      name: string,
      type: KustoScalarType,
      description: null,
      originalColumns: null,
      source: null,
      examples: null,
    ) => KustoColumnHandle;
    readonly TableSymbol: { readonly $ctor4: new (name: string, columns: KustoColumnHandle[]) => KustoTableHandle };
    readonly DatabaseSymbol: { readonly ctor: new (name: string, members: KustoTableHandle[]) => KustoDatabaseSymbol };
    readonly ScalarTypes: Readonly<Record<string, KustoScalarType | undefined>>;
    readonly SymbolKind: Readonly<Record<string, unknown>>;
  };
  readonly Syntax: { readonly SyntaxKind: Readonly<Record<string, unknown>> };
  readonly Editor: {
    readonly KustoCodeService: {
      readonly ctor: new (code: KustoCode) => KustoCodeService;
    };
    /** Option objects: passing null in their place makes the service return empty results. */
    readonly CompletionOptions: { readonly Default: KustoOptions };
    readonly QuickInfoOptions: { readonly Default: KustoOptions };
  };
  readonly Utils: {
    readonly CancellationToken: { getDefaultValue(): KustoCancellationToken };
  };
}

export type KustoOptions = { readonly __kustoOptions: never };
export type KustoCancellationToken = { readonly __kustoCancellationToken: never };

/** Kusto.Language.Editor.KustoCodeService: editor features over one analyzed text. */
export interface KustoCodeService {
  GetAnalyzerDiagnostics(waitForAnalysis: boolean): BridgeList<KustoDiagnostic>;
  GetCompletionItems(position: number, options: KustoOptions, token: KustoCancellationToken): KustoCompletionInfo | null;
  GetQuickInfo(position: number, options: KustoOptions, token: KustoCancellationToken): { readonly Items: BridgeList<KustoQuickInfoItem> | null } | null;
  GetClassifications(
    start: number,
    length: number,
    clipToRange: boolean,
    waitForAnalysis: boolean,
    token: KustoCancellationToken,
  ): { readonly Classifications: BridgeList<KustoClassifiedRange> | null } | null;
  /** `options` is a FindRelatedOptions value: 0 is None. */
  GetRelatedElements(position: number, options: number, token: KustoCancellationToken): { readonly Elements: BridgeList<KustoRelatedElement> | null } | null;
}

export interface KustoCompletionInfo {
  readonly Items: BridgeList<KustoCompletionItem> | null;
  readonly EditStart: number;
  readonly EditLength: number;
}

export interface KustoCompletionItem {
  /** A CompletionKind value, such as 13 (Column) or 14 (Table). */
  readonly Kind: number;
  readonly DisplayText: string | null;
  readonly MatchText: string | null;
  readonly OrderText: string | null;
  /** Text inserted before the cursor. */
  readonly BeforeText: string | null;
  /** Text inserted after the cursor, such as the `)` of a function call. */
  readonly AfterText: string | null;
}

export interface KustoQuickInfoItem {
  /** A QuickInfoKind value, such as 4 (Column) or 15 (BuiltInFunction). */
  readonly Kind: number;
  readonly Text: string | null;
}

export interface KustoClassifiedRange {
  /** A ClassificationKind value, such as 1 (Comment) or 7 (Column). */
  readonly Kind: number;
  readonly Start: number;
  readonly Length: number;
}

export interface KustoRelatedElement {
  readonly Start: number;
  readonly Length: number;
  /** A RelatedElementKind value: 0 Syntax, 1 Reference, 2 Declaration, 3 Other. */
  readonly Kind: number;
}

// ---------------------------------------------------------------------------
// Loading

/** The package scripts, in the order they must run: the Bridge.NET runtime, then Kusto.Language. */
const PACKAGE_SCRIPTS = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'];

let kusto: KustoLanguage | undefined;
let syntaxKindNames: Map<number, string> | undefined;
let symbolKindNames: Map<number, string> | undefined;

/** Returns the folder of the installed `@kusto/language-service-next` package. */
function defaultPackageDirectory(): string {
  return path.dirname(require.resolve('@kusto/language-service-next/package.json'));
}

/**
 * Evaluates the Kusto language service scripts into this process's global
 * scope, once. Later calls return at once. Pass `packageDirectory` when the
 * package is not resolvable from this module, for example from a bundle.
 */
export function loadKustoLanguage(packageDirectory?: string): void {
  if (kusto) {
    return;
  }
  const directory = packageDirectory ?? defaultPackageDirectory();
  for (const script of PACKAGE_SCRIPTS) {
    const file = path.join(directory, script);
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
  }
  const language = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto?.Language;
  if (!language) {
    throw new Error(`Loading the Kusto language service from ${directory} did not define Kusto.Language.`);
  }
  kusto = language;
  syntaxKindNames = enumNames(language.Syntax.SyntaxKind);
  symbolKindNames = enumNames(language.Symbols.SymbolKind);
}

/** Returns Kusto.Language, loading it first if needed. */
export function language(): KustoLanguage {
  loadKustoLanguage();
  return kusto!;
}

/** Maps the numeric values of a Bridge.NET enum object to their member names. */
function enumNames(enumObject: Readonly<Record<string, unknown>>): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(enumObject)) {
    if (typeof value === 'number' && !names.has(value)) {
      names.set(value, name);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------
// Helpers

/** Copies a Bridge.NET list into an array. */
export function listItems<T>(list: BridgeList<T> | null | undefined): T[] {
  const items: T[] = [];
  for (let index = 0; list && index < list.Count; index++) {
    items.push(list.getItem(index));
  }
  return items;
}

/** Returns the SymbolKind member name of `kind`, such as `Column` or `Table`. */
export function symbolKindName(kind: number): string {
  return symbolKindNames?.get(kind) ?? String(kind);
}

/**
 * Names a type symbol: the scalar name (`string`, `long`…), `dynamic` for the
 * array and bag types the binder infers for dynamic values, or the lower-case
 * symbol kind (`table`, `error`…).
 */
export function typeName(type: KustoSymbol): string {
  const kind = symbolKindName(type.Kind);
  if (kind === 'Primitive') {
    return type.Name;
  }
  if (kind === 'Array' || kind === 'Bag') {
    return 'dynamic';
  }
  return kind.toLowerCase();
}

/** Returns the SyntaxKind member name of `kind`, such as `EqualExpression`. */
export function syntaxKindName(kind: number): string {
  return syntaxKindNames?.get(kind) ?? String(kind);
}
