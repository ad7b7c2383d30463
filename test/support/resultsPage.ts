// Steps shared by the Chromium tests of the results page: post a result as
// the extension does, and read what the grid shows.
import * as assert from 'node:assert/strict';
import type { QueryResult } from '../../src/results/model';
import { encodeChunks } from '../../src/webview/core/columnar';
import type { ViewState, WebviewMessage } from '../../src/webview/protocol';
import { resultHeader } from '../../src/webview/resultHeader';
import type { Harness } from './webviewHarness';

const isRendered = (message: WebviewMessage): boolean => message.type === 'rendered';

/** Posts the result's header, chunks and completion, with an optional saved view, and waits until the grid shows every row. */
export async function showResult(harness: Harness, result: QueryResult, view?: ViewState): Promise<void> {
  const rowCount = result.tables[0].rows.length;
  const rendered = harness.waitForMessage((message) => isRendered(message) && message.type === 'rendered' && message.report.visibleRowCount === rowCount);
  await harness.send({ type: 'result', header: resultHeader(result), settings: { timeZone: 'utc' }, ...(view ? { view: { ...view, resultId: 'harness' } } : {}) });
  for (const chunk of encodeChunks(result.tables[0], 0, 20)) {
    await harness.send({ type: 'chunk', chunk });
  }
  await harness.send({ type: 'complete' });
  assert.ok(isRendered(await rendered));
}

/** Returns the column names in the header row, in display order, without sort markers. */
export async function headerNames(harness: Harness): Promise<string[]> {
  const labels = await harness.page.locator('.header-label').allTextContents();
  return labels.map((label) => label.replace(/ [▲▼]$/, ''));
}
