// Column resize and reorder in the real results webview bundle, in Chromium,
// under the panel's Content Security Policy. The dragged edge follows the
// pointer, a header moves by drag and by keyboard, and the order survives a
// restore from the saved view state.
import * as assert from 'node:assert/strict';
import type { QueryResult } from '../../src/results/model';
import type { ViewState, WebviewMessage } from '../../src/webview/protocol';
import { signInResult } from '../fixtures/signInResults';
import { headerNames, showResult } from '../support/resultsPage';
import { openHarness, type Harness } from '../support/webviewHarness';

const RESULT: QueryResult = signInResult(50);
const NAMES = RESULT.tables[0].columns.map((column) => column.name);

const isViewState = (message: WebviewMessage): message is Extract<WebviewMessage, { type: 'viewState' }> => message.type === 'viewState';

describe('results grid columns', function () {
  this.timeout(120_000);
  let harness: Harness;

  beforeEach(async () => {
    harness = await openHarness({ viewport: { width: 1400, height: 700 } });
    await showResult(harness, RESULT);
  });

  afterEach(async () => {
    assert.deepEqual(harness.violations, [], 'the page tried something its CSP blocked');
    await harness.close();
  });

  it('resize edge follows the pointer', async () => {
    const header = harness.page.locator('.header-cell').nth(1);
    const handle = header.locator('.resize-handle');
    const before = await header.boundingBox();
    const grip = await handle.boundingBox();
    assert.ok(before, 'the header has no box');
    assert.ok(grip, 'the resize handle has no box');
    const startX = grip.x + grip.width / 2;
    const y = grip.y + grip.height / 2;
    await harness.page.mouse.move(startX, y);
    await harness.page.mouse.down();
    for (const step of [20, 60, 130, 173]) {
      await harness.page.mouse.move(startX + step, y);
      const during = await header.boundingBox();
      assert.ok(during);
      assert.equal(Math.round(during.width - before.width), step, `width change after a ${step} px drag`);
    }
    await harness.page.mouse.up();
    const after = await header.boundingBox();
    assert.ok(after);
    assert.equal(Math.round(after.width - before.width), 173);
    const nextLeft = (await harness.page.locator('.header-cell').nth(2).boundingBox())?.x;
    assert.equal(Math.round(nextLeft ?? 0), Math.round(after.x + after.width), 'the next column starts at the new edge');
  });

  it('drag moves a header', async () => {
    const source = harness.page.locator('.header-label').nth(0);
    const target = harness.page.locator('.header-cell').nth(2);
    const box = await target.boundingBox();
    assert.ok(box);
    await source.dragTo(target, { targetPosition: { x: box.width - 10, y: box.height / 2 } });
    assert.deepEqual((await headerNames(harness)).slice(0, 4), [NAMES[1], NAMES[2], NAMES[0], NAMES[3]]);
  });

  it('drop on the left half lands before', async () => {
    const source = harness.page.locator('.header-label').nth(4);
    const target = harness.page.locator('.header-cell').nth(1);
    await source.dragTo(target, { targetPosition: { x: 10, y: 10 } });
    assert.deepEqual((await headerNames(harness)).slice(0, 3), [NAMES[0], NAMES[4], NAMES[1]]);
  });

  it('cells follow the moved header', async () => {
    await harness.page.locator('.header-label').nth(1).focus();
    await harness.page.keyboard.press('Alt+Shift+ArrowLeft');
    const firstCells = await harness.page.locator('.data-row').first().locator('.data-cell').allTextContents();
    assert.equal(firstCells[0], 'alice@contoso.com');
    assert.match(firstCells[1], /^2024-05-01T00:00:00/);
  });

  it('keyboard moves a header and keeps focus', async () => {
    await harness.page.locator('.header-label').nth(0).focus();
    await harness.page.keyboard.press('Alt+Shift+ArrowRight');
    await harness.page.keyboard.press('Alt+Shift+ArrowRight');
    assert.deepEqual((await headerNames(harness)).slice(0, 3), [NAMES[1], NAMES[2], NAMES[0]]);
    const focused = await harness.page.evaluate<string>('document.activeElement?.textContent ?? ""');
    assert.equal(focused, NAMES[0]);
    await harness.page.keyboard.press('Alt+Shift+ArrowLeft');
    assert.deepEqual((await headerNames(harness)).slice(0, 3), [NAMES[1], NAMES[0], NAMES[2]]);
  });

  it('first header does not move left', async () => {
    await harness.page.locator('.header-label').nth(0).focus();
    await harness.page.keyboard.press('Alt+Shift+ArrowLeft');
    assert.deepEqual(await headerNames(harness), NAMES);
  });

  it('order survives a restore', async () => {
    const saved = harness.waitForMessage((message) => isViewState(message) && message.state.columnOrder !== undefined);
    await harness.page.locator('.header-label').nth(3).focus();
    await harness.page.keyboard.press('Alt+Shift+ArrowLeft');
    const message = await saved;
    assert.ok(isViewState(message));
    const state: ViewState = message.state;
    assert.equal(state.columnOrder?.[2], NAMES[3]);
    await harness.close();

    harness = await openHarness({ viewport: { width: 1400, height: 700 } });
    await showResult(harness, RESULT, state);
    assert.deepEqual((await headerNames(harness)).slice(0, 4), [NAMES[0], NAMES[1], NAMES[3], NAMES[2]]);
  });

  it('copy follows the displayed order', async () => {
    await harness.page.locator('.header-label').nth(1).focus();
    await harness.page.keyboard.press('Alt+Shift+ArrowLeft');
    await harness.page.locator('.data-cell').first().click();
    const copied = harness.waitForMessage((message) => message.type === 'copy');
    await harness.page.getByRole('button', { name: 'Copy rows (TSV)' }).click();
    const message = await copied;
    assert.ok(message.type === 'copy');
    assert.deepEqual(message.text.split('\n')[0].split('\t').slice(0, 2), [NAMES[1], NAMES[0]]);
  });
});
