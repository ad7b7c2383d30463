// Runs queries through the real Run Query command on the local engine, over a
// folder of export files that each test writes. No server and no sign-in.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HuntLensApi } from '../../src/extension/extension';
import type { RunOutcome } from '../../src/runner/runner';

const EXTENSION_ID = 'hunt-lens.hunt-lens';

/** Returns a Log Analytics JSON export of SigninLogs rows, keyed by the table's own column names. */
function signIns(rows: Array<[string, string, string, string]>): string {
  return JSON.stringify(
    rows.map(([time, user, resultType, requestId]) => ({
      TimeGenerated: time,
      UserPrincipalName: user,
      ResultType: resultType,
      OriginalRequestId: requestId,
      IPAddress: '203.0.113.7',
      AuthenticationRequirement: 'multiFactorAuthentication',
      Status: { errorCode: Number(resultType), additionalDetails: resultType === '0' ? 'MFA successfully completed' : 'MFA denied; user declined the authentication' },
    })),
  );
}

const QUERY = [
  '// connection: local',
  'SigninLogs',
  '| where TimeGenerated > ago(1d)',
  '| where ResultType == "500121"',
  '| summarize Denials = dcount(OriginalRequestId) by UserPrincipalName',
  '| order by UserPrincipalName asc',
  '',
].join('\n');

describe('local data target', function () {
  this.timeout(120_000);

  let folder: string;
  let api: HuntLensApi;
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('huntLens');

  async function run(text: string, line = 1): Promise<{ outcome: RunOutcome; document: vscode.TextDocument }> {
    const document = await vscode.workspace.openTextDocument({ language: 'kql', content: text });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
    assert.ok(outcome, 'huntLens.runQuery returned no outcome');
    return { outcome, document };
  }

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hunt-lens-local-'));
    writeFileSync(
      join(folder, 'SigninLogs.json'),
      signIns([
        ['2026-11-29T02:10:00Z', 'alice@contoso.com', '500121', 'r1'],
        ['2026-11-29T02:11:00Z', 'alice@contoso.com', '500121', 'r2'],
        ['2026-11-29T02:11:00Z', 'alice@contoso.com', '500121', 'r2'],
        ['2026-11-29T02:13:00Z', 'alice@contoso.com', '0', 'r3'],
        ['2026-11-29T09:00:00Z', 'bob@contoso.com', '500121', 'r4'],
        // Two days before the newest record: outside ago(1d).
        ['2026-11-27T09:00:00Z', 'carol@contoso.com', '500121', 'r5'],
      ]),
    );
    const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await settings().update('localData.folder', folder, vscode.ConfigurationTarget.Global);
    await settings().update('localData.referenceTime', 'newestRecord', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const key of ['localData.folder', 'localData.referenceTime']) {
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs a query on the export files, with now() at the newest record', async () => {
    const { outcome } = await run(QUERY);
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.equal(outcome.result.target.kind, 'local');
    assert.deepEqual(outcome.result.tables[0]?.rows, [
      ['alice@contoso.com', 2],
      ['bob@contoso.com', 1],
    ]);
    assert.equal(outcome.result.statistics?.now, '2026-11-29T09:00:00.000Z');
    assert.equal(api.runs().at(-1), outcome.result);
  });

  it('reads files added to the folder since the last run', async () => {
    writeFileSync(join(folder, 'more-SigninLogs.json'), signIns([['2026-11-29T10:00:00Z', 'dave@contoso.com', '500121', 'r6']]));
    // Log Analytics exports name the table in the file name; this one does not,
    // so the readers detect the table from the columns.
    const { outcome } = await run(QUERY);
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.deepEqual(
      outcome.result.tables[0]?.rows.map((row) => row[0]),
      ['alice@contoso.com', 'bob@contoso.com', 'dave@contoso.com'],
    );
  });

  it('reports an unsupported operator', async () => {
    // The message names the operator and its line; the editor text and earlier results stay intact.
    const before = api.runs().slice();
    const text = ['// connection: local', 'SigninLogs', '| where ResultType == "500121"', '| evaluate bag_unpack(Status)', ''].join('\n');
    const { outcome, document } = await run(text);
    assert.equal(outcome.result.status, 'Failure');
    assert.match(outcome.message, /evaluate/);
    assert.match(outcome.message, /workspace/);
    assert.equal(outcome.result.error?.line, 4);
    assert.equal(document.getText(), text);
    assert.deepEqual(api.runs().slice(0, before.length), before);
    const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === 'Local engine');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.range.start.line, 3);
  });

  it('warns about an invalid reference time and uses the clock', async () => {
    await settings().update('localData.referenceTime', 'tomorrow', vscode.ConfigurationTarget.Global);
    try {
      const { outcome } = await run(QUERY);
      assert.equal(outcome.result.status, 'Success', outcome.message);
      assert.ok(
        outcome.result.warnings?.some((warning) => warning.startsWith('huntLens.localData.referenceTime "tomorrow" is invalid, so now() is the current time.')),
        JSON.stringify(outcome.result.warnings),
      );
      // The current time is far past the data, so ago(1d) finds nothing.
      assert.deepEqual(outcome.result.tables[0]?.rows, []);
    } finally {
      await settings().update('localData.referenceTime', 'newestRecord', vscode.ConfigurationTarget.Global);
    }
  });

  it('warns that the data ends days before the clock', async () => {
    await settings().update('localData.referenceTime', 'now', vscode.ConfigurationTarget.Global);
    try {
      const { outcome } = await run(QUERY);
      assert.equal(outcome.result.status, 'Success', outcome.message);
      const warning = outcome.result.warnings?.find((text) => text.startsWith('The newest record in the local data is from 2026-11-29T10:00:00.000Z'));
      assert.ok(warning, JSON.stringify(outcome.result.warnings));
      assert.match(warning, /Set huntLens\.localData\.referenceTime to newestRecord/);
    } finally {
      await settings().update('localData.referenceTime', 'newestRecord', vscode.ConfigurationTarget.Global);
    }
  });

  it('runs on a bundled table that no file provides', async () => {
    const { outcome } = await run(['// connection: local', 'union SigninLogs, AuditLogs', '| summarize Rows = count()', ''].join('\n'));
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.deepEqual(outcome.result.tables[0]?.rows, [[7]]);
    assert.deepEqual(
      outcome.result.warnings?.filter((text) => text.startsWith('AuditLogs: no file in the local data provides this table')).length,
      1,
      JSON.stringify(outcome.result.warnings),
    );
  });

  it('says which folder is missing and how to fix it', async () => {
    await settings().update('localData.folder', join(folder, 'nowhere'), vscode.ConfigurationTarget.Global);
    try {
      const document = await vscode.workspace.openTextDocument({ language: 'kql', content: QUERY });
      await vscode.window.showTextDocument(document);
      const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
      assert.equal(outcome, undefined);
    } finally {
      await settings().update('localData.folder', folder, vscode.ConfigurationTarget.Global);
    }
  });
});
