// End-to-end test of the results panel: code-server with the packaged .vsix,
// driven through the workbench UI in Chromium. It opens a results file, then
// sorts, filters, opens a dynamic cell, exports CSV through the save dialog,
// and reloads the window to see the panel restored with its filter.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { toCsv } from '../../src/webview/core/export';
import { signInResult } from '../fixtures/signInResults';
import { type Browser, type CodeServer, findVsix, launchBrowser, startCodeServer, stopAll, workbenchUrl } from '../support/testHost';
import { openFile, resultsFrame, runCommand } from '../support/workbench';

const repoRoot = resolve(__dirname, '..', '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const UI_TIMEOUT_MS = 30_000;
const ROW_COUNT = 2_000;
/** The title of a results panel of the fixture result. */
const TITLE = 'SigninLogs · contoso-sentinel';

/**
 * Resolves when a file whose name matches `pattern` in `folder` contains `length` bytes, watching the
 * folder for changes, and returns its path.
 */
function waitForFile(folder: string, pattern: RegExp, length: number): Promise<string> {
  return new Promise((resolvePromise) => {
    const check = (): boolean => {
      if (!existsSync(folder)) {
        watcher.close();
        return false;
      }
      const name = readdirSync(folder).find((file) => pattern.test(file));
      const path = name === undefined ? undefined : join(folder, name);
      if (path !== undefined && existsSync(path) && statSync(path).size === length) {
        watcher.close();
        resolvePromise(path);
        return true;
      }
      return false;
    };
    const watcher = watch(folder, () => check());
    check();
  });
}

/** Runs Open Results File on results.json, the active editor of the first editor group. */
async function openResultsFromFirstGroup(page: Page): Promise<void> {
  await runCommand(page, 'View: Focus First Editor Group');
  await page.locator('.editor-group-container.active .tab.active').filter({ hasText: 'results.json' }).waitFor();
  await runCommand(page, 'Hunt Lens: Open Results File…');
}

describe('results panel end to end', function () {
  this.timeout(5 * 60 * 1000);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workspaceDir = '';
  let page: Page;
  const result = signInResult(ROW_COUNT);

  before(async function () {
    mkdirSync(resultsDir, { recursive: true });
    workspaceDir = mkdtempSync(join(tmpdir(), 'hunt-lens-e2e-results-'));
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspaceDir, { recursive: true });
    writeFileSync(join(workspaceDir, 'results.json'), JSON.stringify(result));

    server = await startCodeServer({
      installExtensions: [findVsix(repoRoot)],
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
    });
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(workbenchUrl(server, { folder: workspaceDir }));
    await page.locator('.monaco-workbench .part.editor').waitFor();
  });

  afterEach(async function () {
    if (browser && this.currentTest) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page.screenshot({ path: join(resultsDir, `e2e-results-${name}.png`) }).catch(() => undefined);
    }
  });

  after(async function () {
    await stopAll(browser, server);
    if (workspaceDir) {
      rmSync(workspaceDir, { recursive: true, force: true });
    }
  });

  it('opens a results file as a table', async () => {
    await openFile(page, 'results.json');
    await runCommand(page, 'Hunt Lens: Open Results File…');
    const frame = resultsFrame(page);
    await frame.locator('.data-row').first().waitFor();
    await frame.locator('.summary h1').filter({ hasText: 'SigninLogs · contoso-sentinel' }).waitFor();
    await frame.locator('.status').filter({ hasText: `${ROW_COUNT.toLocaleString('en')} rows` }).waitFor();
    const firstRow = await frame.locator('.data-row').first().locator('.data-cell').allTextContents();
    assert.deepEqual(firstRow.slice(0, 2), ['2024-05-01T00:00:00.0000000Z', 'alice@contoso.com']);
  });

  it('sorts by clicking a column header', async () => {
    const frame = resultsFrame(page);
    const header = frame.locator('.header-label').filter({ hasText: /^UserPrincipalName/ });
    await header.click();
    await frame.locator('.header-cell[aria-sort="ascending"]').waitFor();
    await header.click();
    await frame.locator('.header-cell[aria-sort="descending"]').waitFor();
    await frame.locator('.data-row').first().locator('.data-cell').nth(1).filter({ hasText: 'erin@fabrikam.com' }).waitFor();
  });

  it('filters and opens a dynamic cell', async () => {
    const frame = resultsFrame(page);
    const expected = result.tables[0].rows.filter((row) => row[1] === 'bob@contoso.com').length;
    await frame.locator('input.filter').fill('bob@');
    await frame.locator('.status').filter({ hasText: `${expected.toLocaleString('en')} of ${ROW_COUNT.toLocaleString('en')} rows match` }).waitFor();
    await frame.locator('.data-row').first().dblclick();
    const details = frame.locator('.details:not([hidden])');
    await details.locator('summary').filter({ hasText: '{ 2 keys }' }).waitFor();
    await details.locator('.json-key').filter({ hasText: 'countryOrRegion' }).waitFor();
  });

  it('exports CSV through the save dialog', async () => {
    const table = result.tables[0];
    const expected = toCsv(table.columns, table.rows, { guardFormulas: true });
    const written = waitForFile(workspaceDir, /^hunt-results-.*\.csv$/, Buffer.byteLength(expected));

    const frame = resultsFrame(page);
    await frame.locator('button').filter({ hasText: 'Export CSV…' }).click();
    // code-server's save dialog is a quick input that proposes the default file name in the workspace.
    const dialog = page.locator('.quick-input-widget');
    await dialog.locator('input.input').waitFor({ state: 'visible' });
    // The dialog first shows the folder, then completes the proposed file name.
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelector(selector: string): { value: string } | null } }).document;
      return doc.querySelector('.quick-input-widget input.input')?.value.endsWith('hunt-results-2024-05-02T08-00-00-000Z.csv') === true;
    });
    await dialog.locator('input.input').press('Enter');

    // The whole table is exported, not only the 400 filtered rows.
    assert.equal(readFileSync(await written, 'utf8'), expected);
  });

  it('restores the panel after a reload', async () => {
    // The Reload Window command lets the workbench save its editor layout first; page.reload() may not.
    const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
    await runCommand(page, 'Developer: Reload Window');
    await navigated;
    await page.locator('.monaco-workbench .part.editor').waitFor();
    const frame = resultsFrame(page);
    await frame.locator('.data-row').first().waitFor();
    assert.equal(await frame.locator('input.filter').inputValue(), 'bob@');
    await frame.locator('.header-cell[aria-sort="descending"]').waitFor();
  });

  it('numbers a new panel after restored ones', async () => {
    // A second panel of the same result opens in front of the first, so after
    // the reload the first panel's tab is restored in the background.
    const tabs = page.locator('.tabs-container .tab');
    await openResultsFromFirstGroup(page);
    await tabs.filter({ hasText: `${TITLE} (2)` }).waitFor();
    // The webview stores the state a restore needs once it shows rows.
    await page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame').locator('.data-row').first().waitFor();

    const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
    await runCommand(page, 'Developer: Reload Window');
    await navigated;
    await tabs.filter({ hasText: `${TITLE} (2)` }).waitFor();
    await resultsFrame(page).locator('.data-row').first().waitFor();

    await openResultsFromFirstGroup(page);
    await tabs.filter({ hasText: TITLE }).nth(2).waitFor();
    const titles = await tabs.locator('.label-name').allTextContents();
    assert.deepEqual(
      titles.filter((title) => title.startsWith(TITLE)).sort(),
      [TITLE, `${TITLE} (2)`, `${TITLE} (3)`],
    );
  });
});
