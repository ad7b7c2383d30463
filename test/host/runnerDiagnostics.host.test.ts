// Runs after runner.host.test.ts, which expects to make the window's first run.
// Runs queries that the local HTTPS server (test/support/huntServer.ts)
// rejects with a syntax error at line 2, column 4 of the query, and checks how
// that run diagnostic merges with the language server's diagnostics and how
// edits clear or move it.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../src/runner/runner';
import { HuntServer } from '../support/huntServer';
import { codeOf, waitForDiagnostics } from './waitForDiagnostics';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
const CONNECTION = 'Merge SOC';
const WORKSPACE_ID = '7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d';
const SERVICE_SOURCE = 'Log Analytics';

function requiredEnv(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set; run the host tier through out/test/host/runTests.js`);
  return value;
}

function fromService(diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.source === SERVICE_SOURCE);
}

function fromServer(diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.source === 'Hunt Lens');
}

describe('run diagnostics', function () {
  this.timeout(90_000);

  let server: HuntServer;
  let count = 0;
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('huntLens');

  /**
   * Opens a file whose query starts on line 1, selects lines 1 and 2 and runs
   * them. The service reports an error at document line 2, character 3.
   */
  async function runWithSyntaxError(secondLine: string): Promise<vscode.TextDocument> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    count++;
    const uri = vscode.Uri.joinPath(folder.uri, `run-diagnostics-${count}.kql`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`// connection: ${CONNECTION}\nSigninLogs\n${secondLine}\n`, 'utf8'));
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 2, secondLine.length);
    server.script('syntaxError');
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
    assert.equal(outcome?.result.status, 'Failure', outcome?.message);
    return document;
  }

  before(async () => {
    const certDir = requiredEnv('HUNT_LENS_TEST_CERT_DIR');
    server = await HuntServer.start({ keyPath: join(certDir, 'key.pem'), certPath: join(certDir, 'cert.pem'), token: requiredEnv('HUNT_LENS_TEST_TOKEN') });
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    await settings().update('endpoints.logAnalytics', `${server.url}/v1`, vscode.ConfigurationTarget.Global);
    await settings().update('connections', [{ name: CONNECTION, workspaceId: WORKSPACE_ID }], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('endpoints.logAnalytics', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('drops the copy the server reports', async () => {
    const document = await runWithSyntaxError('| wher TimeGenerated > ago(1d)');
    const diagnostics = await waitForDiagnostics(
      document.uri,
      (all) => fromServer(all).some((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error && diagnostic.range.start.line === 2),
      'the language server reports the syntax error on line 2',
    );
    assert.deepEqual(fromService(diagnostics).map((diagnostic) => diagnostic.message), [], 'the service error is shown twice');
  });

  it('keeps an error only the service reports', async () => {
    const document = await runWithSyntaxError('| where TimeGenerated > ago(1d)');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => fromService(all).length === 1, 'the service error is shown');
    assert.deepEqual(fromService(diagnostics)[0]?.range.start, new vscode.Position(2, 3));
    assert.equal(fromServer(diagnostics).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error).length, 0, diagnostics.map(codeOf).join(', '));
  });

  it('moves with an edit above the query', async () => {
    const document = await runWithSyntaxError('| where TimeGenerated > ago(1d)');
    await waitForDiagnostics(document.uri, (all) => fromService(all).length === 1, 'the service error is shown');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, document.lineAt(0).text.length), '\n// moved down by one line');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(document.uri, (all) => fromService(all)[0]?.range.start.line === 3, 'the service error moves to line 3');
  });

  it('clears when the query is edited', async () => {
    const document = await runWithSyntaxError('| where TimeGenerated > ago(1d)');
    await waitForDiagnostics(document.uri, (all) => fromService(all).length === 1, 'the service error is shown');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(2, document.lineAt(2).text.length), '\n| take 10');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(document.uri, (all) => fromService(all).length === 0, 'the service error is cleared');
  });
});
