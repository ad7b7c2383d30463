/**
 * CodeLens above each statement block of a KQL document. Before the block has
 * run, the lens is *Run*. After a run, there is one lens per flagged entity
 * (up to `huntLens.pivots.maxLenses`) and *more…*, and once the block is
 * edited, one stale lens. Lenses refresh through onDidChangeCodeLenses when a
 * document changes and when a run finishes.
 */
import * as vscode from 'vscode';
import { findBlocks } from '../extension/blocks';
import { config } from '../extension/config';
import { leadingCommentLines } from '../hunts/document';
import { isCancelledRun } from '../results/model';
import { rowCount } from '../runner/shape';
import { isStale, type BlockRun, type BlockRuns } from './blockRuns';
import type { FlaggedEntity } from './entities';
import { entityTitle, utcClock } from './lensTitle';
import { availablePivots, defaultPivot, pivotDefinition } from './pivotQuery';

export class PivotLensProvider implements vscode.CodeLensProvider {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(private readonly runs: BlockRuns) {}

  /** Asks VS Code to call provideCodeLenses again. */
  refresh(): void {
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lines = document.getText().split(/\r?\n/);
    const uri = document.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    for (const block of findBlocks(lines)) {
      const blockLines = lines.slice(block.startLine, block.endLine + 1);
      if (leadingCommentLines(blockLines).length === blockLines.length) {
        continue;
      }
      const range = new vscode.Range(block.startLine, 0, block.startLine, 0);
      const run = this.runs.at(uri, block.startLine);
      lenses.push(...blockLenses(run, lines, range, uri));
    }
    return lenses;
  }
}

function pivotLabel(entity: FlaggedEntity, huntId: string | undefined): string {
  const kind = defaultPivot(entity, huntId);
  return kind === undefined ? 'a pivot' : pivotDefinition(kind).label;
}

function blockLenses(run: BlockRun | undefined, lines: readonly string[], range: vscode.Range, uri: string): vscode.CodeLens[] {
  const runCommand = (title: string, tooltip?: string): vscode.CodeLens =>
    new vscode.CodeLens(range, { title, tooltip, command: 'huntLens.runBlock', arguments: [uri, range.start.line] });

  if (!run) {
    return [runCommand('$(play) Run', 'Run this block on the active connection')];
  }
  if (isStale(run, lines)) {
    return [runCommand(`$(warning) Edited since the run at ${utcClock(run.result.startedAt)}: run again for current pivots`, 'The pivots of the earlier run are hidden because the query changed.')];
  }
  if (isCancelledRun(run.result)) {
    return [runCommand(`$(circle-slash) Run cancelled at ${utcClock(run.result.startedAt)} · Run again`, 'The run was cancelled before it finished, so there are no pivots.')];
  }
  if (run.result.status === 'Failure') {
    return [runCommand(`$(error) Run failed (${run.result.error?.code ?? 'unknown error'}) · Run again`)];
  }

  const rows = rowCount(run.result);
  const pivotable = run.entities.filter((entity) => availablePivots(entity).length > 0);
  if (pivotable.length === 0) {
    const summary = run.huntId === undefined ? `${rows} ${rows === 1 ? 'row' : 'rows'}` : `${rows} ${rows === 1 ? 'row' : 'rows'}, nothing flagged to pivot from`;
    return [runCommand(`$(refresh) ${summary} · Run again`)];
  }

  const limit = config.maxPivotLenses;
  const lenses = pivotable.slice(0, limit).map(
    (entity) =>
      new vscode.CodeLens(range, {
        title: entityTitle(entity),
        tooltip: `Open "${pivotLabel(entity, run.huntId)}" for this entity in a new KQL editor`,
        command: 'huntLens.pivotFromLens',
        arguments: [run.id, run.entities.indexOf(entity)],
      }),
  );
  if (pivotable.length > limit) {
    lenses.push(
      new vscode.CodeLens(range, {
        title: `more… (${pivotable.length - limit})`,
        tooltip: 'Pick one of the other flagged entities',
        command: 'huntLens.pickFlaggedEntity',
        arguments: [run.id],
      }),
    );
  }
  return lenses;
}
