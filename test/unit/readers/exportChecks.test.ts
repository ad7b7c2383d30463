/**
 * Checks on how exports arrive: a Windows-1252 CSV (Excel's plain "CSV"
 * format), a subfolder or a bare `.gz` file in the data folder, and the same
 * export saved twice. Each is read or reported, never dropped silently.
 */
import * as assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { runQuery } from '../../../src/engine';
import type { ReadProblem } from '../../../src/engine/input';
import { loadData } from '../../../src/engine/load';
import { toUtf8Stream, type EncodingNote } from '../../../src/engine/readers/encoding';
import { makeFixtureFolder } from './helpers';

const HEADER = 'TimeGenerated,UserPrincipalName,UserDisplayName,IPAddress,ResultType';
const ROWS = [
  '2026-11-25T01:44:54Z,dev@contoso.example,Dëv Müller,203.0.113.45,500121',
  '2026-11-25T01:45:10Z,dev@contoso.example,Dëv Müller,203.0.113.45,0',
];
const CSV = `${HEADER}\r\n${ROWS.join('\r\n')}\r\n`;

/** Encodes text as Windows-1252; the fixtures hold only Latin-1 letters, which that code page keeps at the same byte. */
function windows1252(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

async function streamText(chunks: readonly Buffer[], notes: EncodingNote[]): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of toUtf8Stream(Readable.from(chunks), (note) => notes.push(note))) {
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

function namesOf(problems: readonly ReadProblem[], kind: ReadProblem['kind']): string[] {
  return problems.filter((problem) => problem.kind === kind).map((problem) => problem.file);
}

describe('export arrival checks', function () {
  // The first query loads the Kusto language service.
  this.timeout(30_000);
  let root: string;
  before(async () => {
    root = await makeFixtureFolder();
  });

  async function folderWith(name: string, files: Record<string, string | Buffer>): Promise<string> {
    const folder = join(root, name);
    await mkdir(folder, { recursive: true });
    for (const [file, content] of Object.entries(files)) {
      await writeFile(join(folder, file), content);
    }
    return folder;
  }

  describe('Windows-1252 CSV', () => {
    it('reads the letters and notes the encoding once', async () => {
      const folder = await folderWith('cp1252', { 'SigninLogs.csv': windows1252(CSV) });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      const [table] = runQuery(loaded.database, 'SigninLogs | distinct UserDisplayName').tables;
      assert.deepEqual(table.rows, [['Dëv Müller']]);
      const notes = loaded.problems.filter((problem) => problem.kind === 'fileNote');
      assert.equal(notes.length, 1, JSON.stringify(loaded.problems));
      assert.equal(notes[0].file, join(folder, 'SigninLogs.csv'));
      assert.match(notes[0].message, /not valid UTF-8, so it was read as Windows-1252/);
      assert.match(notes[0].message, /CSV UTF-8/);
    });

    it('reads a gzip Windows-1252 CSV the same way', async () => {
      const folder = await folderWith('cp1252-gzip', { 'SigninLogs.csv.gz': gzipSync(windows1252(CSV)) });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      const [table] = runQuery(loaded.database, 'SigninLogs | distinct UserDisplayName').tables;
      assert.deepEqual(table.rows, [['Dëv Müller']]);
      assert.equal(namesOf(loaded.problems, 'fileNote').length, 1);
    });

    it('switches where the first invalid byte comes late', async () => {
      const notes: EncodingNote[] = [];
      const ascii = Buffer.alloc(70_000, 'a');
      // 0x80 is the euro sign in Windows-1252 and never valid alone in UTF-8.
      const text = await streamText([ascii, windows1252('\nZürich '), Buffer.from([0x80])], notes);
      assert.equal(text.length, 70_000 + '\nZürich €'.length);
      assert.equal(text.slice(70_000), '\nZürich €');
      assert.equal(notes.length, 1);
    });

    it('keeps UTF-8 split between chunks without a note', async () => {
      const notes: EncodingNote[] = [];
      const bytes = Buffer.from('ab Zürich 東京 😀 end', 'utf8');
      const chunks = [...bytes].map((byte) => Buffer.from([byte]));
      const text = await streamText([Buffer.concat(chunks.slice(0, 4)), ...chunks.slice(4)], notes);
      assert.equal(text, 'ab Zürich 東京 😀 end');
      assert.deepEqual(notes, []);
    });

    it('notes a UTF-8 character cut at the end', async () => {
      const notes: EncodingNote[] = [];
      const text = await streamText([Buffer.from('abcd'), Buffer.from([0xc3])], notes);
      assert.equal(text, 'abcdÃ');
      assert.equal(notes.length, 1);
    });

    it('adds no note to a UTF-8 CSV with a byte order mark', async () => {
      const folder = await folderWith('utf8', { 'SigninLogs.csv': `\uFEFF${CSV}` });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      const [table] = runQuery(loaded.database, 'SigninLogs | distinct UserDisplayName').tables;
      assert.deepEqual(table.rows, [['Dëv Müller']]);
      assert.deepEqual(loaded.problems, []);
    });
  });

  describe('folder listing', () => {
    it('reports a subfolder and reads the top files', async () => {
      const folder = await folderWith('nested', { 'SigninLogs.csv': CSV });
      await folderWith(join('nested', 'customer-A'), { 'SigninLogs.csv': CSV });
      await folderWith(join('nested', '.hidden'), { 'SigninLogs.csv': CSV });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(loaded.tables, [{ name: 'SigninLogs', rows: 2 }]);
      assert.deepEqual(namesOf(loaded.problems, 'file'), [join(folder, 'customer-A')]);
      assert.match(loaded.problems[0].message, /subfolders are not read/);
    });

    it('reads an Excel Unicode Text .txt file', async () => {
      // Excel's "Unicode Text" is UTF-16LE with a byte order mark and tabs between the fields.
      const unicodeText = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV.replace(/,/g, '\t'), 'utf16le')]);
      const folder = await folderWith('unicode-text', { 'SigninLogs_unicode.txt': unicodeText });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(loaded.tables, [{ name: 'SigninLogs', rows: 2 }]);
      assert.deepEqual(namesOf(loaded.problems, 'file'), []);
    });

    it('reports every file it does not read, with the reason', async () => {
      const folder = await folderWith('unread', {
        'SigninLogs.csv': CSV,
        'export.xlsx': 'PK',
        'signins.zip': 'PK',
        'notes.md': '# notes',
        'LICENSE': 'text',
        'README.txt': 'Exported on Monday from the admin center.',
        '.DS_Store': 'hidden',
      });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(loaded.tables, [{ name: 'SigninLogs', rows: 2 }]);
      const reasons = new Map(loaded.problems.filter((problem) => problem.kind === 'file').map((problem) => [problem.file, problem.message]));
      assert.deepEqual([...reasons.keys()].sort(), ['LICENSE', 'README.txt', 'export.xlsx', 'notes.md', 'signins.zip'].map((name) => join(folder, name)));
      assert.match(reasons.get(join(folder, 'export.xlsx')) ?? '', /spreadsheet workbook is not read: in Excel, save it as "CSV UTF-8/);
      assert.match(reasons.get(join(folder, 'signins.zip')) ?? '', /archive is not read: extract/);
      assert.match(reasons.get(join(folder, 'notes.md')) ?? '', /^files ending in \.md are not read: the reader reads \.csv, \.txt/);
      assert.match(reasons.get(join(folder, 'LICENSE')) ?? '', /^files without an extension are not read/);
      assert.match(reasons.get(join(folder, 'README.txt')) ?? '', /^not a readable export/);
    });

    it('follows a link to a file and reports a broken link', async () => {
      const outside = await folderWith('link-targets', { 'SigninLogs.csv': CSV });
      const folder = await folderWith('links', {});
      await symlink(join(outside, 'SigninLogs.csv'), join(folder, 'SigninLogs.csv'));
      await symlink(join(outside, 'missing.csv'), join(folder, 'AuditLogs.csv'));
      await symlink(outside, join(folder, 'more'));
      // A second link to the same file, and a link to a file of the folder itself: each file is read once.
      await symlink(join(outside, 'SigninLogs.csv'), join(folder, 'SigninLogs_again.csv'));
      await writeFile(join(folder, 'OfficeActivity.csv'), 'TimeGenerated,UserId,Operation\n2026-12-02T00:20:00Z,a@x,New-InboxRule\n');
      await symlink(join(folder, 'OfficeActivity.csv'), join(folder, 'AAA_link.csv'));
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(loaded.tables, [
        { name: 'OfficeActivity', rows: 1 },
        { name: 'SigninLogs', rows: 2 },
      ]);
      const reasons = new Map(loaded.problems.map((problem) => [problem.file, problem.message]));
      assert.match(reasons.get(join(folder, 'AuditLogs.csv')) ?? '', /symbolic link points to a file that does not exist/);
      assert.match(reasons.get(join(folder, 'more')) ?? '', /symbolic link to a folder is not followed/);
      assert.equal(reasons.get(join(folder, 'SigninLogs_again.csv')), `a symbolic link to the file read as ${join(folder, 'SigninLogs.csv')}, so it is not read again`);
      assert.equal(reasons.get(join(folder, 'AAA_link.csv')), `a symbolic link to the file read as ${join(folder, 'OfficeActivity.csv')}, so it is not read again`);
      assert.equal(reasons.size, 4, JSON.stringify(loaded.problems));
    });

    it('reads a bare .gz file by its content', async () => {
      const folder = await folderWith('bare-gzip', { 'signins-export.gz': gzipSync(Buffer.from(CSV.replace(/\r\n/g, '\n'))) });
      await writeFile(join(folder, 'SigninLogs-export.gz'), gzipSync(Buffer.from(CSV)));
      const loaded = await loadData([join(folder, 'SigninLogs-export.gz')], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(loaded.tables, [{ name: 'SigninLogs', rows: 2 }]);
      const fromFolder = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(fromFolder.tables, [{ name: 'SigninLogs', rows: 4 }]);
    });
  });

  describe('duplicated exports', () => {
    it('notes copies and keeps their rows', async () => {
      const folder = await folderWith('duplicates', {
        'SigninLogs.csv': CSV,
        'SigninLogs (1).csv': CSV,
        'SigninLogs.csv.gz': gzipSync(Buffer.from(CSV)),
      });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(loaded.tables, [{ name: 'SigninLogs', rows: 6 }]);
      const notes = loaded.problems.filter((problem) => problem.kind === 'fileNote');
      assert.deepEqual(notes.map((note) => note.file), [join(folder, 'SigninLogs.csv'), join(folder, 'SigninLogs.csv.gz')]);
      for (const note of notes) {
        assert.ok(note.message.includes(`has the same content as ${join(folder, 'SigninLogs (1).csv')}`), note.message);
        assert.match(note.message, /counted twice/);
      }
    });

    it('notes a copy passed as a second data path', async () => {
      const first = await folderWith('path-a', { 'SigninLogs.csv': CSV });
      const second = await folderWith('path-b', {});
      const renamed = join(second, 'SigninLogs-copy.csv.gz');
      await writeFile(renamed, gzipSync(Buffer.from(CSV)));
      const loaded = await loadData([first, renamed], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(namesOf(loaded.problems, 'fileNote'), [renamed]);
    });

    it('says a long file only starts the same', async () => {
      const many = Array.from({ length: 2_000 }, (_, index) => `2026-11-25T01:44:54Z,u${index}@contoso.example,User ${index},203.0.113.45,0`);
      const longer = `${HEADER}\n${many.join('\n')}\n`;
      const folder = await folderWith('long-duplicates', { 'SigninLogs_a.csv': longer, 'SigninLogs_b.csv': `${longer}2026-11-26T00:00:00Z,x@contoso.example,X,203.0.113.9,0\n` });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      const [note] = loaded.problems;
      assert.equal(note?.kind, 'fileNote');
      assert.match(note.message, /starts with the same 64 KiB of data as .*SigninLogs_a\.csv/);
    });

    it('adds no note to different files', async () => {
      const folder = await folderWith('different', { 'SigninLogs_a.csv': CSV, 'SigninLogs_b.csv': CSV.replace('Dëv', 'Dave') });
      const loaded = await loadData([folder], { split: { parts: 1, minPartBytes: 1 } });
      assert.deepEqual(loaded.problems, []);
    });
  });
});
