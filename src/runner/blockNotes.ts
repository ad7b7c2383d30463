/**
 * Notes added to a failed run's message when the query held several
 * statement blocks, which the engine and the services read as one query.
 * Pure, so it is unit-tested.
 */
import { findBlocks } from '../extension/blocks';
import { leadingCommentLines } from '../hunts/document';

/** Counts the blank-line-separated blocks that hold more than comments. */
export function queryBlockCount(query: string): number {
  const lines = query.split(/\r\n|\r|\n/);
  return findBlocks(lines).filter((block) => {
    const blockLines = lines.slice(block.startLine, block.endLine + 1);
    return leadingCommentLines(blockLines).length < blockLines.length;
  }).length;
}

/** Returns the CLI's note for a query file with several blocks, or an empty string. */
export function severalBlocksNote(query: string): string {
  const blocks = queryBlockCount(query);
  return blocks < 2 ? '' : ` The query holds ${blocks} blocks separated by blank lines, and they ran together as one query. Run one block at a time.`;
}

/** Returns the editor's note for a run of the whole file because the cursor was outside every block, or an empty string. */
export function wholeFileNote(query: string): string {
  const blocks = queryBlockCount(query);
  return blocks < 2
    ? ''
    : ` The cursor was not in a block, so the whole file ran: its ${blocks} blocks ran together as one query. Put the cursor in a block, or select text, to run only that.`;
}
