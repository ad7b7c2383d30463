import * as assert from 'node:assert/strict';
import { kqlDatetime, kqlLong, kqlString, kqlTimespan } from '../../src/hunts/literals';
import { parameterLiteral, renderHunt } from '../../src/hunts/render';
import type { Hunt, HuntParameter } from '../../src/hunts/types';
import { analyzeQuery, loadKustoLanguage } from '../../src/kusto/service';
import { parseLiteral } from '../support/kqlParse';

/** Asserts that `action` throws a RangeError whose message contains every fragment. */
function assertRangeError(action: () => unknown, ...fragments: string[]): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof RangeError, `expected a RangeError, got ${String(error)}`);
    for (const fragment of fragments) {
      assert.ok(error.message.includes(fragment), `"${error.message}" does not mention ${fragment}`);
    }
    return true;
  });
}

describe('kqlString', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  const values: readonly [string, string][] = [
    ['plain text', 'plain'],
    ['double quote', 'say "hi"'],
    ['single quote', "it's"],
    ['backslash', 'C:\\Users\\alice'],
    ['backslash before a quote', '\\"'],
    ['trailing backslash', 'ends with \\'],
    ['newline', 'line one\nline two'],
    ['carriage return', 'a\r\nb'],
    ['tab', 'a\tb'],
    ['NUL and other control characters', 'a\u0000b\u0001c\u001fd\u007fe'],
    ['line and paragraph separators', 'a\u2028b\u2029c'],
    ['non-ASCII letters', 'é ü ß 日本'],
    ['astral character', 'emoji 😀'],
    ['empty string', ''],
    ['KQL injection attempt', '" | take 1 // '],
  ];
  for (const [name, value] of values) {
    it(`reads back ${name} as one string literal`, () => {
      const literal = kqlString(value);
      const { errors, literals } = parseLiteral(literal);
      assert.deepEqual(errors, []);
      assert.equal(literals.length, 1, `parsed ${literals.length} literals from ${literal}`);
      assert.equal(literals[0].kind, 'StringLiteralExpression');
      assert.equal(literals[0].text, literal);
      assert.equal(literals[0].stringValue, value);
    });
  }

  it('keeps the literal on one line', () => {
    assert.doesNotMatch(kqlString('a\nb\rc\u2028d\u2029e'), /[\n\r\u2028\u2029]/);
  });
});

describe('kqlTimespan', function () {
  this.timeout(60_000);

  for (const value of ['7d', '1.5h', '30m', '10s', '250ms', '10microsecond', '3tick', '10675199d']) {
    it(`accepts ${value} as a timespan literal`, () => {
      const literal = kqlTimespan(value);
      assert.equal(literal, value);
      const { errors, literals } = parseLiteral(literal);
      assert.deepEqual(errors, []);
      assert.equal(literals.length, 1);
      assert.equal(literals[0].kind, 'TimespanLiteralExpression');
    });
  }

  it('trims surrounding spaces', () => {
    assert.equal(kqlTimespan(' 7d '), '7d');
  });

  const longForms: [string, string][] = [
    ['7days', '7d'],
    ['7 days', '7d'],
    ['1 day', '1d'],
    ['2hrs', '2h'],
    ['2min', '2m'],
    ['30sec', '30s'],
    ['5 millis', '5ms'],
    ['3ticks', '3tick'],
    ['7D', '7d'],
  ];
  for (const [value, expected] of longForms) {
    it(`writes ${JSON.stringify(value)} as ${expected}`, () => {
      assert.equal(kqlTimespan(value), expected);
    });
  }

  for (const value of ['', '7', 'd', '-1d', '7weeks', '1e3d', '7d | take 1', '1.d', '7d7d']) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      assertRangeError(() => kqlTimespan(value), `"${value}"`);
    });
  }

  it('rejects timespans beyond the maximum', () => {
    assertRangeError(() => kqlTimespan('10675200d'), '"10675200d"', 'maximum');
    assertRangeError(() => kqlTimespan('300000000h'), '"300000000h"');
  });
});

describe('kqlLong', function () {
  this.timeout(60_000);

  for (const value of [0, 5, -3, Number.MAX_SAFE_INTEGER]) {
    it(`formats ${value} as a long literal`, () => {
      const literal = kqlLong(value);
      assert.equal(literal, String(value));
      const { errors, literals } = parseLiteral(literal);
      assert.deepEqual(errors, []);
      assert.equal(literals.length, 1);
      assert.equal(literals[0].kind, 'LongLiteralExpression');
    });
  }

  for (const value of [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
    it(`rejects ${value}`, () => {
      assertRangeError(() => kqlLong(value), String(value));
    });
  }
});

describe('kqlDatetime', function () {
  this.timeout(60_000);

  const accepted: readonly [string, string][] = [
    ['2026-03-01T02:13:00Z', 'datetime(2026-03-01T02:13:00.000Z)'],
    ['2026-03-01T02:13:00.5Z', 'datetime(2026-03-01T02:13:00.500Z)'],
    ['2026-03-01T02:13:00.1234567Z', 'datetime(2026-03-01T02:13:00.1234567Z)'],
    ['2026-03-01 02:13:00z', 'datetime(2026-03-01T02:13:00.000Z)'],
    ['2026-03-01T02:13', 'datetime(2026-03-01T02:13:00.000Z)'],
    ['2026-03-01T02:13:00', 'datetime(2026-03-01T02:13:00.000Z)'],
    ['2026-03-01', 'datetime(2026-03-01T00:00:00.000Z)'],
    ['2026-03-01T04:13:00+02:00', 'datetime(2026-03-01T02:13:00.000Z)'],
    ['2026-02-28T22:00:00-05:30', 'datetime(2026-03-01T03:30:00.000Z)'],
    ['2024-02-29T00:00:00Z', 'datetime(2024-02-29T00:00:00.000Z)'],
    ['0001-01-01T00:00:00Z', 'datetime(0001-01-01T00:00:00.000Z)'],
    ['0099-06-01T00:00:00Z', 'datetime(0099-06-01T00:00:00.000Z)'],
    ['9999-12-31T23:59:59.9999999Z', 'datetime(9999-12-31T23:59:59.9999999Z)'],
    ['1970-01-01T00:00:00Z', 'datetime(1970-01-01T00:00:00.000Z)'],
  ];
  for (const [value, expected] of accepted) {
    it(`formats ${value} as ${expected}`, () => {
      assert.equal(kqlDatetime(value), expected);
      const { errors, literals } = parseLiteral(expected);
      assert.deepEqual(errors, []);
      assert.equal(literals.length, 1);
      assert.equal(literals[0].kind, 'DateTimeLiteralExpression');
    });
  }

  it('formats a Date object in UTC', () => {
    assert.equal(kqlDatetime(new Date(Date.UTC(2026, 2, 1, 2, 13))), 'datetime(2026-03-01T02:13:00.000Z)');
  });

  const rejected = [
    '',
    'yesterday',
    '1',
    'March 7, 2026',
    '2026-3-1',
    '2026-02-30',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T02:60:00Z',
    '2026-03-01T02:13:00+15:00',
    '0000-12-31T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '0001-01-01T00:30:00+01:00',
    '2026-03-01T02:13:00Z) | take 1 //',
  ];
  for (const value of rejected) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      assertRangeError(() => kqlDatetime(value), `"${value}"`);
    });
  }

  it('rejects an invalid Date object', () => {
    assertRangeError(() => kqlDatetime(new Date(Number.NaN)), 'Invalid datetime');
  });
});

describe('renderHunt', function () {
  this.timeout(60_000);

  const hunt: Hunt = {
    id: 'render-test',
    title: 'Render test',
    description: 'A hunt with one parameter of each type.',
    stage: 'before',
    mitre: 'T1621',
    tables: ['SigninLogs'],
    target: 'logAnalytics',
    parameters: [
      { name: 'lookback', type: 'timespan', default: '7d', description: 'How far back.' },
      { name: 'minDenials', type: 'long', default: 5, min: 1, max: 100, description: 'Threshold.' },
      { name: 'user', type: 'string', default: '', description: 'User.' },
      { name: 'startTime', type: 'datetime', default: '1970-01-01T00:00:00Z', description: 'Start.' },
    ],
    entities: [{ column: 'UserPrincipalName', kind: 'userPrincipalName' }],
    query: 'let a = {{lookback}}; let b = {{minDenials}}; let c = {{user}}; let d = {{startTime}}; let e = {{lookback}};',
  };

  it('fills every placeholder with the defaults', () => {
    assert.equal(
      renderHunt(hunt),
      'let a = 7d; let b = 5; let c = ""; let d = datetime(1970-01-01T00:00:00.000Z); let e = 7d;',
    );
  });

  it('fills the given values as typed literals', () => {
    const text = renderHunt(hunt, {
      lookback: '14d',
      minDenials: 10,
      user: 'eve@contoso.com" | take 1',
      startTime: '2026-03-01T02:13:00Z',
    });
    assert.equal(
      text,
      'let a = 14d; let b = 10; let c = "eve@contoso.com\\" | take 1"; let d = datetime(2026-03-01T02:13:00.000Z); let e = 14d;',
    );
  });

  it('produces KQL that parses', () => {
    const analysis = analyzeQuery(`${renderHunt(hunt, { user: 'a"b\\c\nd' })}\nprint a, b, c, d, e`, [], { analyzers: false });
    assert.deepEqual(
      analysis.diagnostics.map((diagnostic) => diagnostic.message),
      [],
    );
  });

  it('accepts a whole number typed as text', () => {
    assert.match(renderHunt(hunt, { minDenials: ' 12 ' }), /let b = 12;/);
  });

  it('rejects an invalid timespan', () => {
    assertRangeError(() => renderHunt(hunt, { lookback: '7 weeks' }), 'lookback', '"7 weeks"');
  });

  it('rejects a timespan of zero length', () => {
    assertRangeError(() => renderHunt(hunt, { lookback: '0d' }), 'lookback', '"0d"', 'longer than zero');
    assertRangeError(() => renderHunt(hunt, { lookback: '0.0h' }), 'lookback', '"0.0h"');
  });

  it('rejects an invalid long', () => {
    assertRangeError(() => renderHunt(hunt, { minDenials: 2.5 }), 'minDenials', '2.5');
    assertRangeError(() => renderHunt(hunt, { minDenials: '' }), 'minDenials', '""');
    assertRangeError(() => renderHunt(hunt, { minDenials: '0x10' }), 'minDenials', '"0x10"');
    assertRangeError(() => renderHunt(hunt, { minDenials: '1e3' }), 'minDenials', '"1e3"');
    assertRangeError(() => renderHunt(hunt, { minDenials: 'abc' }), 'minDenials', '"abc"');
  });

  it('names a whole number beyond the safe range as typed', () => {
    assertRangeError(() => renderHunt(hunt, { minDenials: '99999999999999999993' }), 'minDenials', '"99999999999999999993"', 'out of range');
    assertRangeError(() => renderHunt(hunt, { minDenials: '-99999999999999999993' }), 'minDenials', '"-99999999999999999993"');
  });

  it('rejects a long outside its bounds', () => {
    assertRangeError(() => renderHunt(hunt, { minDenials: 0 }), 'minDenials', 'minimum of 1');
    assertRangeError(() => renderHunt(hunt, { minDenials: 101 }), 'minDenials', 'maximum of 100');
  });

  it('rejects an invalid datetime', () => {
    assertRangeError(() => renderHunt(hunt, { startTime: 'last Tuesday' }), 'startTime', '"last Tuesday"');
  });

  it('rejects a placeholder with no parameter', () => {
    const broken: Hunt = { ...hunt, query: `${hunt.query} {{missing}}` };
    assertRangeError(() => renderHunt(broken), 'render-test', '{{missing}}');
  });

  it('formats each parameter type', () => {
    const parameters = new Map<string, HuntParameter>(hunt.parameters.map((parameter) => [parameter.name, parameter]));
    assert.equal(parameterLiteral(parameters.get('lookback')!, '1h'), '1h');
    assert.equal(parameterLiteral(parameters.get('minDenials')!, 7), '7');
    assert.equal(parameterLiteral(parameters.get('user')!, 'x'), '"x"');
    assert.equal(parameterLiteral(parameters.get('startTime')!, '2026-01-01'), 'datetime(2026-01-01T00:00:00.000Z)');
  });
});
