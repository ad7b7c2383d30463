/**
 * Datetimes in JSON exports that cannot be read: the row is kept, the cell is
 * null, and each value is reported as a 'cell' problem with file, line (or
 * record), column, the value as read and the form expected.
 */
import * as assert from 'node:assert/strict';
import { runQuery } from '../../../src/engine';
import { loadData, type LoadedData } from '../../../src/engine/load';
import type { ReadProblem } from '../../../src/engine/input';
import { loadKustoLanguage } from '../../../src/kusto/service';
import { dataWarnings } from '../../../src/runner/localRun';
import { makeFixtureFolder, writeFixture } from './helpers';

/** Builds a SigninLogs record of a Log Analytics JSON export. */
function logAnalyticsRecord(user: string, time: unknown): Record<string, unknown> {
  return { TimeGenerated: time, UserPrincipalName: user, ResultType: '500121', Type: 'SigninLogs' };
}

/** Returns UserPrincipalName and TimeGenerated (as ISO text or null) of every SigninLogs row, in file order. */
function signIns(loaded: LoadedData): Array<[unknown, unknown]> {
  const [table] = runQuery(loaded.database, 'SigninLogs | project UserPrincipalName, TimeGenerated').tables;
  return table.rows.map(([user, time]) => [user, time === null ? null : (time as { iso: string }).iso]);
}

function positions(problems: readonly ReadProblem[]): Array<[string, number, string | undefined]> {
  return problems.map((problem) => [problem.file, problem.line, problem.kind]);
}

describe('unreadable datetimes in JSON exports', function () {
  // The first query loads the Kusto language service.
  this.timeout(30_000);
  let folder: string;

  before(async () => {
    folder = await makeFixtureFolder();
    loadKustoLanguage();
  });

  it('reports bad values of a JSON lines file by line', async () => {
    const records = [
      logAnalyticsRecord('ann@contoso.example', '2026-11-20T03:14:00Z'),
      logAnalyticsRecord('ben@contoso.example', 'yesterday'),
      logAnalyticsRecord('cai@contoso.example', '2026-13-45T00:00:00Z'),
      logAnalyticsRecord('dee@contoso.example', 1795144440000),
    ];
    const file = await writeFixture(folder, 'SigninLogs.jsonl', records.map((record) => JSON.stringify(record)).join('\n'));

    const loaded = await loadData([file]);

    assert.deepEqual(signIns(loaded), [
      ['ann@contoso.example', '2026-11-20T03:14:00.0000000Z'],
      ['ben@contoso.example', null],
      ['cai@contoso.example', null],
      ['dee@contoso.example', null],
    ]);
    assert.deepEqual(positions(loaded.problems), [
      [file, 2, 'cell'],
      [file, 3, 'cell'],
      [file, 4, 'cell'],
    ]);
    assert.equal(loaded.skipped, 3);
    const [yesterday, noSuchMonth, number] = loaded.problems.map((problem) => problem.message);
    assert.match(yesterday, /^column TimeGenerated: the datetime "yesterday" could not be read, so the cell is empty \(null\)/);
    assert.match(yesterday, /Expected ISO 8601 text such as "2026-11-20T03:14:00Z"/);
    assert.match(noSuchMonth, /the datetime "2026-13-45T00:00:00Z" could not be read/);
    assert.match(number, /the value 1795144440000 \(a JSON number, where datetime text is expected\) could not be read/);
  });

  it('counts the cells in the results warning', async () => {
    const file = await writeFixture(folder, 'SigninLogs_warning.jsonl', JSON.stringify(logAnalyticsRecord('ann@contoso.example', 'soon')));
    const loaded = await loadData([file]);
    const [warning] = dataWarnings(loaded);
    assert.match(warning, /1 cell in question/);
    assert.match(warning, /line 1: column TimeGenerated: the datetime "soon" could not be read/);
  });

  it('numbers records in a pretty-printed array', async () => {
    const records = [logAnalyticsRecord('ann@contoso.example', '2026-11-20T03:14:00Z'), logAnalyticsRecord('ben@contoso.example', '2026-02-29T10:00:00Z')];
    const file = await writeFixture(folder, 'SigninLogs_pretty.json', JSON.stringify(records, null, 2));

    const loaded = await loadData([file]);

    assert.deepEqual(signIns(loaded), [
      ['ann@contoso.example', '2026-11-20T03:14:00.0000000Z'],
      ['ben@contoso.example', null],
    ]);
    assert.deepEqual(positions(loaded.problems), [[file, 2, 'cell']]);
    assert.match(loaded.problems[0].message, /^record 2 \(this file does not put one record per line, so the number counts records\): column TimeGenerated: the datetime "2026-02-29T10:00:00Z"/);
  });

  it('reports each column of a Graph sign-in', async () => {
    const record = { id: 'r-1', createdDateTime: 'Thursday', userPrincipalName: 'ann@contoso.example', appDisplayName: 'OfficeHome', isInteractive: true };
    const good = { ...record, id: 'r-0', createdDateTime: '2026-11-20T03:14:00Z' };
    const file = await writeFixture(folder, 'graph-signins.json', JSON.stringify({ value: [good, record] }));

    const loaded = await loadData([file]);

    assert.equal(signIns(loaded).length, 2);
    assert.deepEqual(positions(loaded.problems), [
      [file, 1, 'cell'],
      [file, 1, 'cell'],
    ]);
    assert.match(loaded.problems[0].message, /column CreatedDateTime: the datetime "Thursday"/);
    assert.match(loaded.problems[1].message, /column TimeGenerated: the datetime "Thursday"/);
  });

  it('reports a diagnostic record time that is not text', async () => {
    const record = {
      time: { value: '/Date(1795144440000)/', DateTime: 'Friday, November 20, 2026 3:14:00 AM' },
      category: 'SignInLogs',
      properties: { id: 'r-1', createdDateTime: '2026-11-20T03:14:00Z', userPrincipalName: 'ann@contoso.example' },
    };
    const file = await writeFixture(folder, 'PT1H.json', `${JSON.stringify(record)}\n`);

    const loaded = await loadData([file]);

    assert.deepEqual(signIns(loaded), [['ann@contoso.example', null]]);
    assert.deepEqual(positions(loaded.problems), [[file, 1, 'cell']]);
    assert.match(loaded.problems[0].message, /column TimeGenerated: the value \{"value":"\/Date\(1795144440000\)\/",.*\(a JSON object, where datetime text is expected\)/);
  });

  it('reports PowerShell dates that are not in the /Date(ms)/ form', async () => {
    const record = { Id: 'r-1', CreatedDateTime: '/Date(soon)/', UserPrincipalName: 'ann@contoso.example', IsInteractive: true };
    const file = await writeFixture(folder, 'SignInLogs_powershell.json', JSON.stringify([record], null, 4));

    const loaded = await loadData([file]);

    assert.equal(signIns(loaded).length, 1);
    assert.equal(loaded.problems.length, 2);
    assert.match(loaded.problems[0].message, /^record 1 \(.*\): column CreatedDateTime: the datetime "\/Date\(soon\)\/"/);
  });

  it('quotes a portal date as read', async () => {
    const records = [logAnalyticsRecord('ann@contoso.example', '11/20/2026, 3:14:00 AM'), logAnalyticsRecord('ben@contoso.example', '11/31/2026, 3:14:00 AM')];
    const file = await writeFixture(folder, 'SigninLogs_portal.jsonl', records.map((record) => JSON.stringify(record)).join('\n'));

    const loaded = await loadData([file]);

    assert.deepEqual(signIns(loaded), [
      ['ann@contoso.example', '2026-11-20T03:14:00.0000000Z'],
      ['ben@contoso.example', null],
    ]);
    assert.deepEqual(positions(loaded.problems), [[file, 2, 'cell']]);
    assert.match(loaded.problems[0].message, /the datetime "11\/31\/2026, 3:14:00 AM" could not be read/);
  });

  it('quotes the first three values and counts the rest', async () => {
    const times = ['2026-11-20T03:14:00Z', 'a', 'b', 'c', 'd', 'e'];
    const lines = times.map((time, index) => JSON.stringify(logAnalyticsRecord(`u${index}@contoso.example`, time)));
    const file = await writeFixture(folder, 'SigninLogs_many.jsonl', lines.join('\n'));

    const loaded = await loadData([file]);

    assert.equal(signIns(loaded).length, 6);
    assert.deepEqual(positions(loaded.problems), [
      [file, 2, 'cell'],
      [file, 3, 'cell'],
      [file, 4, 'cell'],
      [file, 2, 'cell'],
    ]);
    assert.match(loaded.problems[3].message, /^in all, 5 datetime values in this file could not be read \(the first 3 are reported one by one\)/);
  });
});
