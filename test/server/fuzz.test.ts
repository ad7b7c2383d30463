// Feeds hostile and random KQL to the bundled language server over LSP: the
// server must answer every request in time with a well-formed response and
// never exit. The random phase runs for HUNT_LENS_FUZZ_MS milliseconds
// (default 15000) from the seed in HUNT_LENS_FUZZ_SEED (default: the clock),
// which a failure message prints so the run can be repeated.
import * as assert from 'node:assert/strict';
import type { CompletionItem, Diagnostic, Hover } from 'vscode-languageserver-protocol/node';
import { huntBlock } from '../../src/hunts/document';
import { HUNTS } from '../../src/hunts/library';
import { LspTestClient } from './lspClient';

const FUZZ_MS = Number(process.env.HUNT_LENS_FUZZ_MS ?? 15_000);
const SEED = Number(process.env.HUNT_LENS_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** The longest the server may take to answer one request or publish one version's diagnostics, on a loaded CI machine. */
const RESPONSE_TIMEOUT_MS = 20_000;

/** A small seeded generator (mulberry32), so a failing run can be repeated from its seed. */
function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const random = randomGenerator(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const integer = (max: number): number => Math.floor(random() * max);

const TOKENS = [
  'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AuditLogs', '|', 'where', 'extend', 'summarize', 'by', 'project',
  'join', 'kind=inner', 'on', 'let', '=', ';', '==', '!=', 'in', '(', ')', '[', ']', '{', '}', ',', '.', 'ResultType',
  'TimeGenerated', 'Status', 'AuthenticationDetails', 'todynamic', 'ago', '1d', '0', '"500121"', '"', "'", '```', '//',
  'and', 'or', 'not', 'count()', 'dcount(', 'bin(', 'mv-expand', 'union', 'materialize(', '\n', '\n\n', ' ', 'h"', '@"',
];

function tokenSoup(): string {
  return Array.from({ length: 1 + integer(80) }, () => pick(TOKENS)).join(pick([' ', '', '\n']));
}

function mutatedHunt(): string {
  let text = huntBlock(pick(HUNTS));
  for (let count = 1 + integer(6); count > 0; count--) {
    const at = integer(text.length + 1);
    switch (integer(4)) {
      case 0:
        text = text.slice(0, at) + text.slice(at + 1 + integer(20));
        break;
      case 1:
        text = text.slice(0, at) + pick(TOKENS) + text.slice(at);
        break;
      case 2:
        text = text.slice(0, at) + String.fromCharCode(integer(0x3000)) + text.slice(at);
        break;
      default: {
        const from = integer(text.length);
        text = text.slice(0, at) + text.slice(from, from + integer(40)) + text.slice(at);
      }
    }
  }
  return text;
}

function garbage(): string {
  return Array.from({ length: integer(2000) }, () => String.fromCharCode(integer(0x10000))).join('');
}

function randomDocument(): string {
  return pick([tokenSoup, mutatedHunt, garbage, mutatedHunt])();
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${RESPONSE_TIMEOUT_MS} ms (seed ${SEED})`)), RESPONSE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function assertWellFormedDiagnostics(diagnostics: Diagnostic[], text: string): void {
  assert.ok(Array.isArray(diagnostics), `diagnostics are not an array (seed ${SEED})`);
  const lines = lineCount(text);
  for (const diagnostic of diagnostics) {
    assert.equal(typeof diagnostic.message, 'string');
    assert.ok(diagnostic.range.start.line >= 0 && diagnostic.range.end.line < lines, `range outside the document (seed ${SEED})`);
    assert.ok(diagnostic.range.start.character >= 0);
    assert.ok(
      diagnostic.range.start.line < diagnostic.range.end.line ||
        (diagnostic.range.start.line === diagnostic.range.end.line && diagnostic.range.start.character <= diagnostic.range.end.character),
      `range ends before it starts (seed ${SEED})`,
    );
  }
}

function assertWellFormedCompletions(items: CompletionItem[] | null): void {
  assert.ok(items === null || Array.isArray(items));
  for (const item of items ?? []) {
    assert.equal(typeof item.label, 'string');
  }
}

function assertWellFormedHover(hover: Hover | null): void {
  if (hover !== null) {
    assert.ok(typeof hover.contents === 'object' && 'value' in hover.contents && typeof hover.contents.value === 'string');
  }
}

describe('server robustness', function () {
  let client: LspTestClient;

  before(async function () {
    this.timeout(60_000);
    client = new LspTestClient();
    await client.initialize({ debounceMs: 0 });
    assert.equal((await client.status).kind, 'ready');
  });

  after(async () => {
    await client.shutdown();
  });

  const hostileCases: Array<[string, () => string]> = [
    ['an empty file', () => ''],
    ['binary garbage', () => Array.from({ length: 5000 }, (_unused, index) => String.fromCharCode((index * 7919) % 0xffff)).join('')],
    ['deeply nested parentheses', () => `print x = ${'('.repeat(5000)}1${')'.repeat(5000)}`],
    ['an unterminated string', () => 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where UserPrincipalName == "alice@contoso.com\n| take 10'],
    ['an unterminated multi-line string', () => 'print x = ```\nnever closed\n\n\nSigninLogs'],
    ['a 10,000-line query', () => ['SigninLogs', '| where TimeGenerated > ago(1d)', ...Array.from({ length: 9998 }, (_unused, index) => `| where UserPrincipalName != "user${index}@contoso.com"`)].join('\n')],
    ['a 5 MB file of hunts', () => {
      const hunts = HUNTS.map((hunt) => huntBlock(hunt)).join('\n');
      return Array.from({ length: Math.ceil(5_000_000 / hunts.length) }, () => hunts).join('\n');
    }],
  ];

  for (const [name, makeText] of hostileCases) {
    it(`survives ${name}`, async function () {
      this.timeout(120_000);
      const uri = `file:///tmp/hunt-lens-fuzz/${name.replace(/\W+/g, '-')}.kql`;
      const text = makeText();
      const diagnostics = await withTimeout(client.open(uri, text), `diagnostics for ${name}`);
      assertWellFormedDiagnostics(diagnostics, text);
      const lastLine = lineCount(text) - 1;
      assertWellFormedCompletions(await withTimeout(client.completion(uri, lastLine, 0), `completion in ${name}`));
      assertWellFormedHover(await withTimeout(client.hover(uri, 0, 1), `hover in ${name}`));
      client.close(uri);
    });
  }

  it('answers random and mutated KQL in time', async function () {
    this.timeout(FUZZ_MS + 4 * RESPONSE_TIMEOUT_MS);
    const uri = 'file:///tmp/hunt-lens-fuzz/random.kql';
    let text = randomDocument();
    await withTimeout(client.open(uri, text), 'diagnostics of the first random document');
    let rounds = 0;
    const deadline = Date.now() + FUZZ_MS;
    while (Date.now() < deadline) {
      text = randomDocument();
      const diagnostics = await withTimeout(client.replace(uri, text), `diagnostics in round ${rounds}`);
      assertWellFormedDiagnostics(diagnostics, text);
      const lines = text.split(/\r\n|\r|\n/);
      const line = integer(lines.length);
      const character = integer(lines[line].length + 1);
      assertWellFormedCompletions(await withTimeout(client.completion(uri, line, character), `completion in round ${rounds}`));
      assertWellFormedHover(await withTimeout(client.hover(uri, line, character), `hover in round ${rounds}`));
      rounds++;
    }
    assert.ok(rounds > 0, 'no fuzz round finished');
    // The server still analyzes a valid query correctly after the fuzzing.
    const final = await withTimeout(client.replace(uri, 'SigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType == 0\n'), 'final diagnostics');
    assert.deepEqual(final.map((diagnostic) => diagnostic.code), ['HL001'], `seed ${SEED}`);
  });
});
