// Runs inside the extension host in code-server: opens real results panels
// through the API that activate() returns and observes the webview through
// its render reports, which it posts after painting rows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HuntLensApi } from '../../src/extension/extension';
import { toCsv } from '../../src/webview/core/export';
import type { ResultsPanel } from '../../src/webview/panel';
import type { ViewState } from '../../src/webview/protocol';
import type { ResultsPanels } from '../../src/webview/results';
import { signInResult } from '../fixtures/signInResults';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
/** More than two chunks of 20,000 rows, so chunked transfer is exercised. */
const ROW_COUNT = 45_000;

async function api(): Promise<HuntLensApi> {
  const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

describe('results panel', function () {
  this.timeout(120_000);
  const result = signInResult(ROW_COUNT);
  let panel: ResultsPanel;

  before(async () => {
    const { results } = await api();
    panel = await results.showResults(result);
  });

  after(() => {
    panel?.panel.dispose();
  });

  it('shows every row with UTC datetimes', async () => {
    const report = await panel.nextRender((candidate) => candidate.visibleRowCount === ROW_COUNT);
    assert.equal(report.firstRowText[0], '2024-05-01T00:00:00.0000000Z');
    assert.equal(report.firstRowText[1], 'alice@contoso.com');
    assert.equal(panel.panel.title, 'SigninLogs · contoso-sentinel');
  });

  it('sorts by a text column', async () => {
    const rendered = panel.nextRender((report) => report.firstRowText[1] !== 'alice@contoso.com');
    await panel.applyView({ column: 'UserPrincipalName', direction: 'descending' }, { all: '', columns: {} });
    const report = await rendered;
    assert.deepEqual([report.visibleRowCount, report.firstRowText[1]], [ROW_COUNT, 'erin@fabrikam.com']);
  });

  it('sorts by a datetime column', async () => {
    const last = result.tables[0].rows[ROW_COUNT - 1];
    const lastTime = (last[0] as { iso: string }).iso;
    const rendered = panel.nextRender((report) => report.firstRowText[0] === lastTime);
    await panel.applyView({ column: 'TimeGenerated', direction: 'descending' }, { all: '', columns: {} });
    const report = await rendered;
    assert.deepEqual(report.firstRowText.slice(0, 2), [lastTime, last[1]]);
  });

  it('filters all columns and one column', async () => {
    const expected = result.tables[0].rows.filter((row) => row[1] === 'bob@contoso.com' && row[2] === '500121').length;
    assert.ok(expected > 0, 'the fixture has no matching rows');
    assert.ok(expected < ROW_COUNT, 'every fixture row matches');
    const rendered = panel.nextRender((report) => report.visibleRowCount === expected);
    const stored = new Promise<ViewState>((resolve) => {
      const listener = panel.onDidStoreView((view) => {
        if (view.filter.all === 'BOB@') {
          listener.dispose();
          resolve(view);
        }
      });
    });
    await panel.applyView(null, { all: 'BOB@', columns: { ResultType: '500121' } });
    const report = await rendered;
    assert.deepEqual(report.firstRowText.slice(1, 3), ['bob@contoso.com', '500121']);
    // The restore test below expects this view to come back with the stored result.
    assert.deepEqual((await stored).filter.columns, { ResultType: '500121' });
  });

  it('exports the whole table as CSV', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is not open');
    const target = vscode.Uri.joinPath(folder.uri, '.results-export-test.csv');
    try {
      const written = await panel.export(0, 'csv', target);
      assert.equal(written?.toString(), target.toString());
      const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
      const table = result.tables[0];
      assert.equal(text, toCsv(table.columns, table.rows, { guardFormulas: true }));
      assert.equal(text.split('\r\n').length, ROW_COUNT + 2);
    } finally {
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });

  it('restores a panel with its stored view', async () => {
    const expected = result.tables[0].rows.filter((row) => row[1] === 'bob@contoso.com' && row[2] === '500121').length;
    const { results } = await api();
    const restored = vscode.window.createWebviewPanel('huntLens.results', 'restoring', vscode.ViewColumn.Active);
    try {
      const state = { resultId: panel.resultId, tableIndex: 0, sort: null, filter: { all: '', columns: {} }, widths: {}, hidden: [], scrollTop: 0, scrollLeft: 0 };
      await (results as ResultsPanels).restore(restored, state);
      const panels = results.panels.filter((candidate) => candidate.panel === restored);
      assert.equal(panels.length, 1, 'the restored panel is not tracked');
      const report = await panels[0].nextRender((candidate) => candidate.visibleRowCount === expected);
      assert.equal(report.firstRowText[1], 'bob@contoso.com');
    } finally {
      restored.dispose();
    }
  });

  it('numbers the title of a second run', async () => {
    const { results } = await api();
    const second = await results.showResults(signInResult(3));
    try {
      assert.equal(panel.panel.title, 'SigninLogs · contoso-sentinel');
      assert.equal(second.panel.title, 'SigninLogs · contoso-sentinel (2)');
    } finally {
      second.panel.dispose();
    }
  });
});
