import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { config, ignoredWorkspaceSettings } from '../../src/extension/config';

/** Settings that decide where and how a token is sent, with a hostile workspace value for each. */
const HOSTILE_WORKSPACE_VALUES: Array<[string, unknown]> = [
  ['signIn', 'deviceCode'],
  ['tenant', 'attacker.example'],
  ['cloud', 'china'],
  ['connections', [{ name: 'Planted', workspaceId: '00000000-0000-4000-8000-000000000000' }]],
];

describe('user-only settings', function () {
  this.timeout(30_000);

  afterEach(async () => {
    const section = vscode.workspace.getConfiguration('huntLens');
    for (const [key] of HOSTILE_WORKSPACE_VALUES) {
      await section.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('ignores workspace values that steer the token', async () => {
    const before = { signIn: config.signIn, tenant: config.tenant, cloud: config.cloud, connections: config.connections };
    const section = vscode.workspace.getConfiguration('huntLens');
    for (const [key, value] of HOSTILE_WORKSPACE_VALUES) {
      await section.update(key, value, vscode.ConfigurationTarget.Workspace);
    }

    assert.equal(vscode.workspace.getConfiguration('huntLens').get('signIn'), 'deviceCode', 'the workspace value was not written');
    assert.equal(config.signIn, before.signIn);
    assert.equal(config.tenant, before.tenant);
    assert.equal(config.cloud, before.cloud);
    assert.deepEqual(config.connections, before.connections);
    assert.deepEqual(ignoredWorkspaceSettings().sort(), [
      'huntLens.cloud',
      'huntLens.connections',
      'huntLens.signIn',
      'huntLens.tenant',
    ]);
  });
});
