import * as assert from 'node:assert/strict';
import type { CellValue, ResultColumn, ResultTable } from '../../../src/results/model';
import { ChartError, defaultSpec, extractChart, MAX_SERIES, specFromVisualization, type ChartSpec } from '../../../src/webview/core/chartData';
import { dateTime } from '../../../src/webview/core/columnar';
import { identity } from '../../../src/webview/core/sort';
import { loadTable } from './fixtures';

const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);
const MINUTE = 60_000;

/** Prompts per user per minute, as `summarize count() by bin(TimeGenerated, 1m), UserPrincipalName` returns them. */
const PROMPTS: ResultTable = {
  name: 'PrimaryResult',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'UserPrincipalName', type: 'string' },
    { name: 'Prompts', type: 'long' },
    { name: 'Denied', type: 'long' },
  ],
  rows: [
    [dateTime(T0 + 2 * MINUTE, 0), 'bob@contoso.com', 40, 39],
    [dateTime(T0, 0), 'alice@contoso.com', 1, 0],
    [dateTime(T0, 0), 'bob@contoso.com', 2, 2],
    [null, 'bob@contoso.com', 5, 5],
    [dateTime(T0 + MINUTE, 0), 'alice@contoso.com', null, 0],
    [dateTime(T0 + MINUTE, 0), null, 3, 1],
  ],
};

function chart(table: ResultTable, spec: ChartSpec) {
  const data = loadTable(table, 2);
  return extractChart(data, spec, identity(data.loadedRows));
}

describe('chart data', () => {
  it('plots numeric columns against a datetime x axis', () => {
    const result = chart(PROMPTS, { kind: 'timechart', series: [] });
    assert.equal(result.xAxis, 'time');
    assert.deepEqual(result.x, [T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    assert.deepEqual(
      result.series.map((series) => series.name),
      ['Prompts', 'Denied'],
    );
    assert.deepEqual(result.series[0].values, [3, 3, 40]);
    assert.deepEqual(result.series[1].values, [2, 1, 39]);
  });

  it('splits series by string columns by default', () => {
    const result = chart(PROMPTS, { kind: 'timechart', yColumns: ['Prompts'] });
    assert.deepEqual(
      result.series.map((series) => series.name),
      ['bob@contoso.com', 'alice@contoso.com', 'null'],
    );
    assert.deepEqual(result.series[0].values, [2, null, 40]);
    assert.deepEqual(result.series[1].values, [1, null, null], 'a null y value leaves a gap');
  });

  it('names series value and column with several y columns', () => {
    const result = chart(PROMPTS, { kind: 'linechart', series: ['UserPrincipalName'] });
    assert.ok(result.series.some((series) => series.name === 'bob@contoso.com:Denied'));
    assert.equal(result.series.length, 6);
  });

  it('skips rows without an x value and says so', () => {
    const result = chart(PROMPTS, { kind: 'timechart', series: [] });
    assert.equal(result.x.includes(Number.NaN), false);
    assert.deepEqual(result.notes, ['1 rows without a value in "TimeGenerated" are not drawn.']);
  });

  it('keeps null y values as gaps', () => {
    const table: ResultTable = {
      name: 'gaps',
      columns: [
        { name: 'At', type: 'datetime' },
        { name: 'Prompts', type: 'long' },
      ],
      rows: [
        [dateTime(T0, 0), 4],
        [dateTime(T0 + MINUTE, 0), null],
        [dateTime(T0 + 2 * MINUTE, 0), 6],
      ],
    };
    const result = chart(table, { kind: 'linechart' });
    assert.deepEqual(result.x, [T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    assert.deepEqual(result.series[0].values, [4, null, 6]);
  });

  it('uses xcolumn, ycolumns and title from the spec', () => {
    const result = chart(PROMPTS, { kind: 'scatterchart', xColumn: 'Prompts', yColumns: ['Denied'], series: [], title: 'Denied per prompt' });
    assert.equal(result.xAxis, 'number');
    assert.equal(result.xLabel, 'Prompts');
    assert.equal(result.title, 'Denied per prompt');
    assert.deepEqual(result.x, [1, 2, 3, 5, 40]);
    assert.deepEqual(result.series[0].values, [0, 2, 1, 5, 39]);
  });

  it('keeps text x values as ordered categories', () => {
    const result = chart(PROMPTS, { kind: 'columnchart', xColumn: 'UserPrincipalName', yColumns: ['Prompts'] });
    assert.equal(result.xAxis, 'category');
    assert.deepEqual(result.categories, ['bob@contoso.com', 'alice@contoso.com']);
    assert.deepEqual(result.x, [0, 1]);
    assert.deepEqual(result.series[0].values, [47, 1], 'rows sharing a category are added up');
  });

  it('draws one series for a pie chart', () => {
    const result = chart(PROMPTS, { kind: 'piechart', xColumn: 'UserPrincipalName' });
    assert.deepEqual(
      result.series.map((series) => series.name),
      ['Prompts'],
    );
    assert.deepEqual(result.series[0].values, [47, 1]);
    assert.equal(result.title, 'Prompts by UserPrincipalName');
  });

  it('charts only the rows it is given', () => {
    const data = loadTable(PROMPTS, 2);
    const result = extractChart(data, { kind: 'timechart', yColumns: ['Prompts'], series: [] }, Uint32Array.from([0, 1]));
    assert.deepEqual(result.x, [T0, T0 + 2 * MINUTE]);
    assert.deepEqual(result.series[0].values, [1, 40]);
  });

  it('reads longs beyond 2^53 kept as text', () => {
    const table: ResultTable = {
      name: 'big',
      columns: [
        { name: 'At', type: 'datetime' },
        { name: 'Bytes', type: 'long' },
      ],
      rows: [
        [dateTime(T0, 0), '9007199254740993'],
        [dateTime(T0 + MINUTE, 0), 7],
      ],
    };
    const result = chart(table, { kind: 'timechart' });
    assert.deepEqual(result.series[0].values, [9007199254740992, 7]);
  });

  it('keeps the largest series beyond the limit', () => {
    const rows: CellValue[][] = Array.from({ length: MAX_SERIES + 5 }, (_row, index) => [dateTime(T0, 0), `user${index}`, index]);
    const table: ResultTable = {
      name: 'many',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'User', type: 'string' },
        { name: 'Prompts', type: 'long' },
      ],
      rows,
    };
    const result = chart(table, { kind: 'timechart' });
    assert.equal(result.series.length, MAX_SERIES);
    assert.equal(result.series.some((series) => series.name === 'user0'), false);
    assert.ok(result.series.some((series) => series.name === `user${MAX_SERIES + 4}`));
    assert.deepEqual(result.notes, [`Showing the ${MAX_SERIES} largest of ${MAX_SERIES + 5} series.`]);
  });

  it('rejects a missing column by name', () => {
    assert.throws(() => chart(PROMPTS, { kind: 'timechart', xColumn: 'Timestamp' }), (error: unknown) => {
      assert.ok(error instanceof ChartError);
      assert.match(error.message, /xcolumn names column "Timestamp", which table "PrimaryResult" does not have/);
      return true;
    });
  });

  it('rejects a text y column', () => {
    assert.throws(() => chart(PROMPTS, { kind: 'timechart', yColumns: ['UserPrincipalName'] }), /ycolumns names "UserPrincipalName", a string column/);
  });

  it('rejects a table without a numeric column', () => {
    const table: ResultTable = { name: 'names', columns: [{ name: 'User', type: 'string' }], rows: [['bob']] };
    assert.throws(() => chart(table, { kind: 'columnchart' }), /no numeric column to plot/);
  });
});

describe('chart specs', () => {
  it('reads the render options of the service', () => {
    const result = specFromVisualization({ visualization: 'timechart', title: 'Storm', xColumn: 'TimeGenerated', yColumns: ['Prompts'], series: null as unknown as string[] });
    assert.deepEqual(result, { spec: { kind: 'timechart', title: 'Storm', xColumn: 'TimeGenerated', yColumns: ['Prompts'], series: undefined } });
  });

  it('reads comma-separated column lists', () => {
    const result = specFromVisualization({ visualization: 'barchart', yColumns: 'A, B' as unknown as string[] });
    assert.ok(result && 'spec' in result);
    assert.deepEqual(result.spec.yColumns, ['A', 'B']);
  });

  it('draws nothing for render table', () => {
    assert.equal(specFromVisualization({ visualization: 'table' }), undefined);
    assert.equal(specFromVisualization(undefined), undefined);
  });

  it('names an unsupported render kind', () => {
    const result = specFromVisualization({ visualization: 'treemap' });
    assert.ok(result && 'error' in result);
    assert.match(result.error, /"render treemap", which Hunt Lens does not draw/);
  });

  it('offers the Chart button for datetime and numeric columns', () => {
    assert.deepEqual(defaultSpec(loadTable()), { kind: 'timechart', xColumn: 'TimeGenerated', series: ['UserPrincipalName'] });
  });

  it('splits the Chart button by few values only', () => {
    const rows: CellValue[][] = Array.from({ length: MAX_SERIES + 1 }, (_row, index) => [`203.0.113.${index}`, dateTime(T0, 0), 'bob', 1]);
    const table: ResultTable = {
      name: 'raw',
      columns: [
        { name: 'IPAddress', type: 'string' },
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'User', type: 'string' },
        { name: 'Prompts', type: 'long' },
      ],
      rows,
    };
    assert.deepEqual(defaultSpec(loadTable(table)), { kind: 'timechart', xColumn: 'TimeGenerated', series: ['User'] });
  });

  it('offers no Chart button without a numeric column', () => {
    const columns: ResultColumn[] = [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'User', type: 'string' },
    ];
    assert.equal(defaultSpec(loadTable({ name: 'names', columns, rows: [[dateTime(T0, 0), 'bob']] })), undefined);
  });
});
