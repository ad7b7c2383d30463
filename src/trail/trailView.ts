/**
 * The Investigation Trail view and its commands: Back, Forward, Export Trail
 * and Clear Trail. The trail is stored in the workspace state after every
 * change, so it survives a window reload. The results of its steps stay in
 * memory only.
 */
import * as vscode from 'vscode';
import { showErrorWithLog, type Log } from '../extension/log';
import { isCancelledRun, type QueryResult } from '../results/model';
import type { ResultsApi } from '../webview/results';
import { onDidSaveEvidence } from '../evidence/saveEvidence';
import { utcClock } from '../pivots/lensTitle';
import { evidenceLink, trailMarkdown } from './markdown';
import { Trail, type TrailStep } from './trail';

export const TRAIL_VIEW_ID = 'huntLens.trail';
const TRAIL_STATE_KEY = 'huntLens.trail';
/** Workspace state key that receives an unreadable stored trail, so a failed restore loses nothing. */
const UNREADABLE_TRAIL_KEY = 'huntLens.trail.unreadable';

/** Results of runs in this window, by trail step id; at most this many are kept. */
const MAX_RESULTS_IN_MEMORY = 50;

export class TrailService implements vscode.TreeDataProvider<TrailStep>, vscode.Disposable {
  readonly trail: Trail;
  private readonly results = new Map<string, QueryResult>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<TrailStep>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly resultsApi: ResultsApi,
  ) {
    this.trail = this.restore();
    this.view = vscode.window.createTreeView(TRAIL_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changeEmitter,
      vscode.commands.registerCommand('huntLens.openTrailStep', (id: unknown) => this.open(typeof id === 'string' ? id : undefined)),
      vscode.commands.registerCommand('huntLens.showPreviousTrailStep', () => this.move('back')),
      vscode.commands.registerCommand('huntLens.showNextTrailStep', () => this.move('forward')),
      vscode.commands.registerCommand('huntLens.exportTrail', (target: unknown) => this.export(target instanceof vscode.Uri ? target : undefined)),
      vscode.commands.registerCommand('huntLens.clearTrail', () => this.clear()),
      onDidSaveEvidence(({ result, saved }) => this.linkEvidence(result, [saved.json, saved.csv])),
    );
  }

  /** Adds saved evidence files to the step whose result they came from, so the exported trail links them. */
  private linkEvidence(result: QueryResult, files: readonly vscode.Uri[]): void {
    const id = [...this.results.entries()].find(([, kept]) => kept === result)?.[0];
    const step = id === undefined ? undefined : this.trail.find(id);
    if (!step) {
      return;
    }
    this.trail.update(step.id, { evidence: [...(step.evidence ?? []), ...files.map((file) => file.toString())] });
    this.changed();
  }

  dispose(): void {
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  /** Adds a step, keeps its result in memory when given, and stores the trail. */
  add(step: Omit<TrailStep, 'id'>, result?: QueryResult): TrailStep {
    const added = this.trail.add(step);
    if (result) {
      this.keepResult(added.id, result);
    }
    this.changed();
    return added;
  }

  /** Records a run's outcome on an existing step (a pivot that has now run). */
  completeStep(id: string, changes: Partial<Omit<TrailStep, 'id'>>, result: QueryResult): TrailStep | undefined {
    const step = this.trail.update(id, changes);
    if (step) {
      this.trail.select(id);
      this.keepResult(id, result);
      this.changed();
    }
    return step;
  }

  /** Returns the result of a step while it is still in memory. */
  resultOf(id: string): QueryResult | undefined {
    return this.results.get(id);
  }

  getChildren(step?: TrailStep): TrailStep[] {
    return this.trail.childrenOf(step?.id);
  }

  getParent(step: TrailStep): TrailStep | undefined {
    return step.source?.stepId === undefined ? undefined : this.trail.find(step.source.stepId);
  }

  getTreeItem(step: TrailStep): vscode.TreeItem {
    const index = this.trail.all.indexOf(step);
    const hasChildren = this.trail.childrenOf(step.id).length > 0;
    const item = new vscode.TreeItem(`${index + 1}. ${step.title}`, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = step.id;
    item.description = stepDescription(step);
    item.tooltip = `${step.kind === 'pivot' ? 'Pivot' : 'Run'} at ${step.time}${step.target ? ` on ${step.target}` : ''}${step.error ? `: ${step.error.code}: ${step.error.message}` : ''}`;
    const isCurrent = this.trail.currentStep === step;
    let icon = step.kind === 'pivot' ? 'arrow-right' : 'play';
    if (isCurrent) {
      icon = 'debug-stackframe';
    }
    item.iconPath = new vscode.ThemeIcon(icon);
    item.contextValue = 'trailStep';
    item.command = { command: 'huntLens.openTrailStep', title: 'Open Step', arguments: [step.id] };
    return item;
  }

  /** Selects a step, reopens its query, and its results when they are still in memory. */
  async open(id: string | undefined): Promise<TrailStep | undefined> {
    const step = id === undefined ? this.trail.currentStep : this.trail.find(id);
    if (!step) {
      void vscode.window.showWarningMessage(`Trail step ${id ?? '(none)'} was not found: it may have been cleared. Pick a step in the Investigation Trail view.`);
      return undefined;
    }
    this.trail.select(step.id);
    this.changed();
    await this.showQuery(step);
    const result = this.results.get(step.id);
    if (result) {
      await this.resultsApi.showResults(result);
    } else if (step.rowCount !== undefined) {
      void vscode.window.showInformationMessage(`The results of step "${step.title}" are no longer in memory. Run its query again to see them.`);
    }
    return step;
  }

  /** Writes the trail as Markdown to `target`, or to a file picked in a save dialog; returns the file. */
  async export(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (this.trail.all.length === 0) {
      void vscode.window.showWarningMessage('The investigation trail is empty: run a hunt or a pivot first, then export the trail.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Investigation Trail',
        defaultUri: folder ? vscode.Uri.joinPath(folder, 'investigation-trail.md') : undefined,
        filters: { Markdown: ['md'] },
      }));
    if (!uri) {
      return undefined;
    }
    try {
      const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString();
      const text = trailMarkdown(this.trail, new Date().toISOString(), (evidence) => evidenceLink(evidence, uri.toString(), root));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    } catch (error) {
      this.log.error(`Exporting the investigation trail to ${uri.toString()} failed`, error);
      void showErrorWithLog(this.log, `Exporting the investigation trail to ${uri.fsPath} failed: ${error instanceof Error ? error.message : String(error)}. Pick another folder.`);
      return undefined;
    }
    this.log.info(`Exported the investigation trail (${this.trail.all.length} steps) to ${uri.toString()}`);
    void this.offerToOpen(uri);
    return uri;
  }

  /** Confirms an export with the file's path and opens the file when the user presses Open. */
  private async offerToOpen(uri: vscode.Uri): Promise<void> {
    const steps = this.trail.all.length;
    const where = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    const choice = await vscode.window.showInformationMessage(`Exported the investigation trail (${steps} ${steps === 1 ? 'step' : 'steps'}) to ${where}.`, 'Open');
    if (choice !== 'Open') {
      return;
    }
    try {
      await vscode.window.showTextDocument(uri, { preview: false });
    } catch (error) {
      this.log.error(`Opening the exported investigation trail ${uri.toString()} failed`, error);
      void showErrorWithLog(this.log, `Opening ${where} failed: ${error instanceof Error ? error.message : String(error)}. Open it from the Explorer.`);
    }
  }

  private async move(direction: 'back' | 'forward'): Promise<TrailStep | undefined> {
    const step = direction === 'back' ? this.trail.back() : this.trail.forward();
    if (!step) {
      void vscode.window.showInformationMessage(direction === 'back' ? 'This is the first step of the trail.' : 'This is the last step of the trail.');
      return undefined;
    }
    return this.open(step.id);
  }

  private async clear(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Clear the investigation trail (${this.trail.all.length} steps)? Export it first to keep a record.`,
      { modal: true },
      'Clear',
    );
    if (choice === 'Clear') {
      this.trail.clear();
      this.results.clear();
      this.changed();
    }
  }

  /** Shows the step's document when it is still open, else opens its query in a new KQL editor. */
  private async showQuery(step: TrailStep): Promise<void> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === step.documentUri);
    const document = open ?? (await vscode.workspace.openTextDocument({ language: 'kql', content: step.query }));
    await vscode.window.showTextDocument(document, { preview: false });
  }

  private keepResult(id: string, result: QueryResult): void {
    this.results.set(id, result);
    for (const key of this.results.keys()) {
      if (this.results.size <= MAX_RESULTS_IN_MEMORY) {
        break;
      }
      this.results.delete(key);
    }
  }

  private changed(): void {
    this.changeEmitter.fire();
    this.context.workspaceState.update(TRAIL_STATE_KEY, this.trail.toJSON()).then(undefined, (error: unknown) => {
      this.log.error('Storing the investigation trail failed', error);
    });
  }

  private restore(): Trail {
    const stored = this.context.workspaceState.get<unknown>(TRAIL_STATE_KEY);
    if (stored === undefined) {
      return new Trail();
    }
    try {
      return Trail.fromJSON(stored);
    } catch (error) {
      this.log.warn(`Could not restore the investigation trail; it was kept under ${UNREADABLE_TRAIL_KEY} and a new trail started (${error instanceof Error ? error.message : String(error)})`);
      void this.context.workspaceState.update(UNREADABLE_TRAIL_KEY, stored);
      return new Trail();
    }
  }
}

function stepDescription(step: TrailStep): string {
  const rows = step.rowCount === undefined ? 'not run' : `${step.rowCount} ${step.rowCount === 1 ? 'row' : 'rows'}`;
  const cancelled = step.status !== undefined && isCancelledRun({ status: step.status, error: step.error });
  const status = step.status && step.status !== 'Success' ? ` · ${cancelled ? 'Cancelled' : step.status}` : '';
  return `${rows}${status} · ${utcClock(step.time)}`;
}
