// Runs inside the extension host: the extension starts the real language
// server (dist/server.js) for a KQL document, and the test reads its
// diagnostics and applies its quick fix through the VS Code API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const DIAGNOSTICS_TIMEOUT_MS = 45_000;

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/**
 * Resolves with the document's diagnostics once `condition` holds, checking
 * now and on every onDidChangeDiagnostics event. Rejects after the timeout.
 */
function waitForDiagnostics(uri: vscode.Uri, condition: (diagnostics: readonly vscode.Diagnostic[]) => boolean, description: string): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (condition(diagnostics)) {
        cleanup();
        resolve(diagnostics);
        return true;
      }
      return false;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) {
        check();
      }
    });
    const timer = setTimeout(() => {
      cleanup();
      const current = vscode.languages.getDiagnostics(uri).map((diagnostic) => `${codeOf(diagnostic)} ${diagnostic.message}`);
      reject(new Error(`Timed out after ${DIAGNOSTICS_TIMEOUT_MS} ms waiting until ${description}; diagnostics now: ${JSON.stringify(current)}`));
    }, DIAGNOSTICS_TIMEOUT_MS);
    function cleanup(): void {
      listener.dispose();
      clearTimeout(timer);
    }
    check();
  });
}

describe('KQL language server', () => {
  it('quotes a number compared with ResultType', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'kql',
      content: 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == 0\n',
    });
    await vscode.window.showTextDocument(document);

    const flagged = await waitForDiagnostics(
      document.uri,
      (diagnostics) => diagnostics.some((diagnostic) => codeOf(diagnostic) === 'HL001'),
      'the HL001 diagnostic appears',
    );
    const diagnostic = flagged.find((item) => codeOf(item) === 'HL001');
    assert.ok(diagnostic);
    assert.equal(diagnostic.range.start.line, 2);
    assert.match(diagnostic.message, /ResultType is text/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const quote = actions.find((action) => action.title.startsWith('Quote the number'));
    assert.ok(quote?.edit, `no quick fix among: ${actions.map((action) => action.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(quote.edit));
    assert.equal(document.getText(), 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == "0"\n');

    const after = await waitForDiagnostics(
      document.uri,
      (diagnostics) => !diagnostics.some((item) => codeOf(item) === 'HL001'),
      'the HL001 diagnostic is gone',
    );
    assert.deepEqual(after.map(codeOf), []);
  });
});
