// Hostile-content test: the real results webview bundle, in Chromium, under
// the panel's Content Security Policy, shows a result whose column names,
// cells, table names, error text and statistics are XSS payloads. Every
// payload must appear as text, none may run, and no request may leave the page.
import * as assert from 'node:assert/strict';
import type { QueryResult, ResultColumn } from '../../src/results/model';
import { encodeChunks } from '../../src/webview/core/columnar';
import { revealControls } from '../../src/webview/core/format';
import { resultHeader, resultTitle } from '../../src/webview/resultHeader';
import type { RenderReport, WebviewMessage } from '../../src/webview/protocol';
import { xssPayloads } from '../fixtures/xssPayloads';
import { ALLOWED_URLS, openHarness, type Harness } from '../support/webviewHarness';

const PAYLOADS = xssPayloads();
const COLUMN_COUNT = 7;
const ROW_COUNT = Math.ceil(PAYLOADS.length / COLUMN_COUNT);

/** Tags that must not exist in the page: any of them would mean a payload was parsed as HTML. */
const FORBIDDEN_TAGS = ['img', 'svg', 'iframe', 'object', 'embed', 'style', 'a', 'form', 'base', 'video', 'audio', 'math', 'template', 'noscript', 'marquee', 'x', 'isindex', 'textarea', 'select', 'source', 'meta[http-equiv="refresh"]'];

function hostileResult(): QueryResult {
  const columns: ResultColumn[] = PAYLOADS.slice(0, COLUMN_COUNT).map((name) => ({ name, type: 'string' }));
  columns.push({ name: 'Details', type: 'dynamic' });
  const rows = Array.from({ length: ROW_COUNT }, (_row, rowIndex) => {
    const cells = Array.from({ length: COLUMN_COUNT }, (_cell, columnIndex) => PAYLOADS[rowIndex * COLUMN_COUNT + columnIndex] ?? null);
    return [...cells, { kind: 'dynamic' as const, value: { [PAYLOADS[rowIndex]]: PAYLOADS[rowIndex + 1], list: [PAYLOADS[rowIndex + 2]] } }];
  });
  return {
    status: 'PartialFailure',
    error: { code: PAYLOADS[8], message: PAYLOADS[9] },
    tables: [
      { name: PAYLOADS[10], columns, rows },
      { name: PAYLOADS[11], columns: [{ name: PAYLOADS[12], type: 'string' }], rows: [[PAYLOADS[13]]] },
    ],
    statistics: { [PAYLOADS[14]]: PAYLOADS[15] },
    query: `${PAYLOADS[16]}\n| take 10`,
    target: { kind: 'logAnalytics', workspaceId: PAYLOADS[17], displayName: PAYLOADS[18] },
    startedAt: '2024-05-01T08:00:00Z',
    durationMs: 1234,
    requestId: PAYLOADS[19],
    truncated: true,
    warnings: [PAYLOADS[20], PAYLOADS[21]],
  };
}

const isRendered = (message: WebviewMessage): message is Extract<WebviewMessage, { type: 'rendered' }> => message.type === 'rendered';

async function showResult(harness: Harness, result: QueryResult): Promise<RenderReport> {
  const rendered = harness.waitForMessage((message) => isRendered(message) && message.report.visibleRowCount === result.tables[0].rows.length);
  await harness.send({ type: 'result', header: resultHeader(result), settings: { timeZone: 'utc' } });
  for (const [index, table] of result.tables.entries()) {
    for (const chunk of encodeChunks(table, index, 10)) {
      await harness.send({ type: 'chunk', chunk });
    }
  }
  await harness.send({ type: 'complete' });
  const message = await rendered;
  assert.ok(isRendered(message));
  return message.report;
}

function assertNothingRan(harness: Harness): void {
  assert.deepEqual(harness.hits, [], 'a payload ran');
  assert.deepEqual(harness.dialogs, [], 'a dialog opened');
  assert.deepEqual(harness.violations, [], 'the page tried something its CSP blocked');
  const attempted = harness.requests.filter((url) => !ALLOWED_URLS.has(url));
  assert.deepEqual(attempted, [], 'the page tried to load a URL other than its page, script and stylesheet');
  const sent = harness.networkRequests.filter((url) => !ALLOWED_URLS.has(url));
  assert.deepEqual(sent, [], 'a request other than the page, script and stylesheet reached the network');
}

describe('results webview with hostile content', function () {
  this.timeout(120_000);
  let harness: Harness;

  before(async () => {
    assert.ok(PAYLOADS.length >= 200, `only ${PAYLOADS.length} payloads`);
    harness = await openHarness({ viewport: { width: 1600, height: 1100 } });
    await showResult(harness, hostileResult());
  });

  after(async () => {
    await harness?.close();
  });

  it('renders every payload cell as text', async () => {
    const cellTexts = new Set(await harness.page.locator('.data-cell').allTextContents());
    const missing = PAYLOADS.filter((payload) => !cellTexts.has(revealControls(payload)));
    assert.deepEqual(missing, []);
  });

  it('draws columns named like Object members', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const result = hostileResult();
    result.tables = [
      {
        name: 'PrimaryResult',
        columns: names.map((name) => ({ name, type: 'string' })),
        rows: [names.map((name) => `${name}-1`), names.map((name) => `${name}-2`)],
      },
    ];
    await showResult(harness, result);
    const labels = await harness.page.locator('.header-label').allTextContents();
    assert.deepEqual(labels, names);
    const cells = new Set(await harness.page.locator('.data-cell').allTextContents());
    for (const name of names) {
      assert.ok(cells.has(`${name}-1`) && cells.has(`${name}-2`), `the cells of column ${name} are not drawn`);
    }
    const widths = await harness.page.locator('.header-cell').evaluateAll((headers) =>
      headers.map((header) => (header as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width),
    );
    assert.ok(widths.every((width) => width > 20), `header widths ${widths.join(', ')}`);
    await showResult(harness, hostileResult());
  });

  it('renders column names as text', async () => {
    const labels = await harness.page.locator('.header-label').allTextContents();
    assert.deepEqual(labels, [...PAYLOADS.slice(0, COLUMN_COUNT).map(revealControls), 'Details']);
  });

  it('renders title, error, target and tabs as text', async () => {
    const page = harness.page;
    assert.equal(await page.locator('.summary h1').textContent(), revealControls(resultTitle(hostileResult())));
    const banner = (await page.locator('.banner').textContent()) ?? '';
    assert.ok(banner.includes(revealControls(PAYLOADS[9])), 'the error message is not shown as text');
    const tabs = await page.locator('.tab').allTextContents();
    assert.deepEqual(tabs, [revealControls(PAYLOADS[10]), revealControls(PAYLOADS[11])]);
    const facts = (await page.locator('.facts').textContent()) ?? '';
    assert.ok(facts.includes(revealControls(PAYLOADS[18])), 'the target is not shown as text');
    assert.ok(facts.includes(revealControls(PAYLOADS[19])), 'the request id is not shown as text');
  });

  it('creates no element from payload markup', async () => {
    const found = await harness.page.evaluate((selectors) => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document;
      return selectors.filter((selector) => doc.querySelectorAll(selector).length > 0);
    }, FORBIDDEN_TAGS);
    assert.deepEqual(found, []);
    const counts = await harness.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<{ getAttributeNames(): string[] }> } }).document;
      const all = Array.from(doc.querySelectorAll('*'));
      return {
        scripts: doc.querySelectorAll('script').length,
        handlers: all.filter((node) => node.getAttributeNames().some((name) => name.startsWith('on'))).length,
      };
    });
    assert.equal(counts.scripts, 2, 'only the stub and the bundle may be scripts');
    assert.equal(counts.handlers, 0, 'an element has an event-handler attribute');
  });

  it('sorts, filters and opens details safely', async () => {
    const page = harness.page;
    const sorted = harness.waitForMessage(isRendered);
    await page.locator('.header-label').nth(1).click();
    await sorted;

    // The first payload occurs in row 0 only: as a cell and as a key of its dynamic value.
    const filtered = harness.waitForMessage((message) => isRendered(message) && message.report.visibleRowCount === 1);
    await page.locator('input.filter').fill(PAYLOADS[0]);
    await filtered;
    assert.deepEqual(await page.locator('.data-row').first().locator('.data-cell').first().textContent(), revealControls(PAYLOADS[0]));

    await page.locator('.data-row').first().dblclick();
    await page.locator('.details:not([hidden]) dd').first().waitFor();
    const detailText = (await page.locator('.details').textContent()) ?? '';
    assert.ok(detailText.includes('list'), 'the dynamic value is not shown in the details pane');

    await page.locator('.tab').nth(1).click();
    await page.locator('.data-cell').filter({ hasText: revealControls(PAYLOADS[13]) }).waitFor();
    assertNothingRan(harness);
  });

  it('executes nothing and loads nothing', () => {
    assertNothingRan(harness);
    assert.ok(harness.requests.includes([...ALLOWED_URLS][1]), 'the bundle was not loaded, so the test proves nothing');
  });
});

describe('hostile-content detectors', function () {
  this.timeout(60_000);

  it('catch markup inserted as HTML', async () => {
    // Simulates the bug the test guards against: a payload parsed as HTML.
    const harness = await openHarness();
    try {
      const violation = harness.nextViolation();
      await harness.page.evaluate((payload) => {
        const doc = (globalThis as unknown as { document: { body: { insertAdjacentHTML(where: string, html: string): void } } }).document;
        doc.body.insertAdjacentHTML('beforeend', payload);
      }, '<img src="https://evil.test/x.png" onerror="__xssHit(1)">');
      await violation;
      assert.ok(harness.violations.length > 0, 'the CSP violation was not recorded');
      assert.ok(harness.requests.includes('https://evil.test/x.png'), 'the attempted image load was not recorded');
      assert.ok(!harness.networkRequests.includes('https://evil.test/x.png'), 'the image got past the CSP');
    } finally {
      await harness.close();
    }
  });
});
