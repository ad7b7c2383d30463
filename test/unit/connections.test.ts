import * as assert from 'node:assert/strict';
import { parseWorkspaces } from '../../src/runner/workspaces';
import { durationMs, filtersOnTime, isWorkspaceId, parseConnections, pinnedConnectionName } from '../../src/runner/connections';

describe('connections', () => {
  it('reads the first-line pin', () => {
    assert.equal(pinnedConnectionName('// connection: Contoso SOC'), 'Contoso SOC');
    assert.equal(pinnedConnectionName('  //Connection:Fabrikam  '), 'Fabrikam');
    assert.equal(pinnedConnectionName('// connection:'), undefined);
    assert.equal(pinnedConnectionName('SigninLogs // connection: x'), undefined);
  });

  it('keeps only valid connection entries', () => {
    const connections = parseConnections([
      { name: ' Contoso SOC ', workspaceId: '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718', cloud: 'usGovernment', tenant: 'contoso.example' },
      { name: 'No id' },
      { name: 'Bad cloud', workspaceId: 'x', cloud: 'mars' },
      'text',
      null,
    ]);
    assert.deepEqual(connections, [
      { name: 'Contoso SOC', workspaceId: '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718', cloud: 'usGovernment', tenant: 'contoso.example' },
      { name: 'Bad cloud', workspaceId: 'x' },
    ]);
    assert.deepEqual(parseConnections(undefined), []);
  });

  it('accepts only GUID workspace IDs', () => {
    assert.equal(isWorkspaceId('1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718'), true);
    assert.equal(isWorkspaceId('contoso-soc'), false);
  });
});

describe('time range', () => {
  it('sees a time filter in the query', () => {
    assert.equal(filtersOnTime('SigninLogs | where TimeGenerated > ago(1d)'), true);
    assert.equal(filtersOnTime('SigninLogs | where TimeGenerated between (datetime(2026-12-01) .. 1d)'), true);
    assert.equal(filtersOnTime('AADSignInEventsBeta | where Timestamp >= startofday(now())'), true);
  });

  it('ignores time words in comments', () => {
    assert.equal(filtersOnTime('// last ago(7d)\nSigninLogs | take 10'), false);
  });

  it('parses ISO 8601 durations', () => {
    assert.equal(durationMs('P1D'), 86_400_000);
    assert.equal(durationMs('PT12H'), 43_200_000);
    assert.equal(durationMs('P1DT30M'), 88_200_000);
    assert.equal(durationMs('1d'), undefined);
    assert.equal(durationMs('P'), undefined);
    assert.equal(durationMs('PT'), undefined);
  });
});

describe('workspace listing', () => {
  it('reads Resource Graph rows', () => {
    const workspaces = parseWorkspaces({
      data: [
        { name: 'contoso-sentinel', subscriptionId: 'sub-1', resourceGroup: 'soc-rg', location: 'westeurope', customerId: 'ws-1' },
        { name: 'no-id', subscriptionId: 'sub-1' },
        { name: 42, customerId: 'ws-2' },
      ],
    });
    assert.deepEqual(workspaces, [{ name: 'contoso-sentinel', workspaceId: 'ws-1', subscriptionId: 'sub-1', resourceGroup: 'soc-rg', location: 'westeurope' }]);
    assert.deepEqual(parseWorkspaces({}), []);
  });
});
