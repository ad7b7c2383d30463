import * as assert from 'node:assert/strict';
import { describeFailure, describeMissingResult, describePartialFailure, retryAfterMs, type FailureContext } from '../../src/runner/errors';
import { columnType, convertCell, MissingResultError, parseDateTime, rowCount, shapeHunting, shapeLogAnalytics, type RunContext } from '../../src/runner/shape';

const context: RunContext = {
  query: 'SigninLogs | take 2',
  target: { kind: 'logAnalytics', workspaceId: 'ws-1', displayName: 'Contoso SOC' },
  startedAt: '2026-12-01T10:00:00.000Z',
  durationMs: 120,
  requestId: 'req-1',
};

const failureContext: FailureContext = { targetLabel: 'Log Analytics workspace "Contoso SOC" (ws-1)', serverTimeoutInSeconds: 180, signIn: 'vscode' };

describe('results shaping', () => {
  it('keeps 100-ns ticks of a datetime', () => {
    const value = parseDateTime('2026-12-01T10:00:00.1234567Z');
    assert.equal(typeof value, 'object');
    assert.deepEqual(value, {
      kind: 'datetime',
      epochMs: Date.parse('2026-12-01T10:00:00.123Z'),
      subMsTicks: 4567,
      iso: '2026-12-01T10:00:00.1234567Z',
    });
  });

  it('keeps unparsable datetime text as text', () => {
    assert.equal(parseDateTime('yesterday'), 'yesterday');
  });

  it('parses dynamic JSON text once', () => {
    assert.deepEqual(convertCell('dynamic', '{"city":"Oslo","n":[1,2]}'), { kind: 'dynamic', value: { city: 'Oslo', n: [1, 2] } });
    assert.deepEqual(convertCell('dynamic', 'not json'), { kind: 'dynamic', value: 'not json' });
  });

  it('keeps null and empty strings apart', () => {
    assert.equal(convertCell('string', null), null);
    assert.equal(convertCell('string', ''), '');
  });

  it('keeps long text that a number would round', () => {
    assert.equal(convertCell('long', '9007199254740993'), '9007199254740993');
    assert.equal(convertCell('long', '42'), 42);
  });

  it('maps Graph type names to Kusto types', () => {
    assert.equal(columnType('DateTime'), 'datetime');
    assert.equal(columnType('Int64'), 'long');
    assert.equal(columnType('Object'), 'dynamic');
    assert.equal(columnType('datetime'), 'datetime');
    assert.equal(columnType('somethingNew'), 'string');
  });

  it('shapes a Log Analytics table', () => {
    const result = shapeLogAnalytics(
      {
        tables: [
          {
            name: 'PrimaryResult',
            columns: [
              { name: 'TimeGenerated', type: 'datetime' },
              { name: 'ResultType', type: 'string' },
              { name: 'LocationDetails', type: 'dynamic' },
              { name: 'Attempts', type: 'long' },
            ],
            rows: [['2026-12-01T09:59:58.5Z', '500121', '{"countryOrRegion":"NO"}', 7]],
          },
        ],
        statistics: { query: { executionTime: 0.4 } },
        render: { visualization: 'timechart', title: 'Denials' },
      },
      context,
    );
    assert.equal(result.status, 'Success');
    assert.equal(result.requestId, 'req-1');
    assert.equal(rowCount(result), 1);
    const row = result.tables[0]?.rows[0];
    assert.deepEqual(row?.[2], { kind: 'dynamic', value: { countryOrRegion: 'NO' } });
    assert.equal(row?.[1], '500121');
    assert.equal(row?.[3], 7);
    assert.equal((row?.[0] as { epochMs: number }).epochMs, Date.parse('2026-12-01T09:59:58.500Z'));
    assert.equal(result.visualization?.visualization, 'timechart');
    assert.deepEqual(result.statistics, { query: { executionTime: 0.4 } });
  });

  it('keeps a partial error as data', () => {
    const result = shapeLogAnalytics(
      {
        tables: [{ name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[1]] }],
        error: { code: 'PartialError', message: 'There were some errors', details: [{ code: 'EngineError', message: 'Shard 3 failed' }] },
      },
      context,
    );
    assert.equal(result.status, 'PartialFailure');
    assert.equal(result.error?.code, 'PartialError');
    assert.equal(result.error?.message, 'Shard 3 failed');
    assert.equal(result.truncated, undefined);
    assert.equal(rowCount(result), 1);
  });

  it('marks a result cut at the size limit', () => {
    const result = shapeLogAnalytics(
      {
        tables: [{ name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[1]] }],
        error: { code: 'PartialError', message: 'x', details: [{ code: 'E_QUERY_RESULT_SET_TOO_LARGE', message: 'too big' }] },
      },
      context,
    );
    assert.equal(result.truncated, true);
    const message = describePartialFailure(result.error!, true, 'the workspace');
    assert.match(message, /exceeded a service limit \(500,000 rows/);
    assert.match(message, /The service said: too big\./);
  });

  it('shapes a Graph hunting response', () => {
    const result = shapeHunting(
      {
        schema: [
          { name: 'Timestamp', type: 'DateTime' },
          { name: 'AdditionalFields', type: 'Object' },
        ],
        results: [{ Timestamp: '2026-12-01T10:00:00Z', AdditionalFields: { a: 1 } }],
      },
      { ...context, target: { kind: 'defenderXdr', displayName: 'Defender XDR' } },
    );
    assert.equal(result.tables[0]?.columns[0]?.type, 'datetime');
    assert.deepEqual(result.tables[0]?.rows[0]?.[1], { kind: 'dynamic', value: { a: 1 } });
  });
});

describe('responses without a result', () => {
  const huntingContext: RunContext = { ...context, target: { kind: 'defenderXdr', displayName: 'Defender XDR' } };
  const shardError = { code: 'PartialError', message: 'There were some errors', details: [{ code: 'EngineError', message: 'One of the shards failed.' }] };

  function missingResult(shape: () => unknown): MissingResultError {
    try {
      shape();
    } catch (error) {
      assert.ok(error instanceof MissingResultError, `threw ${String(error)}`);
      return error;
    }
    assert.fail('the body was shaped as a result');
  }

  it('rejects a hunting body with only an error', () => {
    const error = missingResult(() => shapeHunting({ error: shardError }, huntingContext));
    assert.equal(error.problem, 'has no "schema" and "results" arrays');
    assert.equal(error.serviceError?.code, 'PartialError');
    assert.equal(error.serviceError?.message, 'One of the shards failed.');
  });

  it('rejects a hunting body without results', () => {
    const error = missingResult(() => shapeHunting({ schema: [{ name: 'A', type: 'String' }] }, huntingContext));
    assert.equal(error.problem, 'has no "results" array');
    assert.equal(error.serviceError, undefined);
  });

  it('rejects a Log Analytics body without tables', () => {
    assert.equal(missingResult(() => shapeLogAnalytics({ error: shardError }, context)).problem, 'has no "tables"');
    assert.equal(missingResult(() => shapeLogAnalytics({}, context)).problem, 'has no "tables"');
    assert.equal(missingResult(() => shapeLogAnalytics({ tables: [] }, context)).problem, 'has no "tables"');
  });

  it('rejects a Log Analytics table without rows', () => {
    const body = { tables: [{ name: 'PrimaryResult', columns: [] }] } as unknown as Parameters<typeof shapeLogAnalytics>[0];
    assert.equal(missingResult(() => shapeLogAnalytics(body, context)).problem, 'has no "columns" and "rows" arrays in table 1');
  });

  it('keeps a hunting error beside rows as partial', () => {
    const result = shapeHunting({ schema: [{ name: 'A', type: 'String' }], results: [{ A: 'x' }], error: shardError }, huntingContext);
    assert.equal(result.status, 'PartialFailure');
    assert.equal(result.error?.message, 'One of the shards failed.');
    assert.equal(rowCount(result), 1);
  });

  it('quotes the service error in the message', () => {
    const report = describeMissingResult('has no "schema" and "results" arrays', { code: 'PartialError', message: 'One of the shards failed.' }, 'Defender XDR advanced hunting');
    assert.match(report.message, /^Defender XDR advanced hunting returned HTTP 200 without a result \(the response has no "schema" and "results" arrays\)/);
    assert.match(report.message, /not known whether the query found anything/);
    assert.match(report.message, /The service said: PartialError: One of the shards failed\./);
    assert.match(report.message, /quote the request id/);
    assert.equal(report.error.code, 'PartialError');
  });

  it('names the missing arrays without a service error', () => {
    const report = describeMissingResult('has no "tables"', undefined, 'the workspace');
    assert.doesNotMatch(report.message, /The service said/);
    assert.deepEqual(report.error, { code: 'MissingResult', message: 'The response has no "tables".' });
  });
});

describe('error mapping', () => {
  it('puts line and column of a syntax error in the message', () => {
    const report = describeFailure(
      {
        kind: 'http',
        status: 400,
        body: {
          error: {
            code: 'BadArgumentError',
            message: 'The request had some invalid properties',
            innererror: { code: 'SyntaxError', message: 'A recognition error occurred.', innererror: { code: 'SYN0002', message: "Query could not be parsed at 'wher'.", line: 2, pos: 3 } },
          },
        },
      },
      failureContext,
    );
    assert.equal(report.error.line, 2);
    assert.equal(report.error.column, 3);
    assert.match(report.message, /line 2, column 3/);
    assert.match(report.message, /could not be parsed at 'wher'/);
  });

  const cases: Array<[number, RegExp]> = [
    [401, /Sign-in was rejected.*401.*huntLens\.tenant/],
    [403, /No access to Log Analytics workspace "Contoso SOC".*403.*Reader/],
    [404, /Log Analytics workspace "Contoso SOC" \(ws-1\) was not found \(404\).*workspace ID/],
    [429, /throttled.*429.*after 3 retries.*Wait/],
    [500, /failed to run the query \(HTTP 500\).*request id/],
    [504, /timed out.*504.*180 seconds.*serverTimeoutInSeconds/],
  ];
  for (const [status, pattern] of cases) {
    it(`explains HTTP ${status}`, () => {
      const report = describeFailure({ kind: 'http', status, retries: 3 }, failureContext);
      assert.match(report.message, pattern);
      assert.equal(report.error.code, `Http${status}`);
    });
  }

  it('counts one throttling retry in the singular', () => {
    const report = describeFailure({ kind: 'http', status: 429, retries: 1 }, failureContext);
    assert.match(report.message, /and still did after 1 retry\. Wait/);
  });

  it('gives the sign-in step for each method', () => {
    const advice: Array<[FailureContext['signIn'], RegExp]> = [
      ['vscode', /Accounts menu/],
      ['azureCli', /az login/],
      ['deviceCode', /device code/],
    ];
    for (const [signIn, pattern] of advice) {
      const report = describeFailure({ kind: 'http', status: 401, retries: 0 }, { ...failureContext, signIn });
      assert.match(report.message, pattern, signIn);
    }
  });

  it('names the host on a connection reset', () => {
    const report = describeFailure({ kind: 'network', code: 'ECONNRESET', message: 'socket hang up', host: '127.0.0.1:4431' }, failureContext);
    assert.match(report.message, /connection to 127\.0\.0\.1:4431 was lost.*ECONNRESET/);
  });

  it('names an untrusted certificate', () => {
    const report = describeFailure({ kind: 'network', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate', host: 'proxy:443' }, failureContext);
    assert.match(report.message, /TLS certificate of proxy:443 is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  });

  it('names the timeout setting at the client deadline', () => {
    const report = describeFailure({ kind: 'deadline', waitedSeconds: 240 }, failureContext);
    assert.match(report.message, /^No response from Log Analytics workspace "Contoso SOC" \(ws-1\) within 240 seconds \(huntLens\.serverTimeoutInSeconds is 180/);
    assert.match(report.message, /raise huntLens\.serverTimeoutInSeconds \(maximum 600\)/);
    assert.equal(report.error.code, 'ClientTimeout');
  });

  it('says the server may finish a cancelled query', () => {
    assert.match(describeFailure({ kind: 'cancelled' }, failureContext).message, /server may still finish/);
  });

  it('reads Retry-After seconds and dates', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 10:00:05 GMT', Date.parse('2026-12-01T10:00:00Z')), 5000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});
