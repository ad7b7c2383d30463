import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runQuery } from '../../../src/engine';
import { loadData } from '../../../src/engine/load';
import { detectEncoding, toUtf8Stream } from '../../../src/engine/readers/encoding';
import { camelCaseName } from '../../../src/engine/readers/graphSignIns';
import type { DateTimeValue } from '../../../src/results/model';
import { makeFixtureFolder } from './helpers';

/**
 * A denied push as `Get-MgAuditLogSignIn | ConvertTo-Json` writes it in
 * Windows PowerShell 5.1: PascalCase names, AdditionalProperties bags and
 * dates in the `/Date(ms)/` form.
 */
function powerShellSignIn(id: string, epochMs: number): Record<string, unknown> {
  return {
    Id: id,
    CreatedDateTime: `/Date(${epochMs})/`,
    UserPrincipalName: 'ben@contoso.example',
    UserDisplayName: 'Ben Ito',
    AppDisplayName: 'OfficeHome',
    IPAddress: '203.0.113.45',
    IsInteractive: true,
    OriginalRequestId: `attempt-${id}`,
    Status: {
      ErrorCode: 500121,
      FailureReason: 'Authentication failed during strong authentication request.',
      AdditionalDetails: 'MFA denied; user declined the authentication',
      AdditionalProperties: {},
    },
    Location: { City: 'Sao Paulo', CountryOrRegion: 'BR', GeoCoordinates: { Latitude: -23.5, Longitude: -46.6 }, AdditionalProperties: {} },
    DeviceDetail: { OperatingSystem: 'Linux', Browser: 'Chrome 131', AdditionalProperties: {} },
    AdditionalProperties: { '@odata.type': '#microsoft.graph.signIn' },
  };
}

/** Writes text as Windows PowerShell 5.1's Out-File does: UTF-16 LE with a byte order mark. */
async function writeUtf16(path: string, text: string, byteOrder: 'le' | 'be' = 'le'): Promise<void> {
  const littleEndian = Buffer.from(`\uFEFF${text}`, 'utf16le');
  await writeFile(path, byteOrder === 'le' ? littleEndian : littleEndian.swap16());
}

async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

describe('PowerShell exports', function () {
  // The first query loads the Kusto language service.
  this.timeout(30_000);
  let folder: string;
  before(async () => {
    folder = await makeFixtureFolder();
  });

  it('loads PascalCase Graph sign-ins in UTF-16', async () => {
    const deniedAt = Date.UTC(2026, 10, 25, 1, 45, 10);
    const data = join(folder, 'pascal');
    await mkdir(data);
    const records = [powerShellSignIn('a', deniedAt), powerShellSignIn('b', deniedAt + 60_000)];
    await writeUtf16(join(data, 'SignInLogs.json'), JSON.stringify(records, null, 4));

    const loaded = await loadData([data]);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(
      loaded.tables.find((table) => table.name === 'SigninLogs'),
      { name: 'SigninLogs', rows: 2 },
    );

    const query =
      'SigninLogs | order by TimeGenerated asc | project TimeGenerated, UserPrincipalName, ResultType, ' +
      'Detail = tostring(Status.additionalDetails), Country = tostring(LocationDetails.countryOrRegion), ' +
      'Os = tostring(DeviceDetail.operatingSystem), OriginalRequestId, IPAddress';
    const [table] = runQuery(loaded.database, query).tables;
    assert.equal(table.rows.length, 2);
    const [time, user, resultType, detail, country, os, attempt, ipAddress] = table.rows[0];
    assert.equal((time as DateTimeValue).epochMs, deniedAt);
    assert.equal(user, 'ben@contoso.example');
    assert.equal(resultType, '500121');
    assert.equal(detail, 'MFA denied; user declined the authentication');
    assert.equal(country, 'BR');
    assert.equal(os, 'Linux');
    assert.equal(attempt, 'attempt-a');
    assert.equal(ipAddress, '203.0.113.45');
  });

  it('keeps AdditionalProperties entries as fields', async () => {
    const data = join(folder, 'bag');
    await mkdir(data);
    const record = powerShellSignIn('c', Date.UTC(2026, 10, 25));
    (record.Status as Record<string, unknown>).AdditionalProperties = { extraDetail: 'kept' };
    await writeFile(join(data, 'signins.json'), JSON.stringify([record]));

    const loaded = await loadData([data]);
    const [table] = runQuery(loaded.database, 'SigninLogs | project Extra = tostring(Status.extraDetail), Bag = tostring(Status)').tables;
    assert.equal(table.rows[0][0], 'kept');
    assert.equal(typeof table.rows[0][1], 'string');
    assert.doesNotMatch(table.rows[0][1] as string, /AdditionalProperties/);
  });

  it('reads an Entra CSV saved as UTF-16 BE', async () => {
    const data = join(folder, 'utf16be');
    await mkdir(data);
    const csv =
      '"Date (UTC)","Request ID","User","Username","Application","IP address","Location","Status","Sign-in error code"\r\n' +
      '"2026-11-25T01:45:10Z","r-1","Zoë Ångström","zoe@contoso.example","OfficeHome","203.0.113.45","São Paulo, SP, BR","Failure","500121"\r\n';
    await writeUtf16(join(data, 'InteractiveSignIns_2026-11-25.csv'), csv, 'be');

    const loaded = await loadData([data]);
    assert.deepEqual(loaded.problems, []);
    const [table] = runQuery(loaded.database, 'SigninLogs | project UserDisplayName, ResultType, City = tostring(LocationDetails.city)').tables;
    assert.deepEqual(table.rows, [['Zoë Ångström', '500121', 'São Paulo']]);
  });

  it('keeps Log Analytics records with PascalCase names', async () => {
    const data = join(folder, 'logAnalytics');
    await mkdir(data);
    const record = {
      TimeGenerated: '2026-11-25T01:45:10Z',
      CreatedDateTime: '2026-11-25T01:45:09Z',
      UserPrincipalName: 'ben@contoso.example',
      AppDisplayName: 'OfficeHome',
      ResultType: '50074',
      Type: 'SigninLogs',
    };
    await writeFile(join(data, 'export.json'), JSON.stringify([record]));

    const loaded = await loadData([data]);
    const [table] = runQuery(loaded.database, 'SigninLogs | project ResultType, TimeGenerated').tables;
    assert.equal(table.rows[0][0], '50074');
    assert.equal((table.rows[0][1] as DateTimeValue).iso.slice(0, 19), '2026-11-25T01:45:10');
  });

  it('counts v1.0 attempts without originalRequestId', async () => {
    const data = join(folder, 'v1');
    await mkdir(data);
    const start = Date.UTC(2026, 10, 25, 1, 40);
    const storm = [0, 30, 60, 90].map((seconds, index) => {
      const record: Record<string, unknown> = { ...powerShellSignIn(`deny-${index}`, start + seconds * 1000), CorrelationId: `flow-${index}` };
      delete record.OriginalRequestId;
      return record;
    });
    // Entra logs the last denial twice, a second apart, with its own id.
    const duplicate: Record<string, unknown> = { ...storm[3], Id: 'deny-3-again', CreatedDateTime: `/Date(${start + 91_000})/` };
    await writeFile(join(data, 'signins.json'), JSON.stringify([...storm, duplicate]));

    const loaded = await loadData([data]);
    const [table] = runQuery(loaded.database, 'SigninLogs | summarize Rows = count(), Attempts = dcount(OriginalRequestId)').tables;
    assert.deepEqual(table.rows, [[5, 4]]);
  });

  it('detects encodings from first bytes', () => {
    assert.equal(detectEncoding(Buffer.from([0xff, 0xfe, 0x5b, 0x00])), 'utf-16le');
    assert.equal(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x5b])), 'utf-16be');
    assert.equal(detectEncoding(Buffer.from('[\0{\0', 'latin1')), 'utf-16le');
    assert.equal(detectEncoding(Buffer.from('\uFEFF[{"a":1}]', 'utf8')), 'utf-8');
    assert.equal(detectEncoding(Buffer.from('Date,Id\n', 'utf8')), 'utf-8');
    assert.equal(detectEncoding(Buffer.from([0x5b])), 'utf-8');
  });

  it('decodes characters split across chunks', async () => {
    const text = 'user,agent\n' + '😀 Zoë,日本\n'.repeat(50);
    const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
    // Chunks of 3 bytes split every UTF-16 code unit and surrogate pair.
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += 3) {
      chunks.push(bytes.subarray(offset, offset + 3));
    }
    assert.equal(await collect(toUtf8Stream(Readable.from(chunks))), text);
  });

  it('passes UTF-8 bytes through unchanged', async () => {
    const bytes = Buffer.from('\uFEFFa,b\n1,é\n', 'utf8');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3)];
    assert.equal(await collect(toUtf8Stream(Readable.from(chunks))), '\uFEFFa,b\n1,é\n');
  });

  it('reads a file shorter than four bytes', async () => {
    assert.equal(await collect(toUtf8Stream(Readable.from([Buffer.from('[]')]))), '[]');
  });
});

describe('PascalCase names', () => {
  it('lowers leading capitals as Graph does', () => {
    const cases: Array<[string, string]> = [
      ['IPAddress', 'ipAddress'],
      ['IPAddressFromResourceProvider', 'ipAddressFromResourceProvider'],
      ['Id', 'id'],
      ['ID', 'id'],
      ['CreatedDateTime', 'createdDateTime'],
      ['AppId', 'appId'],
      ['userPrincipalName', 'userPrincipalName'],
      ['@odata.type', '@odata.type'],
      ['RiskEventTypes_V2', 'riskEventTypes_V2'],
    ];
    for (const [name, expected] of cases) {
      assert.equal(camelCaseName(name), expected, name);
    }
  });
});
