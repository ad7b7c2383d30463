import * as assert from 'node:assert/strict';
import { runQuery } from '../../../src/engine';
import { loadData } from '../../../src/engine/load';
import { readExportFile } from '../../../src/engine/readers';
import { loadKustoLanguage } from '../../../src/kusto/service';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

/** Builds a Graph signIn record with the fields the mapping reads. */
function signIn(id: string, isInteractive: boolean, errorCode = 500121): Record<string, unknown> {
  return {
    id,
    createdDateTime: '2026-11-25T01:45:10Z',
    userPrincipalName: 'ben@contoso.example',
    appDisplayName: 'OfficeHome',
    ipAddress: '203.0.113.45',
    isInteractive,
    originalRequestId: `attempt-${id}`,
    autonomousSystemNumber: 64500,
    status: { errorCode, failureReason: 'Authentication failed', additionalDetails: 'MFA denied; user declined the authentication' },
    location: { city: 'Sao Paulo', countryOrRegion: 'BR' },
    deviceDetail: { operatingSystem: 'Linux' },
    authenticationDetails: [{ authenticationMethod: 'Mobile app notification', succeeded: false }],
  };
}

describe('Microsoft Graph sign-in reader', () => {
  let folder: string;
  before(async () => {
    folder = await makeFixtureFolder();
    loadKustoLanguage();
  });

  it('maps an interactive page to SigninLogs types', async () => {
    const file = await writeFixture(folder, 'signins-page.json', JSON.stringify({ '@odata.context': 'x', value: [signIn('a', true)] }, null, 2));
    const { problems, onProblem } = problemCollector();
    const results = await readAll(await readExportFile(file, { onProblem }));
    const [row] = rowsOf(results, 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.equal(row.ResultType, '500121');
    assert.equal(row.ResultDescription, 'Authentication failed');
    assert.deepEqual(row.Status, signIn('a', true).status);
    assert.deepEqual(row.LocationDetails, { city: 'Sao Paulo', countryOrRegion: 'BR' });
    assert.equal(row.Location, 'BR');
    assert.equal(row.IPAddress, '203.0.113.45');
    assert.equal(row.OriginalRequestId, 'attempt-a');
    assert.equal(row.TimeGenerated, '2026-11-25T01:45:10Z');
    assert.equal(row.AuthenticationDetails, '[{"authenticationMethod":"Mobile app notification","succeeded":false}]');
    assert.equal(row.AutonomousSystemNumber, 64500);
    assert.equal(rowsOf(results, 'AADNonInteractiveUserSignInLogs').length, 0);
  });

  it('writes non-interactive dynamic fields as text', async () => {
    const file = await writeFixture(folder, 'signins-array.json', JSON.stringify([signIn('b', false, 0)]));
    const { onProblem } = problemCollector();
    const [row] = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'AADNonInteractiveUserSignInLogs');
    assert.equal(row.ResultType, '0');
    assert.equal(typeof row.Status, 'string');
    assert.deepEqual(JSON.parse(String(row.Status)), signIn('b', false, 0).status);
    assert.equal(typeof row.LocationDetails, 'string');
    assert.equal(typeof row.DeviceDetail, 'string');
  });

  it('reads pages and arrays written one after another', async () => {
    const text =
      `${JSON.stringify({ value: [signIn('1', true), signIn('2', false)], '@odata.nextLink': 'next' }, null, 1)}\n` +
      `${JSON.stringify([signIn('3', true)], null, 1)}${JSON.stringify([signIn('4', true)], null, 1)}\n` +
      `${JSON.stringify({ value: [signIn('5', false)] }, null, 1)}`;
    const file = await writeFixture(folder, 'signins-pages.json', text);
    const { problems, onProblem } = problemCollector();
    const results = await readAll(await readExportFile(file, { onProblem }));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rowsOf(results, 'SigninLogs').map((row) => row.Id),
      ['1', '3', '4'],
    );
    assert.deepEqual(
      rowsOf(results, 'AADNonInteractiveUserSignInLogs').map((row) => row.Id),
      ['2', '5'],
    );
  });

  it('reports a malformed JSON line and keeps the others', async () => {
    const lines = [JSON.stringify(signIn('1', true)), '{"id": "2", "createdDateTime": ', JSON.stringify(signIn('3', true)), ''];
    const file = await writeFixture(folder, 'signins.jsonl', lines.join('\n'));
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(
      rows.map((row) => row.Id),
      ['1', '3'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 2);
    assert.equal(problems[0].file, file);
    assert.match(problems[0].message, /invalid JSON/);
  });

  it('keeps the records before a syntax error in an array', async () => {
    const text = `[\n${JSON.stringify(signIn('1', true), null, 2)},\n${JSON.stringify(signIn('2', true), null, 2)},\n{\n  "id": oops\n}\n]`;
    const file = await writeFixture(folder, 'signins-broken.json', text);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(
      rows.map((row) => row.Id),
      ['1', '2'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /after record 2/);
  });

  it('reads an array with one record per line', async () => {
    const records = [signIn('1', true), signIn('2', true), signIn('3', true)].map((record) => JSON.stringify(record));
    const text = `[\n${records[0]},\n${records[1]},\n{"id": oops},\n${records[2]}\n]\n[\n${records[0]}\n]\n`;
    const file = await writeFixture(folder, 'signins-lines.json', text);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(
      rows.map((row) => row.Id),
      ['1', '2', '3', '1'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 4);
    assert.match(problems[0].message, /invalid JSON/);
  });

  it('reads pages with one record per line', async () => {
    const records = [signIn('1', true), signIn('2', false), signIn('3', true)].map((record) => JSON.stringify(record));
    const header = '{"@odata.context":"https://graph.example/$metadata#auditLogs/signIns","value":[';
    const text = `${header}\n${records[0]},\n${records[1]}\n],"@odata.nextLink":"https://graph.example/next"}\n${header}\n${records[2]}\n]}\n`;
    const file = await writeFixture(folder, 'signins-page-lines.json', text);
    const { problems, onProblem } = problemCollector();
    const results = await readAll(await readExportFile(file, { onProblem }));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rowsOf(results, 'SigninLogs').map((row) => row.Id),
      ['1', '3'],
    );
    assert.deepEqual(
      rowsOf(results, 'AADNonInteractiveUserSignInLogs').map((row) => row.Id),
      ['2'],
    );
  });

  it('loads both sign-in tables in one pass', async () => {
    const records = [signIn('1', false), signIn('2', true), signIn('3', false), signIn('4', false)];
    const file = await writeFixture(folder, 'signins-mixed.jsonl', `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const loaded = await loadData([file]);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.tables, [
      { name: 'SigninLogs', rows: 1 },
      { name: 'AADNonInteractiveUserSignInLogs', rows: 3 },
    ]);
    const ids = runQuery(loaded.database, 'AADNonInteractiveUserSignInLogs | project Id').tables[0].rows.map((row) => row[0]);
    assert.deepEqual(ids, ['1', '3', '4']);
  });

  it('reads a gzip file whatever its name', async () => {
    const lines = `${JSON.stringify(signIn('1', false))}\n${JSON.stringify(signIn('2', false))}\n`;
    const file = await writeFixture(folder, 'NonInteractive.jsonl.gz', lines, true);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'AADNonInteractiveUserSignInLogs');
    assert.deepEqual(problems, []);
    assert.equal(rows.length, 2);
    const renamed = await writeFixture(folder, 'signins-compressed.json', lines, true);
    const renamedRows = rowsOf(await readAll(await readExportFile(renamed, { onProblem })), 'AADNonInteractiveUserSignInLogs');
    assert.equal(renamedRows.length, 2);
  });
});

describe('export reader cancellation', () => {
  it('stops reading when the signal aborts', async () => {
    const folder = await makeFixtureFolder();
    const lines = Array.from({ length: 5000 }, (_, index) => JSON.stringify(signIn(String(index), true))).join('\n');
    const file = await writeFixture(folder, 'signins-many.jsonl', lines);
    const controller = new AbortController();
    const { onProblem } = problemCollector();
    const [table] = await readExportFile(file, { onProblem, signal: controller.signal });
    let rows = 0;
    await assert.rejects(async () => {
      for await (const batch of table.batches) {
        rows += batch.length;
        controller.abort();
      }
    }, /abort/i);
    assert.ok(rows < 5000, `read ${rows} rows after the abort`);
  });
});
