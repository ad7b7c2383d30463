// Checks the evaluator's fast paths (work per dictionary code, per shared
// dynamic object, cached bound queries) against the values that per-row
// evaluation gives, on the cases where the two could differ.
import * as assert from 'node:assert/strict';
import { Database, EngineError, runQuery, TableBuilder } from '../../../src/engine';
import { loadKustoLanguage } from '../../../src/kusto/service';
import type { ColumnSchema } from '../../../src/schema/tables';
import { rowsOf } from './tables';

function tableOf(name: string, columns: readonly ColumnSchema[], rows: unknown[][]): ReturnType<TableBuilder['finish']> {
  const builder = new TableBuilder(name, columns);
  builder.appendBatch(rows);
  return builder.finish();
}

/** Texts with repeats, the empty string, non-ASCII case pairs and terms at the edges of the text. */
const TEXTS = ['Alpha', 'alpha', '', 'ÄBC', 'äbc', 'İSTANBUL', 'token at end', 'token', 'x-token-y', 'tokens', 'Alpha', ''];

function textDatabase(): Database {
  const rows = TEXTS.map((text, index) => [text, index % 3 === 0 ? null : `00000000-0000-0000-0000-00000000000${index % 3}`, index % 4]);
  return new Database([
    tableOf('T', [
      { name: 'Text', type: 'string' },
      { name: 'Id', type: 'guid' },
      { name: 'Group', type: 'long' },
    ], rows),
  ]);
}

/** Evaluates the expression on a string literal in place of the column, which takes no dictionary path. */
function literalValue(db: Database, expression: string, text: string): unknown {
  return rowsOf(db, `print v = ${expression.replaceAll('Text', JSON.stringify(text))}`)[0].v;
}

interface BlockRow {
  group: number;
  code: string;
  id: string | null;
  time: string | null;
  value: number | null;
}

const BLOCK_COLUMNS: ColumnSchema[] = [
  { name: 'Group', type: 'long' },
  { name: 'Code', type: 'string' },
  { name: 'Id', type: 'guid' },
  { name: 'Time', type: 'datetime' },
  { name: 'Value', type: 'long' },
];

/**
 * 20,011 rows in 37 groups: more than one block of 4,096 rows for summarize,
 * and ids and rows past the 64 KiB from which arrays come from the scratch
 * pool, with null ids, times and values scattered through them.
 */
function blockRows(): BlockRow[] {
  return Array.from({ length: 20_011 }, (_, index) => ({
    group: (index * 7) % 37,
    code: ['a', 'b', '', 'c'][index % 4 === 3 ? 3 : (index * 5) % 3],
    id: index % 11 === 0 ? null : `00000000-0000-0000-0000-${String(index % 19_997).padStart(12, '0')}`,
    time: index % 13 === 0 ? null : new Date(Date.UTC(2024, 5, 1) + ((index * 7_919) % 20_011) * 60_000).toISOString(),
    value: index % 17 === 0 ? null : (index * 31) % 101,
  }));
}

function groupsOf(rows: readonly BlockRow[]): [number, BlockRow[]][] {
  const groups = new Map<number, BlockRow[]>();
  for (const row of rows) {
    groups.set(row.group, [...(groups.get(row.group) ?? []), row]);
  }
  return [...groups].sort((a, b) => a[0] - b[0]);
}

function expectedBlockSummary(rows: readonly BlockRow[]): Record<string, unknown>[] {
  const times = (members: readonly BlockRow[]): string[] => members.map((row) => row.time).filter((time): time is string => time !== null).sort();
  const ids = (members: readonly BlockRow[]): number => new Set(members.map((row) => row.id).filter((id) => id !== null)).size;
  // The engine writes seven fractional digits.
  const iso = (time: string | undefined): string | null => (time === undefined ? null : time.replace('Z', '0000Z'));
  return groupsOf(rows).map(([group, members]) => {
    const as = members.filter((row) => row.code === 'a');
    const bs = members.filter((row) => row.code === 'b');
    const aValues = as.map((row) => row.value).filter((value): value is number => value !== null);
    return {
      Group: group,
      Rows: members.length,
      As: as.length,
      AIds: ids(as),
      BIds: ids(bs),
      Ids: ids(members),
      FirstA: iso(times(as)[0]),
      LastB: iso(times(bs).at(-1)),
      Last: iso(times(members).at(-1)),
      ASum: aValues.length > 0 ? aValues.reduce((sum, value) => sum + value, 0) : null,
      // A null Value makes the condition null, which counts neither way.
      Big: members.filter((row) => row.value !== null && row.value > 50).length,
      BigIds: ids(members.filter((row) => row.value !== null && row.value > 50)),
      NotBig: members.filter((row) => row.value !== null && row.value <= 50).length,
    };
  });
}

describe('local engine fast paths', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('string operators per dictionary code', () => {
    const db = textDatabase();
    const expressions = [
      'Text has "token"',
      'Text !has "token"',
      'Text has "alpha"',
      'Text contains "BC"',
      'Text =~ "äbc"',
      'Text !~ "ALPHA"',
      'Text startswith "İ"',
      'Text has "istanbul"',
      'Text endswith "END"',
      'Text in~ ("ALPHA", "äbc")',
      'tolower(Text)',
      'strlen(Text)',
      'isempty(Text)',
    ];
    for (const expression of expressions) {
      const rows = rowsOf(db, `T | extend v = ${expression} | project Text, v`);
      assert.equal(rows.length, TEXTS.length, expression);
      for (const row of rows) {
        assert.deepEqual(row.v, literalValue(db, expression, row.Text as string), `${expression} on ${JSON.stringify(row.Text)}`);
      }
    }
  });

  it('string filter per dictionary code', () => {
    const db = textDatabase();
    const matched = rowsOf(db, 'T | where Text has "token" | project Text').map((row) => row.Text);
    assert.deepEqual(matched, ['token at end', 'token', 'x-token-y']);
  });

  it('consecutive filters match one combined filter', () => {
    const db = textDatabase();
    const queries: Array<[string, string]> = [
      ['T | where Group != 0 | where Text has "token" | where isnotnull(Id)', 'T | where Group != 0 and Text has "token" and isnotnull(Id)'],
      ['T | where Group > 0 | where Group < 3 | extend n = strlen(Text) | where n > 0', 'T | where Group > 0 and Group < 3 and strlen(Text) > 0 | extend n = strlen(Text)'],
      ['T | where Group >= 0 | where Text != "zzz"', 'T'],
      // After an outer join the columns gather different rows, with -1 for the null rows of the right side.
      [
        'T | join kind=leftouter (T | where Group == 1 | project Group, Other = Text) on Group | where Group < 3 | where isempty(Other)',
        'T | join kind=leftouter (T | where Group == 1 | project Group, Other = Text) on Group | where Group < 3 and isempty(Other)',
      ],
    ];
    for (const [chained, combined] of queries) {
      assert.deepEqual(rowsOf(db, chained), rowsOf(db, combined), chained);
    }
    assert.equal(rowsOf(db, 'T | where Group != 0 | where Text has "token"').length, 2);
  });

  it('derived text column keeps empty and null', () => {
    const db = textDatabase();
    const rows = rowsOf(db, 'T | extend Lower = tolower(Text), IdText = toupper(tostring(Id)), Same = toguid(tostring(Id)) | project Lower, IdText, Same');
    assert.deepEqual(rows.map((row) => row.Lower), TEXTS.map((text) => text.toLowerCase()));
    assert.equal(rows[0].IdText, '');
    assert.equal(rows[1].IdText, '00000000-0000-0000-0000-000000000001');
    assert.equal(rows[0].Same, null);
    assert.equal(rows[2].Same, '00000000-0000-0000-0000-000000000002');
  });

  it('summarize by derived dictionary key', () => {
    const db = textDatabase();
    const rows = rowsOf(db, 'T | summarize n = count() by Lower = tolower(Text) | order by Lower asc');
    assert.deepEqual(rows, [
      { Lower: '', n: 2 },
      { Lower: 'alpha', n: 3 },
      { Lower: 'i̇stanbul', n: 1 },
      { Lower: 'token', n: 1 },
      { Lower: 'token at end', n: 1 },
      { Lower: 'tokens', n: 1 },
      { Lower: 'x-token-y', n: 1 },
      { Lower: 'äbc', n: 2 },
    ]);
  });

  it('dcount counts empty strings but not null guids', () => {
    const db = textDatabase();
    const all = rowsOf(db, 'T | summarize Texts = dcount(Text), Ids = dcount(Id), Empty = dcountif(Text, isempty(Text))');
    assert.deepEqual(all, [{ Texts: 10, Ids: 2, Empty: 1 }]);
  });

  it('dcount per group with interleaved rows', () => {
    const db = textDatabase();
    const rows = rowsOf(db, 'T | summarize Texts = dcount(Text), Ids = dcount(Id), Alphas = dcountif(Text, Text =~ "alpha") by Group | order by Group asc');
    // Group g holds rows g, g + 4, g + 8; the ids are null on rows 0, 3, 6 and 9.
    assert.deepEqual(rows, [
      { Group: 0, Texts: 3, Ids: 2, Alphas: 1 },
      { Group: 1, Texts: 3, Ids: 2, Alphas: 1 },
      { Group: 2, Texts: 3, Ids: 2, Alphas: 1 },
      { Group: 3, Texts: 3, Ids: 2, Alphas: 0 },
    ]);
  });

  it('tostring of a text column keeps its values', () => {
    const db = textDatabase();
    const query = (expression: string): unknown[] =>
      rowsOf(db, `T | summarize v = take_any(${expression}), n = dcount(${expression}) by Group | order by Group asc`).map((row) => [row.v, row.n]);
    const expected = query('Text');
    assert.deepEqual(query('tostring(Text)'), expected);
    assert.deepEqual(query('tostring(column_ifexists("Text", ""))'), expected);
    assert.deepEqual(
      rowsOf(db, 'T | project v = tostring(column_ifexists("Missing", "none")) | distinct v'),
      [{ v: 'none' }],
    );
    assert.deepEqual(
      rowsOf(db, 'T | where isnull(Id) | project v = tostring(Id) | distinct v'),
      [{ v: '' }],
    );
  });

  it('take_any and arg_min read the chosen rows', () => {
    const db = textDatabase();
    const rows = rowsOf(
      db,
      'T | extend Row = row_number() | summarize Any = take_any(tolower(Text)), Blank = take_any(iff(Group >= 0, "", Text)), ' +
        'arg_min(Row, Text, toupper(Text), Id) by Group | order by Group asc',
    );
    assert.deepEqual(
      rows.map((row) => [row.Group, row.Any, row.Blank, row.Text, row.min_Row_arg2, row.Id]),
      [
        [0, 'alpha', '', 'Alpha', 'ALPHA', null],
        [1, 'alpha', '', 'alpha', 'ALPHA', '00000000-0000-0000-0000-000000000001'],
        [2, 'token at end', '', '', '', '00000000-0000-0000-0000-000000000002'],
        [3, 'äbc', '', 'ÄBC', 'ÄBC', null],
      ],
    );
  });

  it('outer join of few rows from a large dictionary', () => {
    const names: (string | null)[][] = Array.from({ length: 200 }, (_, index) => [`name-${index}`, `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`]);
    names.push(['', null]);
    const db = new Database([
      tableOf('Big', [
        { name: 'Name', type: 'string' },
        { name: 'Id', type: 'guid' },
      ], names),
    ]);
    const rows = rowsOf(
      db,
      'Big | where Name in ("name-7", "name-9") | join kind=leftouter (Big | where Name == "name-9" | project Name, Other = Id) on Name | project Name, Id, Name1, Other | order by Name asc',
    );
    assert.deepEqual(rows, [
      { Name: 'name-7', Id: '00000000-0000-0000-0000-000000000007', Name1: '', Other: null },
      { Name: 'name-9', Id: '00000000-0000-0000-0000-000000000009', Name1: 'name-9', Other: '00000000-0000-0000-0000-000000000009' },
    ]);
    // The empty Name of the left side and the empty Name1 of an unmatched row must fall in one group.
    const groups = rowsOf(
      db,
      'Big | where Name in ("", "name-7") | extend Name = iff(Name == "", Name, "missing") | join kind=leftouter Big on Name | summarize n = count() by Name1, Id1',
    );
    assert.deepEqual(groups, [{ Name1: '', Id1: null, n: 2 }]);
    const counted = rowsOf(db, 'Big | where Name in ("name-7", "name-9") | summarize n = dcount(Name), m = dcount(tolower(Name))');
    assert.deepEqual(counted, [{ n: 2, m: 2 }]);
  });

  it('properties of shared dynamic objects', () => {
    const shared = { city: 'Oslo', constructor: 'own' };
    // Enough rows that the per-object cache runs its trial on both shared and distinct objects.
    const rows = Array.from({ length: 10_000 }, (_, index) => [index < 5_000 ? shared : { city: `c${index}` }]);
    const db = new Database([tableOf('D', [{ name: 'Details', type: 'dynamic' }], rows)]);
    const summary = rowsOf(db, 'D | extend City = tostring(Details.city) | summarize n = dcount(City), oslo = countif(City == "Oslo")');
    assert.deepEqual(summary, [{ n: 5_001, oslo: 5_000 }]);
    const inherited = rowsOf(db, 'D | take 1 | project Own = tostring(Details.constructor), Inherited = tostring(Details.toString), Missing = isnull(Details.nothing)');
    assert.deepEqual(inherited, [{ Own: 'own', Inherited: '', Missing: true }]);
    const later = rowsOf(db, 'D | where tostring(Details.city) == "c9999" | project Details');
    assert.deepEqual(later, [{ Details: { city: 'c9999' } }]);
  });

  it('cached query keeps errors and cancellation', () => {
    const db = textDatabase();
    const query = 'T\n| where Missing == 1';
    for (let attempt = 0; attempt < 2; attempt++) {
      assert.throws(
        () => runQuery(db, query),
        (error: unknown) => error instanceof EngineError && error.line === 2 && error.column === 9,
      );
    }
    const good = 'T | summarize n = count()';
    assert.equal(runQuery(db, good).tables[0].rows[0][0], TEXTS.length);
    assert.throws(
      () => runQuery(db, good, { isCancelled: () => true }),
      (error: unknown) => error instanceof EngineError && error.code === 'cancelled',
    );
    assert.equal(runQuery(db, good).tables[0].rows[0][0], TEXTS.length);
  });
  it('conditional aggregates over many blocks match a per-row count', () => {
    const rows = blockRows();
    const db = new Database([tableOf('B', BLOCK_COLUMNS, rows.map((row) => [row.group, row.code, row.id, row.time, row.value]))]);
    const query =
      'B | summarize Rows = count(), As = countif(Code == "a"), AIds = dcountif(Id, Code == "a"), BIds = dcountif(Id, Code == "b"), ' +
      'Ids = dcount(Id), FirstA = minif(Time, Code == "a"), LastB = maxif(Time, Code == "b"), Last = max(Time), ASum = sumif(Value, Code == "a"), ' +
      'Big = countif(Value > 50), BigIds = dcountif(Id, Value > 50), NotBig = countif(not(Value > 50)) ' +
      'by Group | order by Group asc';
    assert.deepEqual(rowsOf(db, query), expectedBlockSummary(rows));
  });

  it('a run reuses the scratch arrays of an earlier run without their values', () => {
    const rows = blockRows();
    const db = new Database([tableOf('B', BLOCK_COLUMNS, rows.map((row) => [row.group, row.code, row.id, row.time, row.value]))]);
    const wide = 'B | where Value >= 0 | summarize Ids = dcount(Id), Rows = count() by Group | order by Group asc';
    const narrow = 'B | where Code == "b" | where Value < 50 | summarize Ids = dcount(Id), Rows = count() by Group | order by Group asc';
    const expected = (keep: (row: BlockRow) => boolean): Record<string, unknown>[] =>
      groupsOf(rows.filter(keep)).map(([group, members]) => ({
        Group: group,
        Ids: new Set(members.map((row) => row.id).filter((id) => id !== null)).size,
        Rows: members.length,
      }));
    const wideExpected = expected((row) => row.value !== null && row.value >= 0);
    const narrowExpected = expected((row) => row.code === 'b' && row.value !== null && row.value < 50);
    const first = rowsOf(db, wide);
    assert.deepEqual(first, wideExpected);
    // The second and third runs take the buffers the first one returned, with its counts still in them.
    assert.deepEqual(rowsOf(db, narrow), narrowExpected);
    assert.deepEqual(rowsOf(db, wide), wideExpected);
    assert.deepEqual(first, wideExpected, 'the rows of the first run changed');
  });

  it('a number column against a constant, for every comparison and null', () => {
    const db = new Database([tableOf('N', [{ name: 'Value', type: 'long' }], [[1], [2], [3], [null]])]);
    for (const operator of ['==', '!=', '<', '<=', '>', '>=']) {
      const rows = rowsOf(db, `N | extend v = Value ${operator} 2 | project Value, v`);
      for (const row of rows) {
        const literal = row.Value === null ? 'long(null)' : (row.Value as number).toString();
        assert.deepEqual(row.v, rowsOf(db, `print v = ${literal} ${operator} 2`)[0].v, `${literal} ${operator} 2`);
      }
    }
  });
});
