// Messages of failed local runs: positions counted in the file, a note when
// the whole file ran, and a setting of the wrong JSON type.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { config } from '../../src/extension/config';
import type { HuntLensApi } from '../../src/extension/extension';
import type { RunOutcome } from '../../src/runner/runner';

const EXTENSION_ID = 'hunt-lens.hunt-lens';

/**
 * Two blocks; the second one uses `search`, which the local engine does not
 * support, on file line 6 (block line 2). The language server accepts it, so
 * the run's own diagnostic is shown.
 */
const TWO_BLOCKS = ['// connection: local', 'SigninLogs', '| take 1', '', 'SigninLogs', '| search "alice"', '', ''].join('\n');

describe('local run messages', function () {
  this.timeout(120_000);

  let folder: string;
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('huntLens');

  async function runAt(text: string, line: number): Promise<{ outcome: RunOutcome | undefined; document: vscode.TextDocument }> {
    const document = await vscode.workspace.openTextDocument({ language: 'kql', content: text });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
    return { outcome, document };
  }

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hunt-lens-messages-'));
    writeFileSync(join(folder, 'SigninLogs.json'), JSON.stringify([{ TimeGenerated: '2026-11-29T02:10:00Z', UserPrincipalName: 'alice@contoso.com', ResultType: '0' }]));
    const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    await settings().update('localData.folder', folder, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await settings().update('localData.folder', undefined, vscode.ConfigurationTarget.Global);
    rmSync(folder, { recursive: true, force: true });
  });

  it('names the file line of a block error', async () => {
    const { outcome, document } = await runAt(TWO_BLOCKS, 4);
    assert.ok(outcome);
    assert.equal(outcome.result.status, 'Failure');
    assert.match(outcome.message, /The search operator is not supported by the local engine \(line 6, column 3\)/);
    assert.doesNotMatch(outcome.message, /line 2,/);
    assert.doesNotMatch(outcome.message, /whole file/);
    assert.equal(outcome.result.error?.line, 6);
    const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === 'Local engine');
    assert.equal(diagnostics[0]?.range.start.line, 5);
  });

  it('says when the whole file ran', async () => {
    const { outcome } = await runAt(TWO_BLOCKS, 6);
    assert.ok(outcome);
    assert.equal(outcome.result.status, 'Failure');
    assert.match(outcome.message, /the whole file ran: its 2 blocks ran together as one query/);
  });

  it('replaces a number folder setting with the default', async () => {
    await settings().update('localData.folder', 5, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(config.localDataFolder, 'data');
      assert.ok(
        config.settingProblems().includes('huntLens.localData.folder 5 is invalid, so "data" is used. Set it to text in quotes.'),
        JSON.stringify(config.settingProblems()),
      );
      // The test workspace has no data folder, so the run stops with that message instead of a TypeError.
      const { outcome } = await runAt('// connection: local\nSigninLogs\n| take 1\n', 1);
      assert.equal(outcome, undefined);
    } finally {
      await settings().update('localData.folder', folder, vscode.ConfigurationTarget.Global);
    }
  });
});
