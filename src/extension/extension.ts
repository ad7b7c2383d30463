import * as vscode from 'vscode';
import { KqlLanguageClient } from '../client/languageClient';
import { registerHuntCommands } from './commands/huntCommands';
import { config, ignoredWorkspaceSettings } from './config';
import { KqlFoldingProvider } from './folding';
import { HuntLibraryProvider, LIBRARY_VIEW_ID } from './huntLibraryView';
import { Log } from './log';
import type { QueryResult } from '../results/model';
import { RunnerCommands } from '../runner/commands';
import { QueryRunner } from '../runner/runner';
import { registerResults, type ResultsApi } from '../webview/results';
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
  /** Flagged-entity lenses and pivots. */
  pivots: PivotController;
  /** The investigation trail. */
  trail: TrailService;
}

export function activate(context: vscode.ExtensionContext): HuntLensApi {
  const log = new Log();
  context.subscriptions.push(log);

  const version = (context.extension.packageJSON as { version?: string }).version ?? 'unknown';
  log.info(`Hunt Lens ${version} started in VS Code ${vscode.version}; ${config.describe()}`);
  warnAboutWorkspaceSettings(log);

  context.subscriptions.push(
    vscode.window.createTreeView(LIBRARY_VIEW_ID, { treeDataProvider: new HuntLibraryProvider(), showCollapseAll: true }),
    vscode.languages.registerFoldingRangeProvider(KQL, new KqlFoldingProvider()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('huntLens')) {
        log.info(`Settings changed: ${config.describe()}`);
        warnAboutWorkspaceSettings(log);
      }
    }),
    ...registerHuntCommands(log),
    new KqlLanguageClient(context.asAbsolutePath('dist/server.js'), log),
  );

  const results = registerResults(context, log);

  // HUNT_LENS_TEST_TOKEN is honoured only when VS Code runs the extension's tests, never in normal use.
  const testToken = context.extensionMode === vscode.ExtensionMode.Test ? process.env.HUNT_LENS_TEST_TOKEN : undefined;
  const runner = new QueryRunner(log, testToken || undefined);
  context.subscriptions.push(
    runner,
    new RunnerCommands(context, log, runner),
    // A failed run has no table: its notification and diagnostic describe the failure.
    runner.onDidRunQuery((result) => {
      if (result.status !== 'Failure') {
        results.showResults(result).catch((error: unknown) => log.error('Showing the results panel failed', error));
      }
    }),
  );
  const trail = new TrailService(context, log, results);
  const pivots = new PivotController(log, trail, runner.onDidFinishRun, results);
  context.subscriptions.push(trail, pivots);
  return { onDidRunQuery: runner.onDidRunQuery, runs: () => runner.results, results, pivots, trail };
}

export function deactivate(): void {
  // Everything registered in activate() is disposed through context.subscriptions.
}

/** Logs user-only settings that workspace settings try to set, because those values are ignored. */
function warnAboutWorkspaceSettings(log: Log): void {
  const ignored = ignoredWorkspaceSettings();
  if (ignored.length > 0) {
    log.warn(`Ignored ${ignored.join(', ')} from workspace settings: set them in your user settings.`);
  }
}
