/**
 * Opens and restores results panels, and the API the query runner (and the
 * tests) call: showResults(result) opens a panel for a QueryResult.
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { config } from '../extension/config';
import { showErrorWithLog, type Log } from '../extension/log';
import type { QueryResult } from '../results/model';
import { countOf } from '../runner/countText';
import { contentSecurityPolicy, escapeHtml } from './html';
import { RESULTS_VIEW_TYPE, ResultsPanel } from './panel';
import { distinctTitle, resultTitle } from './resultHeader';
import { parseViewState, type ViewState } from './protocol';
import { parseResultFile } from './resultFile';
import { ResultStore } from './resultStore';

export interface ShowResultsOptions {
  /** The editor the query came from; with `huntLens.results.reusePanel` on, its panel is reused. */
  source?: vscode.Uri;
}

export interface ResultsApi {
  showResults(result: QueryResult, options?: ShowResultsOptions): Promise<ResultsPanel>;
  /** Panels open now, oldest first. */
  readonly panels: readonly ResultsPanel[];
}

export class ResultsPanels implements ResultsApi, vscode.Disposable {
  private readonly open = new Set<ResultsPanel>();
  private readonly bySource = new Map<string, ResultsPanel>();
  private readonly store: ResultStore;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.store = new ResultStore(context.globalStorageUri);
  }

  get panels(): readonly ResultsPanel[] {
    return [...this.open];
  }

  async showResults(result: QueryResult, options: ShowResultsOptions = {}): Promise<ResultsPanel> {
    const sourceKey = options.source?.toString();
    const reused = sourceKey !== undefined && config.reuseResultsPanel ? this.bySource.get(sourceKey) : undefined;
    if (reused) {
      await this.saveQuietly(reused.resultId, result);
      const others = this.openTitles().filter((title) => title !== reused.panel.title);
      reused.show(result);
      reused.panel.title = distinctTitle(resultTitle(result), others);
      return reused;
    }
    const id = ResultStore.newId();
    await this.saveQuietly(id, result);
    const title = distinctTitle(resultTitle(result), this.openTitles());
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
    });
    const results = this.track(panel, result, id);
    // The panel sets its base title when it is built; a second panel of the same query keeps its number.
    panel.title = title;
    if (sourceKey !== undefined) {
      this.bySource.set(sourceKey, results);
    }
    const rows = result.tables.reduce((sum, table) => sum + table.rows.length, 0);
    this.log.info(`Showing results ${id}: request ${result.requestId ?? 'without id'}, ${result.status}, ${countOf(rows, 'row')} on ${result.target.displayName}`);
    return results;
  }

  /** Restores a panel after a window reload from the result stored under the id in its webview state. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const id = parseViewState(state)?.resultId;
    const result = id === undefined ? undefined : await this.store.load(id);
    if (id === undefined || result === undefined) {
      this.log.warn(`Could not restore a results panel: result ${id ?? '(no id in its state)'} is no longer stored.`);
      panel.webview.options = { enableScripts: false };
      panel.webview.html = missingResultPage(panel.webview.cspSource);
      return;
    }
    // The panel comes back with the title it had, number included, which building it would reset.
    const title = panel.title;
    this.track(panel, result, id, await this.store.loadView(id));
    panel.title = title;
    this.log.info(`Restored results ${id}`);
  }

  /**
   * Returns the titles of every results panel in the window. After a reload,
   * VS Code hands a restored panel to the extension only when its tab is first
   * shown, so the tabs are read as well as the tracked panels.
   */
  private openTitles(): string[] {
    const titles = this.panels.map((open) => open.panel.title);
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputWebview && isResultsViewType(tab.input.viewType)) {
          titles.push(tab.label);
        }
      }
    }
    return titles;
  }

  dispose(): void {
    for (const panel of this.open) {
      panel.panel.dispose();
    }
  }

  private track(panel: vscode.WebviewPanel, result: QueryResult, id: string, view?: ViewState): ResultsPanel {
    const context = { extensionUri: this.context.extensionUri, log: this.log, saveView: (viewId: string, state: ViewState) => this.store.saveView(viewId, state) };
    const results = new ResultsPanel(panel, result, id, context, view);
    this.open.add(results);
    panel.onDidDispose(() => {
      results.dispose();
      this.open.delete(results);
      for (const [key, value] of this.bySource) {
        if (value === results) {
          this.bySource.delete(key);
        }
      }
      this.store.delete(id).then(undefined, (error: unknown) => this.log.warn(`Could not delete stored result ${id}: ${String(error)}`));
    });
    return results;
  }

  /** Stores the result for restoring after a reload; a failure only costs the restore, so it is logged, not raised. */
  private async saveQuietly(id: string, result: QueryResult): Promise<void> {
    try {
      await this.store.save(id, result);
    } catch (error) {
      this.log.error(`Could not store result ${id}; its panel will not be restored after a reload`, error);
    }
  }
}

/**
 * Returns true for the view type of a results panel's tab. VS Code reports
 * the view type of an extension's webview tab with a prefix, such as
 * `mainThreadWebview-huntLens.results`, so both forms are accepted.
 */
function isResultsViewType(viewType: string): boolean {
  return viewType === RESULTS_VIEW_TYPE || viewType.endsWith(`-${RESULTS_VIEW_TYPE}`);
}

function missingResultPage(cspSource: string): string {
  const csp = contentSecurityPolicy({ cspSource, nonce: 'none' });
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}"></head>
<body><p>This result is no longer stored. Run the query again to see it.</p></body></html>`;
}

/** Returns the file to open: the command's argument, the active JSON editor's file, or one the user picks. */
async function pickResultsFile(argument: unknown): Promise<vscode.Uri | undefined> {
  if (argument instanceof vscode.Uri) {
    return argument;
  }
  // The file extension decides, because a large one-line JSON file may still be plain text while its language is detected.
  const document = vscode.window.activeTextEditor?.document;
  if (document && document.uri.scheme !== 'untitled' && document.uri.path.toLowerCase().endsWith('.json')) {
    return document.uri;
  }
  const picked = await vscode.window.showOpenDialog({ title: 'Open Results File', canSelectMany: false, filters: { 'Results files': ['json'] } });
  return picked?.[0];
}

async function openResultsFile(panels: ResultsPanels, log: Log, argument: unknown): Promise<void> {
  const uri = await pickResultsFile(argument);
  if (!uri) {
    return;
  }
  let result: QueryResult;
  try {
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    result = parseResultFile(text, posix.basename(uri.path));
  } catch (error) {
    // Nothing was shown yet, so the open results panels stay as they are.
    log.error(`Opening results file ${uri.toString(true)} failed`, error);
    const reason = error instanceof vscode.FileSystemError ? `Cannot read ${posix.basename(uri.path)} (${error.message}).` : error instanceof Error ? error.message : String(error);
    await showErrorWithLog(log, `Hunt Lens: ${reason}`);
    return;
  }
  try {
    await panels.showResults(result);
  } catch (error) {
    log.error(`Showing results file ${uri.toString(true)} failed`, error);
    await showErrorWithLog(log, `Hunt Lens: the results of ${posix.basename(uri.path)} could not be shown (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/** Registers the panel serializer and the Open Results File command, and returns the results API. */
export function registerResults(context: vscode.ExtensionContext, log: Log): ResultsPanels {
  const panels = new ResultsPanels(context, log);
  context.subscriptions.push(
    panels,
    vscode.commands.registerCommand('huntLens.openResults', (argument: unknown) => openResultsFile(panels, log, argument)),
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => panels.restore(panel, state),
    }),
  );
  return panels;
}
