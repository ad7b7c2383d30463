// Runs queries through the real commands against the local HTTPS server in
// test/support/huntServer.ts, one test per fault. Each test checks the message
// the hunter is shown, that the editor text is unchanged, and that earlier
// results are intact. runTests.ts provides the certificate, the trusted CA
// (NODE_EXTRA_CA_CERTS) and the test token.
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { QueryResult } from '../../src/results/model';
import type { HuntLensApi } from '../../src/extension/extension';
import type { RunOutcome } from '../../src/runner/runner';
import { HuntServer, type Fault } from '../support/huntServer';
import { waitForLogText } from './hostLog';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
const WORKSPACE_ID = '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718';
const QUERY_TEXT = [
  '// connection: Test SOC',
  'SigninLogs',
  '| where TimeGenerated > ago(1d)',
  '| where ResultType == "500121"',
  '| take 10',
  '',
  '// MFA prompt bursts in a sliding window (Defender XDR)',
  '// hunt: mfa-prompt-burst-xdr',
  'AADSignInEventsBeta',
  '| take 5',
  '',
].join('\n');

function requiredEnv(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set; run the host tier through out/test/host/runTests.js`);
  return value;
}

describe('query runner', function () {
  this.timeout(60_000);

  let server: HuntServer;
  let decoy: HuntServer;
  let api: HuntLensApi;
  let document: vscode.TextDocument;
  let first: QueryResult;
  /** Where the first run sits in the window's history; other suites may have run before this one. */
  let firstIndex = -1;
  let firstSnapshot: string;
  const token = requiredEnv('HUNT_LENS_TEST_TOKEN');

  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('huntLens');

  async function showQueryEditor(line: number): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(line, 0, line, 0);
    return editor;
  }

  async function runQuery(line = 2): Promise<RunOutcome> {
    await showQueryEditor(line);
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
    assert.ok(outcome, 'huntLens.runQuery returned no outcome');
    return outcome;
  }

  /** Runs with faults scripted and checks what every fault test must keep intact. */
  async function runWithFaults(...faults: Fault[]): Promise<RunOutcome> {
    const textBefore = document.getText();
    const resultsBefore = api.runs().length;
    server.script(...faults);
    const outcome = await runQuery();
    assert.equal(document.getText(), textBefore, 'the editor text changed');
    assert.equal(document.isDirty, false, 'the document became dirty');
    assert.equal(api.runs().length, resultsBefore + 1, 'the run did not add exactly one result');
    assert.equal(JSON.stringify(api.runs()[firstIndex]), firstSnapshot, 'the first result changed');
    return outcome;
  }

  before(async () => {
    // The fake Azure CLI comes first on the extension host's PATH (which the
    // code-server resolves from a login shell, so it is set here), so
    // huntLens.signIn=azureCli never reaches a real account.
    process.env.PATH = `${join(__dirname, '..', '..', '..', 'test', 'support', 'fake-az')}:${process.env.PATH ?? ''}`;
    const certDir = requiredEnv('HUNT_LENS_TEST_CERT_DIR');
    const tls = { keyPath: join(certDir, 'key.pem'), certPath: join(certDir, 'cert.pem'), token };
    server = await HuntServer.start(tls);
    decoy = await HuntServer.start(tls);

    const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();

    await settings().update('endpoints.logAnalytics', `${server.url}/v1`, vscode.ConfigurationTarget.Global);
    await settings().update('endpoints.graph', server.url, vscode.ConfigurationTarget.Global);
    await settings().update('connections', [{ name: 'Test SOC', workspaceId: WORKSPACE_ID }], vscode.ConfigurationTarget.Global);

    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'runner-test.kql');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(QUERY_TEXT, 'utf8'));
    document = await vscode.workspace.openTextDocument(uri);
  });

  after(async () => {
    for (const key of ['endpoints.logAnalytics', 'endpoints.graph', 'endpoints.resourceManager', 'connections']) {
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await server.close();
    await decoy.close();
  });

  it('runs the block under the cursor', async () => {
    const outcome = await runQuery();
    assert.equal(outcome.severity, 'info', outcome.message);
    assert.equal(outcome.result.status, 'Success');
    assert.match(outcome.message, /Log Analytics workspace "Test SOC".*2 rows/);
    const request = server.requests.at(-1);
    assert.equal(request?.workspaceId, WORKSPACE_ID);
    assert.equal(request?.body?.query, QUERY_TEXT.split('\n').slice(0, 5).join('\n'));
    assert.equal(request?.body?.timespan, undefined, 'a query that filters on time got a timespan');
    assert.match(request?.prefer ?? '', /wait=180/);
    assert.equal(outcome.result.requestId, request?.requestId);
    const cell = outcome.result.tables[0]?.rows[0]?.[0];
    assert.deepEqual(cell && typeof cell === 'object' && 'subMsTicks' in cell ? cell.subMsTicks : undefined, 4567);
    first = outcome.result;
    firstIndex = api.runs().indexOf(first);
    firstSnapshot = JSON.stringify(first);
  });

  it('runs a Defender XDR hunt block through Graph', async () => {
    const outcome = await runQuery(8);
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.equal(outcome.result.target.kind, 'defenderXdr');
    const request = server.requests.at(-1);
    assert.equal(request?.path, '/v1.0/security/runHuntingQuery');
    assert.match(String(request?.body?.Query), /AADSignInEventsBeta/);
    assert.equal(request?.body?.Timespan, 'P1D');
  });

  it('explains 401 Unauthorized', async () => {
    const outcome = await runWithFaults('unauthorized');
    assert.equal(outcome.result.status, 'Failure');
    assert.match(outcome.message, /Sign-in was rejected by Log Analytics workspace "Test SOC".*401.*Sign in again/);
  });

  it('explains 403 Forbidden', async () => {
    const outcome = await runWithFaults('forbidden');
    assert.match(outcome.message, /No access to Log Analytics workspace "Test SOC".*403 Forbidden.*Log Analytics Reader/);
  });

  it('explains a workspace that is not found', async () => {
    const outcome = await runWithFaults('notFound');
    assert.match(outcome.message, new RegExp(`workspace "Test SOC" \\(${WORKSPACE_ID}\\) was not found \\(404\\).*workspace ID`));
  });

  it('puts a syntax error at its line and column', async () => {
    const outcome = await runWithFaults('syntaxError');
    assert.match(outcome.message, /query is invalid.*line 2, column 4.*could not be parsed at 'wher'/);
    // The language server adds its own diagnostics to the same document; these come from the service.
    const serviceDiagnostics = (): vscode.Diagnostic[] =>
      vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === 'Log Analytics');
    const diagnostics = serviceDiagnostics();
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.range.start.line, 1, 'line 2 of a query that starts on line 0');
    assert.equal(diagnostics[0]?.range.start.character, 3);

    const next = await runWithFaults();
    assert.equal(next.result.status, 'Success');
    assert.equal(serviceDiagnostics().length, 0, 'the next run did not clear the diagnostic');
  });

  it('retries after 429 and says so', async () => {
    const outcome = await runWithFaults('throttled');
    assert.equal(outcome.result.status, 'Success', outcome.message);
    const log = await waitForLogText('retrying in 1 s (retry 1 of 2)');
    assert.match(log, /throttled the query \(429/);
  });

  it('gives up after bounded 429 retries', async () => {
    const before = server.requests.length;
    const outcome = await runWithFaults('throttled', 'throttled', 'throttled');
    assert.equal(server.requests.length - before, 3, 'one request and two retries');
    assert.match(outcome.message, /throttled the query \(429 Too Many Requests\) and still did after 2 retries\. Wait a minute/);
  });

  it('explains 500 Internal Server Error', async () => {
    const outcome = await runWithFaults('internalError');
    assert.match(outcome.message, /failed to run the query \(HTTP 500\).*request id/);
    assert.ok(outcome.result.requestId, 'no request id kept');
  });

  it('explains 504 Gateway Timeout', async () => {
    const outcome = await runWithFaults('gatewayTimeout');
    assert.match(outcome.message, /timed out on Log Analytics workspace "Test SOC" \([-0-9a-f]+\) \(504 Gateway Timeout\).*180 seconds.*serverTimeoutInSeconds/);
  });

  it('explains a connection reset mid-response', async () => {
    const outcome = await runWithFaults('reset');
    assert.match(outcome.message, new RegExp(`connection to ${server.url.replace('https://', '').replace(/\./g, '\\.')} was lost.*ECONNRESET.*run the query again`));
  });

  it('warns when the result is over the size limit', async () => {
    const outcome = await runWithFaults('oversized');
    assert.equal(outcome.severity, 'warning');
    assert.equal(outcome.result.status, 'PartialFailure');
    assert.equal(outcome.result.truncated, true);
    assert.match(outcome.message, /incomplete: it exceeded a service limit \(500,000 rows or about 100 MB by default\)/);
    assert.match(outcome.message, /The service said: Query result set has exceeded the internal data size limit 64000000 bytes\./);
    assert.equal(outcome.result.tables[0]?.rows.length, 2, 'the partial rows were dropped');
  });

  it('shows a partial failure with its details', async () => {
    const outcome = await runWithFaults('partial');
    assert.equal(outcome.result.status, 'PartialFailure');
    assert.match(outcome.message, /incomplete: One of the shards failed\./);
  });

  it('cancels a slow query', async () => {
    const arrived = server.nextRequest();
    const aborted = once(server, 'aborted');
    server.script('slow');
    const textBefore = document.getText();
    await showQueryEditor(2);
    const pending = vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
    await arrived;
    await vscode.commands.executeCommand('huntLens.cancelQueries');
    const outcome = await pending;
    await aborted;
    assert.ok(outcome);
    assert.match(outcome.message, /Query cancelled.*server may still finish/);
    assert.match(outcome.message, /\(Cancelled, 0 rows,/);
    assert.equal(outcome.severity, 'info');
    assert.equal(document.getText(), textBefore);
    assert.equal(JSON.stringify(api.runs()[firstIndex]), firstSnapshot);

    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.ok(titles.some((title) => /^\$\(circle-slash\) Run cancelled at \d\d:\d\d UTC · Run again$/.test(title)), `lenses: ${titles.join(' | ')}`);
  });

  it('stops waiting for a server that never answers', async () => {
    // The deadline is huntLens.serverTimeoutInSeconds (1 s here) plus a margin that the test shortens to 0.5 s.
    await settings().update('serverTimeoutInSeconds', 1, vscode.ConfigurationTarget.Global);
    process.env.HUNT_LENS_TEST_DEADLINE_MARGIN_MS = '500';
    const aborted = once(server, 'aborted');
    try {
      const outcome = await runWithFaults('slow');
      await aborted;
      assert.equal(outcome.result.status, 'Failure');
      assert.equal(outcome.severity, 'error');
      assert.equal(outcome.result.error?.code, 'ClientTimeout');
      assert.match(outcome.message, /^No response from Log Analytics workspace "Test SOC" \([-0-9a-f]+\) within 2 seconds \(huntLens\.serverTimeoutInSeconds is 1,/);
      assert.match(outcome.message, /raise huntLens\.serverTimeoutInSeconds \(maximum 600\)/);
      assert.doesNotMatch(outcome.message, /Cancelled/);
    } finally {
      delete process.env.HUNT_LENS_TEST_DEADLINE_MARGIN_MS;
      await settings().update('serverTimeoutInSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('fails a Defender XDR response without results', async () => {
    const textBefore = document.getText();
    server.script('partial');
    const outcome = await runQuery(8);
    const request = server.requests.at(-1);
    assert.equal(request?.path, '/v1.0/security/runHuntingQuery');
    assert.equal(outcome.result.status, 'Failure', outcome.message);
    assert.equal(outcome.severity, 'error');
    assert.equal(outcome.result.tables.length, 0);
    assert.match(outcome.message, /^Defender XDR advanced hunting returned HTTP 200 without a result \(the response has no "schema" and "results" arrays\)/);
    assert.match(outcome.message, /The service said: PartialError: One of the shards failed\./);
    assert.ok(request, 'the server received no request');
    assert.ok(outcome.message.includes(`request id ${request.requestId}`), `the message lacks the request id: ${outcome.message}`);
    assert.equal(document.getText(), textBefore);
    assert.equal(JSON.stringify(api.runs()[firstIndex]), firstSnapshot);
  });

  it('fails a Log Analytics error body without tables', async () => {
    const outcome = await runWithFaults('errorOnly');
    assert.equal(outcome.result.status, 'Failure', outcome.message);
    assert.match(outcome.message, /workspace "Test SOC" \([-0-9a-f]+\) returned HTTP 200 without a result \(the response has no "tables"\)/);
    assert.match(outcome.message, /The service said: PartialError: Every shard failed\./);
  });

  it('fails an empty Log Analytics body', async () => {
    const outcome = await runWithFaults('emptyObject');
    assert.equal(outcome.result.status, 'Failure', outcome.message);
    assert.match(outcome.message, /returned HTTP 200 without a result \(the response has no "tables"\)/);
    assert.doesNotMatch(outcome.message, /The service said/);
  });

  it('ignores an endpoint set in workspace settings', async () => {
    await settings().update('endpoints.logAnalytics', `${decoy.url}/v1`, vscode.ConfigurationTarget.Workspace);
    try {
      const before = server.requests.length;
      const outcome = await runWithFaults();
      assert.equal(outcome.result.status, 'Success', outcome.message);
      assert.equal(decoy.requests.length, 0, 'the workspace endpoint received the query');
      assert.equal(server.requests.length, before + 1);
      await waitForLogText('Ignored huntLens.endpoints.logAnalytics from workspace settings');
    } finally {
      await settings().update('endpoints.logAnalytics', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('rejects an http endpoint', async () => {
    await settings().update('endpoints.logAnalytics', 'http://127.0.0.1:9/v1', vscode.ConfigurationTarget.Global);
    try {
      const before = server.requests.length;
      const outcome = await runWithFaults();
      assert.match(outcome.message, /huntLens\.endpoints\.logAnalytics setting must be an https URL, but it is "http:\/\/127\.0\.0\.1:9\/v1"/);
      assert.equal(server.requests.length, before);
    } finally {
      await settings().update('endpoints.logAnalytics', `${server.url}/v1`, vscode.ConfigurationTarget.Global);
    }
  });

  it('explains a missing Azure CLI sign-in', async () => {
    process.env.HUNT_LENS_FAKE_AZ = 'login';
    await settings().update('signIn', 'azureCli', vscode.ConfigurationTarget.Global);
    try {
      const before = server.requests.length;
      const outcome = await runWithFaults();
      assert.equal(outcome.result.status, 'Failure');
      assert.match(outcome.message, /Sign-in for Log Analytics workspace "Test SOC" .* failed: Please run 'az login'.*huntLens\.signIn/);
      assert.equal(server.requests.length, before, 'a request was sent without a token');
    } finally {
      await settings().update('signIn', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('signs in with the Azure CLI', async () => {
    process.env.HUNT_LENS_FAKE_AZ = 'token';
    process.env.HUNT_LENS_FAKE_AZ_TOKEN = token;
    await settings().update('signIn', 'azureCli', vscode.ConfigurationTarget.Global);
    try {
      const outcome = await runWithFaults();
      assert.equal(outcome.result.status, 'Success', outcome.message);
    } finally {
      await settings().update('signIn', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('finds workspaces with Resource Graph', async () => {
    await settings().update('endpoints.resourceManager', server.url, vscode.ConfigurationTarget.Global);
    const arrived = server.nextRequest();
    const saved = new Promise<void>((resolve) => {
      const subscription = vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('huntLens.connections')) {
          subscription.dispose();
          resolve();
        }
      });
    });
    const pending = vscode.commands.executeCommand('huntLens.findWorkspaces');
    const request = await arrived;
    assert.equal(request.path, '/providers/Microsoft.ResourceGraph/resources');
    assert.match(String(request.body?.query), /microsoft\.operationalinsights\/workspaces/);

    // The quick pick fills when the response arrives; accept its first item until the connection is saved.
    let done = false;
    void saved.then(() => {
      done = true;
    });
    while (!done) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await Promise.race([saved, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    await pending;
    const connections = settings().inspect<{ name: string; workspaceId: string }[]>('connections')?.globalValue ?? [];
    assert.ok(
      connections.some((connection) => connection.name === 'contoso-sentinel' && connection.workspaceId === '5d6e7f80-91a2-4b3c-8d4e-5f60718293a4'),
      `the picked workspace is not among the connections: ${JSON.stringify(connections)}`,
    );
    assert.ok(connections.some((connection) => connection.name === 'Test SOC'), 'an earlier connection was lost');
  });

  it('never writes the token to the log', async () => {
    const outcome = await runWithFaults('unauthorized');
    const requestId = outcome.result.requestId;
    assert.ok(requestId);
    const log = await waitForLogText(requestId);
    assert.ok(log.includes(`Query Success on Log Analytics workspace "Test SOC" (${WORKSPACE_ID}): request id ${first.requestId ?? ''}`));
    assert.equal(log.includes(token), false, 'the test token appears in the Hunt Lens log');
  });
});
