// Connects a Log Analytics workspace on the local HTTPS server
// (test/support/huntServer.ts). The language server must bind and complete a
// column that only the fetched schema has. Refresh Workspace Schema must fetch
// again, and failures must keep a usable schema.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RefreshOutcome } from '../../src/client/schemaSync';
import { LOG_ANALYTICS_TABLES } from '../../src/schema/logAnalytics';
import { HuntServer, sampleMetadata, WORKSPACE_ONLY_COLUMN } from '../support/huntServer';
import { codeOf, waitForDiagnostics } from './waitForDiagnostics';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
const REFRESHED_COLUMN = 'MfaPushRiskTag2_s';

function requiredEnv(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set; run the host tier through out/test/host/runTests.js`);
  return value;
}

/**
 * Returns the text of a document pinned to a connection. One block projects
 * `column`, and a second has no time filter, so HL003 marks a finished pass.
 */
function queryText(connection: string, column: string): string {
  return [`// connection: ${connection}`, 'SigninLogs', '| where TimeGenerated > ago(1d)', `| project UserPrincipalName, ${column}`, '', 'SigninLogs', '| take 1', ''].join('\n');
}

/** Returns a check that holds once the server has analyzed the document and reports the projected column unknown (KS142) exactly when `unknown` is true. */
function boundWith(unknown: boolean): (diagnostics: readonly vscode.Diagnostic[]) => boolean {
  return (diagnostics) => {
    const analyzed = diagnostics.some((diagnostic) => codeOf(diagnostic) === 'HL003');
    const unknownColumn = diagnostics.some((diagnostic) => codeOf(diagnostic) === 'KS142' && diagnostic.range.start.line === 3);
    return analyzed && unknownColumn === unknown;
  };
}

async function completionLabels(document: vscode.TextDocument): Promise<string[]> {
  const position = new vscode.Position(3, '| project UserPrincipalName, '.length);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

describe('workspace schema', function () {
  this.timeout(90_000);

  let server: HuntServer;
  const workspaceId = randomUUID();
  const failingWorkspaceId = randomUUID();
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('huntLens');

  async function openPinned(name: string, column: string): Promise<vscode.TextDocument> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, `schema-${name.replace(/\W/g, '-')}.kql`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(queryText(name, column), 'utf8'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    return document;
  }

  before(async () => {
    const certDir = requiredEnv('HUNT_LENS_TEST_CERT_DIR');
    server = await HuntServer.start({ keyPath: join(certDir, 'key.pem'), certPath: join(certDir, 'cert.pem'), token: requiredEnv('HUNT_LENS_TEST_TOKEN') });
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    // The endpoint is set before any connection exists, so no fetch can reach another host.
    await settings().update('endpoints.logAnalytics', `${server.url}/v1`, vscode.ConfigurationTarget.Global);
    await settings().update(
      'connections',
      [
        { name: 'Schema SOC', workspaceId },
        { name: 'Failing SOC', workspaceId: failingWorkspaceId },
      ],
      vscode.ConfigurationTarget.Global,
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('endpoints.logAnalytics', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('binds and completes a fetched column', async () => {
    const document = await openPinned('Schema SOC', WORKSPACE_ONLY_COLUMN);
    await waitForDiagnostics(document.uri, boundWith(false), `${WORKSPACE_ONLY_COLUMN} binds`);
    // An open document without a pin may have started the fetch already, when the connections were set.
    const requests = server.metadataRequests.filter((request) => request.workspaceId === workspaceId);
    assert.equal(requests.length, 1, 'the schema was not fetched exactly once');
    assert.equal(requests[0]?.fault, undefined, 'the server rejected the metadata request');
    assert.ok((await completionLabels(document)).includes(WORKSPACE_ONLY_COLUMN), `${WORKSPACE_ONLY_COLUMN} is not offered`);
  });

  it('refreshes the schema on command', async () => {
    const document = await openPinned('Schema SOC', WORKSPACE_ONLY_COLUMN);
    server.metadata = sampleMetadata(REFRESHED_COLUMN);
    const outcomes = await vscode.commands.executeCommand<RefreshOutcome[]>('huntLens.refreshSchema');
    // The served metadata has one table without a name, which is left out.
    assert.deepEqual(outcomes, [{ kind: 'fetched', workspaceId, tables: LOG_ANALYTICS_TABLES.length }]);

    await waitForDiagnostics(document.uri, boundWith(true), `${WORKSPACE_ONLY_COLUMN} is unknown after the refresh`);
    assert.ok((await completionLabels(document)).includes(REFRESHED_COLUMN), `${REFRESHED_COLUMN} is not offered`);
  });

  it('keeps the schema when a refresh fails', async () => {
    const document = await openPinned('Schema SOC', REFRESHED_COLUMN);
    server.scriptMetadata('forbidden');
    const outcomes = await vscode.commands.executeCommand<RefreshOutcome[]>('huntLens.refreshSchema');
    assert.equal(outcomes.length, 1);
    const outcome = outcomes[0];
    assert.equal(outcome?.kind, 'failed');
    assert.match(outcome?.kind === 'failed' ? outcome.message : '', /returned HTTP 403 InsufficientAccessError.*keeping the schema fetched/);

    await waitForDiagnostics(document.uri, boundWith(false), `${REFRESHED_COLUMN} still binds`);
  });

  it('falls back to bundled tables', async () => {
    server.scriptMetadata('internalError');
    const fetched = server.nextMetadataRequest();
    const document = await openPinned('Failing SOC', WORKSPACE_ONLY_COLUMN);
    const request = await fetched;
    assert.equal(request.workspaceId, failingWorkspaceId);
    assert.equal(request.fault, 'internalError');
    await waitForDiagnostics(document.uri, boundWith(true), 'the bundled SigninLogs schema reports the column unknown');
  });
});
