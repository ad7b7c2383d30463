/**
 * The last run of each statement block in open KQL documents, kept in step
 * with edits: a change above a block moves it, a change inside it makes it
 * stale. Pure (line numbers only), so it is unit-tested without VS Code.
 */
import { BLANK_LINE, findBlocks } from '../extension/blocks';
import type { QueryResult } from '../results/model';
import type { FlaggedEntity } from './entities';

export interface BlockRun {
  /** Unique in this window, such as `r4`; lens commands carry it. */
  id: string;
  documentUri: string;
  /** Zero-based, inclusive lines of the block as it is now. */
  startLine: number;
  endLine: number;
  /** The block's text when it ran; a block whose text differs is stale. */
  text: string;
  /** True when the run's last line was the last line of its statement block, so a line typed right below it joins the block. */
  endsBlock?: boolean;
  result: QueryResult;
  huntId?: string;
  entities: FlaggedEntity[];
  missingColumns: string[];
  /** The trail step that records this run. */
  stepId?: string;
  /** The connection the document pins with `// connection: <name>`, which its pivots pin too. */
  connectionName?: string;
}

/** One text change in line terms: lines startLine..endLine were replaced by `insertedLines` lines. */
export interface LineChange {
  startLine: number;
  endLine: number;
  insertedLines: number;
  /**
   * True when the change only adds lines after the end of `startLine` and
   * leaves that line's text as it was, as Enter at the end of a line does.
   * Such a change on a block's last line starts a new line below the block
   * instead of editing it.
   */
  appendsAfterLine?: boolean;
}

/** How many closed documents keep their runs for a reopen; the oldest closed one is dropped first. */
export const MAX_CLOSED_DOCUMENTS = 20;

export class BlockRuns {
  private readonly byDocument = new Map<string, BlockRun[]>();
  /** Runs of closed documents, oldest closed first, kept so reopening the file brings its lenses back. */
  private readonly closed = new Map<string, BlockRun[]>();
  private nextId = 1;

  /** Records a run, replacing earlier runs of blocks that overlap it. */
  record(run: Omit<BlockRun, 'id'>): BlockRun {
    const recorded: BlockRun = { id: `r${this.nextId++}`, ...run };
    const others = (this.byDocument.get(run.documentUri) ?? []).filter(
      (existing) => existing.endLine < run.startLine || existing.startLine > run.endLine,
    );
    this.byDocument.set(run.documentUri, [...others, recorded]);
    return recorded;
  }

  find(id: string): BlockRun | undefined {
    for (const runs of this.byDocument.values()) {
      const run = runs.find((candidate) => candidate.id === id);
      if (run) {
        return run;
      }
    }
    return undefined;
  }

  /** Returns the run recorded for the block that starts at `startLine`. */
  at(documentUri: string, startLine: number): BlockRun | undefined {
    return this.byDocument.get(documentUri)?.find((run) => run.startLine === startLine);
  }

  forDocument(documentUri: string): readonly BlockRun[] {
    return this.byDocument.get(documentUri) ?? [];
  }

  /** Moves or stretches the runs of a document after an edit; apply changes in the order the editor reports them. */
  applyChange(documentUri: string, change: LineChange): void {
    const delta = change.insertedLines - (change.endLine - change.startLine + 1);
    for (const run of this.byDocument.get(documentUri) ?? []) {
      if (change.endLine < run.startLine) {
        run.startLine += delta;
        run.endLine += delta;
      } else if (change.appendsAfterLine && change.startLine === run.endLine) {
        continue;
      } else if (change.startLine <= run.endLine) {
        // The edit touches the block: its end moves, and the text check marks it stale.
        // An edit that runs past the block's end, such as undoing Enter and a line typed
        // below it, leaves the block ending where the edit's text ends.
        const end = change.endLine > run.endLine ? change.startLine + change.insertedLines - 1 : run.endLine + delta;
        run.endLine = Math.max(run.startLine, end);
      }
    }
  }

  /** Forgets the runs of a document, such as an untitled one that cannot be opened again. */
  forget(documentUri: string): void {
    this.byDocument.delete(documentUri);
    this.closed.delete(documentUri);
  }

  /**
   * Sets the runs of a closed document aside until `reopen`. Edits made while
   * it is closed are not seen, so `reopen` checks each block's text again.
   */
  close(documentUri: string): void {
    const runs = this.byDocument.get(documentUri);
    this.byDocument.delete(documentUri);
    if (!runs || runs.length === 0) {
      return;
    }
    this.closed.delete(documentUri);
    this.closed.set(documentUri, runs);
    for (const uri of this.closed.keys()) {
      if (this.closed.size <= MAX_CLOSED_DOCUMENTS) {
        break;
      }
      this.closed.delete(uri);
    }
  }

  /**
   * Brings back each run of a reopened document whose block, found by its
   * text, is unchanged. Runs whose text is no longer a block of the document
   * are dropped. Returns how many runs came back.
   */
  reopen(documentUri: string, lines: readonly string[]): number {
    const runs = this.closed.get(documentUri);
    this.closed.delete(documentUri);
    if (!runs) {
      return 0;
    }
    const blocks = findBlocks(lines).map((block) => ({ ...block, text: lines.slice(block.startLine, block.endLine + 1).join('\n').trimEnd() }));
    const kept: BlockRun[] = [];
    for (const run of runs) {
      const text = run.text.trimEnd();
      // The recorded line comes first, so of two equal blocks the one the run was on wins.
      const block = blocks.find((candidate) => candidate.startLine === run.startLine && candidate.text === text) ?? blocks.find((candidate) => candidate.text === text);
      if (block && !kept.some((other) => other.startLine === block.startLine)) {
        kept.push({ ...run, startLine: block.startLine, endLine: block.endLine, endsBlock: true });
      }
    }
    if (kept.length > 0) {
      this.byDocument.set(documentUri, kept);
    }
    return kept.length;
  }
}

/**
 * True when the block's current text is not the text that ran. Whitespace and
 * blank lines at the end do not count, so a line break typed after the
 * block's last line leaves it fresh. A line typed right below a block that
 * the run covered to its end extends the block, which makes it stale.
 */
export function isStale(run: BlockRun, lines: readonly string[]): boolean {
  if (lines.slice(run.startLine, run.endLine + 1).join('\n').trimEnd() !== run.text.trimEnd()) {
    return true;
  }
  const nextLine = lines[run.endLine + 1];
  return run.endsBlock === true && nextLine !== undefined && !BLANK_LINE.test(nextLine);
}

/**
 * Returns true when an edit that replaced an empty range with `insertedText`
 * only added lines after the end of its line. That is so when the text starts
 * with a line break and the line where it ends (`lastInsertedLine`, read
 * after the edit) contains nothing but the text's last line, because then no
 * text followed the insertion point.
 */
export function appendsAfterLine(rangeIsEmpty: boolean, insertedText: string, lastInsertedLine: string | undefined): boolean {
  const inserted = insertedText.split(/\r\n|\r|\n/);
  return rangeIsEmpty && inserted.length > 1 && inserted[0] === '' && lastInsertedLine === inserted[inserted.length - 1];
}
