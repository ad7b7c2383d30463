/**
 * Semantic tokens from the Kusto service's classifications, so that a column,
 * a table, a let name and a function are colored by what they bind to rather
 * than by the TextMate grammar's guess.
 */
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classificationsOf, type ClassificationKindName } from '../kusto/editor';
import { MAX_BLOCK_LENGTH } from './blockDiagnostics';
import { documentBlocks, positionInDocument, splitLines } from './blockText';
import { schemaFor } from './workspaceSchemas';

const TOKEN_TYPES = ['comment', 'keyword', 'string', 'number', 'operator', 'type', 'class', 'property', 'function', 'parameter', 'variable', 'namespace', 'macro'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [] };

/** Classification kinds that get a token; plain text, punctuation and unbound identifiers keep the grammar's color. */
const TOKEN_TYPE_OF: Partial<Record<ClassificationKindName, TokenType>> = {
  Comment: 'comment',
  Directive: 'macro',
  Literal: 'number',
  StringLiteral: 'string',
  Type: 'type',
  Column: 'property',
  SchemaMember: 'property',
  Option: 'property',
  Table: 'class',
  MaterializedView: 'class',
  Database: 'namespace',
  Function: 'function',
  Parameter: 'parameter',
  SignatureParameter: 'parameter',
  QueryParameter: 'parameter',
  ClientParameter: 'parameter',
  Variable: 'variable',
  ScalarOperator: 'operator',
  MathOperator: 'operator',
  QueryOperator: 'keyword',
  Command: 'keyword',
  Keyword: 'keyword',
};

/**
 * Documents longer than this get no semantic tokens, because classifying
 * means binding every block on each request. The figure is an estimate.
 */
const MAX_DOCUMENT_LENGTH = 500_000;

/** Returns the semantic tokens of every block that is short enough to bind. */
export function semanticTokens(document: TextDocument): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  const text = document.getText();
  if (text.length > MAX_DOCUMENT_LENGTH) {
    return builder.build();
  }
  for (const block of documentBlocks(splitLines(text))) {
    if (block.text.length > MAX_BLOCK_LENGTH) {
      continue;
    }
    for (const range of classificationsOf(block.text, schemaFor(document.uri, block.target).tables)) {
      const type = TOKEN_TYPE_OF[range.kind];
      if (!type || range.length === 0) {
        continue;
      }
      const typeIndex = TOKEN_TYPES.indexOf(type);
      // A token may not span lines, so a multi-line string or comment is split at each line end.
      let start = range.start;
      const end = range.start + range.length;
      while (start < end) {
        const position = positionInDocument(block, start);
        const lineEnd = block.text.indexOf('\n', start);
        const pieceEnd = lineEnd === -1 || lineEnd > end ? end : lineEnd;
        if (pieceEnd > start) {
          builder.push(position.line, position.character, pieceEnd - start, typeIndex, 0);
        }
        start = pieceEnd + 1;
      }
    }
  }
  return builder.build();
}
