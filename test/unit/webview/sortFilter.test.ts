import * as assert from 'node:assert/strict';
import type { ResultTable } from '../../../src/results/model';
import { filterRows } from '../../../src/webview/core/filter';
import { identity, sortRows } from '../../../src/webview/core/sort';
import { loadTable, TABLE } from './fixtures';

const data = loadTable(TABLE);
const all = identity(data.loadedRows);
const sorted = (column: number, direction: 'ascending' | 'descending'): number[] => Array.from(sortRows(data, { column, direction }));

describe('sorting', () => {
  it('orders datetimes by instant and ticks', () => {
    assert.deepEqual(sorted(0, 'ascending'), [4, 1, 3, 0, 2]);
  });

  it('keeps nulls last when descending', () => {
    assert.deepEqual(sorted(0, 'descending'), [0, 3, 1, 4, 2]);
  });

  it('orders numbers numerically', () => {
    assert.deepEqual(sorted(2, 'ascending'), [4, 1, 0, 3, 2]);
  });

  it('orders text with a collator, empty before letters', () => {
    // '' < alice < bob < Zoë; row 3 is null.
    assert.deepEqual(sorted(1, 'ascending'), [2, 1, 0, 4, 3]);
  });

  it('orders booleans false before true', () => {
    assert.deepEqual(sorted(3, 'ascending'), [1, 4, 0, 3, 2]);
  });

  it('orders dynamic values by JSON text', () => {
    // Collation puts punctuation before letters: [1,2] < {"…NL"} < {"…US"} < text.
    assert.deepEqual(sorted(4, 'ascending'), [3, 0, 1, 4, 2]);
  });

  it('orders numbers inside dynamic numerically', () => {
    const table: ResultTable = {
      name: 'd',
      columns: [{ name: 'd', type: 'dynamic' }],
      rows: [[{ kind: 'dynamic', value: 10 }], [{ kind: 'dynamic', value: 9 }], [{ kind: 'dynamic', value: 'a' }], [{ kind: 'dynamic', value: null }]],
    };
    assert.deepEqual(Array.from(sortRows(loadTable(table), { column: 0, direction: 'ascending' })), [1, 0, 2, 3]);
  });

  it('keeps ties in row order', () => {
    const table: ResultTable = { name: 't', columns: [{ name: 'n', type: 'long' }], rows: [[1], [0], [1], [0]] };
    assert.deepEqual(Array.from(sortRows(loadTable(table), { column: 0, direction: 'descending' })), [0, 2, 1, 3]);
  });

  it('rejects an unknown column', () => {
    assert.throws(() => sortRows(data, { column: 9, direction: 'ascending' }), /column 9/);
  });
});

describe('filtering', () => {
  const filtered = (all: string, columns: Record<number, string> = {}): number[] => Array.from(filterRows(data, { all, columns }, identity(data.loadedRows)));

  it('matches any column case-insensitively', () => {
    assert.deepEqual(filtered('ALICE'), [1]);
  });

  it('matches datetimes by ISO text', () => {
    assert.deepEqual(filtered('2024-05-01T08'), [0, 3]);
  });

  it('matches dynamic values by JSON text', () => {
    assert.deepEqual(filtered('"NL"'), [0]);
  });

  it('applies per-column filters together', () => {
    assert.deepEqual(filtered('', { 1: 'contoso', 3: 'true' }), [0]);
  });

  it('matches numbers and booleans by text', () => {
    assert.deepEqual(filtered('', { 2: '10' }), [3]);
    assert.deepEqual(filtered('', { 3: 'fal' }), [1, 4]);
  });

  it('skips datetimes for non-datetime text', () => {
    assert.deepEqual(filtered('', { 0: 'contoso' }), []);
  });

  it('never matches null cells', () => {
    assert.deepEqual(filtered('', { 2: 'null' }), []);
    assert.deepEqual(filtered('null'), []);
  });

  it('matches Unicode text', () => {
    assert.deepEqual(filtered('zoë'), [4]);
  });

  it('keeps the given order', () => {
    const order = sortRows(data, { column: 2, direction: 'descending' });
    assert.deepEqual(Array.from(filterRows(data, { all: 'contoso', columns: {} }, order)), [0, 1, 4]);
  });

  it('returns every row for an empty filter', () => {
    assert.equal(filterRows(data, { all: '', columns: { 1: '' } }, all), all);
  });
});
