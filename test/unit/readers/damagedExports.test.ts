/**
 * Damaged and mislabelled exports: a gzip file cut off in transfer keeps the
 * rows before the cut and reports its file and line without stopping the
 * other files, and records of a file named after the wrong table are reported.
 */
import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadData } from '../../../src/engine/load';
import { readExportFile } from '../../../src/engine/readers';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

const RECORDS = 3000;

function lines(count: number): string {
  return Array.from({ length: count }, (_unused, index) =>
    JSON.stringify({ TimeGenerated: '2026-11-25T02:00:00Z', UserPrincipalName: `user${index}@contoso.example`, ResultType: '500121', OriginalRequestId: `request-${index}` }),
  ).join('\n');
}

describe('truncated gzip export', () => {
  let folder: string;
  let cut: string;

  before(async () => {
    folder = await makeFixtureFolder();
    const whole = gzipSync(Buffer.from(lines(RECORDS), 'utf8'));
    cut = join(folder, 'SigninLogs.jsonl.gz');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  });

  it('keeps the rows before the cut and reports where it is', async () => {
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(cut, { onProblem })), 'SigninLogs');
    assert.ok(rows.length > 0, 'no row before the cut was kept');
    assert.ok(rows.length < RECORDS, 'the cut file gave every row');
    assert.equal(rows[0]?.UserPrincipalName, 'user0@contoso.example');
    const cutOff = problems.find((problem) => /gzip data ends early or is damaged/.test(problem.message));
    assert.ok(cutOff, `no problem names the cut: ${JSON.stringify(problems)}`);
    assert.equal(cutOff.file, cut);
    assert.ok(cutOff.line > rows.length, `the cut is reported at line ${cutOff.line}, before the ${rows.length} rows read`);
  });

  it('does not stop the other files of the folder from loading', async () => {
    await writeFixture(folder, 'AuditLogs.csv', 'TimeGenerated,OperationName,Result\n2026-11-25T02:26:02Z,User registered security info,success\n');
    const loaded = await loadData([folder]);
    assert.deepEqual(
      loaded.tables.find((table) => table.name === 'AuditLogs'),
      { name: 'AuditLogs', rows: 1 },
    );
    assert.ok((loaded.tables.find((table) => table.name === 'SigninLogs')?.rows ?? 0) > 0);
    assert.ok(loaded.problems.some((problem) => problem.file === cut));
  });
});

describe('export named after the wrong table', () => {
  it('skips and reports foreign records', async () => {
    const folder = await makeFixtureFolder();
    const file = await writeFixture(folder, 'OfficeActivity.json', '[{"foo": 1, "bar": "x"}, {"Operation": "New-InboxRule", "UserId": "ben@contoso.example"}]');
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'OfficeActivity');
    assert.deepEqual(
      rows.map((row) => row.Operation),
      ['New-InboxRule'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.file, file);
    assert.match(problems[0]?.message ?? '', /none of the record's fields \("foo", "bar"\) is a column of OfficeActivity/);
  });
});
