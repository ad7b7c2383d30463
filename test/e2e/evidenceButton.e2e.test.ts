// The Save as Evidence button and request in the real results webview
// bundle, in Chromium: the webview names its table and selected rows, and
// the extension host writes the files (tested in the host tier).
import * as assert from 'node:assert/strict';
import { encodeChunks } from '../../src/webview/core/columnar';
import type { WebviewMessage } from '../../src/webview/protocol';
import { resultHeader } from '../../src/webview/resultHeader';
import { signInResult } from '../fixtures/signInResults';
import { openHarness, type Harness } from '../support/webviewHarness';

type SaveMessage = Extract<WebviewMessage, { type: 'saveEvidence' }>;
const isSave = (message: WebviewMessage): message is SaveMessage => message.type === 'saveEvidence';

describe('results webview evidence', function () {
  this.timeout(120_000);
  let harness: Harness;

  before(async () => {
    harness = await openHarness({ viewport: { width: 1400, height: 900 } });
    const result = signInResult(30);
    await harness.send({ type: 'result', header: resultHeader(result), settings: { timeZone: 'utc' } });
    for (const chunk of encodeChunks(result.tables[0], 0, 10)) {
      await harness.send({ type: 'chunk', chunk });
    }
    await harness.send({ type: 'complete' });
    await harness.page.locator('.data-row').first().waitFor();
  });

  after(async () => {
    await harness.close();
  });

  it('posts the selected rows', async () => {
    await harness.page.locator('.data-row').nth(2).locator('.data-cell').first().click();
    await harness.page.keyboard.press('Shift+ArrowDown');
    const posted = harness.waitForMessage(isSave);
    await harness.page.getByRole('button', { name: 'Save as Evidence…' }).click();
    const message = (await posted) as SaveMessage;
    assert.equal(message.tableIndex, 0);
    assert.deepEqual(message.selectedRows, [2, 3]);
  });

  it('answers an evidence request', async () => {
    const posted = harness.waitForMessage(isSave);
    await harness.send({ type: 'requestEvidence' });
    const message = (await posted) as SaveMessage;
    assert.equal(message.tableIndex, 0);
    assert.deepEqual(message.selectedRows, [2, 3]);
  });
});
