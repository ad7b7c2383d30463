/**
 * Format detection reads each export file's first 64 KiB, and the readers
 * take the separator (CSV) or layout (JSON) it found from the detected
 * format rather than reading that head again.
 */
import * as assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readExportFile, readExportFolder } from '../../../src/engine/readers';
import * as source from '../../../src/engine/readers/source';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

/** The module's exports object, whose readExportHead the readers call through at run time. */
const sourceExports = source as unknown as { readExportHead: typeof source.readExportHead };

describe('export file heads', () => {
  let folder: string;
  let headReads: string[];
  const original = sourceExports.readExportHead;

  before(async () => {
    folder = await makeFixtureFolder();
  });

  beforeEach(() => {
    headReads = [];
    sourceExports.readExportHead = (file, maxBytes) => {
      headReads.push(file);
      return original(file, maxBytes);
    };
  });

  afterEach(() => {
    sourceExports.readExportHead = original;
  });

  async function rowsOfFile(file: string, table: string): Promise<Array<Record<string, unknown>>> {
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), table);
    assert.deepEqual(problems, []);
    return rows;
  }

  it('reads a semicolon CSV head once', async () => {
    const text = 'TimeGenerated [UTC];UserPrincipalName;ResultType\r\n2026-11-20T03:14:00Z;ann@contoso.example;500121\r\n';
    const file = await writeFixture(folder, 'SigninLogs_heads.csv', text);
    const rows = await rowsOfFile(file, 'SigninLogs');
    assert.deepEqual(
      rows.map((row) => [row.UserPrincipalName, row.ResultType]),
      [['ann@contoso.example', '500121']],
    );
    assert.deepEqual(headReads, [file]);
  });

  it('reads a JSON head once', async () => {
    const text = JSON.stringify([{ TimeGenerated: '2026-11-20T03:14:00Z', UserPrincipalName: 'ann@contoso.example', ResultType: '0' }], null, 2);
    const file = await writeFixture(folder, 'SigninLogs_heads.json', text);
    const rows = await rowsOfFile(file, 'SigninLogs');
    assert.equal(rows.length, 1);
    assert.deepEqual(headReads, [file]);
  });

  it('reads each head of an Entra folder once', async () => {
    const data = join(folder, 'entra');
    await mkdir(data);
    const signIns = await writeFixture(
      data,
      'InteractiveSignIns_2026-11-20.csv',
      '"Date (UTC)";"Request ID";"User";"Username";"Application";"Status";"Sign-in error code"\r\n' +
        '"2026-11-20T03:14:00Z";"r-1";"Ann Lee";"ann@contoso.example";"OfficeHome";"Failure";"500121"\r\n',
    );
    const authDetails = await writeFixture(
      data,
      'InteractiveSignIns_AuthDetails_2026-11-20.csv',
      '"Request ID";"Authentication Date";"Authentication method";"Authentication method detail";"Succeeded";"Result detail";"Authentication step requirement"\r\n' +
        '"r-1";"2026-11-20T03:14:00Z";"Mobile app notification";"";"False";"MFA denied; user declined the authentication";"Multi-factor authentication"\r\n',
    );
    const { problems, onProblem } = problemCollector();
    const [row] = rowsOf(await readAll(await readExportFolder(data, { onProblem })), 'SigninLogs');
    assert.deepEqual(problems, []);
    assert.match(String(row.AuthenticationDetails), /MFA denied; user declined the authentication/);
    assert.deepEqual([...headReads].sort(), [authDetails, signIns].sort());
  });
});
