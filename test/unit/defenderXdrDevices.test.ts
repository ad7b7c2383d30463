import * as assert from 'node:assert/strict';
import { analyzeQuery, loadKustoLanguage } from '../../src/kusto/service';
import { TABLE_SCHEMAS } from '../../src/schema/tables';

/** A post-approval query per added table, and the result columns with the types the table reference gives. */
const CASES: readonly { query: string; columns: Record<string, string> }[] = [
  {
    query: 'DeviceLogonEvents | where Timestamp > ago(1d) and IsLocalAdmin and RemotePort == 3389 | project LogonId, RemoteIP, AdditionalFields',
    columns: { LogonId: 'long', RemoteIP: 'string', AdditionalFields: 'string' },
  },
  {
    query: 'DeviceNetworkEvents | where Timestamp > ago(1d) | project RemotePort, InitiatingProcessParentId, IsInitiatingProcessRemoteSession',
    columns: { RemotePort: 'int', InitiatingProcessParentId: 'long', IsInitiatingProcessRemoteSession: 'bool' },
  },
  {
    query: 'DeviceProcessEvents | where Timestamp > ago(1d) | project ProcessCreationTime, InitiatingProcessLogonId, InitiatingProcessSignerType',
    columns: { ProcessCreationTime: 'datetime', InitiatingProcessLogonId: 'long', InitiatingProcessSignerType: 'string' },
  },
  {
    query: 'UrlClickEvents | where Timestamp > ago(1d) and IsClickedThrough | project Url, ReportId',
    columns: { Url: 'string', ReportId: 'string' },
  },
  {
    query: 'IdentityDirectoryEvents | where Timestamp > ago(1d) | project DestinationPort, Target = tostring(AdditionalFields.TargetAccountUpn)',
    columns: { DestinationPort: 'int', Target: 'string' },
  },
];

describe('Defender XDR device and directory tables', function () {
  // The first analysis after loading Kusto.Language takes about a second.
  this.timeout(30_000);

  before(() => {
    loadKustoLanguage();
  });

  for (const { query, columns } of CASES) {
    const table = query.split(' ', 1)[0] ?? '';
    it(`binds ${table} with its documented types`, () => {
      const analysis = analyzeQuery(query, TABLE_SCHEMAS.defenderXdr);
      assert.deepEqual(analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
      const types = Object.fromEntries((analysis.resultColumns ?? []).map((column) => [column.name, column.type]));
      assert.deepEqual(types, columns);
    });
  }

  it('keeps these tables out of Log Analytics', () => {
    const analysis = analyzeQuery('DeviceLogonEvents | take 1', TABLE_SCHEMAS.logAnalytics);
    assert.ok(analysis.diagnostics.some((diagnostic) => diagnostic.severity === 'error'), 'DeviceLogonEvents bound in a Log Analytics document');
  });
});
