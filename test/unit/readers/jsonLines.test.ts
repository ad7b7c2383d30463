import * as assert from 'node:assert/strict';
import { readExportFile } from '../../../src/engine/readers';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

/** The read stream's chunk size in openExportStream. */
const CHUNK_BYTES = 1 << 20;

function record(user: string, extra = ''): string {
  return JSON.stringify({ TimeGenerated: '2026-11-25T02:00:00Z', UserPrincipalName: user, ResultDescription: extra });
}

describe('JSON lines reader', () => {
  let folder: string;
  before(async () => {
    folder = await makeFixtureFolder();
  });

  it('splits lines at LF, CRLF and lone CR', async () => {
    const text = `\uFEFF${record('a@contoso.example')}\r\n${record('b@contoso.example')}\r${record('c@contoso.example')}\n\n${record('d@contoso.example')}\r\n`;
    const file = await writeFixture(folder, 'SigninLogs_lineEnds.jsonl', text);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((row) => row.UserPrincipalName),
      ['a@contoso.example', 'b@contoso.example', 'c@contoso.example', 'd@contoso.example'],
    );
  });

  it('reports the line number of a malformed line', async () => {
    const text = `${record('a@contoso.example')}\r\n\r\n{"TimeGenerated": \r\n${record('b@contoso.example')}`;
    const file = await writeFixture(folder, 'SigninLogs_malformed.jsonl', text);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(
      rows.map((row) => row.UserPrincipalName),
      ['a@contoso.example', 'b@contoso.example'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /invalid JSON/);
  });

  it('keeps a character split across chunks', async () => {
    // The first line ends two bytes after the chunk boundary, with "é" (two bytes in UTF-8) across the boundary.
    const first = record('a@contoso.example', 'x');
    const padding = 'p'.repeat(CHUNK_BYTES - Buffer.byteLength(first) + 2);
    const firstLine = record('a@contoso.example', `${padding}é`);
    assert.equal(Buffer.byteLength(firstLine), CHUNK_BYTES + 3);
    const file = await writeFixture(folder, 'SigninLogs_chunks.jsonl', `${firstLine}\n${record('b@contoso.example', 'ü')}\n`);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].ResultDescription, `${padding}é`);
    assert.equal(rows[1].ResultDescription, 'ü');
  });

  it('reads a gzip file without a final line end', async () => {
    const file = await writeFixture(folder, 'SigninLogs_gzip.jsonl.gz', `${record('a@contoso.example')}\n${record('b@contoso.example')}`, true);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((row) => row.UserPrincipalName),
      ['a@contoso.example', 'b@contoso.example'],
    );
  });

  it('splits at a lone CR in a line across chunks', async () => {
    // The CR is in the first chunk and the line ends in the second, which has no CR itself.
    // A short first line keeps the file in the line-based layout, because a first line longer than the head goes to the tokenizer.
    const opening = `${record('z@contoso.example')}\n`;
    const head = record('a@contoso.example', 'x');
    const padding = 'p'.repeat(CHUNK_BYTES - Buffer.byteLength(opening) - Buffer.byteLength(head) - 10);
    const long = record('a@contoso.example', padding);
    const text = `${opening}${long}\r${record('b@contoso.example')}\n${record('c@contoso.example')}\n`;
    assert.ok(Buffer.byteLength(opening + long) < CHUNK_BYTES, 'the CR is not in the first chunk');
    assert.ok(Buffer.byteLength(text) > CHUNK_BYTES + 100, 'the line does not end in the second chunk');
    const file = await writeFixture(folder, 'SigninLogs_loneCr.jsonl', text);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((row) => row.UserPrincipalName),
      ['z@contoso.example', 'a@contoso.example', 'b@contoso.example', 'c@contoso.example'],
    );
  });

  it('reads a line longer than two chunks', async () => {
    // The first chunk ends inside an "é" (two bytes in UTF-8) of the long second line.
    const opening = `\uFEFF${record('z@contoso.example')}\r\n`;
    const prefixBytes = Buffer.byteLength(record('a@contoso.example', '')) - 2;
    const plain = 'q'.repeat(CHUNK_BYTES - Buffer.byteLength(opening) - prefixBytes - 1);
    const description = `${plain}${'é'.repeat(CHUNK_BYTES + 3)}`;
    const long = record('a@contoso.example', description);
    assert.equal(Buffer.from(opening + long).subarray(CHUNK_BYTES - 1, CHUNK_BYTES + 1).toString(), 'é');
    const text = `${opening}${long}\r\n${record('b@contoso.example')}\r\n{"TimeGenerated": \r\n`;
    const file = await writeFixture(folder, 'SigninLogs_longLine.jsonl', text);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(
      rows.map((row) => row.UserPrincipalName),
      ['z@contoso.example', 'a@contoso.example', 'b@contoso.example'],
    );
    assert.equal(rows[1].ResultDescription, description);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 4);
  });
});
