// Runs inside the extension host: the extension starts the real language
// server (dist/server.js) for a KQL document, and the test reads its
// diagnostics and applies its quick fix through the VS Code API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, waitForDiagnostics } from './waitForDiagnostics';

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
