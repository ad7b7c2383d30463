// The filter's matching rules, checked against a plain reference: a row
// matches when the lower-cased canonical text (cellText) of a non-null cell
// contains the lower-cased filter text. The filter's fast paths for
// datetimes, numbers and dynamic values must give the same rows.
import * as assert from 'node:assert/strict';
import type { CellValue, ResultTable } from '../../../src/results/model';
import { dateTime } from '../../../src/webview/core/columnar';
import { filterRows } from '../../../src/webview/core/filter';
import { cellText } from '../../../src/webview/core/format';
import { identity } from '../../../src/webview/core/sort';
import { loadTable } from './fixtures';

const INSTANTS = [
  dateTime(Date.UTC(2024, 4, 1, 8, 0, 0, 123), 4567),
  dateTime(Date.UTC(2024, 4, 1, 8, 0, 0, 5), 121),
  dateTime(Date.UTC(2024, 11, 31, 23, 59, 59, 999), 9999),
  dateTime(Date.UTC(2000, 1, 29, 0, 0, 0, 0), 0),
  dateTime(Date.UTC(1969, 11, 31, 23, 59, 59, 500), 1),
  dateTime(Date.UTC(1601, 0, 1), 0),
  dateTime(Date.UTC(9999, 11, 31, 23, 59, 59, 999), 9999),
  dateTime(-62198755200000 - 86_400_000, 0),
  dateTime(Date.UTC(2024, 4, 1, 0, 0, 0, 500), 1210),
];

const NUMBERS: Array<number | null> = [0, 500121, -3, 12.5, 1e21, 5e-7, null, 50012, Number.NaN, Number.POSITIVE_INFINITY, -0];

const DYNAMICS: CellValue[] = [
  { kind: 'dynamic', value: { countryOrRegion: 'NL', city: 'Amsterdam' } },
  { kind: 'dynamic', value: [1, 2, 500121] },
  { kind: 'dynamic', value: 'Text' },
  null,
  { kind: 'dynamic', value: { countryOrRegion: 'NL', city: 'Amsterdam' } },
];

function semanticsTable(): ResultTable {
  const rowCount = 40;
  const rows: CellValue[][] = [];
  for (let index = 0; index < rowCount; index++) {
    rows.push([
      index % 11 === 10 ? null : INSTANTS[index % INSTANTS.length],
      NUMBERS[index % NUMBERS.length],
      DYNAMICS[index % DYNAMICS.length],
      index % 4 === 3 ? null : index % 2 === 0,
      index % 6 === 5 ? null : ['Alice@Contoso.com', '500121', 'ZOË', ''][index % 4],
    ]);
  }
  return {
    name: 'semantics',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Count', type: 'real' },
      { name: 'Details', type: 'dynamic' },
      { name: 'Flag', type: 'bool' },
      { name: 'Text', type: 'string' },
    ],
    rows,
  };
}

/** Rows whose cell in `column` (or in any column) contains `needle`, by the reference rule. */
function referenceRows(table: ResultTable, needle: string, column?: number): number[] {
  const lower = needle.toLowerCase();
  const hits: number[] = [];
  table.rows.forEach((row, index) => {
    const cells = column === undefined ? row : [row[column]];
    if (cells.some((cell) => cell !== null && cellText(cell).toLowerCase().includes(lower))) {
      hits.push(index);
    }
  });
  return hits;
}

const NEEDLES = [
  '500121', '2024', '2024-05-01t08', '2024-05-01T08', '08:00:00.1234567z', '00.005', '0121', ':59:59.9999999Z', '12-31T23',
  't', 'Z', '-', '.', ':', '1969', '1601-01-01', '9999-12-31t23:59:59.9999999z', '-000001', '+', '0000',
  '4567', '1234567', '0000001', '9999999', '5001',
  '1e+21', '5e-7', 'nan', 'NaN', 'infinity', '-3', '12.5', '0', '-0',
  '"nl"', 'amsterdam', 'text', '[1,2', 'tru', 'false', 'alice@contoso', 'zoë', 'null', 'e', '2024-05-01T00:00:00.5001210Z',
];

describe('filter semantics', () => {
  const table = semanticsTable();
  const data = loadTable(table, 7);
  const order = identity(data.loadedRows);

  for (const needle of NEEDLES) {
    it(`all columns: ${JSON.stringify(needle)}`, () => {
      assert.deepEqual(Array.from(filterRows(data, { all: needle, columns: {} }, order)), referenceRows(table, needle));
    });
  }

  for (const [column, name] of table.columns.entries()) {
    it(`column ${name.name}: every needle`, () => {
      for (const needle of NEEDLES) {
        const actual = Array.from(filterRows(data, { all: '', columns: { [column]: needle } }, order));
        assert.deepEqual(actual, referenceRows(table, needle, column), `needle ${JSON.stringify(needle)}`);
      }
    });
  }

  it('datetimes match across every digit position', () => {
    const iso = INSTANTS[0].iso;
    for (let start = 0; start < iso.length; start++) {
      for (let end = start + 1; end <= iso.length; end++) {
        const needle = iso.slice(start, end);
        const actual = Array.from(filterRows(data, { all: '', columns: { 0: needle } }, order));
        assert.deepEqual(actual, referenceRows(table, needle, 0), `needle ${needle}`);
      }
    }
  });
});
