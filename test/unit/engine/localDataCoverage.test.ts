/**
 * What the local data covers: tables that no file provides, files without
 * rows and data that ends long before now(). The case of the admin center's
 * interactive sign-ins CSV alone is what a responder is often handed.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../../src/cli/huntlens';
import { EngineError, runQuery } from '../../../src/engine/index';
import { loadData, type LoadedData } from '../../../src/engine/load';
import { HUNTS } from '../../../src/hunts/library';
import { renderHunt } from '../../../src/hunts/render';
import { loadKustoLanguage } from '../../../src/kusto/bridge';
import { emptyTableWarnings } from '../../../src/runner/localDataNotes';
import { makeFixtureFolder, writeFixture } from '../readers/helpers';

const SAMPLE_DATA = join(__dirname, '..', '..', '..', '..', 'sample', 'data');
const INTERACTIVE_CSV = join(SAMPLE_DATA, 'InteractiveSignIns_2026-11-16_2026-11-29.csv');
const REFERENCE_TIME = Date.parse((JSON.parse(readFileSync(join(SAMPLE_DATA, 'storylines.json'), 'utf8')) as { referenceTime: string }).referenceTime);

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, (text) => (out += text), (text) => (err += text));
  return { code, out, err };
}

/** Returns one SigninLogs row as a Log Analytics JSON line. */
function signInRecord(time: string): string {
  return JSON.stringify({ TimeGenerated: time, UserPrincipalName: 'ann@contoso.example', ResultType: '0', Type: 'SigninLogs' });
}

describe('local data with only the interactive sign-ins CSV', function () {
  this.timeout(120_000);
  let data: LoadedData;

  before(async () => {
    loadKustoLanguage();
    data = await loadData([INTERACTIVE_CSV]);
  });

  it('holds every other bundled table empty', () => {
    assert.deepEqual(
      data.tables.map((table) => table.name),
      ['SigninLogs'],
    );
    for (const name of ['AADNonInteractiveUserSignInLogs', 'AuditLogs', 'OfficeActivity', 'AADUserRiskEvents']) {
      assert.ok(data.missingTables.includes(name), `${name} is not listed as missing`);
    }
    assert.ok(!data.missingTables.includes('SigninLogs'));
  });

  it('runs every Log Analytics hunt of the library', () => {
    for (const hunt of HUNTS.filter((candidate) => candidate.target === 'logAnalytics')) {
      assert.doesNotThrow(() => runQuery(data.database, renderHunt(hunt), { now: REFERENCE_TIME }), hunt.id);
    }
  });

  it("finds a user's sign-ins without non-interactive rows", () => {
    const hunt = HUNTS.find((candidate) => candidate.id === 'sign-ins-of-user');
    assert.ok(hunt);
    const result = runQuery(data.database, renderHunt(hunt, { lookback: '30d' }), { now: REFERENCE_TIME });
    assert.ok((result.tables[0]?.rows.length ?? 0) > 0);
    assert.deepEqual(result.tablesRead, ['AADNonInteractiveUserSignInLogs', 'SigninLogs']);
  });

  it('warns about each table read that no file provided', () => {
    const result = runQuery(data.database, 'union SigninLogs, AuditLogs | count');
    const warnings = emptyTableWarnings(result.tablesRead ?? [], data);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^AuditLogs: no file in the local data provides this table, so it is empty here\. Export AuditLogs too to cover the steps after the approval/);
  });

  it('still rejects a table name Hunt Lens does not know', () => {
    assert.throws(
      () => runQuery(data.database, 'NoSuchTable | count'),
      (error: unknown) => error instanceof EngineError && /'NoSuchTable' does not refer to any known table/.test(error.message),
    );
  });

  it('omits wildcard union members from tablesRead', () => {
    const result = runQuery(data.database, 'union * | count');
    assert.deepEqual(result.tablesRead, []);
  });
});

describe('local data with only the Graph interactive sign-ins', function () {
  this.timeout(60_000);

  it('warns that the declared non-interactive table holds no rows', async () => {
    loadKustoLanguage();
    const data = await loadData([join(SAMPLE_DATA, 'GraphSignIns_interactive.json')]);
    const result = runQuery(data.database, 'union SigninLogs, AADNonInteractiveUserSignInLogs | count');
    assert.ok(!data.missingTables.includes('AADNonInteractiveUserSignInLogs'));
    assert.deepEqual(emptyTableWarnings(result.tablesRead ?? [], data), [
      'AADNonInteractiveUserSignInLogs: the files in the local data hold no rows of this table, so it is empty here. ' +
        'Export AADNonInteractiveUserSignInLogs too to cover the token refreshes and app sign-ins of the session after the approval.',
    ]);
  });
});

describe('local data files without rows', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await makeFixtureFolder();
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reports a CSV that holds only a header', async () => {
    const header = readFileSync(INTERACTIVE_CSV, 'utf8').split('\n')[0];
    const file = await writeFixture(folder, 'InteractiveSignIns_2026-11-16_2026-11-29.csv', `${header}\n`);
    const loaded = await loadData([folder]);
    assert.deepEqual(loaded.problems, [{ file, line: 1, kind: 'file', message: 'no rows: the file holds only a header' }]);
    assert.equal(loaded.skipped, 1);
  });

  it('reports a Log Analytics CSV that holds only a header', async () => {
    const file = await writeFixture(folder, 'AuditLogs.csv', 'TimeGenerated,OperationName\r\n');
    const loaded = await loadData([file]);
    assert.deepEqual(loaded.problems, [{ file, line: 1, kind: 'file', message: 'no rows: the file holds only a header' }]);
  });

  it('reports an empty file', async () => {
    const file = await writeFixture(folder, 'SigninLogs.csv', '');
    const loaded = await loadData([folder]);
    assert.deepEqual(loaded.problems.map((problem) => [problem.file, problem.kind]), [[file, 'file']]);
    assert.match(loaded.problems[0]?.message ?? '', /the file is empty/);
  });

  it('adds no no-rows problem after skipped lines', async () => {
    await writeFixture(folder, 'SigninLogs.jsonl', '{"TimeGenerated": "2026-11-20T03:14:00Z", "Type": "SigninLogs"}\nnot json\n');
    await writeFixture(folder, 'AuditLogs.csv', 'TimeGenerated,OperationName\n"2026-11-20T03:14:00Z,never closed\n');
    const loaded = await loadData([folder]);
    assert.equal(loaded.problems.length, 2, JSON.stringify(loaded.problems));
    assert.ok(loaded.problems.every((problem) => !problem.message.startsWith('no rows')), JSON.stringify(loaded.problems));
  });
});

describe('huntlens warnings about the local data', function () {
  this.timeout(60_000);
  let folder: string;

  before(async () => {
    folder = await makeFixtureFolder();
    await writeFixture(folder, 'SigninLogs.jsonl', `${signInRecord('2020-01-01T00:00:00Z')}\n${signInRecord('2020-01-02T12:00:00Z')}\n`);
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('warns when the data ends days before now()', async () => {
    const { code, err } = await runCli(['query', '--data', folder, 'SigninLogs | where TimeGenerated > ago(7d) | count']);
    assert.equal(code, 0);
    assert.match(err, /Warning: The newest record of SigninLogs in the local data is from 2020-01-02T12:00:00\.000Z, \d+ days before now\(\)/);
    assert.match(err, /hunts that look back from now\(\) with ago\(\) may miss the data\. Pass --now newest/);
  });

  it('does not warn when now() is the newest record', async () => {
    const { code, err } = await runCli(['query', '--data', folder, '--now', 'newest', 'SigninLogs | count']);
    assert.equal(code, 0);
    assert.equal(err, '');
  });

  it('names a table that the query read and no file provided', async () => {
    const { code, out, err } = await runCli(['query', '--data', folder, '--now', 'newest', '--format', 'csv', 'OfficeActivity | count']);
    assert.equal(code, 0);
    assert.equal(out, 'Count\r\n0\r\n');
    assert.match(err, /^Warning: OfficeActivity: no file in the local data provides this table, so it is empty here\. Export OfficeActivity too/);
  });
});

describe('local data that changes while it is read', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await makeFixtureFolder();
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('names a file appended to during its read', async () => {
    const file = await writeFixture(folder, 'SigninLogs.jsonl', `${signInRecord('2026-11-20T03:14:00Z')}\n`);
    await writeFixture(folder, 'AuditLogs.csv', 'TimeGenerated,OperationName\n2026-11-20T03:14:00Z,Add user\n');
    const loaded = await loadData([folder], {
      afterFileRead: async (read) => {
        if (read === file) {
          await appendFile(file, `${signInRecord('2026-11-20T03:15:00Z')}\n`);
        }
      },
    });
    assert.deepEqual(loaded.changedFiles, [file]);
  });

  it('names a recent file that ends in a cut line', async () => {
    const file = await writeFixture(folder, 'SigninLogs.jsonl', `${signInRecord('2026-11-20T03:14:00Z')}\n{"TimeGenerated": "2026-11-20T03:1`);
    const loaded = await loadData([folder]);
    assert.deepEqual(loaded.unfinishedFiles, [file]);
    assert.deepEqual(loaded.changedFiles, []);
    const { err } = await runCli(['query', '--data', folder, '--now', 'newest', 'SigninLogs | count']);
    assert.match(err, /Warning: The file .*SigninLogs\.jsonl was written less than a minute before it was read and ends in a cut line/);
  });

  it('does not name an old file that ends in a cut line', async () => {
    const file = await writeFixture(folder, 'SigninLogs.jsonl', `${signInRecord('2026-11-20T03:14:00Z')}\n{"TimeGenerated": "2026-11-20T03:1`);
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(file, twoMinutesAgo, twoMinutesAgo);
    const loaded = await loadData([folder]);
    assert.deepEqual(loaded.unfinishedFiles, []);
    assert.equal(loaded.skipped, 1);
  });

  it('does not name a recent file with a bad line inside', async () => {
    await writeFixture(folder, 'SigninLogs.jsonl', `{not json\n${signInRecord('2026-11-20T03:14:00Z')}\n`);
    const loaded = await loadData([folder]);
    assert.deepEqual(loaded.unfinishedFiles, []);
    assert.equal(loaded.skipped, 1);
  });

  it('names no file when none changed', async () => {
    await writeFixture(folder, 'SigninLogs.jsonl', `${signInRecord('2026-11-20T03:14:00Z')}\n`);
    const loaded = await loadData([folder]);
    assert.deepEqual(loaded.changedFiles, []);
  });
});

describe('local data rows without a time', function () {
  this.timeout(60_000);
  let folder: string;

  before(async () => {
    loadKustoLanguage();
    folder = await makeFixtureFolder();
    const unreadable = JSON.stringify({ TimeGenerated: 'last Tuesday', UserPrincipalName: 'bob@contoso.example', ResultType: '0', Type: 'SigninLogs' });
    await writeFixture(folder, 'SigninLogs.jsonl', `${signInRecord('2026-11-20T03:14:00Z')}\n${unreadable}\n`);
    await writeFixture(folder, 'AuditLogs.csv', 'TimeGenerated,OperationName\n2026-11-20T03:14:00Z,Add user\n');
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('counts them per table', async () => {
    const loaded = await loadData([folder]);
    assert.deepEqual(
      loaded.times.map(({ table, column, rowsWithoutTime }) => [table, column, rowsWithoutTime]).sort(),
      [
        ['AuditLogs', 'TimeGenerated', 0],
        ['SigninLogs', 'TimeGenerated', 1],
      ],
    );
  });

  it('warns on stderr when the query reads their table', async () => {
    const { code, err } = await runCli(['query', '--data', folder, '--now', 'newest', 'SigninLogs | where TimeGenerated > ago(1d) | count']);
    assert.equal(code, 0);
    assert.match(
      err,
      /Warning: SigninLogs: 1 row has no TimeGenerated: the cell was empty \(which is not reported\) or held a value that could not be read as a datetime, so every filter on TimeGenerated, such as ago\(\) or between\(\), skips it\. The data problems printed above name the files and lines/,
    );
  });

  it('does not warn about them when the query reads another table', async () => {
    const { code, err } = await runCli(['query', '--data', folder, 'AuditLogs | count']);
    assert.equal(code, 0);
    assert.doesNotMatch(err, /no TimeGenerated/);
    // The SigninLogs rows are old too, but this query did not read them.
    assert.match(err, /Warning: The newest record of AuditLogs in the local data/);
    assert.doesNotMatch(err, /SigninLogs in the local data/);
  });

  it('warns about the tables union * reads', async () => {
    const { code, err } = await runCli(['query', '--data', folder, 'union * | count']);
    assert.equal(code, 0);
    assert.match(err, /Warning: SigninLogs: 1 row has no TimeGenerated/);
    assert.match(err, /Warning: The newest record of AuditLogs, SigninLogs in the local data is from 2026-11-20T03:14:00\.000Z/);
    // union * reads the bundled tables that no file provides on purpose, so they get no warning.
    assert.doesNotMatch(err, /no file in the local data provides this table/);
  });

  it('does not warn about old data when the query reads no table', async () => {
    const { code, err } = await runCli(['query', '--data', folder, 'print x = 1']);
    assert.equal(code, 0);
    assert.doesNotMatch(err, /Warning: The newest record/);
  });
});

describe('rows whose time cell is empty', function () {
  this.timeout(60_000);
  let folder: string;

  before(async () => {
    loadKustoLanguage();
    folder = await makeFixtureFolder();
    await writeFixture(folder, 'AADUserRiskEvents.csv', 'TimeGenerated,UserPrincipalName\n2026-11-20T03:14:00Z,ann@contoso.example\n,bob@contoso.example\n,cy@contoso.example\n');
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('says the cells were empty and points to no list', async () => {
    const { code, err } = await runCli(['query', '--data', folder, '--now', 'newest', 'AADUserRiskEvents | count']);
    assert.equal(code, 0);
    assert.match(err, /Warning: AADUserRiskEvents: 2 rows have no TimeGenerated because the cell was empty, so every filter on TimeGenerated, such as ago\(\) or between\(\), skips them\.\n/);
    assert.doesNotMatch(err, /printed above/);
    assert.doesNotMatch(err, /could not be read/);
  });
});

describe('huntlens counts of data problems', function () {
  this.timeout(60_000);
  let folder: string;

  before(async () => {
    folder = await makeFixtureFolder();
    // 51 bad lines: 50 are kept with their text, one is only counted.
    const bad = Array.from({ length: 51 }, (_unused, index) => `{not json ${index}`).join('\n');
    await writeFixture(folder, 'SigninLogs.jsonl', `${signInRecord('2026-11-20T03:14:00Z')}\n${bad}\n`);
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('says "1 more problem" in the singular', async () => {
    const { code, err } = await runCli(['query', '--data', folder, '--now', 'newest', 'SigninLogs | count']);
    assert.equal(code, 0);
    assert.match(err, /^1 more problem in the data is not shown\.$/m);
  });
});
