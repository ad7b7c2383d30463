/**
 * Statement blocks of a KQL document as the server analyzes them: the text of
 * each blank-line-separated block, the target whose schemas it binds against,
 * and conversions between block offsets and document positions.
 *
 * Target rule (src/hunts/document.ts, shared with the query runner): a
 * document binds against the Log Analytics schemas unless its leading
 * comments hold the directive `// huntLens: target=defenderXdr`. A block
 * tagged `// hunt: <id>` binds against that library hunt's target instead.
 */
import { findBlocks } from '../extension/blocks';
import { blockTarget, documentTarget } from '../hunts/document';
import type { HuntTarget } from '../hunts/types';

export { documentTarget };

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface DocumentBlock {
  /** Zero-based document lines, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** The block's lines joined with \n, whatever the document's line endings. */
  readonly text: string;
  readonly target: HuntTarget;
  /** Offset of each block line's first character in `text`. */
  readonly lineStarts: readonly number[];
}

/** Splits document text into lines at \r\n, \n or a lone \r, as LSP positions count them. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

let wholeDocument = false;

/** Makes documentBlocks() return the whole document as one block (the benchmark baseline) or split it. */
export function setAnalysisScope(scope: 'block' | 'document'): void {
  wholeDocument = scope === 'document';
}

/** Splits a document into statement blocks and picks each block's target. */
export function documentBlocks(lines: readonly string[]): DocumentBlock[] {
  const defaultTarget = documentTarget(lines);
  const blocks = wholeDocument ? [{ startLine: 0, endLine: lines.length - 1 }] : findBlocks(lines);
  return blocks.map((block) => {
    const blockLines = lines.slice(block.startLine, block.endLine + 1);
    const target = blockTarget(blockLines, defaultTarget);
    const lineStarts: number[] = [];
    let offset = 0;
    for (const line of blockLines) {
      lineStarts.push(offset);
      offset += line.length + 1;
    }
    return { startLine: block.startLine, endLine: block.endLine, text: blockLines.join('\n'), target, lineStarts };
  });
}

/** Converts an offset in the block text to a document position. */
export function positionInDocument(block: DocumentBlock, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, block.text.length));
  let low = 0;
  let high = block.lineStarts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (block.lineStarts[middle] <= clamped) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return { line: block.startLine + low, character: clamped - block.lineStarts[low] };
}

/** Converts a document position inside the block to an offset in the block text. */
export function offsetInBlock(block: DocumentBlock, position: Position): number {
  const lineIndex = position.line - block.startLine;
  const lineStart = block.lineStarts[lineIndex] ?? block.text.length;
  const lineEnd = block.lineStarts[lineIndex + 1] !== undefined ? block.lineStarts[lineIndex + 1] - 1 : block.text.length;
  return Math.min(lineStart + position.character, lineEnd);
}

/** Returns the block that contains the document line, or undefined between blocks. */
export function blockAtLine(blocks: readonly DocumentBlock[], line: number): DocumentBlock | undefined {
  return blocks.find((block) => block.startLine <= line && line <= block.endLine);
}
