import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runQuery } from '../../../src/engine';
import { loadData } from '../../../src/engine/load';
import { isTypeNameText, parsePowerShellObjectText } from '../../../src/engine/readers/powerShellDepth';
import { makeFixtureFolder } from './helpers';

/**
 * A denied push as `Get-MgAuditLogSignIn | Select-Object * | ConvertTo-Json
 * -Depth 1` writes it: every nested object is the text of its ToString().
 */
function cutSignIn(id: string, correlationId: string, createdDateTime: string, errorCode: number): Record<string, unknown> {
  return {
    Id: id,
    CreatedDateTime: createdDateTime,
    UserPrincipalName: 'ben@contoso.example',
    AppDisplayName: 'OfficeHome',
    IPAddress: '203.0.113.45',
    CorrelationId: correlationId,
    IsInteractive: true,
    Status:
      `@{ErrorCode=${errorCode}; FailureReason=Authentication failed during strong authentication request.; ` +
      'AdditionalDetails=MFA denied; user declined the authentication; AdditionalProperties=System.Collections.Generic.Dictionary`2[System.String,System.Object]}',
    Location: '@{City=Sao Paulo; State=; CountryOrRegion=BR; GeoCoordinates=@{Altitude=; Latitude=-23.5; Longitude=-46.6}}',
    DeviceDetail: '@{Browser=Chrome 131; IsCompliant=False; OperatingSystem=Linux}',
    AuthenticationDetails: 'System.Object[]',
    AdditionalProperties: 'System.Collections.Hashtable',
  };
}

describe('PowerShell object text', () => {
  it('reads properties, numbers and booleans', () => {
    assert.deepEqual(parsePowerShellObjectText('@{ErrorCode=500121; IsCompliant=False; Code=007; Reason=}'), {
      ErrorCode: 500121,
      IsCompliant: false,
      Code: '007',
      Reason: null,
    });
  });

  it('reads nested objects', () => {
    assert.deepEqual(parsePowerShellObjectText('@{City=Paris; Geo=@{Latitude=48.857; Altitude=}}'), {
      City: 'Paris',
      Geo: { Latitude: '48.857', Altitude: null },
    });
  });

  it('keeps "; " without a property name after it in the value', () => {
    assert.deepEqual(parsePowerShellObjectText('@{Detail=MFA denied; user declined; Code=1}'), { Detail: 'MFA denied; user declined', Code: 1 });
  });

  it('rejects text that is not an object', () => {
    assert.equal(parsePowerShellObjectText('@{A=1'), undefined);
    assert.equal(parsePowerShellObjectText('@{A=}}'), undefined);
    assert.equal(parsePowerShellObjectText('@{no property}'), undefined);
    assert.equal(parsePowerShellObjectText('{"a": 1}'), undefined);
  });

  it('reads an empty object', () => {
    assert.deepEqual(parsePowerShellObjectText('@{}'), {});
  });

  it('recognizes type names', () => {
    assert.ok(isTypeNameText('System.Object[]'));
    assert.ok(isTypeNameText('System.Collections.Hashtable'));
    assert.ok(isTypeNameText('System.Collections.Generic.Dictionary`2[System.String,System.Object]'));
    assert.ok(isTypeNameText('Microsoft.Graph.PowerShell.Models.MicrosoftGraphAuthenticationDetail Microsoft.Graph.PowerShell.Models.MicrosoftGraphAuthenticationDetail'));
    assert.ok(!isTypeNameText('System administrator'));
    assert.ok(!isTypeNameText('Chrome 131'));
  });
});

describe('PowerShell exports cut by -Depth', function () {
  // The first query loads the Kusto language service.
  this.timeout(30_000);
  let folder: string;
  before(async () => {
    folder = await makeFixtureFolder();
  });

  async function loadCut(name: string, records: Array<Record<string, unknown>>) {
    const data = join(folder, name);
    await mkdir(data);
    await writeFile(join(data, 'Get-MgAuditLogSignIn.json'), JSON.stringify(records, null, 4));
    return loadData([data]);
  }

  it('reads Status back so ResultType is set', async () => {
    const loaded = await loadCut('status', [
      cutSignIn('a', 'c1', '2026-11-25T01:45:10Z', 500121),
      cutSignIn('b', 'c2', '2026-11-25T01:45:40Z', 0),
    ]);
    const query =
      'SigninLogs | order by TimeGenerated asc | project ResultType, Reason = tostring(Status.failureReason), ' +
      'Detail = tostring(Status.additionalDetails), Country = tostring(LocationDetails.countryOrRegion), ' +
      'Latitude = tostring(LocationDetails.geoCoordinates.latitude), Compliant = tostring(DeviceDetail.isCompliant), ' +
      'Steps = AuthenticationDetails, StatusText = tostring(Status)';
    const [table] = runQuery(loaded.database, query).tables;
    assert.equal(table.rows.length, 2);
    const [resultType, reason, detail, country, latitude, compliant, steps, statusText] = table.rows[0];
    assert.equal(resultType, '500121');
    assert.equal(table.rows[1][0], '0');
    assert.equal(reason, 'Authentication failed during strong authentication request.');
    assert.equal(detail, 'MFA denied; user declined the authentication');
    assert.equal(country, 'BR');
    assert.equal(latitude, '-23.5');
    assert.equal(compliant, 'false');
    assert.equal(steps, '');
    assert.equal(typeof statusText, 'string');
    assert.ok(!(statusText as string).includes('System.Collections'), `Status keeps a type name: ${statusText as string}`);
  });

  it('reports the cut once per file with the fix', async () => {
    const records = [0, 1, 2].map((index) => cutSignIn(`r${index}`, `c${index}`, `2026-11-25T01:4${index}:00Z`, 500121));
    const loaded = await loadCut('report', records);
    const cuts = loaded.problems.filter((problem) => problem.message.includes('-Depth'));
    assert.equal(cuts.length, 1, JSON.stringify(loaded.problems));
    const [cut] = cuts;
    assert.equal(cut.kind, 'cell');
    assert.match(cut.file, /Get-MgAuditLogSignIn\.json$/);
    assert.match(cut.message, /Status/);
    assert.match(cut.message, /AuthenticationDetails \("System\.Object\[\]"\)/);
    assert.match(cut.message, /cannot be recovered/);
    assert.match(cut.message, /ConvertTo-Json -Depth 10/);
    const [table] = runQuery(loaded.database, 'SigninLogs | count').tables;
    assert.deepEqual(table.rows, [[3]]);
  });

  it('says ResultType is empty when Status is a type name', async () => {
    const record = { ...cutSignIn('t', 'c1', '2026-11-25T01:45:10Z', 500121), Status: 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus' };
    const loaded = await loadCut('type-name', [record]);
    const [cut] = loaded.problems.filter((problem) => problem.message.includes('-Depth'));
    assert.ok(cut, JSON.stringify(loaded.problems));
    assert.match(cut.message, /Without Status, ResultType is empty/);
  });

  it('reports nothing for a whole export', async () => {
    const record = cutSignIn('w', 'c1', '2026-11-25T01:45:10Z', 500121);
    const whole = {
      ...record,
      Status: { ErrorCode: 500121, AdditionalProperties: {} },
      Location: { City: 'Sao Paulo', CountryOrRegion: 'BR', AdditionalProperties: {} },
      DeviceDetail: { Browser: 'Chrome 131', AdditionalProperties: {} },
      AuthenticationDetails: [],
      AdditionalProperties: {},
      UserAgent: '@{looks=like an object}',
    };
    const loaded = await loadCut('whole', [whole]);
    assert.deepEqual(loaded.problems, []);
    const [table] = runQuery(loaded.database, 'SigninLogs | project ResultType, UserAgent').tables;
    assert.deepEqual(table.rows, [['500121', '@{looks=like an object}']]);
  });
});
