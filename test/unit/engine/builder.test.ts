import * as assert from 'node:assert/strict';
import { Database, runQuery, TableBuilder } from '../../../src/engine';
import { parseIsoUtcTicks } from '../../../src/engine/columnAppenders';
import type { ColumnarTable } from '../../../src/engine/columns';
import { parseDatetime } from '../../../src/engine/values';
import { loadKustoLanguage } from '../../../src/kusto/service';
import type { ColumnSchema } from '../../../src/schema/tables';
import { plain } from './tables';

const COLUMNS: ColumnSchema[] = [
  { name: 'Text', type: 'string' },
  { name: 'Count', type: 'long' },
  { name: 'Ratio', type: 'real' },
  { name: 'Flag', type: 'bool' },
  { name: 'When', type: 'datetime' },
  { name: 'Span', type: 'timespan' },
  { name: 'Bag', type: 'dynamic' },
  { name: 'Id', type: 'guid' },
];

function load(rows: unknown[][]): Record<string, unknown>[] {
  const builder = new TableBuilder('Input', COLUMNS);
  builder.appendBatch(rows);
  const result = runQuery(new Database([builder.finish()]), 'Input');
  const table = result.tables[0];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column.name, plain(row[index])])));
}

describe('local engine table builder', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('converts the input form of each type', () => {
    const [row] = load([['a', '42', '-1.5e3', 'TRUE', '2024-01-02T03:04:05.1234567Z', '01:02:03.5', '{"k": [1]}', 'A1B2']]);
    assert.deepEqual(row, {
      Text: 'a',
      Count: 42,
      Ratio: -1500,
      Flag: true,
      When: '2024-01-02T03:04:05.1234567Z',
      Span: '01:02:03.5000000',
      Bag: { k: [1] },
      Id: 'a1b2',
    });
  });

  it('accepts numbers, dates and values', () => {
    const [row] = load([[7, 3, 0.25, false, new Date(Date.UTC(2024, 0, 1)), 10_000_000, [1, 2], null]]);
    assert.deepEqual(row, {
      Text: '7',
      Count: 3,
      Ratio: 0.25,
      Flag: false,
      When: '2024-01-01T00:00:00.0000000Z',
      Span: '00:00:01',
      Bag: [1, 2],
      Id: null,
    });
    const [fromMilliseconds] = load([[null, null, null, null, Date.UTC(2024, 0, 1, 12), '7d', 'plain text', null]]);
    assert.equal(fromMilliseconds.When, '2024-01-01T12:00:00.0000000Z');
    assert.equal(fromMilliseconds.Span, '7.00:00:00');
    assert.equal(fromMilliseconds.Bag, 'plain text');
  });

  it('turns empty and invalid values into null', () => {
    const [row] = load([['', '', 'abc', 'maybe', 'not a date', 'soon', '', '']]);
    assert.deepEqual(row, { Text: '', Count: null, Ratio: null, Flag: null, When: null, Span: null, Bag: null, Id: null });
    const [missing] = load([[null, undefined, null, null, null, null, null, null]]);
    assert.equal(missing.Text, '');
    assert.equal(missing.Count, null);
  });

  it('parses export datetimes as parseDatetime does', () => {
    const texts = [
      '2026-11-16T08:03:12Z',
      '2026-11-16T08:03:12.1234567Z',
      '2026-11-16T08:03:12.123456789Z',
      '2026-11-16T08:03:12.5',
      '2026-11-16 08:03:12',
      '2026-11-16t08:03:12z',
      '2026-02-30T25:61:61Z',
      '0099-01-01T00:00:00Z',
      '2026-11-16T08:03:12.Z',
      '2026-11-16T08:03:12+02:00',
      '2026-11-16T08:03:12.25-0130',
      '2026-11-16T08:03',
      '2026-11-16',
      ' 2026-11-16T08:03:12Z ',
      '2026-1x-16T08:03:12Z',
    ];
    const builder = new TableBuilder('Times', [{ name: 'When', type: 'datetime' }]);
    builder.appendBatch(texts.map((text) => [text]));
    const column = (builder.finish() as ColumnarTable).column(0);
    assert.equal(column.kind, 'number');
    texts.forEach((text, row) => {
      assert.equal(column.kind === 'number' ? column.values[row] : undefined, parseDatetime(text) ?? NaN, text);
    });
    assert.equal(parseIsoUtcTicks('2026-11-16T08:03:12.1234567Z'), parseDatetime('2026-11-16T08:03:12.1234567Z'));
    assert.equal(parseIsoUtcTicks('2026-11-16T08:03:12+02:00'), undefined);
  });

  it('returns unreadable datetime cells', () => {
    const builder = new TableBuilder('Times', [
      { name: 'Count', type: 'long' },
      { name: 'When', type: 'datetime' },
      { name: 'Created', type: 'datetime' },
    ]);
    assert.deepEqual(builder.appendBatch([['x', '2026-11-20T03:14:00Z', null]]), []);
    const rejected = builder.appendBatch([
      ['y', 'yesterday', '2026-11-20T03:14:00Z'],
      [1, '', '2026-13-45T00:00:00Z'],
      [2, '2026-02-29T00:00:00Z', { not: 'a date' }],
    ]);
    assert.deepEqual(rejected, [
      { row: 0, column: 'When', value: 'yesterday' },
      { row: 1, column: 'Created', value: '2026-13-45T00:00:00Z' },
      { row: 2, column: 'When', value: '2026-02-29T00:00:00Z' },
      { row: 2, column: 'Created', value: { not: 'a date' } },
    ]);
  });

  it('reads only datetimes that exist', () => {
    for (const text of ['2026-13-45T00:00:00Z', '2026-00-10T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31', '2026-11-20T24:00:00Z', '2026-11-20T03:60:00Z', '2026-11-20T03:14:60Z']) {
      assert.equal(parseDatetime(text), null, text);
      assert.ok(Number.isNaN(parseIsoUtcTicks(text) ?? NaN), text);
    }
    assert.equal(parseDatetime('2028-02-29T23:59:59Z'), parseIsoUtcTicks('2028-02-29T23:59:59Z'));
    assert.notEqual(parseDatetime('2028-02-29T23:59:59Z'), null);
    assert.notEqual(parseDatetime('2000-02-29'), null);
    assert.equal(parseDatetime('1900-02-29'), null);
  });

  it('reports the newest time', () => {
    const builder = new TableBuilder('SigninLogs', [{ name: 'TimeGenerated', type: 'datetime' }]);
    builder.appendBatch([['2024-01-01T00:00:00Z'], ['2024-03-01T00:00:00.5Z'], [null]]);
    assert.equal(new Database([builder.finish()]).newestTime(), Date.UTC(2024, 2, 1, 0, 0, 0, 500));
    assert.equal(new Database([]).newestTime(), undefined);
  });
  it('settles a column of ids on first read', () => {
    // 6,000 distinct ids pass the 4,096-row probe, so later rows are added
    // without a lookup. Every id then comes again, upper-cased in the guid column.
    const ids = Array.from({ length: 6_000 }, (_, index) => `0000000a-0000-0000-0000-${String(index).padStart(12, '0')}`);
    const builder = new TableBuilder('Ids', [
      { name: 'Id', type: 'guid' },
      { name: 'Request', type: 'string' },
    ]);
    builder.appendBatch(ids.map((id) => [id, `request-${id}`]));
    builder.appendBatch(ids.map((id) => [id.toUpperCase(), `request-${id}`]));
    builder.appendBatch([[null, '']]);
    const table = builder.finish() as ColumnarTable;
    const db = new Database([table]);
    const value = (query: string): unknown => plain(runQuery(db, query).tables[0].rows[0][0]);

    assert.equal(value('Ids | summarize dcount(Id)'), 6_000);
    assert.equal(value('Ids | summarize dcount(Request)'), 6_001);
    assert.equal(value('Ids | distinct Id | count'), 6_001);
    assert.equal(value(`Ids | where Request == "request-${ids[17]}" | count`), 2);
    assert.equal(value('Ids | summarize n = count() by Request | where n != 2 | count'), 1);
    assert.equal(value('Ids | where isnull(Id) | count'), 1);
    for (let index = 0; index < table.columns.length; index++) {
      const column = table.column(index);
      assert.equal(column.kind, 'dictionary');
      assert.equal(new Set(column.dictionary).size, column.dictionary.length, `${table.columns[index].name} repeats a dictionary entry`);
    }
  });
});
