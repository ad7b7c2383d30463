import * as assert from 'node:assert/strict';
import { AttemptKeys, datetimeMs, SAME_ATTEMPT_MS } from '../../../src/engine/readers/attemptKeys';

/** An Entra download record (normalized headers) of ben's sign-in at `seconds` after 01:40 UTC. */
function record(requestId: string, correlationId: string, seconds: number, code = '500121'): Record<string, string> {
  return {
    'request id': requestId,
    'correlation id': correlationId,
    'date (utc)': new Date(Date.UTC(2026, 10, 25, 1, 40, seconds)).toISOString(),
    username: 'ben.adler@contoso-sample.example',
    'sign-in error code': code,
  };
}

/** Returns the key of a record whose Date (UTC) is ISO text, as the CSV reader passes it after converting the cell. */
function keyOf(keys: AttemptKeys, record: Record<string, string>, truncatedMs = 0): string {
  return keys.keyOf(record, datetimeMs(record['date (utc)']), truncatedMs);
}

describe('attempt keys', () => {
  it('merges a denial logged twice a second apart', () => {
    const keys = new AttemptKeys();
    assert.equal(keyOf(keys, record('r1', 'c1', 10)), 'r1');
    assert.equal(keyOf(keys, record('r2', 'c1', 11)), 'r1');
  });

  it('merges in descending time order too', () => {
    const keys = new AttemptKeys();
    assert.equal(keyOf(keys, record('r2', 'c1', 11)), 'r2');
    assert.equal(keyOf(keys, record('r1', 'c1', 10)), 'r2');
  });

  it('keeps each attempt of a prompt storm apart', () => {
    const keys = new AttemptKeys();
    const storm = [0, 1, 2, 3, 4].map((index) => keyOf(keys, record(`r${index}`, `c${index}`, index * 3)));
    assert.deepEqual(storm, ['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('keeps retries of one correlation minutes apart', () => {
    const keys = new AttemptKeys();
    assert.equal(keyOf(keys, record('r1', 'c1', 0)), 'r1');
    assert.equal(keyOf(keys, record('r2', 'c1', SAME_ATTEMPT_MS / 1000 + 1)), 'r2');
  });

  it('keeps the interrupt and the result apart by error code', () => {
    const keys = new AttemptKeys();
    assert.equal(keyOf(keys, record('r1', 'c1', 0, '50074')), 'r1');
    assert.equal(keyOf(keys, record('r2', 'c1', 1, '500121')), 'r2');
  });

  it('gives rows with one Request ID one key', () => {
    const keys = new AttemptKeys();
    assert.equal(keyOf(keys, record('r1', 'c1', 0, '50074')), 'r1');
    assert.equal(keyOf(keys, record('r1', 'c1', 30, '500121')), 'r1');
  });

  it('uses the Request ID when the time or the correlation is missing', () => {
    const keys = new AttemptKeys();
    assert.equal(keyOf(keys, { ...record('r1', '', 0) }), 'r1');
    assert.equal(keyOf(keys, { ...record('r2', '', 0) }), 'r2');
    assert.equal(keyOf(keys, { ...record('r3', 'c1', 0), 'date (utc)': 'not a date' }), 'r3');
  });

  it('never chains rows seconds apart', () => {
    const keys = new AttemptKeys();
    const storm = [0, 4, 8, 12, 16, 20, 24, 28].map((seconds, index) => keyOf(keys, record(`r${index}`, 'c1', seconds)));
    assert.deepEqual(storm, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
  });

  it('anchors the window at the first row', () => {
    const keys = new AttemptKeys();
    const rows = [0, 1, 2, 3, 4].map((seconds, index) => keyOf(keys, record(`r${index}`, 'c1', seconds)));
    assert.deepEqual(rows, ['r0', 'r0', 'r0', 'r3', 'r3']);
  });

  it('merges rows of one minute when times have no seconds', () => {
    const keys = new AttemptKeys();
    // 01:40:59 and 01:41:00, one second apart, read as 01:40 and 01:41.
    const first = { ...record('r1', 'c1', 0), 'date (utc)': '2026-11-25T01:40:00Z' };
    const second = { ...record('r2', 'c1', 0), 'date (utc)': '2026-11-25T01:41:00Z' };
    assert.equal(keyOf(keys, first, 60_000), 'r1');
    assert.equal(keyOf(keys, second, 60_000), 'r1');
  });
});

describe('datetimeMs', () => {
  const expected = Date.UTC(2026, 10, 25, 1, 44, 54);

  it('reads ISO text with and without a zone', () => {
    assert.equal(datetimeMs('2026-11-25T01:44:54Z'), expected);
    assert.equal(datetimeMs('2026-11-25 01:44:54'), expected);
    assert.equal(datetimeMs('2026-11-25T01:44:54.0000000Z'), expected);
  });

  it("reads PowerShell's /Date(ms)/ form", () => {
    assert.equal(datetimeMs(`/Date(${expected})/`), expected);
  });

  it('reads numbers and Dates', () => {
    assert.equal(datetimeMs(expected), expected);
    assert.equal(datetimeMs(new Date(expected)), expected);
  });

  it('returns NaN where the column holds null', () => {
    assert.ok(Number.isNaN(datetimeMs('25.11.2026 01:44:54')));
    assert.ok(Number.isNaN(datetimeMs('')));
    assert.ok(Number.isNaN(datetimeMs(undefined)));
    assert.ok(Number.isNaN(datetimeMs('2026-02-30T00:00:00Z')));
  });
});
