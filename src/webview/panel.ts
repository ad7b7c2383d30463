/**
 * The results webview panel on the extension host side: it sends a
 * QueryResult to the webview in columnar chunks once the webview posts
 * `ready`, and answers the webview's copy, export and log messages.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { EvidenceRequests } from '../evidence/evidenceRequests';
import type { EvidenceScope, SavedEvidence } from '../evidence/saveEvidence';
import { config } from '../extension/config';
import type { Log } from '../extension/log';
import { describeError } from '../extension/log';
import type { QueryResult } from '../results/model';
import { DEFAULT_CHUNK_ROWS, encodeChunks } from './core/columnar';
import { exportTable, type ExportFormat } from './exportFile';
import { renderPage } from './html';
import { describeDropped, parseWebviewMessage, type ChartReport, type HostMessage, type RenderReport, type ViewState, type WebviewMessage } from './protocol';
import { resultHeader, resultTitle } from './resultHeader';

export const RESULTS_VIEW_TYPE = 'huntLens.results';
/** Dropped messages logged per panel before the log only counts them. */
const MAX_LOGGED_DROPS = 10;

export interface PanelContext {
  extensionUri: vscode.Uri;
  log: Log;
  /** Stores the view state the webview reports, beside the result. */
  saveView(id: string, view: ViewState): Promise<void>;
}

export class ResultsPanel implements vscode.Disposable {
  private ready = false;
  /** Increments with every result shown, so a slow send of an older result stops. */
  private generation = 0;
  private droppedMessages = 0;
  private readonly reports = new vscode.EventEmitter<RenderReport>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires each time the webview reports painted rows. */
  readonly onDidRender = this.reports.event;
  private readonly storedViews = new vscode.EventEmitter<ViewState>();
  private readonly charts = new vscode.EventEmitter<ChartReport>();
  /** Fires each time the chart pane draws a chart or shows why it cannot. */
  readonly onDidDrawChart = this.charts.event;
  /** Fires after the view state the webview sent is stored beside the result. */
  readonly onDidStoreView = this.storedViews.event;
  private readonly evidence: EvidenceRequests;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private result: QueryResult,
    readonly resultId: string,
    private readonly context: PanelContext,
    /** View state stored by an earlier session of this panel, sent with the result after a reload. */
    private view?: ViewState,
  ) {
    this.evidence = new EvidenceRequests(context.log);
    const webviewFolder = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewFolder] };
    panel.title = resultTitle(result);
    panel.webview.html = renderPage({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewFolder, 'results.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewFolder, 'results.css')).toString(),
      nonce: randomBytes(18).toString('base64'),
      resultId,
      title: panel.title,
    });
    this.disposables.push(
      this.reports,
      this.storedViews,
      this.charts,
      panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('huntLens.results.timeZone')) {
          void this.post({ type: 'settings', settings: { timeZone: config.resultsTimeZone } });
        }
      }),
    );
  }

  get currentResult(): QueryResult {
    return this.result;
  }

  /** Replaces the shown result (a panel reused for the next run from the same editor). */
  show(result: QueryResult): void {
    this.result = result;
    this.view = undefined;
    this.panel.title = resultTitle(result);
    this.panel.reveal(undefined, true);
    if (this.ready) {
      void this.sendResult();
    }
  }

  /** Resolves with the next render report that satisfies `accept`. */
  nextRender(accept: (report: RenderReport) => boolean = () => true): Promise<RenderReport> {
    return new Promise((resolve) => {
      const listener = this.onDidRender((report) => {
        if (accept(report)) {
          listener.dispose();
          resolve(report);
        }
      });
    });
  }

  /** Sorts and filters the grid as a user would. */
  applyView(sort: ViewState['sort'], filter: ViewState['filter']): Thenable<boolean> {
    return this.post({ type: 'applyView', sort, filter });
  }

  /** Exports a table to `target`, or through a save dialog when `target` is omitted. */
  export(tableIndex: number, format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return exportTable(this.result, tableIndex, format, this.context.log, target);
  }

  /** Saves rows of the table the webview shows as evidence; resolves with the files, or undefined when the user cancels. */
  requestEvidence(scope: EvidenceScope): Promise<SavedEvidence | undefined> {
    return this.evidence.request(() => this.post({ type: 'requestEvidence' }), scope);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  private post(message: HostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private receive(data: unknown): void {
    const message = parseWebviewMessage(data);
    if (!message) {
      this.droppedMessages++;
      if (this.droppedMessages <= MAX_LOGGED_DROPS) {
        this.context.log.warn(`Results panel ${this.resultId}: ${describeDropped(data)}`);
      } else if (this.droppedMessages === MAX_LOGGED_DROPS + 1) {
        this.context.log.warn(`Results panel ${this.resultId}: further dropped messages are not logged.`);
      }
      return;
    }
    this.handle(message).catch((error: unknown) => {
      this.context.log.error(`Results panel ${this.resultId}: handling a "${message.type}" message failed`, error);
      void vscode.window.showErrorMessage(`Hunt Lens: ${describeError(error)}`);
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.sendResult();
        break;
      case 'rendered':
        this.reports.fire(message.report);
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage(`Hunt Lens: copied ${message.description}`, 3000);
        break;
      case 'export':
        await this.export(message.tableIndex, message.format);
        break;
      case 'viewState':
        this.view = message.state;
        await this.context.saveView(this.resultId, message.state);
        this.storedViews.fire(message.state);
        break;
      case 'saveEvidence':
        await this.evidence.answer(this.result, message.tableIndex, message.selectedRows);
        break;
      case 'chartRendered':
        this.charts.fire(message.report);
        break;
      case 'log':
        this.context.log[message.level](`Results webview ${this.resultId}: ${message.message}`);
        break;
      case 'pivot':
        await vscode.commands.executeCommand('huntLens.pivotFromResultRow', { huntLensResultId: this.resultId, huntLensRow: message.row });
        break;
    }
  }

  /** Posts the header, then every table in chunks; a newer result stops an older send. */
  private async sendResult(): Promise<void> {
    const generation = ++this.generation;
    const result = this.result;
    await this.post({ type: 'result', header: resultHeader(result), settings: { timeZone: config.resultsTimeZone }, view: this.view });
    for (const [tableIndex, table] of result.tables.entries()) {
      for (const chunk of encodeChunks(table, tableIndex, DEFAULT_CHUNK_ROWS)) {
        if (generation !== this.generation) {
          return;
        }
        await this.post({ type: 'chunk', chunk });
      }
    }
    await this.post({ type: 'complete' });
  }
}
