import * as assert from 'node:assert/strict';
import { Database, EngineError, runQuery } from '../../../src/engine';
import { loadKustoLanguage } from '../../../src/kusto/service';
import { NOW, rowsOf } from './tables';

const empty = new Database([]);

function run(query: string): Record<string, unknown>[] {
  return rowsOf(empty, query);
}

function single(query: string): Record<string, unknown> {
  const rows = run(query);
  assert.equal(rows.length, 1, `expected one row from ${query}`);
  return rows[0];
}

describe('local engine operators', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('propagates null through arithmetic and comparisons', () => {
    const rows = run('datatable(a:long)[1, long(null)] | extend b = a + 1, c = isnull(a), d = a == 1, e = coalesce(a, 7)');
    assert.deepEqual(rows[0], { a: 1, b: 2, c: false, d: true, e: 1 });
    assert.deepEqual(rows[1], { a: null, b: null, c: true, d: false, e: 7 });
    assert.equal(run('datatable(a:long)[1, long(null)] | where a > 0').length, 1);
    assert.deepEqual(run('datatable(a:long)[1, long(null)] | where a != 1'), [{ a: null }]);
    const row = single('print a = long(null) == long(null), b = long(null) != long(null), c = long(null) != 1, d = long(null) < 1, e = datetime(null) == now()');
    assert.deepEqual(row, { a: null, b: null, c: true, d: null, e: false });
  });

  it('keeps strings non-null', () => {
    const row = single('print a = tostring(long(null)), b = isempty(""), c = isnull(""), d = strlen(tostring(dynamic(null)))');
    assert.deepEqual(row, { a: '', b: true, c: false, d: 0 });
  });

  it('matches has on whole terms', () => {
    const row = single(
      'print a = "claim in the token" has "token", b = "tokens" has "token", c = "North-America" has "america", ' +
        'd = "North-America" has "meric", e = "North-America" contains "meric", f = "MFA denied" has_cs "mfa", ' +
        'g = "MFA denied" !has "mfa", h = "claim in the token" has "in the"',
    );
    assert.deepEqual(row, { a: true, b: false, c: true, d: false, e: true, f: false, g: false, h: true });
  });

  it('applies the case rules of each operator', () => {
    const row = single(
      'print a = "ABC" == "abc", b = "ABC" =~ "abc", c = "ABC" !~ "abc", d = "ABC" in ("abc"), e = "ABC" in~ ("abc"), ' +
        'f = "ABC" startswith "ab", g = "ABC" startswith_cs "ab", h = "ABC" !in ("x")',
    );
    assert.deepEqual(row, { a: false, b: true, c: false, d: false, e: true, f: true, g: false, h: true });
  });

  const X = 'let X = datatable(Key:string, Value1:long)["a", 1, "b", 2, "b", 3, "c", 4];';
  const Y = 'let Y = datatable(Key:string, Value2:long)["b", 10, "c", 20, "c", 30, "d", 40];';

  it('joins innerunique by default', () => {
    const rows = run(`${X} ${Y} X | join Y on Key | order by Value2 asc`);
    assert.deepEqual(
      rows.map((row) => [row.Key, row.Value1, row.Key1, row.Value2]),
      [
        ['b', 2, 'b', 10],
        ['c', 4, 'c', 20],
        ['c', 4, 'c', 30],
      ],
    );
  });

  it('joins every kind', () => {
    const count = (kind: string): number => run(`${X} ${Y} X | join kind=${kind} Y on Key`).length;
    assert.equal(count('inner'), 4);
    assert.equal(count('leftouter'), 5);
    assert.equal(count('rightouter'), 5);
    assert.equal(count('fullouter'), 6);
    assert.equal(count('leftanti'), 1);
    assert.equal(count('rightanti'), 1);
    assert.equal(count('leftsemi'), 3);
    assert.equal(count('rightsemi'), 3);
    const unmatched = run(`${X} ${Y} X | join kind=leftouter Y on Key | where Key == "a"`);
    assert.deepEqual(unmatched, [{ Key: 'a', Value1: 1, Key1: '', Value2: null }]);
  });

  it('joins on $left and $right columns', () => {
    const rows = run(`${X} ${Y} X | join kind=inner (Y | project Other = Key, Value2) on $left.Key == $right.Other`);
    assert.equal(rows.length, 4);
  });

  it('summarizes empty input', () => {
    assert.deepEqual(run('datatable(a:long)[] | summarize n = count(), s = make_set(a), d = dcount(a), m = max(a)'), [{ n: 0, s: [], d: 0, m: null }]);
    assert.deepEqual(run('datatable(a:long, k:string)[] | summarize n = count() by k'), []);
  });

  it('summarizes with conditional aggregates', () => {
    const rows = run(
      'datatable(u:string, r:string, t:datetime)["A", "0", datetime(2024-01-01), "a", "1", datetime(2024-01-02), "b", "1", datetime(2024-01-03), "a", "1", datetime(2024-01-04)]' +
        ' | summarize n = count(), ones = countif(r == "1"), first1 = minif(t, r == "1"), last0 = maxif(t, r == "0"), d = dcountif(t, r == "1") by u = tolower(u) | order by u asc',
    );
    assert.deepEqual(rows, [
      { u: 'a', n: 3, ones: 2, first1: '2024-01-02T00:00:00.0000000Z', last0: '2024-01-01T00:00:00.0000000Z', d: 2 },
      { u: 'b', n: 1, ones: 1, first1: '2024-01-03T00:00:00.0000000Z', last0: null, d: 1 },
    ]);
  });

  it('bins datetimes', () => {
    const row = single(
      'print h = bin(datetime(2024-03-05 13:47:12), 1h), d = bin(datetime(2024-03-05 13:47:12), 1d), w = bin(datetime(2024-03-05 13:47:12), 7d), m = bin(datetime(2024-03-05 13:47:12), 15m)',
    );
    assert.deepEqual(row, {
      h: '2024-03-05T13:00:00.0000000Z',
      d: '2024-03-05T00:00:00.0000000Z',
      w: '2024-03-04T00:00:00.0000000Z',
      m: '2024-03-05T13:45:00.0000000Z',
    });
  });

  it('summarizes by bin', () => {
    const rows = run('range t from datetime(2024-01-01) to datetime(2024-01-01 03:30) step 30m | summarize n = count() by bin(t, 1h) | order by t asc');
    assert.deepEqual(
      rows.map((row) => row.n),
      [2, 2, 2, 2],
    );
  });

  it('expands arrays and bags', () => {
    assert.deepEqual(
      run('print a = dynamic([1, 2, 3]), k = "x" | mv-expand a to typeof(long)').map((row) => row.a),
      [1, 2, 3],
    );
    assert.deepEqual(
      run('print b = dynamic({"x": 1, "y": "z"}) | mv-expand b').map((row) => row.b),
      [{ x: 1 }, { y: 'z' }],
    );
    assert.deepEqual(
      run('print b = dynamic({"x": 1}) | mv-expand kind=array b').map((row) => row.b),
      [['x', 1]],
    );
    assert.equal(run('print a = dynamic([]) | mv-expand a').length, 0);
    assert.deepEqual(run('print a = dynamic(null) | mv-expand a'), [{ a: null }]);
  });

  it('computes with timespans', () => {
    const row = single(
      'print a = datetime(2024-01-02) - datetime(2024-01-01), b = 1h + 30m, c = 2d / 1h, d = datetime(2024-01-01) + 90m, e = -1.5h, f = 1tick, g = 3 * 1s',
    );
    assert.deepEqual(row, {
      a: '1.00:00:00',
      b: '01:30:00',
      c: 48,
      d: '2024-01-01T01:30:00.0000000Z',
      e: '-01:30:00',
      f: '00:00:00.0000001',
      g: '00:00:03',
    });
  });

  it('keeps 100-ns datetime precision', () => {
    const result = runQuery(empty, 'print t = datetime(2024-01-01T00:00:00.1234567Z) + 1tick');
    assert.deepEqual(result.tables[0].rows[0][0], { kind: 'datetime', epochMs: Date.UTC(2024, 0, 1) + 123, subMsTicks: 4568, iso: '2024-01-01T00:00:00.1234568Z' });
  });

  it('takes now and ago from the reference time', () => {
    const row = single('print n = now(), a = ago(1d), b = ago(1d) between (datetime(2024-06-09) .. 1d)');
    assert.deepEqual(row, { n: new Date(NOW).toISOString().replace('.000Z', '.0000000Z'), a: '2024-06-09T12:00:00.0000000Z', b: true });
  });

  it('reads dynamic properties and elements', () => {
    const row = single(
      'print a = tostring(todynamic(\'{"x": {"y": 5}}\').x.y), c = tostring(todynamic(\'{"a": 1}\').absent), b = dynamic([1, 2])[1], d = set_has_element(dynamic(["x"]), "x"), e = array_length(pack_array(1, 2, 3))',
    );
    assert.deepEqual(row, { a: '5', b: 2, c: '', d: true, e: 3 });
  });

  it('sorts with nulls first or last', () => {
    const query = 'datatable(a:long)[2, long(null), 1]';
    assert.deepEqual(run(`${query} | order by a asc`).map((row) => row.a), [null, 1, 2]);
    assert.deepEqual(run(`${query} | order by a desc`).map((row) => row.a), [2, 1, null]);
    assert.deepEqual(run(`${query} | order by a desc nulls first`).map((row) => row.a), [null, 2, 1]);
    assert.deepEqual(run(`${query} | top 2 by a asc nulls last`).map((row) => row.a), [1, 2]);
  });

  it('runs union, project and distinct', () => {
    const rows = run('union (print a = 1, b = "x"), (print a = 2, c = "y") | project-rename z = a | distinct z | order by z asc');
    assert.deepEqual(rows, [{ z: 1 }, { z: 2 }]);
  });

  it('returns one table per result statement and the visualization', () => {
    const result = runQuery(empty, 'print a = 1;\nrange x from 1 to 3 step 1 | render columnchart with (title="Counts")', { now: NOW });
    assert.deepEqual(
      result.tables.map((table) => [table.name, table.rows.length]),
      [
        ['PrimaryResult', 1],
        ['Table_1', 3],
      ],
    );
    assert.equal(result.visualization?.visualization, 'columnchart');
    assert.equal(result.visualization?.title, 'Counts');
  });

  it('names unsupported operators with their position', () => {
    const query = 'print x = dynamic({"a": 1})\n  | evaluate bag_unpack(x)';
    assert.throws(
      () => runQuery(empty, query),
      (error: unknown) => {
        assert.ok(error instanceof EngineError);
        assert.equal(error.code, 'unsupported');
        assert.equal(error.line, 2);
        assert.equal(error.column, 5);
        assert.match(error.message, /^The evaluate operator is not supported by the local engine \(line 2, column 5\)\. Run the query against a .*workspace/);
        return true;
      },
    );
  });

  it('reports syntax and binding errors', () => {
    assert.throws(() => runQuery(empty, 'print x = 1\n| where'), (error: unknown) => error instanceof EngineError && error.code === 'syntax' && error.line === 2);
    assert.throws(() => runQuery(empty, 'NoSuchTable | take 1'), (error: unknown) => error instanceof EngineError && error.code === 'semantic');
  });

  it('stops a runaway join at the row limit', () => {
    const query = 'range x from 1 to 2000 step 1 | extend k = 1 | join kind=inner (range y from 1 to 2000 step 1 | extend k = 1) on k';
    assert.throws(
      () => runQuery(empty, query, { maxRows: 100_000 }),
      (error: unknown) => error instanceof EngineError && error.code === 'limit' && /100000 rows/.test(error.message),
    );
  });

  it('gives a stopped join as a lower bound', () => {
    const query = 'range x from 1 to 3 step 1 | extend k = 1 | join kind=inner (range y from 1 to 3 step 1 | extend k = 1) on k';
    assert.throws(
      () => runQuery(empty, query, { maxRows: 5 }),
      (error: unknown) => {
        assert.ok(error instanceof EngineError);
        assert.match(error.message, / had reached 6 rows of 4 columns when it was stopped, with more rows to come, over/);
        assert.match(error.message, /huntLens\.localData\.maxRows, or --max-rows/);
        return true;
      },
    );
  });

  it('gives a finished step its row count', () => {
    assert.throws(
      () => runQuery(empty, 'range x from 1 to 50 step 1 | where x > 5', { maxRows: 10 }),
      (error: unknown) => {
        assert.ok(error instanceof EngineError);
        assert.match(error.message, / has 50 rows of 1 columns/);
        assert.doesNotMatch(error.message, /would have/);
        return true;
      },
    );
  });

  it('stops when cancelled', () => {
    assert.throws(
      () => runQuery(empty, 'range x from 1 to 10 step 1', { isCancelled: () => true }),
      (error: unknown) => error instanceof EngineError && error.code === 'cancelled',
    );
  });
});

describe('local engine functions', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('computes date and time parts', () => {
    const row = single(
      'let t = datetime(2024-03-05 13:47:12.5); print h = hourofday(t), w = dayofweek(t), s = startofday(t), ' +
        'dd = datetime_diff("day", datetime(2024-03-07), t), dh = datetime_diff("hour", t, datetime(2024-03-05 10:59)), ' +
        'f = format_datetime(t, "yyyy-MM-dd HH:mm:ss.fff"), m = startofmonth(t)',
    );
    assert.deepEqual(row, {
      h: 13,
      w: '2.00:00:00',
      s: '2024-03-05T00:00:00.0000000Z',
      dd: 2,
      dh: 3,
      f: '2024-03-05 13:47:12.500',
      m: '2024-03-01T00:00:00.0000000Z',
    });
  });

  it('checks IPv4 ranges', () => {
    const row = single(
      'print a = ipv4_is_private("10.1.2.3"), b = ipv4_is_private("8.8.8.8"), c = ipv4_is_in_range("192.168.1.7", "192.168.1.0/24"), d = ipv4_is_in_range("192.168.2.7", "192.168.1.0/24")',
    );
    assert.deepEqual(row, { a: true, b: false, c: true, d: false });
  });

  it('extracts, splits and replaces text', () => {
    const row = single(
      'print a = extract(@"^\\[([^\\]]+)\\]", 1, "[2001:db8::1]:443"), b = tostring(split("198.51.100.7:5555", ":")[0]), ' +
        'c = replace_string("a-b-c", "-", "+"), d = trim(" ", "  x  "), e = substring("abcdef", 2, 3), f = indexof("abc", "c"), ' +
        'g = "198.51.100.7:5555" matches regex @"^\\d{1,3}(\\.\\d{1,3}){3}:\\d+$", h = toupper("x"), i = strlen("äb")',
    );
    assert.deepEqual(row, { a: '2001:db8::1', b: '198.51.100.7', c: 'a+b+c', d: 'x', e: 'cde', f: 2, g: true, h: 'X', i: 2 });
  });

  it('works on dynamic bags and sets', () => {
    const row = single(
      'print a = bag_pack("k", 1, "v", "x"), b = bag_keys(dynamic({"p": 1, "q": 2})), c = set_difference(dynamic([1, 2, 3, 2]), dynamic([2])), ' +
        'd = set_union(dynamic([1]), dynamic([1, 2])), e = array_length(dynamic([]))',
    );
    assert.deepEqual(row, { a: { k: 1, v: 'x' }, b: ['p', 'q'], c: [1, 3], d: [1, 2], e: 0 });
  });

  it('converts between types', () => {
    const row = single(
      'print a = toint("12"), b = tolong(2.9), c = todouble("1.5"), d = tobool("true"), e = todatetime("2024-01-01"), f = totimespan("00:10:00"), g = tostring(1.5), h = toint("x")',
    );
    assert.deepEqual(row, { a: 12, b: 2, c: 1.5, d: true, e: '2024-01-01T00:00:00.0000000Z', f: '00:10:00', g: '1.5', h: null });
  });

  it('evaluates case, iff and toscalar', () => {
    const row = single(
      'let top = toscalar(range x from 1 to 5 step 1 | summarize max(x)); print a = case(top > 9, "big", top > 4, "mid", "small"), b = iff(top == 5, 1, 2), c = top',
    );
    assert.deepEqual(row, { a: 'mid', b: 1, c: 5 });
  });

  it('filters with in on a subquery', () => {
    const rows = run('range x from 1 to 6 step 1 | where x in ((range y from 2 to 4 step 2 | project y))');
    assert.deepEqual(
      rows.map((row) => row.x),
      [2, 4],
    );
  });

  it('looks up rows from another table', () => {
    const rows = run(
      'datatable(k:string, a:long)["x", 1, "y", 2] | lookup (datatable(k:string, b:string)["x", "bx"]) on k | order by k asc',
    );
    assert.deepEqual(rows, [
      { k: 'x', a: 1, b: 'bx' },
      { k: 'y', a: 2, b: '' },
    ]);
  });

  it('reads previous rows after a sort', () => {
    const rows = run('range x from 1 to 3 step 1 | order by x asc | extend p = prev(x), n = row_number()');
    assert.deepEqual(rows, [
      { x: 1, p: null, n: 1 },
      { x: 2, p: 1, n: 2 },
      { x: 3, p: 2, n: 3 },
    ]);
  });
});

describe('local engine parse', function () {
  this.timeout(60_000);

  it('parses simple patterns', () => {
    const rows = run('datatable(s:string)["user=alice id=42 rest", "nothing"] | parse s with "user=" u " id=" n:long " " *');
    assert.deepEqual(rows, [
      { s: 'user=alice id=42 rest', u: 'alice', n: 42 },
      { s: 'nothing', u: '', n: null },
    ]);
  });

  it('parses regex patterns', () => {
    const rows = run('print s = "ip 10.0.0.1 port 443" | parse kind=regex s with @"ip " ip @" port " port:long');
    assert.deepEqual(rows, [{ s: 'ip 10.0.0.1 port 443', ip: '10.0.0.1', port: 443 }]);
  });
});

describe('local engine let functions', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('calls scalar and tabular functions', () => {
    const rows = run(
      'let scale = (x: long, factor: long = 10) { x * factor };\n' +
        'let firstRows = (n: long) { range r from 1 to 10 step 1 | take n };\n' +
        'firstRows(3) | extend s = scale(r), t = scale(r, 2)',
    );
    assert.deepEqual(rows, [
      { r: 1, s: 10, t: 2 },
      { r: 2, s: 20, t: 4 },
      { r: 3, s: 30, t: 6 },
    ]);
  });
});
