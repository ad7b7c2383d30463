// HL003 names the time range the query runner sends with a query that has
// no time filter (huntLens.defaultTimespan), warns when the runner sends
// none because the block calls ago(), between() or datetime() elsewhere, and
// says that local runs read every loaded row.
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';

/** Returns the one HL003 diagnostic, with its message as plain text. */
function hl003(diagnostics: readonly Diagnostic[]): { severity: Diagnostic['severity']; message: string } {
  const found = diagnostics.filter((diagnostic) => diagnostic.code === 'HL003');
  assert.equal(found.length, 1, JSON.stringify(diagnostics));
  const message = found[0].message;
  return { severity: found[0].severity, message: typeof message === 'string' ? message : message.value };
}

describe('server HL003 and the time range', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let count = 0;
  const nextUri = (): string => `file:///tmp/hunt-lens-time-range-test/query-${++count}.kql`;

  before(async () => {
    client = new LspTestClient();
    await client.initialize();
    assert.equal((await client.status).kind, 'ready');
  });

  afterEach(() => {
    client.closeAll();
    client.settings = {};
  });

  after(async () => {
    await client.shutdown();
  });

  it('names the default range as information', async () => {
    const diagnostic = hl003(await client.open(nextUri(), 'SigninLogs\n| where ResultType == "500121"\n'));
    assert.equal(diagnostic.severity, DiagnosticSeverity.Information);
    assert.match(diagnostic.message, /runs this query over the last P1D \(huntLens\.defaultTimespan\)/);
    assert.match(diagnostic.message, /whole retention/);
  });

  it('follows the defaultTimespan setting', async () => {
    const uri = nextUri();
    hl003(await client.open(uri, 'SigninLogs\n| take 10\n'));
    client.settings = { defaultTimespan: 'P7D' };
    const republished = client.diagnosticsFor(uri, undefined);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.match(hl003(await republished).message, /over the last P7D/);
  });

  it('warns when no range is sent', async () => {
    const text = 'SigninLogs\n| where CreatedDateTime > datetime(2026-11-01)\n| take 10\n';
    const diagnostic = hl003(await client.open(nextUri(), text));
    assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
    assert.match(diagnostic.message, /sends no time range/);
  });

  it('flags a block that only projects the time column', async () => {
    const diagnostics = await client.open(nextUri(), 'SigninLogs\n| project TimeGenerated, UserPrincipalName\n');
    assert.match(hl003(diagnostics).message, /has no time filter/);
  });

  it('flags a block that only summarizes the time column', async () => {
    const text = 'SigninLogs\n| summarize Newest = max(TimeGenerated) by bin(TimeGenerated, 1h)\n';
    assert.match(hl003(await client.open(nextUri(), text)).message, /has no time filter/);
  });

  it('flags a time column tested without a comparison', async () => {
    const text = 'SigninLogs\n| where isnotnull(TimeGenerated)\n';
    assert.match(hl003(await client.open(nextUri(), text)).message, /has no time filter/);
  });

  it('accepts between on the time column', async () => {
    const text = 'SigninLogs\n| where TimeGenerated between (ago(2d) .. ago(1d))\n| project TimeGenerated\n';
    const diagnostics = await client.open(nextUri(), text);
    assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.code === 'HL003'), []);
  });

  it('accepts a comparison on a binned time column', async () => {
    const text = 'SigninLogs\n| where bin(TimeGenerated, 1h) >= ago(1d)\n';
    const diagnostics = await client.open(nextUri(), text);
    assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.code === 'HL003'), []);
  });

  /** Opens the text, then applies the settings and returns the diagnostics published after the server read them. */
  async function openWithSettings(text: string, settings: typeof client.settings): Promise<readonly Diagnostic[]> {
    const uri = nextUri();
    await client.open(uri, text);
    client.settings = settings;
    const republished = client.diagnosticsFor(uri, undefined);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    return republished;
  }

  it('names all loaded rows on local data', async () => {
    const diagnostic = hl003(await openWithSettings('SigninLogs\n| where ResultType == "500121"\n', { localData: true }));
    assert.equal(diagnostic.severity, DiagnosticSeverity.Information);
    assert.match(diagnostic.message, /On local data Hunt Lens reads every loaded row/);
    assert.doesNotMatch(diagnostic.message, /P1D/);
  });

  it('follows a local connection pin', async () => {
    const diagnostic = hl003(await client.open(nextUri(), '// connection: local\nSigninLogs\n| take 10\n'));
    assert.match(diagnostic.message, /reads every loaded row/);
  });

  it('follows a service connection pin', async () => {
    const diagnostic = hl003(await openWithSettings('// connection: Contoso SOC\nSigninLogs\n| take 10\n', { localData: true, defaultTimespan: 'P1D' }));
    assert.match(diagnostic.message, /over the last P1D/);
  });
});
