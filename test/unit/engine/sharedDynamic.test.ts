import * as assert from 'node:assert/strict';
import { Database, runQuery, TableBuilder } from '../../../src/engine';
import type { ColumnarTable } from '../../../src/engine/columns';
import { sameJson } from '../../../src/engine/dynamicAppender';
import { loadKustoLanguage } from '../../../src/kusto/service';
import type { ColumnSchema } from '../../../src/schema/tables';

const COLUMNS: ColumnSchema[] = [
  { name: 'User', type: 'string' },
  { name: 'Steps', type: 'dynamic' },
  { name: 'Device', type: 'dynamic' },
];

const STEPS = '[{"method":"push","ok":false},{"method":"push","ok":true}]';
const DEVICE = { os: 'Windows', tags: ['managed'], detail: { compliant: true } };

/** Three rows with the same dynamic values, given once as JSON text and once as parsed objects. */
function buildShared(): ColumnarTable {
  const builder = new TableBuilder('Shared', COLUMNS);
  builder.appendBatch([
    ['alice', STEPS, structuredClone(DEVICE)],
    ['bob', STEPS, structuredClone(DEVICE)],
    ['carol', JSON.parse(STEPS), JSON.stringify(DEVICE)],
  ]);
  return builder.finish() as ColumnarTable;
}

/** Queries whose operators and functions take dynamic values apart or build new ones from them. */
const QUERIES = [
  'Shared | mv-expand Steps',
  'Shared | mv-expand Device',
  'Shared | mv-expand kind=array Device',
  'Shared | mv-apply Steps on (where Steps.ok == true)',
  'Shared | summarize make_bag(Device), make_list(Steps), make_set(Steps) by User',
  'Shared | extend All = pack_all(), Packed = bag_pack("d", Device), Keys = bag_keys(Device)',
  'Shared | extend U = set_union(Steps, Device.tags), C = array_concat(Steps, Steps), D = set_difference(Steps, Device.tags)',
  'Shared | extend I = set_intersect(Steps, Steps), A = pack_array(Device, Steps), T = todynamic(tostring(Device))',
  'Shared | summarize arg_max(User, *)',
  'Shared | join kind=inner (Shared | project User, Other = Device) on User',
  'Shared | union Shared | sort by User asc',
];

describe('shared dynamic values', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('shares one frozen value per JSON text', () => {
    const table = buildShared();
    for (const index of [1, 2]) {
      const column = table.column(index);
      assert.equal(column.kind, 'dynamic');
      const values = column.kind === 'dynamic' ? column.values : [];
      assert.equal(values[1], values[0], `${COLUMNS[index].name}: rows 0 and 1 hold one value`);
      assert.equal(values[2], values[0], `${COLUMNS[index].name}: text and object of the same JSON share a value`);
      assert.ok(Object.isFrozen(values[0]), `${COLUMNS[index].name}: the shared value is frozen`);
    }
  });

  it('keeps values of other JSON text apart', () => {
    const builder = new TableBuilder('Shared', COLUMNS);
    const rows: unknown[][] = [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      { a: 1, b: 3 },
      { a: 1, b: [2] },
      { a: 1, b: 2, c: null },
      { a: '1', b: 2 },
      { a: 1, b: 2 },
    ].map((bag) => ['u', null, bag]);
    builder.appendBatch(rows);
    const column = (builder.finish() as ColumnarTable).column(2);
    const values = column.kind === 'dynamic' ? column.values : [];
    assert.deepEqual(
      values.map((value) => JSON.stringify(value)),
      ['{"a":1,"b":2}', '{"b":2,"a":1}', '{"a":1,"b":3}', '{"a":1,"b":[2]}', '{"a":1,"b":2,"c":null}', '{"a":"1","b":2}', '{"a":1,"b":2}'],
    );
    assert.equal(values[6], values[0]);
    assert.equal(new Set(values).size, 6);
  });

  it('compares JSON values by text', () => {
    assert.ok(sameJson({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }));
    assert.ok(!sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }), 'key order');
    assert.ok(!sameJson([1, 2], [1, 2, 3]), 'array length');
    assert.ok(!sameJson({ a: 1 }, [1]), 'object and array');
    assert.ok(!sameJson(new Date(0), new Date(1)), 'dates');
    assert.ok(!sameJson({ a: null }, { a: 0 }), 'null and zero');
  });

  for (const query of QUERIES) {
    it(`stays unchanged by: ${query}`, () => {
      const table = buildShared();
      const database = new Database([table]);
      const before = JSON.stringify(table.data);

      runQuery(database, query);

      assert.equal(JSON.stringify(table.data), before);
      const again = runQuery(database, 'Shared | project Steps, Device').tables[0];
      assert.equal(again.rows.length, 3);
    });
  }
});
