// Accessibility of the results grid in the real webview bundle, in Chromium:
// ARIA grid roles and counts, keyboard movement of the active cell with a
// visible focus, and a high-contrast theme's border and outline colours.
import * as assert from 'node:assert/strict';
import type { QueryResult } from '../../src/results/model';
import { signInResult } from '../fixtures/signInResults';
import { showResult } from '../support/resultsPage';
import { openHarness, type Harness } from '../support/webviewHarness';

const ROWS = 300;
const RESULT: QueryResult = signInResult(ROWS);
const COLUMNS = RESULT.tables[0].columns.length;

/** Waits until the grid's aria-activedescendant names the cell at a row and column position, and returns that cell's classes. */
async function activeCellIs(harness: Harness, row: number, column: number): Promise<string> {
  const id = `cell-${row}-${column}`;
  // A locator wait, because waitForFunction evaluates its text with eval, which the page's CSP blocks.
  await harness.page.locator(`.grid[aria-activedescendant="${id}"]`).waitFor();
  return (await harness.page.locator(`#${id}`).getAttribute('class')) ?? '';
}

async function computed(harness: Harness, selector: string, property: string): Promise<string> {
  return harness.page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`);
}

describe('results grid accessibility', function () {
  this.timeout(120_000);
  let harness: Harness;

  beforeEach(async () => {
    harness = await openHarness({ viewport: { width: 1200, height: 600 } });
    await showResult(harness, RESULT);
  });

  afterEach(async () => {
    assert.deepEqual(harness.violations, [], 'the page tried something its CSP blocked');
    await harness.close();
  });

  it('grid exposes ARIA roles and counts', async () => {
    const grid = harness.page.getByRole('grid', { name: 'Query results' });
    assert.equal(await grid.getAttribute('aria-rowcount'), String(ROWS + 2));
    assert.equal(await grid.getAttribute('aria-colcount'), String(COLUMNS));
    assert.equal(await harness.page.getByRole('columnheader').count(), COLUMNS);
    const firstRow = harness.page.locator('.data-row').first();
    assert.equal(await firstRow.getAttribute('role'), 'row');
    assert.equal(await firstRow.getAttribute('aria-rowindex'), '3');
    assert.ok((await firstRow.getByRole('gridcell').count()) > 0);
    assert.equal(await firstRow.getByRole('gridcell').first().getAttribute('aria-colindex'), '1');
  });

  it('headers report their sort', async () => {
    const headers = harness.page.getByRole('columnheader');
    assert.equal(await headers.nth(1).getAttribute('aria-sort'), 'none');
    await headers.nth(1).locator('.header-label').click();
    await harness.page.locator('[role=columnheader][aria-sort=ascending]').nth(0).waitFor();
    assert.equal(await harness.page.getByRole('columnheader').nth(1).getAttribute('aria-sort'), 'ascending');
    assert.equal(await harness.page.getByRole('columnheader').nth(0).getAttribute('aria-sort'), 'none');
    await harness.page.getByRole('columnheader').nth(1).locator('.header-label').click();
    await harness.page.locator('[role=columnheader][aria-sort=descending]').nth(0).waitFor();
    assert.equal(await harness.page.getByRole('columnheader').nth(1).getAttribute('aria-sort'), 'descending');
  });

  it('arrow keys move the active cell', async () => {
    await harness.page.locator('.grid').focus();
    await activeCellIs(harness, 0, 0);
    await harness.page.keyboard.press('ArrowDown');
    await activeCellIs(harness, 1, 0);
    await harness.page.keyboard.press('ArrowRight');
    await harness.page.keyboard.press('ArrowRight');
    await activeCellIs(harness, 1, 2);
    await harness.page.keyboard.press('ArrowLeft');
    await activeCellIs(harness, 1, 1);
    await harness.page.keyboard.press('ArrowUp');
    await harness.page.keyboard.press('ArrowUp');
    const classes = await activeCellIs(harness, 0, 1);
    assert.match(classes, /\bactive\b/);
  });

  it('Home, End and pages move the active cell', async () => {
    await harness.page.locator('.grid').focus();
    await harness.page.keyboard.press('End');
    await activeCellIs(harness, 0, COLUMNS - 1);
    await harness.page.keyboard.press('Home');
    await activeCellIs(harness, 0, 0);
    await harness.page.keyboard.press('PageDown');
    // The key can be handled after press() returns, so wait until the active cell has left the first cell.
    await harness.page.locator('.grid:not([aria-activedescendant="cell-0-0"])').waitFor();
    const page = await harness.page.evaluate<number>(`Number(document.querySelector('.grid').getAttribute('aria-activedescendant').split('-')[1])`);
    assert.ok(page > 5, `Page Down moved to row ${page}`);
    await harness.page.keyboard.press('PageUp');
    await activeCellIs(harness, 0, 0);
    await harness.page.keyboard.press('Control+End');
    await activeCellIs(harness, ROWS - 1, 0);
    await harness.page.keyboard.press('Control+Home');
    await activeCellIs(harness, 0, 0);
  });

  it('active cell shows a focus outline', async () => {
    // VS Code defines --vscode-focusBorder in every theme; the harness page has no theme.
    await harness.page.evaluate(`document.documentElement.style.setProperty('--vscode-focusBorder', 'rgb(0, 127, 212)')`);
    await harness.page.locator('.grid').focus();
    await activeCellIs(harness, 0, 0);
    assert.equal(await computed(harness, '#cell-0-0', 'outline-style'), 'solid');
    assert.equal(await computed(harness, '#cell-0-0', 'outline-width'), '1px');
    assert.equal(await computed(harness, '#cell-0-0', 'outline-color'), 'rgb(0, 127, 212)');
    assert.equal(await computed(harness, '#cell-0-1', 'outline-style'), 'none');
  });

  it('high contrast uses contrast borders', async () => {
    await harness.page.evaluate(`(() => {
      const style = document.documentElement.style;
      style.setProperty('--vscode-focusBorder', 'rgb(1, 2, 3)');
      style.setProperty('--vscode-editorGroup-border', 'rgb(4, 5, 6)');
    })()`);
    await harness.page.locator('.grid').focus();
    await activeCellIs(harness, 0, 0);
    assert.equal(await computed(harness, '#cell-0-1', 'border-right-color'), 'rgb(4, 5, 6)', 'the default theme border');
    assert.equal(await computed(harness, '#cell-0-0', 'outline-color'), 'rgb(1, 2, 3)', 'the default theme focus');

    await harness.page.evaluate(`(() => {
      const style = document.documentElement.style;
      style.setProperty('--vscode-contrastBorder', 'rgb(111, 222, 33)');
      style.setProperty('--vscode-contrastActiveBorder', 'rgb(250, 128, 10)');
    })()`);
    assert.equal(await computed(harness, '#cell-0-1', 'border-right-color'), 'rgb(111, 222, 33)');
    assert.equal(await computed(harness, '#cell-0-1', 'border-bottom-color'), 'rgb(111, 222, 33)');
    assert.equal(await computed(harness, '.header-cell', 'border-right-color'), 'rgb(111, 222, 33)');
    assert.equal(await computed(harness, '#cell-0-0', 'outline-color'), 'rgb(250, 128, 10)');
    assert.equal(await computed(harness, '.grid', 'outline-color'), 'rgb(250, 128, 10)', 'the focused grid outline');
  });
});
