// Runs the bundled language server (dist/server.js, built by scripts/build.mjs)
// in its own process and talks to it over the real LSP protocol.
import * as assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, DocumentSymbol, Hover, Location, SignatureHelp } from 'vscode-languageserver-protocol/node';
import { huntBlock } from '../../src/hunts/document';
import { HUNTS } from '../../src/hunts/library';
import { LspTestClient } from './lspClient';

let client: LspTestClient;
let documentCount = 0;

/** Returns a fresh document URI, so tests never see each other's diagnostics. */
function nextUri(): string {
  documentCount++;
  return `file:///tmp/hunt-lens-server-test/query-${documentCount}.kql`;
}

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${messageOf(d)}`).join('\n');
}

function withCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

/** Applies LSP text edits to `text` (edits must not overlap). */
function applyEdits(text: string, edits: readonly { range: Diagnostic['range']; newText: string }[]): string {
  const lines = text.split('\n');
  const offsetOf = (position: Diagnostic['range']['start']): number =>
    lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offsetOf(edit.range.start)) + edit.newText + result.slice(offsetOf(edit.range.end));
  }
  return result;
}

/** Returns the start and end offsets of a diagnostic's range in `text`. */
function offsetsOf(text: string, diagnostic: Diagnostic): [number, number] {
  const lines = text.split('\n');
  const offsetOf = (position: Diagnostic['range']['start']): number =>
    lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return [offsetOf(diagnostic.range.start), offsetOf(diagnostic.range.end)];
}

function hoverText(hover: Hover | null): string {
  const contents = hover?.contents;
  return contents && typeof contents === 'object' && 'kind' in contents ? contents.value : '';
}

async function quickFixes(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  const actions = await client.connection.sendRequest<CodeAction[] | null>('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic], only: ['quickfix'] },
  });
  return actions ?? [];
}

/** Opens `text`, checks that exactly one diagnostic has `code`, applies its quick fix and returns the fixed text's diagnostics. */
async function applyQuickFix(text: string, code: string): Promise<{ fixed: string; before: Diagnostic; after: Diagnostic[] }> {
  const uri = nextUri();
  const diagnostics = await client.open(uri, text);
  const matching = withCode(diagnostics, code);
  assert.equal(matching.length, 1, describeDiagnostics(diagnostics));
  const actions = await quickFixes(uri, matching[0]);
  assert.equal(actions.length, 1, `expected one quick fix for ${code}`);
  const edits = actions[0].edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0, 'the quick fix has no edits');
  const fixed = applyEdits(text, edits);
  const after = await client.replace(uri, fixed);
  return { fixed, before: matching[0], after };
}

before(async function () {
  this.timeout(60_000);
  client = new LspTestClient();
  await client.initialize();
  const status = await client.status;
  assert.equal(status.kind, 'ready', JSON.stringify(status));
});

afterEach(() => {
  client.closeAll();
});

after(async () => {
  await client.shutdown();
});

describe('server diagnostics', () => {
  it('reports none for a valid query', async () => {
    const diagnostics = await client.open(nextUri(), 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == "500121"\n| take 10\n');
    assert.deepEqual(diagnostics, []);
  });

  it('reports an unknown column with its position', async () => {
    const diagnostics = await client.open(nextUri(), 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultTyp == "0"\n');
    assert.equal(diagnostics.length, 1, describeDiagnostics(diagnostics));
    assert.equal(diagnostics[0].code, 'KS142');
    assert.deepEqual(diagnostics[0].range.start, { line: 2, character: 8 });
  });

  it('reports a syntax error', async () => {
    const diagnostics = await client.open(nextUri(), 'SigninLogs\n| where TimeGenerated > ago(1d) and\n');
    assert.ok(diagnostics.some((diagnostic) => diagnostic.severity === 1), describeDiagnostics(diagnostics));
  });

  it('places diagnostics of a later block on its lines', async () => {
    const text = 'SigninLogs\n| where TimeGenerated > ago(1d)\n\n\nAuditLogs\n| where TimeGenerated > ago(1d)\n| where NoSuchColumn == 1\n';
    const diagnostics = await client.open(nextUri(), text);
    assert.equal(diagnostics.length, 1, describeDiagnostics(diagnostics));
    assert.equal(diagnostics[0].range.start.line, 6);
  });

  it('binds against Defender XDR after the target directive', async () => {
    const query = 'EntraIdSignInEvents\n| where Timestamp > ago(1d)\n| where ErrorCode == 500121\n';
    const logAnalytics = await client.open(nextUri(), query);
    assert.ok(logAnalytics.some((diagnostic) => diagnostic.code === 'KS204' || diagnostic.code === 'KS142'), describeDiagnostics(logAnalytics));
    const defender = await client.open(nextUri(), `// huntLens: target=defenderXdr\n${query}`);
    assert.deepEqual(defender, []);
  });

  it('points a Defender XDR table to the directive', async () => {
    const diagnostics = await client.open(nextUri(), 'AADSignInEventsBeta\n| where Timestamp > ago(1d)\n');
    const table = diagnostics.find((diagnostic) => diagnostic.range.start.line === 0);
    assert.ok(table, describeDiagnostics(diagnostics));
    assert.equal(typeof table.message, 'string');
    assert.match(table.message as string, /AADSignInEventsBeta is a Defender XDR table: add the line \/\/ huntLens: target=defenderXdr/);
  });

  it('reads the target directive below other comments', async () => {
    const diagnostics = await client.open(nextUri(), '// Case 4711\n// huntLens: target=defenderXdr\nAADSignInEventsBeta\n| where Timestamp > ago(1d)\n| take 5\n');
    assert.deepEqual(diagnostics, [], describeDiagnostics(diagnostics));
  });

  it('re-analyzes only the edited block', async () => {
    const uri = nextUri();
    const text = 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == 0\n\nAuditLogs\n| where TimeGenerated > ago(1d)\n';
    const first = await client.open(uri, text);
    assert.equal(withCode(first, 'HL001').length, 1, describeDiagnostics(first));
    // Insert a line above the first block: its text is unchanged, so its diagnostic moves down by one line.
    assert.deepEqual(client.passes.get(uri), { uri, version: 1, blocks: 2, analyzedBlocks: 2 });
    const moved = await client.edit(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '\n');
    assert.equal(withCode(moved, 'HL001')[0]?.range.start.line, 3);
    assert.deepEqual(client.passes.get(uri), { uri, version: 2, blocks: 2, analyzedBlocks: 0 });
    // Edit the second block only: the first keeps its result.
    const edited = await client.edit(uri, { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, ' ');
    assert.equal(withCode(edited, 'HL001').length, 1);
    assert.deepEqual(client.passes.get(uri), { uri, version: 3, blocks: 2, analyzedBlocks: 1 });
  });

  it('publishes none on any library hunt', async function () {
    this.timeout(60_000);
    for (const hunt of HUNTS) {
      const diagnostics = await client.open(nextUri(), huntBlock(hunt));
      assert.equal(describeDiagnostics(diagnostics), '', `hunt ${hunt.id}`);
    }
  });

  it('publishes none on the whole library in one file', async function () {
    this.timeout(60_000);
    const diagnostics = await client.open(nextUri(), HUNTS.map((hunt) => huntBlock(hunt)).join('\n'));
    assert.equal(describeDiagnostics(diagnostics), '');
  });
});

describe('server rules', () => {
  it('flags a text column compared with a number and quotes it', async () => {
    const text = 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == 0\n';
    const { fixed, before, after } = await applyQuickFix(text, 'HL001');
    assert.match(messageOf(before), /ResultType is text/);
    assert.match(messageOf(before), /"0"/);
    assert.deepEqual(before.range, { start: { line: 2, character: 22 }, end: { line: 2, character: 23 } });
    assert.equal(fixed, 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == "0"\n');
    assert.deepEqual(after, []);
  });

  it('flags each number of an in list', async () => {
    const diagnostics = await client.open(nextUri(), 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType in (0, 50074)\n');
    assert.equal(withCode(diagnostics, 'HL001').length, 2, describeDiagnostics(diagnostics));
  });

  it('flags a property read off JSON text and parses it', async () => {
    const text = 'AADNonInteractiveUserSignInLogs\n| where TimeGenerated > ago(1d)\n| extend Details = Status.additionalDetails\n';
    const { fixed, before, after } = await applyQuickFix(text, 'HL002');
    assert.match(messageOf(before), /todynamic\(Status\)\.additionalDetails/);
    assert.equal(fixed, 'AADNonInteractiveUserSignInLogs\n| where TimeGenerated > ago(1d)\n| extend Details = todynamic(Status).additionalDetails\n');
    assert.deepEqual(after, []);
  });

  it('flags an index into JSON text without the binder error', async () => {
    const text = 'AADNonInteractiveUserSignInLogs\n| where TimeGenerated > ago(1d)\n| extend First = AuthenticationDetails[0]\n';
    const { before, after } = await applyQuickFix(text, 'HL002');
    assert.match(messageOf(before), /todynamic\(AuthenticationDetails\)\[0\]/);
    assert.deepEqual(after, []);
  });

  it('flags a sign-in table without a time filter', async () => {
    const text = 'SigninLogs\n| where ResultType == "500121"\n';
    const { fixed, before, after } = await applyQuickFix(text, 'HL003');
    assert.match(messageOf(before), /where TimeGenerated > ago\(1d\)/);
    assert.equal(fixed, 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == "500121"\n');
    assert.deepEqual(after, []);
  });

  it('flags a column renamed by union and merges it', async () => {
    const text = 'union SigninLogs, AADNonInteractiveUserSignInLogs\n| where TimeGenerated > ago(1d)\n| extend Code = tostring(Status.errorCode)\n';
    const { fixed, before, after } = await applyQuickFix(text, 'HL004');
    assert.match(messageOf(before), /dynamic in SigninLogs, string in AADNonInteractiveUserSignInLogs/);
    assert.equal(
      fixed,
      'union SigninLogs, AADNonInteractiveUserSignInLogs\n| where TimeGenerated > ago(1d)\n| extend Code = tostring(coalesce(Status_dynamic, todynamic(Status_string)).errorCode)\n',
    );
    assert.deepEqual(after, []);
  });

  it('names a misspelled operator and replaces the follow-on errors', async () => {
    const text = 'SigninLogs\n| wher TimeGenerated > ago(1d)\n| project IPAddress\n';
    const { fixed, before, after } = await applyQuickFix(text, 'HL005');
    assert.equal(before.message, "'wher' is not a query operator. Did you mean 'where'?");
    assert.equal(fixed, 'SigninLogs\n| where TimeGenerated > ago(1d)\n| project IPAddress\n');
    assert.deepEqual(after, []);
  });

  it('keeps the errors before a misspelled operator', async () => {
    const uri = nextUri();
    const text = 'let x = Missing1;\nSigninLogs\n| where TimeGenerated > ago(1d)\n| summarise count() by IPAddress;\nprint 1\n';
    const diagnostics = await client.open(uri, text);
    const [finding] = withCode(diagnostics, 'HL005');
    assert.equal(text.slice(...offsetsOf(text, finding)), 'summarise count() by IPAddress', describeDiagnostics(diagnostics));
    const others = diagnostics.filter((diagnostic) => diagnostic !== finding).map((diagnostic) => `${String(diagnostic.code)} ${text.slice(...offsetsOf(text, diagnostic))}`);
    assert.deepEqual(others, ['KS142 Missing1']);
  });

  it('turns a rule off through its setting', async () => {
    const uri = nextUri();
    const text = 'SigninLogs\n| where ResultType == "500121"\n';
    assert.equal(withCode(await client.open(uri, text), 'HL003').length, 1);
    client.settings = { diagnostics: { missingTimeFilter: false } };
    const republished = client.diagnosticsFor(uri, undefined);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(await republished, []);
    client.settings = {};
  });
});

describe('server completion and hover', () => {
  it('completes columns after where', async () => {
    const uri = nextUri();
    await client.open(uri, 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where Res');
    const items = (await client.completion(uri, 2, 11)) ?? [];
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('ResultType'), labels.slice(0, 20).join(', '));
    assert.ok(labels.includes('ResultDescription'));
  });

  it('completes tables and let names at a statement start', async () => {
    const uri = nextUri();
    await client.open(uri, 'let threshold = 10;\nlet approvals = SigninLogs | where TimeGenerated > ago(1d);\n');
    const items = (await client.completion(uri, 2, 0)) ?? [];
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('SigninLogs'), labels.slice(0, 20).join(', '));
    assert.ok(labels.includes('approvals'), labels.join(', '));
  });

  it('completes a scalar let name in a filter', async () => {
    const uri = nextUri();
    await client.open(uri, 'let threshold = 10;\nSigninLogs\n| where TimeGenerated > ago(1d)\n| summarize Attempts = count() by UserPrincipalName\n| where Attempts > ');
    const items = (await client.completion(uri, 4, 18)) ?? [];
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('threshold'), labels.slice(0, 30).join(', '));
    assert.ok(labels.includes('Attempts'));
  });

  it('completes functions in an expression', async () => {
    const uri = nextUri();
    await client.open(uri, 'SigninLogs\n| where TimeGenerated > ');
    const items = (await client.completion(uri, 1, 24)) ?? [];
    assert.ok(items.some((item) => item.label.startsWith('ago')), items.slice(0, 20).map((item) => item.label).join(', '));
  });

  it('shows a column type on hover', async () => {
    const uri = nextUri();
    await client.open(uri, 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == "0"\n');
    const hover = await client.hover(uri, 2, 10);
    const value = hoverText(hover);
    assert.match(value, /ResultType: string/);
  });

  it('shows a function signature on hover', async () => {
    const uri = nextUri();
    await client.open(uri, 'SigninLogs\n| where TimeGenerated > ago(1d)\n');
    const hover = await client.hover(uri, 1, 25);
    const value = hoverText(hover);
    assert.match(value, /ago\(/);
  });
});

describe('server signature help', () => {
  it('marks the argument under the cursor', async () => {
    const uri = nextUri();
    const text = 'SigninLogs\n| where TimeGenerated > ago(1d)\n| summarize count() by bin(TimeGenerated, 1h)\n';
    await client.open(uri, text);
    const help = await client.connection.sendRequest<SignatureHelp | null>('textDocument/signatureHelp', {
      textDocument: { uri },
      position: { line: 2, character: 42 },
    });
    assert.ok(help, 'no signature help inside bin()');
    assert.match(help.signatures[0].label, /^bin\(value, roundTo\)/);
    assert.equal(help.activeParameter, 1);
  });

  it('returns none outside a call', async () => {
    const uri = nextUri();
    await client.open(uri, 'SigninLogs\n| take 10\n');
    const help = await client.connection.sendRequest<SignatureHelp | null>('textDocument/signatureHelp', {
      textDocument: { uri },
      position: { line: 1, character: 8 },
    });
    assert.equal(help, null);
  });
});

describe('server navigation', () => {
  const text = 'let lookback = 1d;\nSigninLogs\n| where TimeGenerated > ago(lookback)\n| take 10\n\nAuditLogs\n| where TimeGenerated > ago(1d)\n';

  it('finds the definition of a let name', async () => {
    const uri = nextUri();
    await client.open(uri, text);
    const locations = (await client.definition(uri, 2, 30)) ?? [];
    assert.deepEqual(
      locations.map((location) => location.range),
      [{ start: { line: 0, character: 4 }, end: { line: 0, character: 12 } }],
    );
  });

  it('finds the references of a let name', async () => {
    const uri = nextUri();
    await client.open(uri, text);
    const locations = await client.connection.sendRequest<Location[] | null>('textDocument/references', {
      textDocument: { uri },
      position: { line: 0, character: 6 },
      context: { includeDeclaration: true },
    });
    const lines = (locations ?? []).map((location) => location.range.start.line).sort();
    assert.deepEqual(lines, [0, 2]);
  });

  it('lists one symbol per statement block', async () => {
    const uri = nextUri();
    await client.open(uri, text);
    const symbols = await client.connection.sendRequest<DocumentSymbol[] | null>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      (symbols ?? []).map((symbol) => [symbol.name, symbol.range.start.line, symbol.range.end.line]),
      [
        ['let lookback = 1d;', 0, 3],
        ['AuditLogs', 5, 6],
      ],
    );
  });
});

describe('server semantic tokens', () => {
  it('classifies tables, columns and let names', async () => {
    const uri = nextUri();
    const text = 'let lookback = 1d;\nSigninLogs\n| where TimeGenerated > ago(lookback)\n';
    await client.open(uri, text);
    const tokens = await client.connection.sendRequest<{ data: number[] } | null>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const legend = ['comment', 'keyword', 'string', 'number', 'operator', 'type', 'class', 'property', 'function', 'parameter', 'variable', 'namespace', 'macro'];
    const lines = text.split('\n');
    const typed = new Map<string, string>();
    let line = 0;
    let character = 0;
    const data = tokens?.data ?? [];
    for (let index = 0; index < data.length; index += 5) {
      const [deltaLine, deltaStart, length, type] = data.slice(index, index + 4);
      line += deltaLine;
      character = deltaLine === 0 ? character + deltaStart : deltaStart;
      typed.set(lines[line].slice(character, character + length), legend[type]);
    }
    assert.equal(typed.get('SigninLogs'), 'class');
    assert.equal(typed.get('TimeGenerated'), 'property');
    assert.equal(typed.get('lookback'), 'variable');
    assert.equal(typed.get('ago'), 'function');
    assert.equal(typed.get('where'), 'keyword');
  });
});
