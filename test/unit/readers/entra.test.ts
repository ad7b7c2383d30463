import * as assert from 'node:assert/strict';
import { stringify } from 'csv-stringify/sync';
import { readExportFile, readExportFolder } from '../../../src/engine/readers';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

/** Headers as the Entra admin center writes them: trailing and doubled spaces, and one name twice. */
const HEADERS = [
  'Date (UTC)',
  'Request ID',
  'User',
  'Username',
  'Incoming token type',
  'Application',
  'Application ID ',
  'IP address',
  'Location',
  'Status',
  'Sign-in error code',
  'Failure reason',
  'Multifactor authentication result',
  'Authentication requirement',
  'Session ID',
  'Autonomous system  number',
  'Incoming token type',
  'Conditional Access',
  'Compliant',
];

function signInRow(requestId: string, code: string, detail: string): string[] {
  return [
    '2026-11-24T12:03:41Z',
    requestId,
    'Chloe Adler',
    'chloe@contoso.example',
    'None',
    'OfficeHome',
    '4765445b-32c6-49b0-83e6-1d93765276ca',
    '203.0.113.101',
    'Istanbul, Istanbul, TR',
    code === '0' ? 'Success' : 'Failure',
    code,
    code === '0' ? 'Other.' : 'Authentication failed during strong authentication request.',
    detail,
    'Multifactor authentication',
    'session-1',
    '64501',
    'primaryRefreshToken',
    'Not Applied',
    'No',
  ];
}

const AUTH_HEADERS = ['Request ID', 'Date (UTC)', 'Authentication method', 'Authentication method detail', 'Succeeded', 'Result detail', 'Requirement'];

describe('Entra admin center download reader', () => {
  let folder: string;
  before(async () => {
    folder = await makeFixtureFolder();
    await writeFixture(
      folder,
      'InteractiveSignIns_2026-11-24_2026-11-25.csv',
      stringify([
        HEADERS,
        signInRow('r1', '500121', 'MFA denied; user did not select the correct number'),
        signInRow('r2', '0', 'MFA successfully completed'),
      ]),
    );
    await writeFixture(
      folder,
      'InteractiveSignIns_AuthDetails_2026-11-24_2026-11-25.csv',
      stringify([
        AUTH_HEADERS,
        ['r1', '2026-11-24T12:03:41Z', 'Password', 'Password in the cloud', 'True', 'Correct password', 'Primary authentication'],
        ['r1', '2026-11-24T12:03:50Z', 'Mobile app notification', '', 'False', 'MFA denied; user did not select the correct number', 'Multi-factor authentication'],
      ]),
    );
  });

  it('maps display-name headers with their quirks', async () => {
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFolder(folder, { onProblem })), 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.equal(rows.length, 2);
    const [denial, approval] = rows;
    assert.equal(denial.Id, 'r1');
    assert.equal(denial.UserPrincipalName, 'chloe@contoso.example');
    assert.equal(denial.ResultType, '500121');
    assert.equal(denial.AppId, '4765445b-32c6-49b0-83e6-1d93765276ca');
    assert.equal(denial.AutonomousSystemNumber, '64501');
    assert.equal(denial.AuthenticationRequirement, 'multiFactorAuthentication');
    assert.equal(denial.ConditionalAccessStatus, 'notApplied');
    assert.equal(denial.SessionId, 'session-1');
    assert.equal(denial.Location, 'TR');
    assert.deepEqual(denial.LocationDetails, { city: 'Istanbul', state: 'Istanbul', countryOrRegion: 'TR' });
    assert.deepEqual(denial.Status, {
      errorCode: 500121,
      failureReason: 'Authentication failed during strong authentication request.',
      additionalDetails: 'MFA denied; user did not select the correct number',
    });
    assert.equal(approval.ResultType, '0');
    assert.equal(approval.UserAgent, null);
  });

  it('joins auth details on Request ID', async () => {
    const { onProblem } = problemCollector();
    const [denial, approval] = rowsOf(await readAll(await readExportFolder(folder, { onProblem })), 'SigninLogs');
    const steps = JSON.parse(String(denial.AuthenticationDetails)) as Array<Record<string, unknown>>;
    assert.equal(steps.length, 2);
    assert.equal(steps[1].authenticationMethod, 'Mobile app notification');
    assert.equal(steps[1].succeeded, false);
    assert.equal(steps[1].authenticationStepResultDetail, 'MFA denied; user did not select the correct number');
    assert.equal(approval.AuthenticationDetails, null);
  });

  it('reads a non-interactive download into its own table', async () => {
    const file = await writeFixture(
      folder,
      'NonInteractiveSignIns_2026-11-24_2026-11-25.csv',
      stringify([HEADERS, signInRow('n1', '0', '')]),
    );
    const { problems, onProblem } = problemCollector();
    const [row] = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'AADNonInteractiveUserSignInLogs');
    assert.deepEqual(problems, []);
    assert.equal(typeof row.Status, 'string');
    assert.deepEqual(JSON.parse(String(row.Status)), { errorCode: 0, failureReason: 'Other.' });
    assert.equal(row.IsInteractive, false);
  });

  it('reports an auth-details file read alone', async () => {
    const { problems, onProblem } = problemCollector();
    const tables = await readExportFile(`${folder}/InteractiveSignIns_AuthDetails_2026-11-24_2026-11-25.csv`, { onProblem });
    assert.deepEqual(tables, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /read the folder instead/);
  });

  describe('as Excel saves it', () => {
    const EXCEL_HEADERS = ['Date (UTC)', 'Request ID', 'Correlation ID', 'Username', 'Sign-in error code'];

    /** Writes an Excel-saved download (semicolons, CRLF) of the rows and returns each row's OriginalRequestId, with the problems. */
    async function attemptKeysOf(name: string, rows: string[][]) {
      const file = await writeFixture(folder, name, stringify([EXCEL_HEADERS, ...rows], { delimiter: ';', record_delimiter: 'windows' }));
      const { problems, onProblem } = problemCollector();
      const signIns = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
      return { keys: signIns.map((row) => row.OriginalRequestId), times: signIns.map((row) => row.TimeGenerated), problems };
    }

    it('groups a denial logged twice in day-first dates', async () => {
      const { keys, times, problems } = await attemptKeysOf('InteractiveSignIns_excel_seconds.csv', [
        ['25.11.2026 01:44:54', 'r1', 'c1', 'ben@contoso.example', '500121'],
        ['25.11.2026 01:44:55', 'r2', 'c1', 'ben@contoso.example', '500121'],
        ['25.11.2026 01:45:30', 'r3', 'c2', 'ben@contoso.example', '500121'],
      ]);
      assert.deepEqual(problems, []);
      assert.deepEqual(times, ['2026-11-25T01:44:54Z', '2026-11-25T01:44:55Z', '2026-11-25T01:45:30Z']);
      assert.deepEqual(keys, ['r1', 'r1', 'r3']);
    });

    // 01:44:59 and 01:45:00 of one denial and a retry at 01:50, cut to the minute in a day-first and in an ISO form.
    const minuteForms: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['day first', ['25/11/2026 01:44', '25/11/2026 01:45', '25/11/2026 01:50']],
      ['ISO', ['2026-11-25 01:44', '2026-11-25 01:45', '2026-11-25 01:50']],
    ];
    for (const [form, dates] of minuteForms) {
      it(`groups rows across a minute (${form})`, async () => {
        const { keys, times, problems } = await attemptKeysOf(`InteractiveSignIns_excel_minutes_${form}.csv`, [
          [dates[0], 'r1', 'c1', 'ben@contoso.example', '500121'],
          [dates[1], 'r2', 'c1', 'ben@contoso.example', '500121'],
          [dates[2], 'r3', 'c1', 'ben@contoso.example', '500121'],
        ]);
        assert.equal(typeof times[0], 'string');
        assert.match(times[0] as string, /^2026-11-25[T ]01:44/);
        assert.deepEqual(keys, ['r1', 'r1', 'r3']);
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.equal(problems[0].kind, 'cell');
        assert.match(problems[0].message, /have no seconds/);
      });
    }
  });
});
