/**
 * Editor features of Microsoft's Kusto language service (completion, quick
 * info, related elements and classifications) over one statement block, returned as plain
 * data. Offsets are UTF-16 code units from the start of the block text.
 */
import type { TableSchema } from '../schema/tables';
import { language, listItems, type KustoCodeService } from './bridge';
import { cachedCodeService, rememberCodeService } from './codeServices';
import { globalsFor } from './service';

/** Names of Kusto.Language.Editor.CompletionKind values, by value. */
const COMPLETION_KINDS = [
  'Unknown', 'Keyword', 'Punctuation', 'Syntax', 'Identifier', 'Example', 'ScalarPrefix', 'TabularPrefix',
  'TabularSuffix', 'QueryPrefix', 'CommandPrefix', 'ScalarInfix', 'RenderChart', 'Column', 'Table',
  'BuiltInFunction', 'LocalFunction', 'DatabaseFunction', 'AggregateFunction', 'Parameter', 'Variable',
  'Database', 'Cluster', 'MaterializedView', 'EntityGroup', 'Graph', 'ScalarType', 'Option', 'StoredQueryResult',
] as const;

export type CompletionKindName = (typeof COMPLETION_KINDS)[number];

export interface KqlCompletionItem {
  readonly label: string;
  readonly kind: CompletionKindName;
  /** Text inserted before the cursor. */
  readonly beforeText: string;
  /** Text inserted after the cursor, such as the closing `)` of a call. */
  readonly afterText: string;
  /** The language service's ranking, for sorting. */
  readonly orderText: string;
}

export interface KqlCompletions {
  /** Start and length of the text that an item replaces. */
  readonly editStart: number;
  readonly editLength: number;
  readonly items: readonly KqlCompletionItem[];
}

export type RelatedElementKind = 'syntax' | 'reference' | 'declaration' | 'other';

export interface KqlRelatedElement {
  readonly start: number;
  readonly length: number;
  readonly kind: RelatedElementKind;
}

/** QuickInfoKind values of Error, Warning and Suggestion: diagnostics already show these. */
const DIAGNOSTIC_QUICK_INFO_KINDS = new Set([1, 2, 3]);

const RELATED_KINDS: readonly RelatedElementKind[] = ['syntax', 'reference', 'declaration', 'other'];

function serviceFor(text: string, tables: readonly TableSchema[]): KustoCodeService {
  const cached = cachedCodeService(text, tables);
  if (cached) {
    return cached;
  }
  const { KustoCode, Editor } = language();
  const service = new Editor.KustoCodeService.ctor(KustoCode.ParseAndAnalyze(text, globalsFor(tables)));
  rememberCodeService(text, tables, service);
  return service;
}

function defaultToken(): ReturnType<ReturnType<typeof language>['Utils']['CancellationToken']['getDefaultValue']> {
  return language().Utils.CancellationToken.getDefaultValue();
}

/** Returns the completion items at `offset` in `text`, bound against `tables`. */
export function completionsAt(text: string, tables: readonly TableSchema[], offset: number): KqlCompletions {
  const { Editor } = language();
  const info = serviceFor(text, tables).GetCompletionItems(offset, Editor.CompletionOptions.Default, defaultToken());
  if (!info) {
    return { editStart: offset, editLength: 0, items: [] };
  }
  const items = listItems(info.Items).map((item) => ({
    label: item.DisplayText ?? '',
    kind: COMPLETION_KINDS[item.Kind] ?? 'Unknown',
    beforeText: item.BeforeText ?? item.DisplayText ?? '',
    afterText: item.AfterText ?? '',
    orderText: item.OrderText ?? item.DisplayText ?? '',
  }));
  return { editStart: info.EditStart, editLength: info.EditLength, items };
}

/**
 * Returns the quick-info lines at `offset`: the symbol's signature and type
 * (`ResultType: string`, `(function) bin(value, roundTo): datetime`) followed
 * by its documentation, or an empty list when there is nothing to show.
 */
export function quickInfoAt(text: string, tables: readonly TableSchema[], offset: number): string[] {
  const { Editor } = language();
  const info = serviceFor(text, tables).GetQuickInfo(offset, Editor.QuickInfoOptions.Default, defaultToken());
  return listItems(info?.Items)
    .filter((item) => !DIAGNOSTIC_QUICK_INFO_KINDS.has(item.Kind))
    .map((item) => item.Text ?? '')
    .filter((line) => line.trim().length > 0);
}

/** Returns the declaration and references of the name at `offset`, including the name itself. */
export function relatedElementsAt(text: string, tables: readonly TableSchema[], offset: number): KqlRelatedElement[] {
  const info = serviceFor(text, tables).GetRelatedElements(offset, 0, defaultToken());
  return listItems(info?.Elements).map((element) => ({
    start: element.Start,
    length: element.Length,
    kind: RELATED_KINDS[element.Kind] ?? 'other',
  }));
}

/** Names of Kusto.Language.Editor.ClassificationKind values, by value. */
const CLASSIFICATION_KINDS = [
  'PlainText', 'Comment', 'Punctuation', 'Directive', 'Literal', 'StringLiteral', 'Type', 'Column', 'Table',
  'Database', 'Function', 'Parameter', 'Variable', 'Identifier', 'ClientParameter', 'QueryParameter',
  'ScalarOperator', 'MathOperator', 'QueryOperator', 'Command', 'Keyword', 'MaterializedView', 'SchemaMember',
  'SignatureParameter', 'Option',
] as const;

export type ClassificationKindName = (typeof CLASSIFICATION_KINDS)[number];

export interface KqlClassifiedRange {
  readonly start: number;
  readonly length: number;
  readonly kind: ClassificationKindName;
}

/** Returns the bound classification (column, table, function, keyword…) of every token in `text`, in text order. */
export function classificationsOf(text: string, tables: readonly TableSchema[]): KqlClassifiedRange[] {
  const info = serviceFor(text, tables).GetClassifications(0, text.length, false, true, defaultToken());
  return listItems(info?.Classifications).map((range) => ({
    start: range.Start,
    length: range.Length,
    kind: CLASSIFICATION_KINDS[range.Kind] ?? 'PlainText',
  }));
}
