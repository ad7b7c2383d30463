import * as assert from 'node:assert/strict';
import type { ResultTable } from '../../../src/results/model';
import { decodeChunk, encodeChunk, encodeChunks, isoFromParts, TOO_DEEP_TEXT } from '../../../src/webview/core/columnar';
import { COLUMNS, loadTable, ROWS, TABLE } from './fixtures';

describe('columnar encoding', () => {
  it('encodes a too deeply nested dynamic value as a note', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 20_000; level++) {
      deep = { a: deep };
    }
    const table: ResultTable = {
      name: 'Deep',
      columns: [{ name: 'd', type: 'dynamic' }],
      rows: [[{ kind: 'dynamic', value: deep }], [{ kind: 'dynamic', value: { ok: 1 } }]],
    };
    const rows = decodeChunk(encodeChunk(table, 0, 0, 2));
    assert.deepEqual(rows, [[{ kind: 'dynamic', value: TOO_DEEP_TEXT }], [{ kind: 'dynamic', value: { ok: 1 } }]]);
  });

  it('round-trips every cell kind', () => {
    const chunk = encodeChunk(TABLE, 0, 0, ROWS.length);
    assert.deepEqual(decodeChunk(chunk), ROWS);
  });

  it('uses typed arrays and a dictionary', () => {
    const table: ResultTable = { name: 't', columns: COLUMNS.slice(1, 3), rows: [['a', 1], ['b', 2], ['a', 3], [null, null]] };
    const [text, numbers] = encodeChunk(table, 0, 0, 4).columns;
    assert.equal(text.kind, 'text');
    assert.ok(text.kind === 'text');
    assert.deepEqual(text.dictionary, ['a', 'b']);
    assert.deepEqual(Array.from(text.indexes), [1, 2, 1, 0]);
    assert.ok(numbers.kind === 'number');
    assert.ok(numbers.values instanceof Float64Array);
    assert.deepEqual(Array.from(numbers.nulls), [0, 0, 0, 1]);
  });

  it('keeps null apart from the empty string', () => {
    const table: ResultTable = { name: 't', columns: [{ name: 's', type: 'string' }], rows: [[''], [null]] };
    assert.deepEqual(decodeChunk(encodeChunk(table, 0, 0, 2)), [[''], [null]]);
  });

  it('falls back to cells for longs kept as text', () => {
    const table: ResultTable = { name: 't', columns: [{ name: 'n', type: 'long' }], rows: [[1], ['9007199254740993']] };
    const chunk = encodeChunk(table, 0, 0, 2);
    assert.equal(chunk.columns[0].kind, 'cells');
    assert.deepEqual(decodeChunk(chunk), [[1], ['9007199254740993']]);
  });

  it('splits tables into ordered chunks', () => {
    const chunks = [...encodeChunks(TABLE, 3, 2)];
    assert.deepEqual(chunks.map((chunk) => [chunk.tableIndex, chunk.rowStart, chunk.rowCount]), [[3, 0, 2], [3, 2, 2], [3, 4, 1]]);
    assert.deepEqual(chunks.flatMap(decodeChunk), ROWS);
  });

  it('sends one empty chunk for an empty table', () => {
    const chunks = [...encodeChunks({ name: 'e', columns: COLUMNS, rows: [] }, 0)];
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0].rowCount, 0);
  });

  it('reassembles chunks into TableData', () => {
    const data = loadTable(TABLE, 2);
    assert.equal(data.loadedRows, ROWS.length);
    ROWS.forEach((row, index) => assert.deepEqual(data.row(index), row, `row ${index}`));
  });

  it('merges per-chunk dictionaries', () => {
    const table: ResultTable = { name: 't', columns: [{ name: 's', type: 'string' }], rows: [['x'], ['y'], ['y'], ['x'], [null]] };
    const data = loadTable(table, 2);
    const store = data.stores[0];
    assert.ok(store.kind === 'text');
    assert.deepEqual(store.dictionary, ['x', 'y']);
    assert.deepEqual([0, 1, 2, 3, 4].map((row) => data.cell(row, 0)), ['x', 'y', 'y', 'x', null]);
  });

  it('rejects chunks beyond the announced rows', () => {
    const data = loadTable({ ...TABLE, rows: ROWS.slice(0, 1) }, 1);
    assert.throws(() => data.append(encodeChunk(TABLE, 0, 1, 3)), /exceed the 1 rows/);
  });

  it('writes seven fractional digits in ISO text', () => {
    assert.equal(isoFromParts(Date.UTC(2024, 4, 1, 8, 0, 0, 123), 4567), '2024-05-01T08:00:00.1234567Z');
    assert.equal(isoFromParts(0, 0), '1970-01-01T00:00:00.0000000Z');
  });
});
