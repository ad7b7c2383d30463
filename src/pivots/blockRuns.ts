/**
 * The last run of each statement block in open KQL documents, kept in step
 * with edits: a change above a block moves it, a change inside it makes it
 * stale. Pure (line numbers only), so it is unit-tested without VS Code.
 */
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
}

export class BlockRuns {
  private readonly byDocument = new Map<string, BlockRun[]>();
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
      } else if (change.startLine <= run.endLine) {
        // The edit touches the block: its end moves, and the text check marks it stale.
        run.endLine = Math.max(run.startLine, run.endLine + delta);
      }
    }
  }

  /** Forgets the runs of a closed document. */
  forget(documentUri: string): void {
    this.byDocument.delete(documentUri);
  }
}

/** True when the block's current text is not the text that ran. */
export function isStale(run: BlockRun, lines: readonly string[]): boolean {
  return lines.slice(run.startLine, run.endLine + 1).join('\n') !== run.text;
}
