import * as assert from 'node:assert/strict';
import { readExportFile } from '../../../src/engine/readers';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

describe('Log Analytics export reader', () => {
  let folder: string;
  before(async () => {
    folder = await makeFixtureFolder();
  });

  it('reads a portal CSV with [UTC] headers', async () => {
    const file = await writeFixture(
      folder,
      'SigninLogs.csv',
      'TimeGenerated [UTC],UserPrincipalName,ResultType,Status,IsInteractive\n' +
        '"11/25/2026, 1:54:30.250 AM",ben@contoso.example,0,"{""errorCode"":0,""additionalDetails"":""MFA successfully completed""}",true\n' +
        '"11/25/2026, 1:03:00 PM",ben@contoso.example,500121,"{""errorCode"":500121}",true\n',
    );
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].TimeGenerated, '2026-11-25T01:54:30.250Z');
    assert.equal(rows[1].TimeGenerated, '2026-11-25T13:03:00Z');
    assert.equal(rows[1].ResultType, '500121');
    assert.equal(rows[0].Status, '{"errorCode":0,"additionalDetails":"MFA successfully completed"}');
    assert.equal(rows[0].AppDisplayName, null);
  });

  it('reports a malformed CSV line and keeps the rest', async () => {
    const file = await writeFixture(
      folder,
      'OfficeActivity.csv',
      'TimeGenerated,Operation,UserId\n' +
        '2026-11-25T02:00:00Z,MailItemsAccessed,ben@contoso.example\n' +
        '2026-11-25T02:05:00Z,MailItemsAccessed,ben@contoso.example,extra,fields\n' +
        '2026-11-25T02:11:00Z,New-InboxRule,ben@contoso.example\n',
    );
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'OfficeActivity');
    assert.deepEqual(
      rows.map((row) => row.Operation),
      ['MailItemsAccessed', 'New-InboxRule'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, file);
    assert.equal(problems[0].line, 3);
  });

  it('skips a header row repeated inside the file', async () => {
    const header = 'TimeGenerated,OperationName,Result\n';
    const file = await writeFixture(
      folder,
      'AuditLogs-two-exports.csv',
      `${header}2026-11-25T02:26:00Z,User registered security info,success\n${header}2026-11-26T09:00:00Z,Update user,success\n`,
    );
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'AuditLogs');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((row) => row.OperationName),
      ['User registered security info', 'Update user'],
    );
  });

  it('reads Azure CLI JSON with text values', async () => {
    const file = await writeFixture(
      folder,
      'query-result.json',
      JSON.stringify([
        {
          TableName: 'PrimaryResult',
          Type: 'AADUserRiskEvents',
          TimeGenerated: '2026-11-26T07:18:00Z',
          RiskEventType: 'userReportedSuspiciousActivity',
          Location: '{"countryOrRegion":"RO"}',
          UserPrincipalName: 'elif@contoso.example',
        },
      ]),
    );
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'AADUserRiskEvents');
    assert.deepEqual(problems, []);
    assert.equal(rows[0].RiskEventType, 'userReportedSuspiciousActivity');
    assert.equal(rows[0].Location, '{"countryOrRegion":"RO"}');
  });

  it('detects the table from its columns', async () => {
    const file = await writeFixture(
      folder,
      'export-7.json',
      '[{"TimeGenerated":"2026-11-25T02:00:00Z","ActionType":"MailItemsAccessed","AccountObjectId":"a1","IPAddress":"203.0.113.45","RawEventData":{"UserId":"ben@contoso.example"}}]',
    );
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'CloudAppEvents');
    assert.deepEqual(problems, []);
    assert.deepEqual(rows[0].RawEventData, { UserId: 'ben@contoso.example' });
  });

  it('reports a file that matches no table', async () => {
    const file = await writeFixture(folder, 'notes.csv', 'when,what\nmonday,lunch\n');
    const { problems, onProblem } = problemCollector();
    const tables = await readExportFile(file, { onProblem });
    assert.deepEqual(tables, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /no known table/);
    assert.match(problems[0].message, /when, what/);
  });
});
