/**
 * Reading one export in parts at once must give the tables, problems and
 * line numbers of reading it whole. The fixture is the sample's SigninLogs
 * export, uncompressed, with unreadable lines in every part, rows repeated
 * across parts and a foreign record, read in 1 to 4 parts with small parts
 * so the workers run on a small file.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { open, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Column, ColumnarTable } from '../../../src/engine/columns';
import type { ReadProblem } from '../../../src/engine/input';
import { loadData, type LoadedData } from '../../../src/engine/load';
import { planFileParts } from '../../../src/engine/readers/fileParts';
import { readJsonRecords, type JsonSkip } from '../../../src/engine/readers/jsonRecords';
import type { ByteRange } from '../../../src/engine/readers/source';
import { detectExportFormat, type ExportFormat } from '../../../src/engine/readers/formats';
import { makeFixtureFolder } from '../readers/helpers';

const SAMPLE_SIGNINS = join(__dirname, '..', '..', '..', '..', 'sample', 'data', 'SigninLogs.json.gz');

/**
 * Returns the sample's records, one per line, with problems spread through
 * the file: unreadable lines and datetimes, a repeated record and a foreign one.
 * Each record gets an MfaDetail of its own, except that every 50th repeats the
 * one before: mostly distinct values, which stop interning, shared by a few rows.
 */
function fixtureLines(): string[] {
  const records = gunzipSync(readFileSync(SAMPLE_SIGNINS))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line, index) => {
      const record = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as Record<string, unknown>;
      record.MfaDetail = { authMethod: 'PhoneAppNotification', authDetail: `device-${index % 50 === 0 ? index - 1 : index}` };
      if (index % 1201 === 7) {
        record.TimeGenerated = 'yesterday';
      } else if (index % 2003 === 11) {
        record.TimeGenerated = 20261120;
      }
      return JSON.stringify(record);
    });
  const lines: string[] = [];
  records.forEach((record, index) => {
    lines.push(record);
    if (index % 997 === 500) {
      lines.push(`{"TimeGenerated": "2026-11-20T00:00:00Z", "UserPrincipalName": "cut-off-${index}@contoso.com"`);
    }
    if (index % 1499 === 700) {
      lines.push('');
      lines.push(records[index - 600]);
    }
    if (index === 3000) {
      lines.push('{"NotAColumn": 1}');
    }
  });
  return lines;
}

/** Returns every cell of a table as text, row by row, so two tables compare whatever their dictionary codes. */
function cells(table: ColumnarTable): string[][] {
  const columns = table.columns.map((_, index) => table.column(index));
  const rows: string[][] = [];
  for (let row = 0; row < table.rowCount; row++) {
    rows.push(columns.map((column) => cellText(column, row)));
  }
  return rows;
}

function cellText(column: Column, row: number): string {
  switch (column.kind) {
    case 'dictionary':
      return JSON.stringify(column.dictionary[column.codes[row]]);
    case 'number':
    case 'bool':
      return String(column.values[row]);
    case 'dynamic':
      return JSON.stringify(column.values[row]);
  }
}

/**
 * Returns problems ordered by line. One thread reports a batch's skipped lines
 * before its datetime values, while later parts report theirs merged by line.
 */
function inLineOrder(problems: readonly ReadProblem[]): ReadProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.message.localeCompare(b.message));
}

/** Returns the one table that a file provided; the database also contains the bundled tables that no file provided, empty. */
function onlyTable(loaded: LoadedData): ColumnarTable {
  assert.equal(loaded.tables.length, 1);
  const table = loaded.database.tables.find((candidate) => candidate.name === loaded.tables[0]?.name);
  assert.ok(table);
  return table as ColumnarTable;
}

describe('reading an export in parts', function () {
  this.timeout(120_000);
  let file: string;
  let whole: LoadedData;
  let format: ExportFormat;

  before(async () => {
    const folder = await makeFixtureFolder();
    file = join(folder, 'SigninLogs.json');
    await writeFile(file, `${fixtureLines().join('\n')}\n`);
    whole = await loadData([file], { split: { parts: 1, minPartBytes: 1 } });
    const detection = await detectExportFormat(file);
    assert.ok('format' in detection);
    format = detection.format;
  });

  it('reads the fixture whole with its problems, as the reference', () => {
    assert.ok(onlyTable(whole).rowCount > 5000, `only ${onlyTable(whole).rowCount} rows`);
    assert.ok(whole.skipped > 10, `only ${whole.skipped} problems`);
    const datetimes = whole.problems.filter((problem) => problem.kind === 'cell');
    assert.equal(datetimes.length, 4, 'three unreadable datetimes quoted and one count');
    assert.match(datetimes[3].message, /in all, 1[0-9] datetime values/);
  });

  for (const parts of [2, 3, 4]) {
    it(`gives the same rows, problems and line numbers in ${parts} parts`, async () => {
            // Three parts start with a small first part, so later parts hold quoted datetime problems too.
      const firstShare = parts === 3 ? 0.05 : undefined;
      const chunkRows = parts === 2 ? undefined : 1000 + parts * 300;
      const ranges = await planFileParts(file, format, { parts, minPartBytes: 1, firstShare });
      assert.equal(ranges?.length, parts, 'the file is not cut as asked');
      const split = await loadData([file], { split: { parts, minPartBytes: 1, chunkRows, firstShare } });
      assert.deepEqual(split.tables, whole.tables);
      assert.deepEqual(inLineOrder(split.problems), inLineOrder(whole.problems));
      assert.equal(split.skipped, whole.skipped);
      assert.deepEqual(cells(onlyTable(split)), cells(onlyTable(whole)));
    });
  }

  it('keeps dictionaries unique and shared values frozen', async () => {
    const table = onlyTable(await loadData([file], { split: { parts: 2, minPartBytes: 1 } }));
    for (let index = 0; index < table.columns.length; index++) {
      const column = table.column(index);
      if (column.kind === 'dictionary') {
        assert.equal(new Set(column.dictionary).size, column.dictionary.length, `${table.columns[index].name} repeats a dictionary entry`);
      }
    }
    // Rows that share an object would all change if an operator changed it in place.
    for (const name of ['Status', 'MfaDetail']) {
      const column = table.column(table.columnIndex(name));
      assert.equal(column.kind, 'dynamic');
      const seen = new Set<unknown>();
      let shared = 0;
      for (const value of column.values) {
        if (seen.has(value)) {
          shared += 1;
          assert.ok(Object.isFrozen(value), `a ${name} value that rows share is not frozen`);
        }
        seen.add(value);
      }
      assert.ok(shared > 0, `no rows share a ${name} value`);
    }
  });

  it('cuts every part at a line start and covers the whole file', async () => {
    const bytes = readFileSync(file);
    const ranges = await planFileParts(file, format, { parts: 4, minPartBytes: 1, firstShare: 0.2 });
    assert.ok(ranges);
    assert.equal(ranges[0].start, 0);
    assert.equal(ranges[ranges.length - 1].end, bytes.length);
    ranges.forEach((range, index) => {
      assert.ok(range.end > range.start, `part ${index} is empty`);
      if (index > 0) {
        assert.equal(range.start, ranges[index - 1].end);
        assert.equal(bytes[range.start - 1], 0x0a, `part ${index} does not start at a line start`);
      }
    });
    assert.ok(ranges[0].end < bytes.length * 0.25, 'the first share is not honoured');
  });

  it('reads whole a file that is small, gzip, UTF-16, Windows-1252 or not line-based', async () => {
    const folder = await makeFixtureFolder();
    const text = readFileSync(file, 'utf8');
    const gzip = join(folder, 'SigninLogs.json.gz');
    await writeFile(gzip, gzipSync(text));
    const utf16 = join(folder, 'SigninLogs-utf16.json');
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(0, 200_000), 'utf16le')]));
    const pretty = join(folder, 'SigninLogs-pretty.json');
    await writeFile(pretty, JSON.stringify(text.split('\n').slice(0, 50).filter((line) => line.startsWith('{"') && line.endsWith('}')).map((line) => JSON.parse(line) as unknown), null, 2));
    const windows1252 = join(folder, 'SigninLogs-windows1252.json');
    await writeFile(windows1252, Buffer.from(text.replace('"UserPrincipalName":"', '"UserPrincipalName":"M\u00fcller-'), 'latin1'));
    assert.equal(await planFileParts(file, format, { parts: 2, minPartBytes: readFileSync(file).length }), undefined, 'a small file is cut');
    for (const path of [gzip, utf16, pretty, windows1252]) {
      const detection = await detectExportFormat(path);
      assert.ok('format' in detection, `${path} is not detected`);
      assert.equal(await planFileParts(path, detection.format, { parts: 2, minPartBytes: 1 }), undefined, `${path} is cut`);
    }
  });

  it('reads the planned file after its path is replaced', async () => {
    const folder = await makeFixtureFolder();
    const path = join(folder, 'SigninLogs.json');
    const original = Buffer.from(`${fixtureLines().slice(0, 2000).join('\n')}\n`);
    await writeFile(path, original);
    const ranges = await planFileParts(path, format, { parts: 2, minPartBytes: 1 });
    assert.ok(ranges);
    const handle = await open(path, 'r');
    try {
      // The export is rotated: renamed away, and a shorter file takes its path.
      await rename(path, join(folder, 'SigninLogs.old.json'));
      await writeFile(path, original.subarray(0, 1000));
      const part = await readPart(path, { ...ranges[1], fd: handle.fd });
      assert.equal(part.records, objectLines(original.subarray(ranges[1].start, ranges[1].end)));
      assert.deepEqual(part.problems.filter((problem) => /shorter/.test(problem.message)), []);
    } finally {
      await handle.close();
    }
  });

  it('reports a part cut short by truncation', async () => {
    const folder = await makeFixtureFolder();
    const path = join(folder, 'SigninLogs.json');
    await writeFile(path, `${fixtureLines().slice(0, 2000).join('\n')}\n`);
    const ranges = await planFileParts(path, format, { parts: 2, minPartBytes: 1 });
    assert.ok(ranges);
    const handle = await open(path, 'r');
    try {
      await truncate(path, ranges[1].start + Math.floor((ranges[1].end - ranges[1].start) / 2));
      const part = await readPart(path, { ...ranges[1], fd: handle.fd });
      const cut = part.problems.filter((problem) => /became shorter while it was read/.test(problem.message));
      assert.equal(cut.length, 1);
    } finally {
      await handle.close();
    }
  });
});

/** Reads one part of a JSON-lines file and returns how many records it held and its problems. */
async function readPart(path: string, range: ByteRange): Promise<{ records: number; problems: JsonSkip[] }> {
  const problems: JsonSkip[] = [];
  let records = 0;
  for await (const batch of readJsonRecords(path, (skip) => problems.push(skip), undefined, 'lines', { range })) {
    records += batch.length;
  }
  return { records, problems };
}

/** Counts the lines of `bytes` that hold a JSON object. */
function objectLines(bytes: Buffer): number {
  return bytes
    .toString('utf8')
    .split('\n')
    .filter((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      } catch {
        return false;
      }
    }).length;
}
