import * as assert from 'node:assert/strict';
import type { WorkerToHost } from '../../src/engine/workerProtocol';
import { describeFailure, type FailureContext } from '../../src/runner/errors';
import { localOutcome } from '../../src/runner/localRun';
import { filePosition, relocateError, relocateMessage } from '../../src/runner/positions';
import type { RunContext } from '../../src/runner/shape';

/** A block that starts on file line 11 (0-based line 10) at its first character. */
const blockStart = { line: 10, character: 0 };

const context: RunContext = {
  query: 'SigninLogs\n| take 1',
  target: { kind: 'local', folder: '/tmp/data', displayName: 'Local data' },
  startedAt: '2026-11-29T00:00:00.000Z',
  durationMs: 0,
};

const failureContext: FailureContext = { targetLabel: 'Log Analytics workspace "Contoso SOC" (ws-1)', serverTimeoutInSeconds: 180, signIn: 'vscode' };

describe('error positions in the file', () => {
  it('adds the block start to the line', () => {
    assert.deepEqual(filePosition(4, 13, blockStart), { line: 14, column: 13 });
  });

  it('shifts the column on the first line of a selection', () => {
    assert.deepEqual(filePosition(1, 3, { line: 4, character: 8 }), { line: 5, column: 11 });
    assert.deepEqual(filePosition(2, 3, { line: 4, character: 8 }), { line: 6, column: 3 });
  });

  it('rewrites engine and service positions in text', () => {
    assert.equal(relocateMessage('Missing expression (line 4, column 13)', blockStart), 'Missing expression (line 14, column 13)');
    assert.equal(relocateMessage("Query could not be parsed at 'x' on line [3,5]", blockStart), "Query could not be parsed at 'x' on line [13,5]");
  });

  it('keeps an error without a start', () => {
    const error = { code: 'SyntaxError', message: 'Bad (line 2, column 1)', line: 2, column: 1 };
    assert.equal(relocateError(error, undefined), error);
  });

  it('moves details as well', () => {
    const moved = relocateError({ code: 'A', message: 'outer', details: [{ code: 'B', message: 'inner at line 1, column 2', line: 1, column: 2 }] }, blockStart);
    assert.equal(moved.details?.[0]?.line, 11);
    assert.equal(moved.details?.[0]?.message, 'inner at line 11, column 2');
  });

  it('names the file line in a local failure', () => {
    const answer: WorkerToHost = {
      type: 'error',
      id: 1,
      error: { code: 'syntax', message: 'Missing expression (line 4, column 13)', line: 4, column: 13 },
    };
    const outcome = localOutcome(answer, context, '/tmp/data', blockStart);
    assert.equal(outcome.message, 'Query on local data failed: Missing expression (line 14, column 13)');
    assert.equal(outcome.result.error?.line, 14);
    assert.equal(outcome.result.error?.column, 13);
  });

  it('adds the file line when the engine message has none', () => {
    const answer = { type: 'error', id: 1, error: { code: 'semantic', message: 'Unknown table', line: 2, column: 1 } } as WorkerToHost;
    assert.equal(localOutcome(answer, context, '/tmp/data', blockStart).message, 'Query on local data failed: Unknown table (line 12, column 1)');
  });

  it('names the file line in a service failure', () => {
    const report = describeFailure(
      {
        kind: 'http',
        status: 400,
        body: { error: { code: 'BadArgumentError', message: 'Invalid', innererror: { code: 'SYN0002', message: "Query could not be parsed at 'wher'.", line: 2, pos: 3 } } },
      },
      { ...failureContext, queryStart: blockStart },
    );
    assert.equal(report.error.line, 12);
    assert.equal(report.error.column, 3);
    assert.match(report.message, /\(line 12, column 3\)/);
  });
});
