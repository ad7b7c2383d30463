// Runs inside the extension host in code-server: changing
// huntLens.results.timeZone redraws an open results panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HuntLensApi } from '../../src/extension/extension';
import { signInResult } from '../fixtures/signInResults';

const EXTENSION_ID = 'hunt-lens.hunt-lens';

describe('results time zone setting', function () {
  this.timeout(120_000);

  after(async () => {
    await vscode.workspace.getConfiguration('huntLens').update('results.timeZone', undefined, vscode.ConfigurationTarget.Global);
  });

  it('redraws an open panel', async () => {
    const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const { results } = await extension.activate();
    const panel = await results.showResults(signInResult(10));
    try {
      const first = await panel.nextRender((report) => report.visibleRowCount === 10);
      assert.equal(first.firstRowText[0], '2024-05-01T00:00:00.0000000Z');

      const redrawn = panel.nextRender((report) => report.firstRowText[0] !== first.firstRowText[0]);
      await vscode.workspace.getConfiguration('huntLens').update('results.timeZone', 'local', vscode.ConfigurationTarget.Global);
      const report = await redrawn;
      assert.match(report.firstRowText[0], /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)? ?[+-]\d\d:\d\d$/);
    } finally {
      panel.panel.dispose();
    }
  });
});
