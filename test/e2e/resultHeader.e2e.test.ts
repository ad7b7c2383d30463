// The run summary above the grid in the real results webview bundle, in
// Chromium: a cancelled run reads as cancelled, without the error style,
// while a failed run keeps it.
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
});
