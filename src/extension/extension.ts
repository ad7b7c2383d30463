import * as path from 'node:path';
import * as vscode from 'vscode';
import { KqlLanguageClient } from '../client/languageClient';
import { WorkspaceSchemaSync } from '../client/schemaSync';
import { registerHuntCommands } from './commands/huntCommands';
import { config, ignoredWorkspaceSettings } from './config';
import { KqlFoldingProvider } from './folding';
import { HuntLibraryProvider, LIBRARY_VIEW_ID } from './huntLibraryView';
import { Log } from './log';
import type { QueryResult } from '../results/model';
import { RunnerCommands } from '../runner/commands';
import { LocalEngine } from '../runner/localEngine';
import { QueryRunner } from '../runner/runner';
import { registerResults, type ResultsApi } from '../webview/results';
import { registerSaveEvidence } from '../evidence/command';
import { PivotController } from '../pivots/pivots';
import { TrailService } from '../trail/trailView';

const KQL: vscode.DocumentSelector = { language: 'kql' };

/**
 * Activates on a KQL document, a Hunt Lens command or the Hunt Library view.
 * Activation registers providers and commands only: the Kusto language
 * service and the Azure SDK are loaded by the features that need them.
 */
/** The API that `activate` returns, for the tests and for other extensions. */
export interface HuntLensApi {
  /** Fires when a query run finishes, with its result. */
  onDidRunQuery: vscode.Event<QueryResult>;
  /** Results of earlier runs in this window, oldest first. */
  runs(): readonly QueryResult[];
  /** Opens results panels. */
  results: ResultsApi;
  /** The KQL language server's process and restarts. */
  languageServer: LanguageServerApi;
  /** Flagged-entity lenses and pivots. */
  pivots: PivotController;
  /** The investigation trail. */
  trail: TrailService;
}

export interface LanguageServerApi {
  /** Process id of the running server, or undefined when it is not running. */
  readonly processId: number | undefined;
  /** Fires each time the server is running: after the first start and after each restart. */
  readonly onDidStart: vscode.Event<void>;
  /** Fires when the server crashed more often than the restart budget allows and is not restarted. */
  readonly onDidStopRestarting: vscode.Event<void>;
}

export function activate(context: vscode.ExtensionContext): HuntLensApi {
  const log = new Log();
  context.subscriptions.push(log);

  const version = (context.extension.packageJSON as { version?: string }).version ?? 'unknown';
  log.info(`Hunt Lens ${version} started in VS Code ${vscode.version}; ${config.describe()}`);
  warnAboutWorkspaceSettings(log);
  warnAboutInvalidSettings(log);

  context.subscriptions.push(
    vscode.window.createTreeView(LIBRARY_VIEW_ID, { treeDataProvider: new HuntLibraryProvider(), showCollapseAll: true }),
    vscode.languages.registerFoldingRangeProvider(KQL, new KqlFoldingProvider()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('huntLens')) {
        log.info(`Settings changed: ${config.describe()}`);
        warnAboutWorkspaceSettings(log);
        warnAboutInvalidSettings(log);
      }
    }),
    ...registerHuntCommands(log),
    vscode.commands.registerCommand('huntLens.showLog', () => log.show()),
  );
  const languageClient = new KqlLanguageClient(context.asAbsolutePath('dist/server.js'), log);
  context.subscriptions.push(languageClient);

  const results = registerResults(context, log);
  registerSaveEvidence(context, results, log);

  // HUNT_LENS_TEST_TOKEN is honoured only when VS Code runs the extension's tests, never in normal use.
  const testToken = context.extensionMode === vscode.ExtensionMode.Test ? process.env.HUNT_LENS_TEST_TOKEN : undefined;
  const localEngine = new LocalEngine(path.join(context.extensionPath, 'dist', 'engineWorker.js'), () => config.localMaxMemoryMb);
  // HUNT_LENS_TEST_DEADLINE_MARGIN_MS is read on every run, and only in the same test mode, so a host test can shorten the wait for a silent server.
  const testDeadlineMarginMs = (): number | undefined => {
    const value = context.extensionMode === vscode.ExtensionMode.Test ? Number(process.env.HUNT_LENS_TEST_DEADLINE_MARGIN_MS) : Number.NaN;
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const runner = new QueryRunner(log, testToken || undefined, localEngine, testDeadlineMarginMs);
  const runnerCommands = new RunnerCommands(context, log, runner);
  languageClient.setLocalDataProbe(() => runnerCommands.unpinnedRunsOnLocalData);
  context.subscriptions.push(
    runner,
    runnerCommands,
    runnerCommands.onDidChangeConnection(() => languageClient.refreshSettings()),
    new WorkspaceSchemaSync(context.globalStorageUri, log, languageClient, runnerCommands, testToken || undefined),
    // A failed run has no table: its notification and diagnostic describe the failure.
    runner.onDidRunQuery((result) => {
      if (result.status !== 'Failure') {
        results.showResults(result).catch((error: unknown) => log.error('Showing the results panel failed', error));
      }
    }),
  );
  const languageServer: LanguageServerApi = {
    get processId() {
      return languageClient.serverProcessId;
    },
    onDidStart: languageClient.onDidStartServer,
    onDidStopRestarting: languageClient.onDidStopRestarting,
  };
  const trail = new TrailService(context, log, results);
  const pivots = new PivotController(log, trail, runner.onDidFinishRun, results);
  context.subscriptions.push(trail, pivots);
  return { onDidRunQuery: runner.onDidRunQuery, runs: () => runner.results, results, languageServer, pivots, trail };
}

export function deactivate(): void {
  // Everything registered in activate() is disposed through context.subscriptions.
}

/** Logs user-only settings that workspace settings try to set, because those values are ignored. */
/** Logs each invalid huntLens.* value and shows them in one warning, so a typo in settings.json is not silent. */
function warnAboutInvalidSettings(log: Log): void {
  const problems = config.settingProblems();
  for (const problem of problems) {
    log.warn(problem);
  }
  if (problems.length > 0) {
    void vscode.window.showWarningMessage(`Hunt Lens: ${problems.join(' ')}`);
  }
}

function warnAboutWorkspaceSettings(log: Log): void {
  const ignored = ignoredWorkspaceSettings();
  if (ignored.length > 0) {
    log.warn(`Ignored ${ignored.join(', ')} from workspace settings: set them in your user settings.`);
  }
}
