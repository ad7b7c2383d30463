/**
 * Statement blocks: KQL editors separate queries with blank lines, as Azure
 * Data Explorer tools do. Folding uses the blocks now; running the block under
 * the cursor and CodeLens use them later. Pure, so it is unit-tested without
 * VS Code.
 */

/** A block of consecutive non-blank lines, zero-based and inclusive. */
export interface StatementBlock {
  startLine: number;
  endLine: number;
}

/** A line with nothing but white space, which separates statement blocks. */
export const BLANK_LINE = /^\s*$/;

/** Splits text into blocks separated by one or more blank lines. */
export function findBlocks(lines: readonly string[]): StatementBlock[] {
  const blocks: StatementBlock[] = [];
  let start = -1;
  let insideFence = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // A ``` multi-line string may contain blank lines without ending the block.
    const fences = countFences(line);
    const blank = BLANK_LINE.test(line) && !insideFence;
    if (fences % 2 === 1) {
      insideFence = !insideFence;
    }
    if (blank) {
      if (start >= 0) {
        blocks.push({ startLine: start, endLine: i - 1 });
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }

  if (start >= 0) {
    blocks.push({ startLine: start, endLine: lines.length - 1 });
  }
  return blocks;
}

/** Returns the block that contains the line, or undefined on a blank line between blocks. */
export function blockAtLine(lines: readonly string[], line: number): StatementBlock | undefined {
  return findBlocks(lines).find((block) => block.startLine <= line && line <= block.endLine);
}

function countFences(line: string): number {
  // Fences after `//` do not count. NOTE: lines are not tokenized, so a
  // ``` or // inside a quoted string can be miscounted.
  const comment = line.indexOf('//');
  const code = comment >= 0 ? line.slice(0, comment) : line;
  return code.split('```').length - 1;
}
