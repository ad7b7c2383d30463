/**
 * Request handlers of the KQL language server other than diagnostics:
 * completion, hover, signature help, definition and references of let names, document
 * symbols (one per statement block) and quick fixes. Each works on the
 * statement block under the position, bound against that block's target.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  InsertTextFormat,
  SymbolKind,
  type CodeAction,
  type CodeActionParams,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type SignatureHelp,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionsAt, quickInfoAt, relatedElementsAt, type CompletionKindName } from '../kusto/editor';
import { DIAGNOSTIC_SOURCE, MAX_BLOCK_LENGTH, type DiagnosticFix } from './blockDiagnostics';
import { signatureHelpAt } from './signatureHelp';
import { schemaFor } from './workspaceSchemas';
import { blockAtLine, documentBlocks, documentTarget, offsetInBlock, positionInDocument, splitLines, type DocumentBlock } from './blockText';

interface DocumentBlocks {
  readonly version: number;
  readonly lines: readonly string[];
  readonly blocks: readonly DocumentBlock[];
}

const blocksByDocument = new WeakMap<TextDocument, DocumentBlocks>();

function blocksOf(document: TextDocument): DocumentBlocks {
  const cached = blocksByDocument.get(document);
  if (cached && cached.version === document.version) {
    return cached;
  }
  const lines = splitLines(document.getText());
  const result = { version: document.version, lines, blocks: documentBlocks(lines) };
  blocksByDocument.set(document, result);
  return result;
}

/**
 * Returns the block under the position. On a blank line, where a user starts
 * typing the next line of a query, that is the block just above extended by
 * the blank line, or the blank line alone when no block ends above it.
 */
function blockForLine(document: TextDocument, line: number): DocumentBlock | undefined {
  const { lines, blocks } = blocksOf(document);
  const block = blockAtLine(blocks, line);
  if (block || line >= lines.length) {
    return block;
  }
  const above = blocks.find((candidate) => candidate.endLine === line - 1);
  const lineText = lines[line];
  if (above) {
    const text = `${above.text}\n${lineText}`;
    return { ...above, endLine: line, text, lineStarts: [...above.lineStarts, above.text.length + 1] };
  }
  return { startLine: line, endLine: line, text: lineText, target: documentTarget(lines), lineStarts: [0] };
}

/** Returns the block under the position and the position's offset in it, unless the block is too long to bind. */
function locate(document: TextDocument, position: Position): { block: DocumentBlock; offset: number } | undefined {
  const block = blockForLine(document, position.line);
  if (!block || block.text.length > MAX_BLOCK_LENGTH) {
    return undefined;
  }
  return { block, offset: offsetInBlock(block, position) };
}

const COMPLETION_KINDS: Partial<Record<CompletionKindName, CompletionItemKind>> = {
  Keyword: CompletionItemKind.Keyword,
  Syntax: CompletionItemKind.Keyword,
  QueryPrefix: CompletionItemKind.Keyword,
  TabularPrefix: CompletionItemKind.Keyword,
  TabularSuffix: CompletionItemKind.Keyword,
  ScalarPrefix: CompletionItemKind.Keyword,
  ScalarInfix: CompletionItemKind.Operator,
  Punctuation: CompletionItemKind.Operator,
  Column: CompletionItemKind.Field,
  Table: CompletionItemKind.Class,
  BuiltInFunction: CompletionItemKind.Function,
  AggregateFunction: CompletionItemKind.Function,
  LocalFunction: CompletionItemKind.Function,
  DatabaseFunction: CompletionItemKind.Function,
  Variable: CompletionItemKind.Variable,
  Parameter: CompletionItemKind.Variable,
  ScalarType: CompletionItemKind.TypeParameter,
  RenderChart: CompletionItemKind.EnumMember,
  Option: CompletionItemKind.Property,
  Example: CompletionItemKind.Value,
};

/** Escapes text for an LSP snippet, where `$`, `}` and `\` are special. */
function snippetText(text: string): string {
  return text.replace(/[$}\\]/g, (character) => `\\${character}`);
}

export function completion(document: TextDocument, position: Position): CompletionItem[] {
  const located = locate(document, position);
  if (!located) {
    return [];
  }
  const { block, offset } = located;
  const completions = completionsAt(block.text, schemaFor(document.uri, block.target).tables, offset);
  const range = {
    start: positionInDocument(block, completions.editStart),
    end: positionInDocument(block, completions.editStart + completions.editLength),
  };
  return completions.items.map((item, index) => {
    const snippet = item.afterText.length > 0;
    const newText = snippet ? `${snippetText(item.beforeText)}$0${snippetText(item.afterText)}` : item.beforeText;
    return {
      label: item.label,
      kind: COMPLETION_KINDS[item.kind] ?? CompletionItemKind.Text,
      detail: item.kind,
      // The service returns items in its ranking order, which this keeps.
      sortText: String(index).padStart(5, '0'),
      filterText: item.label,
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText },
    };
  });
}

export function signatureHelp(document: TextDocument, position: Position): SignatureHelp | null {
  const located = locate(document, position);
  return located ? signatureHelpAt(located.block.text, schemaFor(document.uri, located.block.target).tables, located.offset) : null;
}

export function hover(document: TextDocument, position: Position): Hover | null {
  const located = locate(document, position);
  if (!located) {
    return null;
  }
  const lines = quickInfoAt(located.block.text, schemaFor(document.uri, located.block.target).tables, located.offset);
  if (lines.length === 0) {
    return null;
  }
  const [signature, ...documentation] = lines;
  const value = ['```kql', signature, '```', ...documentation].join('\n');
  return { contents: { kind: 'markdown', value } };
}

function relatedLocations(document: TextDocument, position: Position, kinds: ReadonlySet<string>): Location[] {
  const located = locate(document, position);
  if (!located) {
    return [];
  }
  const { block, offset } = located;
  return relatedElementsAt(block.text, schemaFor(document.uri, block.target).tables, offset)
    .filter((element) => kinds.has(element.kind))
    .map((element) => ({
      uri: document.uri,
      range: { start: positionInDocument(block, element.start), end: positionInDocument(block, element.start + element.length) },
    }));
}

/** Returns where the let name (or other declared name) under the position is declared. */
export function definition(document: TextDocument, position: Position): Location[] {
  return relatedLocations(document, position, new Set(['declaration']));
}

/** Returns every use of the name under the position, with its declaration when `includeDeclaration` is set. */
export function references(document: TextDocument, position: Position, includeDeclaration: boolean): Location[] {
  const kinds = new Set(includeDeclaration ? ['declaration', 'reference'] : ['reference']);
  return relatedLocations(document, position, kinds);
}

/** Names a block by its first comment (a hunt's title) or its first line of code. */
function blockName(block: DocumentBlock): string {
  const firstLine = block.text.split('\n', 1)[0].trim();
  const name = firstLine.startsWith('//') ? firstLine.replace(/^\/\/+\s*/, '') : firstLine;
  return (name || 'KQL block').slice(0, 80);
}

export function documentSymbols(document: TextDocument): DocumentSymbol[] {
  return blocksOf(document).blocks.map((block) => {
    const lastLine = block.text.slice(block.lineStarts[block.lineStarts.length - 1]);
    const range = { start: { line: block.startLine, character: 0 }, end: { line: block.endLine, character: lastLine.length } };
    return { name: blockName(block), kind: SymbolKind.Module, range, selectionRange: range };
  });
}

function isDiagnosticFix(data: unknown): data is DiagnosticFix {
  return typeof data === 'object' && data !== null && typeof (data as DiagnosticFix).title === 'string' && Array.isArray((data as DiagnosticFix).edits);
}

/** Returns the quick fixes carried by Hunt Lens diagnostics in the request's context. */
export function codeActions(params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || !isDiagnosticFix(diagnostic.data)) {
      continue;
    }
    actions.push({
      title: diagnostic.data.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [params.textDocument.uri]: diagnostic.data.edits.map((edit) => ({ range: edit.range, newText: edit.newText })) } },
    });
  }
  return actions;
}
