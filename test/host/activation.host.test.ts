// Runs inside the extension host (see test/host/index.ts) against the extension
// under development, with test/fixtures/workspace open.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
const HUNT_COMMANDS = ['huntLens.insertHunt', 'huntLens.openHuntLibrary', 'huntLens.openHunt'];

/**
 * Waits until `condition` holds, checking every 50 ms. The extension API has no
 * activation event, so this is how a test observes activation that a document
 * triggered without calling Extension.activate() itself.
 */
async function waitUntil(condition: () => boolean, description: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace folder is not open');
  return folder;
}

describe('extension activation', () => {
  it('is installed as the development extension', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the loaded extensions`);
    assert.equal((extension.packageJSON as { name?: unknown }).name, 'hunt-lens');
  });

  it('activates when a .kql document opens', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    assert.equal(extension.isActive, false, 'the extension was active before any KQL document was opened');

    const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'sign-ins.kql');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);

    await waitUntil(() => extension.isActive, `${EXTENSION_ID} is active`);
    assert.equal(extension.isActive, true);
  });

  it('gives .kql documents the kql language', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'approvals.kql');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'kql');
  });

  it('registers the hunt commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();

    const commands = new Set(await vscode.commands.getCommands(true));
    for (const command of HUNT_COMMANDS) {
      assert.ok(commands.has(command), `command ${command} is not registered`);
    }
  });
});
