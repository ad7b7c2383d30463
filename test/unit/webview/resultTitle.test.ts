import * as assert from 'node:assert/strict';
import { huntBlock } from '../../../src/hunts/document';
import { findHunt } from '../../../src/hunts/library';
import type { QueryResult } from '../../../src/results/model';
import { resultTitle } from '../../../src/webview/resultHeader';

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
