import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { kqlDatetime, kqlString, kqlTimespan } from '../../src/hunts/literals';
import { loadKustoLanguage } from '../../src/kusto/service';
import { parseLiteral } from '../support/kqlParse';

/** Cases per property; the string property is the one that guards generated KQL against log data. */
const STRING_RUNS = Number(process.env.HUNT_LENS_PROPERTY_RUNS ?? 10_000);

/** Characters that break naive quoting: quotes, escapes, comments, pipes, line breaks, controls, bidi and astral. */
const HOSTILE_CHARACTERS = fc.constantFrom(
  '"', "'", '\\', '`', '/', '//', '|', ';', '\n', '\r', '\t', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085',
  '\u2028', '\u2029', '\u200b', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '😀', '𝔘', 'a', ' ', '{', '}', '$',
  '@"', 'h"', '```',
);

/** Arbitrary strings: hostile characters, any Unicode code point (lone surrogates included), and very long text. */
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: HOSTILE_CHARACTERS, maxLength: 40 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: HOSTILE_CHARACTERS, minLength: 2_000, maxLength: 20_000 }) },
);

describe('generated literals (property)', function () {
  this.timeout(10 * 60 * 1000);

  before(() => {
    loadKustoLanguage();
  });

  it(`reads back any string as one string literal (${STRING_RUNS} cases)`, () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        const literal = kqlString(value);
        const { errors, literals } = parseLiteral(literal);
        assert.deepEqual(errors, [], `errors for ${JSON.stringify(value)}`);
        assert.equal(literals.length, 1, `literal count for ${JSON.stringify(value)}`);
        assert.equal(literals[0].kind, 'StringLiteralExpression');
        assert.equal(literals[0].text, literal, 'the literal does not span the whole value');
        assert.equal(literals[0].stringValue, value);
      }),
      { numRuns: STRING_RUNS },
    );
  });

  it('reads back any instant as one datetime literal', () => {
    const instants = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, (date) => {
        const literal = kqlDatetime(date);
        const { errors, literals } = parseLiteral(literal);
        assert.deepEqual(errors, [], literal);
        assert.equal(literals.length, 1, literal);
        assert.equal(literals[0].kind, 'DateTimeLiteralExpression', literal);
        assert.equal(literals[0].text, literal);
      }),
      { numRuns: 1_000 },
    );
  });

  it('reads back any timespan as one timespan literal', () => {
    const units = fc.constantFrom('d', 'h', 'm', 's', 'ms', 'hours', 'minutes', 'tick');
    const amounts = fc.integer({ min: 1, max: 100_000 });
    fc.assert(
      fc.property(amounts, units, (amount, unit) => {
        const literal = kqlTimespan(`${amount}${unit}`);
        const { errors, literals } = parseLiteral(literal);
        assert.deepEqual(errors, [], literal);
        assert.equal(literals.length, 1, literal);
        assert.equal(literals[0].kind, 'TimespanLiteralExpression', literal);
        assert.equal(literals[0].text, literal);
      }),
      { numRuns: 1_000 },
    );
  });
});
