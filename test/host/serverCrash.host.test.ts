// Kills the language server process (started by this extension host) with
// SIGKILL and checks the restart budget: three restarts, then one stop with
// a message, and Hunt Lens: Restart Language Server starts it again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HuntLensApi } from '../../src/extension/extension';
import { codeOf, waitForDiagnostics } from './waitForDiagnostics';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
/** MAX_RESTARTS in src/client/languageClient.ts. */
const RESTARTS = 3;

/** Resolves with the next firing of `event`. */
function nextEvent(event: vscode.Event<void>): Promise<void> {
  return new Promise((resolve) => {
    const subscription = event(() => {
      subscription.dispose();
      resolve();
    });
  });
}

function killServer(api: HuntLensApi): number {
  const pid = api.languageServer.processId;
  assert.ok(pid, 'the language server is not running');
  process.kill(pid, 'SIGKILL');
  return pid;
}

describe('language server crash', function () {
  this.timeout(120_000);

  let api: HuntLensApi;
  let document: vscode.TextDocument;

  async function showsNumberComparison(number: string): Promise<void> {
    await waitForDiagnostics(
      document.uri,
      (diagnostics) => diagnostics.some((diagnostic) => codeOf(diagnostic) === 'HL001' && diagnostic.message.includes(`the number ${number}`)),
      `HL001 reports the number ${number}`,
    );
  }

  before(async () => {
    const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    document = await vscode.workspace.openTextDocument({ language: 'kql', content: 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == 0\n' });
    await vscode.window.showTextDocument(document);
    await showsNumberComparison('0');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('restarts a killed server a few times', async () => {
    for (let restart = 1; restart <= RESTARTS; restart++) {
      const started = nextEvent(api.languageServer.onDidStart);
      const killed = killServer(api);
      await started;
      assert.notEqual(api.languageServer.processId, killed, `restart ${restart} reused the killed process`);
    }
    await showsNumberComparison('0');
  });

  it('stops after the budget and starts on command', async () => {
    let stops = 0;
    const counter = api.languageServer.onDidStopRestarting(() => stops++);
    try {
      const stopped = nextEvent(api.languageServer.onDidStopRestarting);
      killServer(api);
      await stopped;
      assert.equal(api.languageServer.processId, undefined, 'the server was restarted past its budget');

      const started = nextEvent(api.languageServer.onDidStart);
      await vscode.commands.executeCommand('huntLens.restartServer');
      await started;
      assert.ok(api.languageServer.processId, 'Restart Language Server did not start the server');
      assert.equal(stops, 1, 'the stop was reported more than once');
    } finally {
      counter.dispose();
    }

    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(2, '| where ResultType == '.length, 2, '| where ResultType == 0'.length), '1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await showsNumberComparison('1');
  });
});
