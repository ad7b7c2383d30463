import * as vscode from 'vscode';
import { registerHuntCommands } from './commands/huntCommands';
import { config } from './config';
import { KqlFoldingProvider } from './folding';
import { HuntLibraryProvider, LIBRARY_VIEW_ID } from './huntLibraryView';
import { Log } from './log';
import { registerResults, type ResultsApi } from '../webview/results';

const KQL: vscode.DocumentSelector = { language: 'kql' };

/**
 * Activates on a KQL document, a Hunt Lens command or the Hunt Library view.
 * Activation registers providers and commands only: the Kusto language
 * service and the Azure SDK are loaded by the features that need them.
 */
export interface HuntLensApi {
  /** Opens results panels; the query runner calls showResults with each QueryResult. */
  results: ResultsApi;
}

export function activate(context: vscode.ExtensionContext): HuntLensApi {
  const log = new Log();
  context.subscriptions.push(log);

  const version = (context.extension.packageJSON as { version?: string }).version ?? 'unknown';
  log.info(`Hunt Lens ${version} started in VS Code ${vscode.version}; ${config.describe()}`);

  context.subscriptions.push(
    vscode.window.createTreeView(LIBRARY_VIEW_ID, { treeDataProvider: new HuntLibraryProvider(), showCollapseAll: true }),
    vscode.languages.registerFoldingRangeProvider(KQL, new KqlFoldingProvider()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('huntLens')) {
        log.info(`Settings changed: ${config.describe()}`);
      }
    }),
    ...registerHuntCommands(log),
  );
  const results = registerResults(context, log);
  return { results };
}

export function deactivate(): void {
  // Everything registered in activate() is disposed through context.subscriptions.
}
