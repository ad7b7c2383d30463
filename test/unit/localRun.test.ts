import * as assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, parseArguments, UsageError } from '../../src/cli/huntlens';
import type { DataSummary, RunSucceeded } from '../../src/engine/workerProtocol';
import { dataFingerprint } from '../../src/runner/localEngine';
import { isCancelledRun } from '../../src/results/model';
import { countOf } from '../../src/runner/countText';
import { dataWarnings, localOutcome } from '../../src/runner/localRun';
import type { RunContext } from '../../src/runner/shape';

const context: RunContext = {
  query: 'SigninLogs | take 1',
  target: { kind: 'local', folder: '/tmp/data', displayName: 'Local data' },
  startedAt: '2026-11-29T00:00:00.000Z',
  durationMs: 0,
};

const summary = (skipped: number): DataSummary => ({
  tables: [{ name: 'SigninLogs', rows: 10 }],
  missingTables: [],
  times: [],
  changedFiles: [],
  unfinishedFiles: [],
  problems: Array.from({ length: Math.min(skipped, 5) }, (_unused, index) => ({ file: 'SigninLogs.json', line: index + 2, message: 'not JSON' })),
  skipped,
  loadMs: 12,
});

describe('local engine results', () => {
  it('says nothing about skipped lines when there were none', () => {
    assert.deepEqual(dataWarnings(summary(0)), []);
  });

  it('quotes the first skipped lines with file and line, and counts the rest', () => {
    const [warning] = dataWarnings(summary(7));
    assert.match(warning ?? '', /^Some of the local data could not be read, 7 problems \(the first 5: 5 lines skipped\): SigninLogs\.json, line 2: not JSON; SigninLogs\.json, line 3/);
    // Five problems were kept, so two beyond the quoted three are in the log, and the other two were only counted.
    assert.match(warning ?? '', /; 2 more in the Hunt Lens log \(run Hunt Lens: Show Log\) and 2 more only counted\.$/);
  });

  it('names the command that opens the log', () => {
    const [warning] = dataWarnings(summary(5));
    assert.match(warning ?? '', /; 2 more in the Hunt Lens log \(run Hunt Lens: Show Log\)\.$/);
  });

  it('sends the notification to the log for unquoted problems', () => {
    const answer: RunSucceeded = { type: 'result', id: 1, result: { tables: [] }, data: summary(5), now: '2026-11-29T23:59:00.000Z', clockNow: false, loaded: true, reportLoad: true };
    const outcome = localOutcome(answer, context, '/tmp/data');
    assert.equal(outcome.problemsInLog, true);
    assert.equal(outcome.message, 'Query on local data finished; now() was 2026-11-29T23:59:00.000Z. 2 more data problems are in the Hunt Lens log than the results header quotes.');
    const single = localOutcome({ ...answer, data: summary(4) }, context, '/tmp/data');
    assert.match(single.message, /\. 1 more data problem is in the Hunt Lens log than the results header quotes\.$/);
    const quotedAll = localOutcome({ ...answer, data: summary(3) }, context, '/tmp/data');
    assert.equal(quotedAll.problemsInLog, false);
    assert.doesNotMatch(quotedAll.message, /Hunt Lens log/);
  });

  it('says "the first one" for a single kept problem', () => {
    const [warning] = dataWarnings({ ...summary(1), skipped: 4 });
    assert.match(warning ?? '', /^Some of the local data could not be read, 4 problems \(the first one: 1 line skipped\)/);
  });

  it('counts problems kept only as a number', () => {
    const [warning] = dataWarnings({ ...summary(3), skipped: 10 });
    assert.match(warning ?? '', /^Some of the local data could not be read, 10 problems \(the first 3: 3 lines skipped\)/);
    assert.match(warning ?? '', /; 7 more only counted\.$/);
    assert.doesNotMatch(warning ?? '', /Hunt Lens log/);
  });

  it('counts unreadable files apart from skipped lines', () => {
    const problems: DataSummary['problems'] = [
      { file: 'garbage.csv', line: 1, message: 'not a readable export', kind: 'file' },
      { file: 'notes.json', line: 1, message: 'not a readable export', kind: 'file' },
      { file: 'OfficeActivity.csv', line: 3, message: 'a quoted field opened on this line is never closed' },
      { file: 'SigninLogs.csv', line: 4, message: 'the datetime "soon" could not be read', kind: 'cell' },
    ];
    const [warning] = dataWarnings({ ...summary(0), problems, skipped: problems.length });
    assert.match(warning ?? '', /^Some of the local data could not be read, 2 files and 1 line skipped, 1 cell in question: garbage\.csv, line 1/);
    assert.match(warning ?? '', /; 1 more in the Hunt Lens log \(run Hunt Lens: Show Log\)\.$/);
  });

  it('counts file notes apart from skipped files', () => {
    const problems: DataSummary['problems'] = [
      { file: 'export.csv', line: 1, message: 'the file is not valid UTF-8, so it was read as Windows-1252', kind: 'fileNote' },
      { file: 'customer-A', line: 1, message: 'subfolders are not read', kind: 'file' },
    ];
    const [warning] = dataWarnings({ ...summary(0), problems, skipped: problems.length });
    assert.match(warning ?? '', /^Some of the local data could not be read, 1 file skipped, 1 note on files read whole: export\.csv, line 1: the file is not valid UTF-8/);
  });

  it('says data with only notes was read', () => {
    const problems: DataSummary['problems'] = [{ file: 'export (1).csv', line: 1, message: 'has the same content as export.csv', kind: 'fileNote' }];
    const [warning] = dataWarnings({ ...summary(0), problems, skipped: problems.length });
    assert.match(warning ?? '', /^Some of the local data was read with a caveat, 1 note on files read whole: export \(1\)\.csv, line 1: has the same content/);
  });

  it('converts a successful result', () => {
    // The reference time goes into the statistics and the message.
    const outcome = localOutcome(
      { type: 'result', id: 1, result: { tables: [{ name: 'PrimaryResult', columns: [{ name: 'x', type: 'long' }], rows: [[1]] }] }, data: summary(1), now: '2026-11-29T23:59:00.000Z', clockNow: false, loaded: true, reportLoad: true },
      context,
      '/tmp/data',
    );
    assert.equal(outcome.result.status, 'Success');
    assert.deepEqual(outcome.result.tables[0]?.rows, [[1]]);
    assert.equal(outcome.result.statistics?.now, '2026-11-29T23:59:00.000Z');
    assert.equal(outcome.result.warnings?.length, 1);
    assert.match(outcome.message, /2026-11-29T23:59:00\.000Z/);
  });

  it('warns about a table the query read that no file provided', () => {
    const data = { ...summary(0), missingTables: ['AADNonInteractiveUserSignInLogs', 'AuditLogs'] };
    const outcome = localOutcome(
      { type: 'result', id: 1, result: { tables: [], tablesRead: ['AuditLogs', 'SigninLogs'] }, data, now: '2026-11-29T23:59:00.000Z', clockNow: false, loaded: false, reportLoad: false },
      context,
      '/tmp/data',
    );
    assert.equal(outcome.result.status, 'Success');
    assert.deepEqual(outcome.coverage, outcome.result.warnings);
    assert.equal(outcome.coverage.length, 1);
    assert.match(outcome.coverage[0] ?? '', /^AuditLogs: no file in the local data provides this table, so it is empty here\. Export AuditLogs too /);
  });

  it('warns when now() is the clock and the data ends days before it', () => {
    const data = { ...summary(0), newestRecord: '2026-11-29T16:29:39.000Z', times: [{ table: 'SigninLogs', column: 'TimeGenerated', newestRecord: '2026-11-29T16:29:39.000Z', rowsWithoutTime: 0 }] };
    const answer: RunSucceeded = { type: 'result', id: 1, result: { tables: [], tablesRead: ['SigninLogs'] }, data, now: '2026-12-05T04:44:29.509Z', clockNow: true, loaded: true, reportLoad: true };
    const [warning] = localOutcome(answer, context, '/tmp/data').coverage;
    assert.equal(
      warning,
      'The newest record of SigninLogs in the local data is from 2026-11-29T16:29:39.000Z, 5 days before now() (2026-12-05T04:44:29.509Z, the current time), ' +
        'so hunts that look back from now() with ago() may miss the data. Set huntLens.localData.referenceTime to newestRecord so that now() is the newest record.',
    );
    assert.deepEqual(localOutcome({ ...answer, clockNow: false }, context, '/tmp/data').coverage, []);
    assert.deepEqual(localOutcome({ ...answer, now: '2026-11-30T10:00:00.000Z' }, context, '/tmp/data').coverage, []);
  });

  it('warns about tables a wildcard union read', () => {
    const times = [{ table: 'SigninLogs', column: 'TimeGenerated', newestRecord: '2026-11-29T16:29:39.000Z', rowsWithoutTime: 2 }];
    const data = { ...summary(0), missingTables: ['AuditLogs'], newestRecord: '2026-11-29T16:29:39.000Z', times };
    const result = { tables: [], tablesRead: [], tablesReadByWildcard: ['AuditLogs', 'SigninLogs'] };
    const answer: RunSucceeded = { type: 'result', id: 1, result, data, now: '2026-12-05T04:44:29.509Z', clockNow: true, loaded: true, reportLoad: true };
    const coverage = localOutcome(answer, context, '/tmp/data').coverage;
    assert.equal(coverage.length, 2, JSON.stringify(coverage));
    assert.match(coverage[0] ?? '', /^The newest record of SigninLogs in the local data is from 2026-11-29T16:29:39\.000Z, 5 days before now\(\)/);
    assert.match(coverage[1] ?? '', /^SigninLogs: 2 rows have no TimeGenerated/);
  });

  it('warns when the folder held no export files', () => {
    const outcome = localOutcome({ type: 'result', id: 1, result: { tables: [] }, data: { tables: [], missingTables: [], times: [], changedFiles: [], unfinishedFiles: [], problems: [], skipped: 0, loadMs: 1 }, now: 'x', clockNow: false, loaded: true, reportLoad: true }, context, '/tmp/data');
    assert.match(outcome.result.warnings?.[0] ?? '', /No export files were read from \/tmp\/data/);
  });

  it('reports a cancelled run as cancelled, not failed', () => {
    const outcome = localOutcome({ type: 'error', id: 1, error: { code: 'cancelled', message: 'The query was cancelled.' }, data: summary(2) }, context, '/tmp/data');
    assert.equal(outcome.message, 'Query on local data cancelled.');
    assert.equal(outcome.result.status, 'Failure');
    assert.equal(outcome.result.error?.code, 'Cancelled');
    assert.ok(isCancelledRun(outcome.result));
  });

  it('warns about files that changed while read', () => {
    const data = { ...summary(0), changedFiles: ['/tmp/data/SigninLogs.json'] };
    const answer: RunSucceeded = { type: 'result', id: 1, result: { tables: [], tablesRead: ['AuditLogs'] }, data, now: '2026-11-29T23:59:00.000Z', clockNow: false, loaded: true, reportLoad: true };
    const outcome = localOutcome(answer, context, '/tmp/data');
    const expected =
      'The file /tmp/data/SigninLogs.json changed while it was read, so only part of it may be loaded, as happens while a copy is still being written. ' +
      'Run the query again once the copy has finished: the next run reads the files again.';
    assert.ok(outcome.result.warnings?.includes(expected), JSON.stringify(outcome.result.warnings));
    assert.ok(outcome.coverage.includes(expected), 'the warning is not logged');
    assert.equal(outcome.message, `Query on local data finished; now() was 2026-11-29T23:59:00.000Z. ${expected}`);
    const withProblems = localOutcome({ ...answer, data: { ...data, ...summary(5), changedFiles: data.changedFiles } }, context, '/tmp/data');
    assert.equal(
      withProblems.message,
      `Query on local data finished; now() was 2026-11-29T23:59:00.000Z. ${expected} 2 more data problems are in the Hunt Lens log than the results header quotes.`,
    );
  });

  it('warns about a file that looks like an unfinished copy', () => {
    const data = { ...summary(0), unfinishedFiles: ['/tmp/data/SigninLogs.json'] };
    const answer: RunSucceeded = { type: 'result', id: 1, result: { tables: [] }, data, now: '2026-11-29T23:59:00.000Z', clockNow: false, loaded: true, reportLoad: true };
    const outcome = localOutcome(answer, context, '/tmp/data');
    const expected =
      'The file /tmp/data/SigninLogs.json was written less than a minute before it was read and ends in a cut line, ' +
      'so it may be a copy still being written and only part of it may be loaded. Run the query again once the copy has finished: the next run reads the files again.';
    assert.deepEqual(outcome.coverage, [expected]);
    assert.ok(outcome.result.warnings?.includes(expected), JSON.stringify(outcome.result.warnings));
    assert.equal(outcome.message, `Query on local data finished; now() was 2026-11-29T23:59:00.000Z. ${expected}`);
  });

  it('warns about rows without a time only for tables read', () => {
    const times = [
      { table: 'SigninLogs', column: 'TimeGenerated', newestRecord: '2026-11-29T16:29:39.000Z', rowsWithoutTime: 2 },
      { table: 'AuditLogs', column: 'TimeGenerated', newestRecord: '2026-11-29T16:29:39.000Z', rowsWithoutTime: 1 },
    ];
    const data = { ...summary(0), times };
    const answer: RunSucceeded = { type: 'result', id: 1, result: { tables: [], tablesRead: ['SigninLogs'] }, data, now: '2026-11-29T23:59:00.000Z', clockNow: false, loaded: true, reportLoad: true };
    // No data problem is an unreadable datetime, so every cell without a time was empty.
    assert.deepEqual(localOutcome(answer, context, '/tmp/data').coverage, [
      'SigninLogs: 2 rows have no TimeGenerated because the cell was empty, so every filter on TimeGenerated, such as ago() or between(), skips them.',
    ]);
    const unreadable = { file: 'SigninLogs.json', line: 3, kind: 'cell' as const, message: 'column TimeGenerated: the datetime "soon" could not be read, so the cell is empty (null).' };
    const withUnreadable = localOutcome({ ...answer, data: { ...data, problems: [unreadable], skipped: 1 } }, context, '/tmp/data').coverage;
    assert.deepEqual(withUnreadable, [
      'SigninLogs: 2 rows have no TimeGenerated: the cell was empty (which is not reported) or held a value that could not be read as a datetime, ' +
        'so every filter on TimeGenerated, such as ago() or between(), skips them. ' +
        'The data problems in the results header and the Hunt Lens log name the files and lines of the unreadable values.',
    ]);
    const auditOnly = localOutcome({ ...answer, result: { tables: [], tablesRead: ['AuditLogs'] } }, context, '/tmp/data').coverage;
    assert.equal(auditOnly.length, 1);
    assert.match(auditOnly[0] ?? '', /^AuditLogs: 1 row has no TimeGenerated .* skips it\./);
  });

  it('warns about old data only for tables read', () => {
    const times = [
      { table: 'SigninLogs', column: 'TimeGenerated', newestRecord: '2026-11-20T00:00:00.000Z', rowsWithoutTime: 0 },
      { table: 'AuditLogs', column: 'TimeGenerated', newestRecord: '2026-12-05T00:00:00.000Z', rowsWithoutTime: 0 },
    ];
    const data = { ...summary(0), newestRecord: '2026-12-05T00:00:00.000Z', times };
    const answer: RunSucceeded = { type: 'result', id: 1, result: { tables: [], tablesRead: ['AuditLogs'] }, data, now: '2026-12-05T04:00:00.000Z', clockNow: true, loaded: true, reportLoad: true };
    assert.deepEqual(localOutcome(answer, context, '/tmp/data').coverage, []);
    assert.deepEqual(localOutcome({ ...answer, result: { tables: [] } }, context, '/tmp/data').coverage, []);
    const [stale] = localOutcome({ ...answer, result: { tables: [], tablesRead: ['SigninLogs'] } }, context, '/tmp/data').coverage;
    assert.match(stale ?? '', /^The newest record of SigninLogs in the local data is from 2026-11-20T00:00:00\.000Z, 15 days before now\(\)/);
  });

  it('turns an engine error into a failed run with its line and column', () => {
    const outcome = localOutcome({ type: 'error', id: 1, error: { code: 'unsupported', message: 'The operator "fork" is not supported.', line: 3, column: 5 } }, context, '/tmp/data');
    assert.equal(outcome.result.status, 'Failure');
    assert.deepEqual(outcome.result.error, { code: 'NotSupportedLocally', message: 'The operator "fork" is not supported.', line: 3, column: 5 });
    assert.equal(outcome.message, 'Query on local data failed: The operator "fork" is not supported. (line 3, column 5)');
  });
});

describe('local data fingerprint', () => {
  it('changes when a file is added or rewritten, and not otherwise', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hunt-lens-fingerprint-'));
    try {
      writeFileSync(join(folder, 'SigninLogs.json'), '[]');
      const first = await dataFingerprint([folder]);
      assert.equal(await dataFingerprint([folder]), first);
      writeFileSync(join(folder, 'AuditLogs.csv'), 'OperationName\n');
      const second = await dataFingerprint([folder]);
      assert.notEqual(second, first);
      writeFileSync(join(folder, 'SigninLogs.json'), '[{}]');
      assert.notEqual(await dataFingerprint([folder]), second);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('changes when a copy keeps the size and modification time', async () => {
    // cp -p and rsync -a write the new content, then set the old modification time.
    const folder = mkdtempSync(join(tmpdir(), 'hunt-lens-fingerprint-'));
    const file = join(folder, 'SigninLogs.json');
    const mtime = new Date('2026-11-29T00:00:00Z');
    try {
      writeFileSync(file, '[{"UserPrincipalName": "ann"}]');
      utimesSync(file, mtime, mtime);
      const first = await dataFingerprint([folder]);
      writeFileSync(file, '[{"UserPrincipalName": "bob"}]');
      utimesSync(file, mtime, mtime);
      assert.notEqual(await dataFingerprint([folder]), first, 'rewritten in place');
      const second = await dataFingerprint([folder]);
      writeFileSync(join(folder, 'incoming.tmp'), '[{"UserPrincipalName": "eve"}]');
      utimesSync(join(folder, 'incoming.tmp'), mtime, mtime);
      renameSync(join(folder, 'incoming.tmp'), file);
      assert.notEqual(await dataFingerprint([folder]), second, 'replaced by rename');
      const alone = await dataFingerprint([file]);
      writeFileSync(file, '[{"UserPrincipalName": "mal"}]');
      utimesSync(file, mtime, mtime);
      assert.notEqual(await dataFingerprint([file]), alone, 'the file given alone');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('counts in messages', () => {
  it('uses the singular for one', () => {
    assert.equal(countOf(1, 'row'), '1 row');
    assert.equal(countOf(0, 'row'), '0 rows');
    assert.equal(countOf(2, 'row has', 'rows have'), '2 rows have');
    assert.equal(countOf(1, 'row has', 'rows have'), '1 row has');
  });
});

describe('huntlens command line', () => {
  it('reads the data paths, the query and the options', () => {
    const options = parseArguments(['query', '--data', 'a', '--data', 'b.json', '--format', 'csv', '--now', '2026-11-29T00:00:00Z', 'SigninLogs | count']);
    assert.deepEqual(options, { data: ['a', 'b.json'], query: 'SigninLogs | count', format: 'csv', now: Date.parse('2026-11-29T00:00:00Z'), maxRows: 10_000_000, guardFormulas: true });
    assert.equal(parseArguments(['query', '--data', 'a', '--no-formula-guard', 'x']).guardFormulas, false);
  });

  it('guards CSV formulas unless told not to', () => {
    const table = { name: 'PrimaryResult', columns: [{ name: 'UserAgent', type: 'string' as const }], rows: [['=HYPERLINK("http://example.invalid")'], ['@SUM(1)']] };
    assert.equal(formatTable(table, 'csv'), 'UserAgent\r\n"\'=HYPERLINK(""http://example.invalid"")"\r\n\'@SUM(1)\r\n');
    assert.equal(formatTable(table, 'csv', false), 'UserAgent\r\n"=HYPERLINK(""http://example.invalid"")"\r\n@SUM(1)\r\n');
  });

  it('names the position of an engine error once', () => {
    const outcome = localOutcome({ type: 'error', id: 1, error: { code: 'unsupported', message: 'The evaluate operator is not supported (line 2, column 3).', line: 2, column: 3 } }, context, '/tmp/data');
    assert.equal(outcome.message, 'Query on local data failed: The evaluate operator is not supported (line 2, column 3).');
  });

  const rejects: Array<[string[], RegExp]> = [
    [['run'], /Unknown command "run"/],
    [['query', 'SigninLogs'], /--data <folder or file>/],
    [['query', '--data', 'd', '--format', 'xml', 'x'], /Unknown format "xml": use table, csv or json/],
    [['query', '--data', 'd', '--now', 'yesterday', 'x'], /--now "yesterday" is not now, newest or an ISO 8601 instant/],
    [['query', '--data', 'd', '--max-rows', '0', 'x'], /--max-rows "0" is not a whole number above zero/],
    [['query', '--data', 'd', '--file', '/nonexistent/q.kql'], /The query file "\/nonexistent\/q\.kql" does not exist/],
    [['query', '--data'], /--data needs a value/],
    [['query', '--data', 'd'], /No query/],
    [['query', '--data', 'd', '--bogus', 'x'], /Unknown option "--bogus"/],
    [['query', '--data', 'd', 'SigninLogs | take 1', 'SigninLogs | count'], /Got 2 query arguments .*pass the query as one argument in quotes/],
  ];
  for (const [args, message] of rejects) {
    it(`rejects ${args.join(' ')} with a message that names the fix`, () => {
      assert.throws(() => parseArguments(args), (error: unknown) => error instanceof UsageError && message.test(error.message));
    });
  }
});
