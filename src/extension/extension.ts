import * as vscode from 'vscode';
import { KqlLanguageClient } from '../client/languageClient';
import { registerHuntCommands } from './commands/huntCommands';
import { config } from './config';
import { KqlFoldingProvider } from './folding';
import { HuntLibraryProvider, LIBRARY_VIEW_ID } from './huntLibraryView';
import { Log } from './log';
import { RunnerCommands } from '../runner/commands';
import { QueryRunner, type HuntLensApi } from '../runner/runner';

const KQL: vscode.DocumentSelector = { language: 'kql' };

/**
 * Activates on a KQL document, a Hunt Lens command or the Hunt Library view.
 * Activation registers providers and commands only: the Kusto language
 * service and the Azure SDK are loaded by the features that need them.
 */
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
    new KqlLanguageClient(context.asAbsolutePath('dist/server.js'), log),
  );

  // HUNT_LENS_TEST_TOKEN is honoured only when VS Code runs the extension's tests, never in normal use.
  const testToken = context.extensionMode === vscode.ExtensionMode.Test ? process.env.HUNT_LENS_TEST_TOKEN : undefined;
  const runner = new QueryRunner(log, testToken || undefined);
  context.subscriptions.push(runner, new RunnerCommands(context, log, runner));
  return { onDidRunQuery: runner.onDidRunQuery, results: () => runner.results };
}

export function deactivate(): void {
  // Everything registered in activate() is disposed through context.subscriptions.
}
