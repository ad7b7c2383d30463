// The run summary above the grid in the real results webview bundle, in
// Chromium. A cancelled run reads as cancelled, without the error style,
// while a failed run keeps it. Error positions appear once, and a local run
// states that it read every loaded row.
import * as assert from 'node:assert/strict';
import type { QueryResult } from '../../src/results/model';
import { signInResult } from '../fixtures/signInResults';
import { showResult } from '../support/resultsPage';
import { openHarness, type Harness } from '../support/webviewHarness';

function failedRun(code: string, message: string): QueryResult {
  return { ...signInResult(0), status: 'Failure', error: { code, message } };
}

describe('results summary', function () {
  this.timeout(120_000);
  let harness: Harness;

  beforeEach(async () => {
    harness = await openHarness({ viewport: { width: 1200, height: 600 } });
  });

  afterEach(async () => {
    assert.deepEqual(harness.violations, [], 'the page tried something its CSP blocked');
    await harness.close();
  });

  it('cancelled run reads as cancelled', async () => {
    await showResult(harness, failedRun('Cancelled', 'The request was cancelled by the user.'));
    const banners = harness.page.locator('.summary .banner');
    assert.equal(await banners.count(), 1);
    assert.equal(await banners.first().getAttribute('class'), 'banner info');
    assert.equal(await banners.first().getAttribute('role'), 'status');
    assert.match((await banners.first().textContent()) ?? '', /^The query was cancelled\./);
    assert.equal(await harness.page.locator('.summary .banner.error').count(), 0);
    assert.doesNotMatch((await harness.page.locator('.summary').textContent()) ?? '', /failed/);
  });

  it('failed run keeps the error style', async () => {
    await showResult(harness, failedRun('SemanticError', "'wher' could not be parsed"));
    const banner = harness.page.locator('.summary .banner.error');
    assert.equal(await banner.count(), 1);
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match((await banner.textContent()) ?? '', /The query failed\.SemanticError: 'wher' could not be parsed/);
  });

  it('error position shown once', async () => {
    const result = failedRun('SemanticError', "'wher' could not be parsed (line 14, column 3)");
    result.error = { ...result.error!, line: 14, column: 3 };
    await showResult(harness, result);
    const text = (await harness.page.locator('.summary .banner.error').textContent()) ?? '';
    assert.equal(text.match(/line 14/g)?.length, 1, text);
  });

  it('error position added when missing', async () => {
    const result = failedRun('SemanticError', "'wher' could not be parsed");
    result.error = { ...result.error!, line: 6, column: 1 };
    await showResult(harness, result);
    const text = (await harness.page.locator('.summary .banner.error').textContent()) ?? '';
    assert.match(text, /could not be parsed \(line 6, column 1\)/);
  });

  it('local run covers all loaded rows', async () => {
    const result: QueryResult = {
      ...signInResult(3),
      target: { kind: 'local', folder: '/cases/acme/data', displayName: 'Local data' },
      timeRange: undefined,
      statistics: { now: '2026-11-29T16:29:39.000Z' },
    };
    await showResult(harness, result);
    const facts = (await harness.page.locator('.summary .facts').textContent()) ?? '';
    assert.match(facts, /Time rangeall loaded rows, with now\(\) at 2026-11-29T16:29:39\.000Z/);
    assert.doesNotMatch(facts, /set by the query/);
  });
});
