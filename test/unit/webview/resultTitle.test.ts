import * as assert from 'node:assert/strict';
import { huntBlock } from '../../../src/hunts/document';
import { findHunt } from '../../../src/hunts/library';
import type { QueryResult } from '../../../src/results/model';
import { isCancelledRun } from '../../../src/results/model';
import { distinctTitle, resultTitle } from '../../../src/webview/resultHeader';

function result(query: string): QueryResult {
  return {
    status: 'Success',
    tables: [],
    query,
    target: { kind: 'local', folder: '/data', displayName: 'Local data' },
    startedAt: '2026-11-29T00:00:00Z',
    durationMs: 1,
  };
}

describe('results panel title', () => {
  it("names a library hunt by its title, not by its first let statement", () => {
    const hunt = findHunt('success-after-failures');
    assert.ok(hunt);
    assert.equal(resultTitle(result(huntBlock(hunt))), 'Success after repeated MFA failures · Local data');
  });

  it('names any other query by its first line of code', () => {
    assert.equal(resultTitle(result('// denials\nSigninLogs\n| take 1')), 'SigninLogs · Local data');
  });

  it('does not trust an unknown hunt tag', () => {
    assert.equal(resultTitle(result('// hunt: no-such-hunt\nAuditLogs | take 1')), 'AuditLogs | take 1 · Local data');
  });
});

describe('distinct panel titles', () => {
  it('keeps a title no panel uses', () => {
    assert.equal(distinctTitle('SigninLogs · Contoso', ['AuditLogs · Contoso']), 'SigninLogs · Contoso');
  });

  it('numbers a second run', () => {
    assert.equal(distinctTitle('SigninLogs · Contoso', ['SigninLogs · Contoso']), 'SigninLogs · Contoso (2)');
  });

  it('takes the next free number', () => {
    assert.equal(distinctTitle('q · t', ['q · t', 'q · t (2)', 'q · t (3)']), 'q · t (4)');
  });

  it('reuses a number freed by a closed panel', () => {
    assert.equal(distinctTitle('q · t', ['q · t', 'q · t (3)']), 'q · t (2)');
  });
});

describe('cancelled runs', () => {
  it('counts a cancelled failure', () => {
    assert.equal(isCancelledRun({ status: 'Failure', error: { code: 'Cancelled', message: 'The request was cancelled by the user.' } }), true);
  });

  it('leaves other failures alone', () => {
    assert.equal(isCancelledRun({ status: 'Failure', error: { code: 'SemanticError', message: 'x' } }), false);
  });

  it('needs the Failure status', () => {
    assert.equal(isCancelledRun({ status: 'PartialFailure', error: { code: 'Cancelled', message: 'x' } }), false);
  });
});
