// Charts in the real results webview bundle, in Chromium, under the panel's
// Content Security Policy. A `render` visualization draws its chart. The
// Chart button draws one for a table with a datetime and a numeric column.
// Series names from log data stay text.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { QueryResult, ResultTable, Visualization } from '../../src/results/model';
import { CHART_KINDS } from '../../src/webview/core/chartData';
import { dateTime, encodeChunks } from '../../src/webview/core/columnar';
import type { ChartReport, WebviewMessage } from '../../src/webview/protocol';
import { resultHeader } from '../../src/webview/resultHeader';
import { ALLOWED_URLS, openHarness, type Harness } from '../support/webviewHarness';

const resultsDir = resolve(__dirname, '..', '..', '..', 'test-results');
const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);
const MINUTE = 60_000;
const HOSTILE_USER = '<img src=x onerror="window.__xssHit(\'legend\')">\u202Eexe.pdf';

/** Prompts per minute for two users, with a storm of 60 prompts at minute 5. */
function promptTable(): ResultTable {
  const rows = [];
  for (let minute = 0; minute < 10; minute++) {
    rows.push([dateTime(T0 + minute * MINUTE, 0), 'alice@contoso.com', minute === 5 ? 60 : 1]);
    rows.push([dateTime(T0 + minute * MINUTE, 0), HOSTILE_USER, 2]);
  }
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'Prompts', type: 'long' },
    ],
    rows,
  };
}

function result(table: ResultTable, visualization?: Visualization): QueryResult {
  return {
    status: 'Success',
    tables: [table],
    visualization,
    query: 'SigninLogs | summarize Prompts = count() by bin(TimeGenerated, 1m), UserPrincipalName | render timechart',
    target: { kind: 'logAnalytics', workspaceId: '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718', displayName: 'Contoso SOC' },
    startedAt: '2024-05-01T09:00:00Z',
    durationMs: 321,
  };
}

const isChart = (message: WebviewMessage): message is Extract<WebviewMessage, { type: 'chartRendered' }> => message.type === 'chartRendered';

async function send(harness: Harness, queryResult: QueryResult): Promise<void> {
  await harness.send({ type: 'result', header: resultHeader(queryResult), settings: { timeZone: 'utc' } });
  for (const chunk of encodeChunks(queryResult.tables[0], 0, 7)) {
    await harness.send({ type: 'chunk', chunk });
  }
  await harness.send({ type: 'complete' });
}

async function nextChart(harness: Harness, action: () => Promise<void>): Promise<ChartReport> {
  const drawn = harness.waitForMessage(isChart);
  await action();
  const message = await drawn;
  assert.ok(isChart(message));
  return message.report;
}

/** Counts canvas pixels that are not transparent in the chart pane's plot canvas. */
async function paintedPixels(harness: Harness): Promise<number> {
  // A string, because this project's Node type-check has no DOM library.
  return harness.page.evaluate<number>(`(() => {
    const canvas = document.querySelector('.chart-plot canvas');
    const context = canvas && canvas.getContext('2d');
    if (!context) {
      return 0;
    }
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let index = 3; index < pixels.length; index += 4) {
      painted += pixels[index] > 0 ? 1 : 0;
    }
    return painted;
  })()`);
}

/** Prompts per app for two users: three categories, two series, every bar well above zero. */
function appTable(): ResultTable {
  const rows = [];
  for (const app of ['Azure Portal', 'Microsoft Teams', 'Outlook']) {
    rows.push([app, 'alice@contoso.com', 5]);
    rows.push([app, 'bob@contoso.com', 8]);
  }
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'AppDisplayName', type: 'string' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'Prompts', type: 'long' },
    ],
    rows,
  };
}

/**
 * Walks one line of the plot canvas near the bars' baseline (a row for column
 * charts, a column for bar charts) and returns the runs of the two series
 * colours in order: "a" for #3794ff, "b" for #f14c4c. Runs shorter than three
 * pixels (antialiased edges) are skipped.
 */
async function barRuns(harness: Harness, direction: 'row' | 'column'): Promise<string> {
  return harness.page.evaluate<string>(`(() => {
    const canvas = document.querySelector('.chart-plot canvas');
    const over = document.querySelector('.chart-plot .u-over');
    const context = canvas.getContext('2d');
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const box = over.getBoundingClientRect();
    const origin = canvas.getBoundingClientRect();
    const left = (box.left - origin.left) * scale;
    const top = (box.top - origin.top) * scale;
    const width = box.width * scale;
    const height = box.height * scale;
    const line = ${JSON.stringify(direction)} === 'row'
      ? context.getImageData(Math.round(left), Math.round(top + height * 0.97), Math.round(width), 1).data
      : context.getImageData(Math.round(left + width * 0.03), Math.round(top), 1, Math.round(height)).data;
    const label = (index) => {
      const [r, g, b, a] = [line[index], line[index + 1], line[index + 2], line[index + 3]];
      const near = (red, green, blue) => a === 255 && Math.abs(r - red) < 3 && Math.abs(g - green) < 3 && Math.abs(b - blue) < 3;
      return near(55, 148, 255) ? 'a' : near(241, 76, 76) ? 'b' : '';
    };
    let runs = '';
    let current = '';
    let length = 0;
    for (let index = 0; index <= line.length; index += 4) {
      const next = index < line.length ? label(index) : '';
      if (next === current) {
        length++;
        continue;
      }
      if (current !== '' && length >= 3) {
        runs += current;
      }
      current = next;
      length = 1;
    }
    return runs;
  })()`);
}

describe('results webview charts', function () {
  this.timeout(120_000);
  let harness: Harness;

  before(() => mkdirSync(resultsDir, { recursive: true }));

  beforeEach(async () => {
    harness = await openHarness({ viewport: { width: 1200, height: 900 } });
  });

  afterEach(async () => {
    assert.deepEqual(harness.hits, [], 'a payload ran');
    assert.deepEqual(harness.violations, [], 'the page tried something its CSP blocked');
    assert.deepEqual(
      harness.requests.filter((url) => !ALLOWED_URLS.has(url)),
      [],
      'the page tried to load another URL',
    );
    await harness.close();
  });

  it('draws a render timechart', async () => {
    const report = await nextChart(harness, () => send(harness, result(promptTable(), { visualization: 'timechart', title: 'MFA prompts per minute' })));
    assert.ok(!('error' in report), JSON.stringify(report));
    assert.equal(report.kind, 'timechart');
    assert.equal(report.xAxis, 'time');
    assert.equal(report.pointCount, 10);
    assert.deepEqual(report.seriesNames, ['alice@contoso.com', HOSTILE_USER]);
    assert.equal(await harness.page.locator('.chart-pane').isVisible(), true);
    assert.equal(await harness.page.locator('.chart-pane .u-title').textContent(), 'MFA prompts per minute');
    assert.ok((await paintedPixels(harness)) > 500, 'the canvas stayed empty');
  });

  it('disabled Chart button says why', async () => {
    await send(harness, result(appTable()));
    const toggle = harness.page.locator('button.chart-toggle');
    await harness.page.locator('button.chart-toggle[disabled]').waitFor();
    assert.match((await toggle.getAttribute('title')) ?? '', /needs a datetime column and a numeric column/);
  });

  it('enabled Chart button keeps its title', async () => {
    await send(harness, result(promptTable()));
    const toggle = harness.page.locator('button.chart-toggle');
    await harness.page.locator('button.chart-toggle:not([disabled])').waitFor();
    assert.equal(await toggle.getAttribute('title'), 'Show or hide a chart of this table');
  });

  it('takes series colours from the theme', async () => {
    // CSSOM writes are allowed under the page's CSP, unlike a style element.
    await harness.page.evaluate(`(() => {
      document.documentElement.style.setProperty('--vscode-charts-blue', '#3794ff');
      document.documentElement.style.setProperty('--vscode-charts-red', '#f14c4c');
    })()`);
    await nextChart(harness, () => send(harness, result(promptTable(), { visualization: 'timechart' })));
    const markers = await harness.page.evaluate<string[]>(
      `Array.from(document.querySelectorAll('.chart-pane .u-legend .u-series .u-marker'), (node) => getComputedStyle(node).borderColor)`,
    );
    assert.equal(markers[1], 'rgb(55, 148, 255)');
    assert.equal(markers[2], 'rgb(241, 76, 76)');
  });

  it('shows series names as text', async () => {
    await nextChart(harness, () => send(harness, result(promptTable(), { visualization: 'linechart' })));
    const labels = await harness.page.locator('.chart-pane .u-legend .u-label').allTextContents();
    assert.ok(labels.includes('<img src=x onerror="window.__xssHit(\'legend\')">⟨U+202E⟩exe.pdf'), labels.join(' | '));
    assert.equal(await harness.page.locator('.chart-pane img').count(), 0);
  });

  it('draws every render kind', async () => {
    for (const kind of CHART_KINDS) {
      const report = await nextChart(harness, () => send(harness, result(promptTable(), { visualization: kind, xColumn: kind === 'piechart' ? 'UserPrincipalName' : undefined })));
      assert.ok(!('error' in report), `${kind}: ${JSON.stringify(report)}`);
      assert.equal(report.kind, kind);
      const canvases = await harness.page.locator('.chart-pane canvas').count();
      assert.equal(canvases, 1, `${kind} drew ${canvases} canvases`);
      await harness.page.locator('.chart-pane').screenshot({ path: join(resultsDir, `e2e-chart-${kind}.png`) });
    }
  });

  for (const [kind, direction] of [['columnchart', 'row'], ['barchart', 'column']] as const) {
    it(`draws ${kind} series side by side`, async () => {
      await harness.page.evaluate(`(() => {
        document.documentElement.style.setProperty('--vscode-charts-blue', '#3794ff');
        document.documentElement.style.setProperty('--vscode-charts-red', '#f14c4c');
      })()`);
      const report = await nextChart(harness, () => send(harness, result(appTable(), { visualization: kind, xColumn: 'AppDisplayName' })));
      assert.ok(!('error' in report), JSON.stringify(report));
      assert.deepEqual(report.seriesNames, ['alice@contoso.com', 'bob@contoso.com']);
      const runs = await barRuns(harness, direction);
      assert.ok(/^(ab){3}$|^(ba){3}$/.test(runs), `bar colours along the baseline: "${runs}"`);
    });
  }

  it('charts only the filtered rows', async () => {
    await nextChart(harness, () => send(harness, result(promptTable(), { visualization: 'timechart' })));
    const report = await nextChart(harness, () => harness.send({ type: 'applyView', sort: null, filter: { all: 'alice@', columns: {} } }));
    assert.ok(!('error' in report), JSON.stringify(report));
    assert.deepEqual(report.seriesNames, ['alice@contoso.com']);
  });

  it('names a render column the table lacks', async () => {
    const report = await nextChart(harness, () => send(harness, result(promptTable(), { visualization: 'columnchart', yColumns: ['Denied'] })));
    assert.ok('error' in report);
    assert.match(report.error, /ycolumns names column "Denied"/);
    assert.match((await harness.page.locator('.chart-error').textContent()) ?? '', /ycolumns names column "Denied"/);
  });

  it('draws the Chart button chart', async () => {
    await send(harness, result(promptTable()));
    const chartButton = harness.page.getByRole('button', { name: 'Chart', exact: true });
    await harness.page.locator('.data-row').first().waitFor();
    assert.equal(await harness.page.locator('.chart-pane').isVisible(), false, 'a result without render opened a chart');
    assert.equal(await chartButton.isEnabled(), true);

    const report = await nextChart(harness, () => chartButton.click());
    assert.ok(!('error' in report), JSON.stringify(report));
    assert.equal(report.kind, 'timechart');
    assert.equal(report.pointCount, 10);
    assert.equal(await chartButton.getAttribute('aria-pressed'), 'true');

    await chartButton.click();
    assert.equal(await harness.page.locator('.chart-pane').isVisible(), false);
  });

  it('disables the Chart button without numbers', async () => {
    const table: ResultTable = { name: 'Users', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'User', type: 'string' }], rows: [[dateTime(T0, 0), 'bob']] };
    await send(harness, result(table));
    await harness.page.locator('.data-row').first().waitFor();
    assert.equal(await harness.page.getByRole('button', { name: 'Chart', exact: true }).isDisabled(), true);
  });
});
