/**
 * Pivots in the editor: records each finished run of a block with its
 * flagged entities, serves the lenses, and opens pivot queries from a lens,
 * the *more…* quick pick, a results row or the hunt library. Every run and
 * pivot is added to the investigation trail.
 */
import * as vscode from 'vscode';
import { blockAtLine } from '../extension/blocks';
import { askForParameters } from '../extension/commands/huntCommands';
import { config } from '../extension/config';
import type { Log } from '../extension/log';
import { huntBlock, huntIdOf, leadingCommentLines } from '../hunts/document';
import { findHunt } from '../hunts/library';
import { queryTitle } from '../hunts/queryTitle';
import type { QueryResult } from '../results/model';
import { pinnedConnectionName } from '../runner/connections';
import { countOf } from '../runner/countText';
import type { FinishedRun } from '../runner/runner';
import { rowCount } from '../runner/shape';
import { targetLabel } from '../runner/runner';
import type { TrailService } from '../trail/trailView';
import type { ResultsApi } from '../webview/results';
import { appendsAfterLine, BlockRuns, type BlockRun } from './blockRuns';
import { columnIndexes, entityTime, extractEntities, readRow, type FlaggedEntity } from './entities';
import { PivotLensProvider } from './lensProvider';
import { entityDetail, entityTitle } from './lensTitle';
import { availablePivots, buildPivot, defaultPivot, isPivotKind, PIVOTS, type PivotKind } from './pivotQuery';
import { runTimeRange } from './runRange';

/** The result of a pivot command: the opened document and the hunt and values put into it, for callers and tests. */
export interface OpenedPivot {
  document: vscode.TextDocument;
  kind: PivotKind;
  huntId: string;
  values: Record<string, string | number>;
  stepId: string;
}

/** The origin of a pivot's entity: its result, its trail step and its connection. */
export interface PivotSource {
  /** The result the entity's row is in; its time range is the pivot's range when the row has no time. */
  result: QueryResult;
  /** The trail step of that result's run, when the run is still kept. */
  stepId?: string;
  /** The connection the hunt's file pins, which the pivot pins too. */
  connectionName?: string;
}

export class PivotController implements vscode.Disposable {
  readonly runs = new BlockRuns();
  readonly lenses = new PivotLensProvider(this.runs);
  /** Trail steps of pivots opened but not run yet, by document URI. */
  private readonly pendingPivots = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly log: Log,
    private readonly trail: TrailService,
    onDidFinishRun: vscode.Event<FinishedRun>,
    private readonly results: ResultsApi,
  ) {
    this.disposables.push(
      this.lenses,
      vscode.languages.registerCodeLensProvider({ language: 'kql' }, this.lenses),
      onDidFinishRun((finished) => this.recordRun(finished)),
      vscode.workspace.onDidChangeTextDocument((event) => this.trackEdits(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.documentClosed(document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.documentOpened(document)),
      vscode.commands.registerCommand('huntLens.runBlock', (uri: unknown, line: unknown) => this.runBlock(uri, line)),
      vscode.commands.registerCommand('huntLens.pivotFromLens', (runId: unknown, index: unknown, kind: unknown) =>
        this.pivotFromRun(runId, index, isPivotKind(kind) ? kind : undefined),
      ),
      vscode.commands.registerCommand('huntLens.pickFlaggedEntity', (runId: unknown) => this.pickEntity(runId)),
      vscode.commands.registerCommand('huntLens.pivotFromHunt', (node: unknown) => this.pivotFromLibrary(node)),
      vscode.commands.registerCommand('huntLens.pivotFromResultRow', (context: unknown, kind: unknown) =>
        this.pivotFromPanel(context, isPivotKind(kind) ? kind : undefined),
      ),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  /**
   * Opens a pivot query from a flagged entity in a new KQL editor and adds it
   * to the trail. Shows an error naming the problem, and returns undefined,
   * when the entity lacks what the pivot needs.
   */
  async openPivot(kind: PivotKind, entity: FlaggedEntity, source: PivotSource): Promise<OpenedPivot | undefined> {
    let pivot;
    try {
      const runRange = runTimeRange(source.result, config.pivotLookback);
      pivot = buildPivot(kind, entity, { window: config.pivotWindow, lookback: config.pivotLookback, runRange });
      if (entityTime(entity) === undefined) {
        this.log.info(`Row ${entity.rowIndex + 1} has no time, so pivot ${kind} searches the range of its run, ${runRange.start} to ${runRange.end}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = /window|lookback/.test(message) ? ' Fix huntLens.pivots.window or huntLens.pivots.lookback in settings.' : '';
      void vscode.window.showErrorMessage(`${message}${hint}`);
      this.log.warn(`Pivot ${kind} not opened: ${message}`);
      return undefined;
    }
    // A pivot runs on the same workspace as the block it came from.
    const pin = source.connectionName === undefined ? '' : `// connection: ${source.connectionName}\n\n`;
    const document = await vscode.workspace.openTextDocument({ language: 'kql', content: pin + pivot.text });
    await vscode.window.showTextDocument(document, { preview: false });
    const step = this.trail.add({
      kind: 'pivot',
      title: pivot.hunt.title,
      query: pivot.text,
      parameters: pivot.values,
      huntId: pivot.hunt.id,
      time: new Date().toISOString(),
      source: { ...(source.stepId === undefined ? {} : { stepId: source.stepId }), entity, pivot: kind },
      documentUri: document.uri.toString(),
    });
    this.pendingPivots.set(document.uri.toString(), step.id);
    this.log.info(`Opened pivot ${kind} (hunt ${pivot.hunt.id}) as trail step ${step.id}`);
    return { document, kind, huntId: pivot.hunt.id, values: pivot.values, stepId: step.id };
  }

  /**
   * Opens a pivot from a row of a results panel. `context` is what the
   * webview's `data-vscode-context` or its *Pivot to…* button sends: the
   * stored result's id and the row's index in the first table.
   */
  private async pivotFromPanel(context: unknown, kind: PivotKind | undefined): Promise<OpenedPivot | undefined> {
    const { huntLensResultId: resultId, huntLensRow: row } = (context ?? {}) as { huntLensResultId?: unknown; huntLensRow?: unknown };
    const panel = this.results.panels.find((candidate) => candidate.resultId === resultId);
    if (!panel || typeof row !== 'number') {
      void vscode.window.showWarningMessage('That results panel is closed. Open the result again and pivot from its row.');
      return undefined;
    }
    return this.pivotFromResultRow(panel.currentResult, row, kind);
  }

  /**
   * Opens a pivot from a row of a library hunt's result, by its index in the
   * first table. Shows a quick pick of pivots when `kind` is undefined.
   */
  async pivotFromResultRow(result: QueryResult, rowIndex: number, kind: PivotKind | undefined): Promise<OpenedPivot | undefined> {
    const table = result.tables[0];
    const row = table?.rows[rowIndex];
    const run = this.runForResult(result);
    const huntId = huntIdOf(result.query.split(/\r?\n/));
    const hunt = huntId === undefined ? undefined : findHunt(huntId);
    if (!table || !row || !hunt) {
      void vscode.window.showErrorMessage(`Row ${rowIndex + 1} cannot be pivoted from: pivots start from the result of a library hunt, a block tagged // hunt: <id>.`);
      return undefined;
    }
    const entity = readRow(row, hunt.entities, columnIndexes(table), rowIndex);
    if (!entity) {
      void vscode.window.showErrorMessage(`Row ${rowIndex + 1} has no user, IP address, time or session to pivot from.`);
      return undefined;
    }
    const chosen = kind ?? (await pickPivotKind(entity));
    return chosen ? this.openPivot(chosen, entity, { result, stepId: run?.stepId, connectionName: run?.connectionName }) : undefined;
  }

  private async pivotFromRun(runId: unknown, index: unknown, kind: PivotKind | undefined): Promise<OpenedPivot | undefined> {
    const run = typeof runId === 'string' ? this.runs.find(runId) : undefined;
    const entity = run && typeof index === 'number' ? run.entities[index] : undefined;
    if (!run || !entity) {
      void vscode.window.showWarningMessage('That lens belongs to a run that is no longer kept. Run the block again.');
      return undefined;
    }
    const chosen = kind ?? defaultPivot(entity, run.huntId);
    return chosen ? this.openPivot(chosen, entity, { result: run.result, stepId: run.stepId, connectionName: run.connectionName }) : undefined;
  }

  /** Picks any flagged entity of a run, then a pivot for it, for the *more…* lens. */
  private async pickEntity(runId: unknown): Promise<OpenedPivot | undefined> {
    const run = typeof runId === 'string' ? this.runs.find(runId) : undefined;
    if (!run) {
      void vscode.window.showWarningMessage('That lens belongs to a run that is no longer kept. Run the block again.');
      return undefined;
    }
    const items = run.entities
      .filter((entity) => availablePivots(entity).length > 0)
      .map((entity) => ({ label: entityTitle(entity), detail: entityDetail(entity), entity }));
    const picked = await vscode.window.showQuickPick(items, { title: 'Flagged entities', placeHolder: 'Pick an entity to pivot from', matchOnDetail: true });
    if (!picked) {
      return undefined;
    }
    const kind = await pickPivotKind(picked.entity);
    return kind ? this.openPivot(kind, picked.entity, { result: run.result, stepId: run.stepId, connectionName: run.connectionName }) : undefined;
  }

  /** Opens a pivot hunt from the Hunt Library view, asking for its user, IP address, session and time range. */
  private async pivotFromLibrary(node: unknown): Promise<OpenedPivot | undefined> {
    const huntId = typeof node === 'string' ? node : (node as { hunt?: { id?: unknown } } | undefined)?.hunt?.id;
    const hunt = typeof huntId === 'string' ? findHunt(huntId) : undefined;
    const pivot = PIVOTS.find((candidate) => candidate.huntId === hunt?.id);
    if (!hunt || !pivot) {
      void vscode.window.showErrorMessage(`"${String(huntId)}" is not a pivot hunt. Pick one of: ${PIVOTS.map((candidate) => candidate.huntId).join(', ')}.`);
      return undefined;
    }
    const values = await askForParameters(hunt);
    if (!values) {
      return undefined;
    }
    const text = huntBlock(hunt, values);
    const document = await vscode.workspace.openTextDocument({ language: 'kql', content: text });
    await vscode.window.showTextDocument(document, { preview: false });
    const step = this.trail.add({ kind: 'pivot', title: hunt.title, query: text, parameters: values, huntId: hunt.id, time: new Date().toISOString(), documentUri: document.uri.toString() });
    this.pendingPivots.set(document.uri.toString(), step.id);
    return { document, kind: pivot.kind, huntId: hunt.id, values, stepId: step.id };
  }

  /** Runs the block that starts at `line` through *Run Query*, with the cursor placed in it. */
  private async runBlock(uri: unknown, line: unknown): Promise<unknown> {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
    if (!document || typeof line !== 'number') {
      void vscode.window.showWarningMessage('The document of that lens is no longer open. Open it and run the block again.');
      return undefined;
    }
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(line, 0, line, 0);
    return vscode.commands.executeCommand('huntLens.runQuery');
  }

  private recordRun({ request, result }: FinishedRun): void {
    const document = request.document;
    if (!document) {
      return;
    }
    const uri = document.uri.toString();
    const startLine = request.queryStart?.line ?? 0;
    const queryLines = request.query.split(/\r?\n/);
    const huntId = huntIdOf(queryLines);
    const hunt = huntId === undefined ? undefined : findHunt(huntId);
    const extraction = hunt && result.status !== 'Failure' ? extractEntities(result, hunt.entities) : { entities: [], missingColumns: [] };
    if (extraction.missingColumns.length > 0) {
      this.log.warn(`The result of hunt ${huntId ?? ''} lacks the entity columns ${extraction.missingColumns.join(', ')}; pivots use the others.`);
    }

    const stepId = this.recordTrailStep(uri, request.query, huntId, result, hunt?.title);
    const documentLines = document.getText().split(/\r?\n/);
    const connectionName = leadingCommentLines(documentLines).map(pinnedConnectionName).find((name) => name !== undefined);
    const endLine = startLine + queryLines.length - 1;
    this.runs.record({
      documentUri: uri,
      startLine,
      endLine,
      text: request.query,
      endsBlock: blockAtLine(documentLines, endLine)?.endLine === endLine,
      result,
      entities: extraction.entities,
      missingColumns: extraction.missingColumns,
      ...(huntId === undefined ? {} : { huntId }),
      stepId,
      ...(connectionName === undefined ? {} : { connectionName }),
    });
    this.lenses.refresh();
  }

  /** Completes the pending pivot step of the document, or adds a run step; returns the step id. */
  private recordTrailStep(uri: string, query: string, huntId: string | undefined, result: QueryResult, huntTitle: string | undefined): string {
    const now = result.target.kind === 'local' ? result.statistics?.now : undefined;
    const outcome = {
      target: targetLabel(result.target),
      time: result.startedAt,
      status: result.status,
      rowCount: rowCount(result),
      // Set on every run, so a pivot that failed before and now succeeds loses its old error.
      error: result.error ? { code: result.error.code, message: result.error.message } : undefined,
      requestId: result.requestId,
      query,
      ...(typeof now === 'string' ? { referenceTime: now } : {}),
    };
    const pendingId = this.pendingPivots.get(uri);
    const pending = pendingId === undefined ? undefined : this.trail.trail.find(pendingId);
    if (pending && pending.huntId === huntId) {
      this.pendingPivots.delete(uri);
      this.trail.completeStep(pending.id, outcome, result);
      return pending.id;
    }
    const title = huntTitle ?? queryTitle(query);
    return this.trail.add({ kind: 'run', title, ...(huntId === undefined ? {} : { huntId }), documentUri: uri, ...outcome }, result).id;
  }

  private documentClosed(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    this.pendingPivots.delete(uri);
    // An untitled URI such as Untitled-1 names a new, unrelated document next time.
    if (document.isUntitled) {
      this.runs.forget(uri);
    } else {
      this.runs.close(uri);
    }
  }

  private documentOpened(document: vscode.TextDocument): void {
    const restored = this.runs.reopen(document.uri.toString(), document.getText().split(/\r?\n/));
    if (restored > 0) {
      this.log.info(`Restored the lenses of ${countOf(restored, 'unchanged block')} in reopened ${document.uri.toString(true)}`);
      this.lenses.refresh();
    }
  }

  private trackEdits(event: vscode.TextDocumentChangeEvent): void {
    const uri = event.document.uri.toString();
    if (this.runs.forDocument(uri).length === 0) {
      return;
    }
    // The document reflects every change of the event, so its lines show how
    // a change ended only when the event contains that one change.
    const single = event.contentChanges.length === 1;
    for (const change of event.contentChanges) {
      const insertedLines = change.text.split(/\r\n|\r|\n/).length;
      const lastInsertedLine = change.range.start.line + insertedLines - 1;
      const lastText = single && lastInsertedLine < event.document.lineCount ? event.document.lineAt(lastInsertedLine).text : undefined;
      this.runs.applyChange(uri, {
        startLine: change.range.start.line,
        endLine: change.range.end.line,
        insertedLines,
        appendsAfterLine: appendsAfterLine(change.range.isEmpty, change.text, lastText),
      });
    }
    this.lenses.refresh();
  }

  private runForResult(result: QueryResult): BlockRun | undefined {
    for (const document of vscode.workspace.textDocuments) {
      const run = this.runs.forDocument(document.uri.toString()).find((candidate) => candidate.result === result);
      if (run) {
        return run;
      }
    }
    return undefined;
  }
}

/** Shows a quick pick of the pivots an entity has values for and returns the picked one. */
async function pickPivotKind(entity: FlaggedEntity): Promise<PivotKind | undefined> {
  const items = availablePivots(entity).map((pivot) => ({ label: pivot.label, description: pivot.huntId, pivotKind: pivot.kind }));
  const picked = await vscode.window.showQuickPick(items, { title: `Pivot to… (${entityTitle(entity)})`, placeHolder: 'Pick the query to open' });
  return picked?.pivotKind;
}

