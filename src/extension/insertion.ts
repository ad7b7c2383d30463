import { BLANK_LINE, blockAtLine } from './blocks';

/** Where and what to insert so that a new statement block is separate from its neighbours. */
export interface InsertionPlan {
  /** Zero-based line at whose end the text goes (0 with `replaceAll` for an empty document). */
  line: number;
  /** Text to insert at the end of `line`, using `\n` line breaks. */
  text: string;
  /** Zero-based line where the inserted block starts once the edit is applied. */
  firstLine: number;
  /** True when the document is blank and the block replaces it. */
  replaceAll: boolean;
}

/**
 * Plans the insertion of a block after the block under the cursor, or at a
 * blank cursor line, with exactly one blank line between it and its
 * neighbours, so it runs and folds on its own and no existing line changes.
 */
export function planBlockInsertion(lines: readonly string[], cursorLine: number, block: string): InsertionPlan {
  const body = block.trimEnd();
  if (lines.every((line) => BLANK_LINE.test(line))) {
    return { line: 0, text: `${body}\n`, firstLine: 0, replaceAll: true };
  }

  const current = blockAtLine(lines, cursorLine);
  const line = current ? current.endLine : Math.min(cursorLine, lines.length - 1);
  const nextLine = lines[line + 1];

  // After a block, one line break ends its last line and a second leaves a
  // blank line. On a blank line, one break keeps that line as the separator.
  const leading = BLANK_LINE.test(lines[line] ?? '') ? '\n' : '\n\n';
  // At the end of the document a final line break lets Enter on the block's
  // last line start a new line below it. A non-blank line right after the
  // insertion point gets this break too, which leaves a blank line before it.
  const trailing = nextLine === undefined || !BLANK_LINE.test(nextLine) ? '\n' : '';

  return { line, text: `${leading}${body}${trailing}`, firstLine: line + leading.length, replaceAll: false };
}
