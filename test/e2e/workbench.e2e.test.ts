// End-to-end tier: installs the packaged .vsix into a fresh code-server, opens a
// copy of test/fixtures/workspace in headless Chromium, and drives the real
// workbench UI with Playwright. Screenshots go to test-results/.
//
// Run: npm run package && npx tsc -p . && npx mocha 'out/test/e2e/**/*.e2e.test.js'
// Environment: HUNT_LENS_VSIX selects the package (default: the newest *.vsix in
// the repository root).
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { huntBlock } from '../../src/hunts/document';
import { findHunt, HUNTS } from '../../src/hunts/library';
import { STAGE_LABELS, type HuntStage } from '../../src/hunts/types';
import { type Browser, type CodeServer, findVsix, launchBrowser, startCodeServer, stopAll, workbenchUrl } from '../support/testHost';
import { activeTab, escapeRegExp, openFile, quickInput, runCommand } from '../support/workbench';

const repoRoot = resolve(__dirname, '..', '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const STAGES: readonly HuntStage[] = ['before', 'approval', 'after'];

/** Maximum wait for one UI step, in milliseconds. The first steps also wait for the extension host to start. */
const UI_TIMEOUT_MS = 30_000;

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(resultsDir, `e2e-${name}.png`) });
}

describe('workbench end to end', function () {
  this.timeout(5 * 60 * 1000);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  // Assigned in before(); after() checks workspaceDir because before() can fail first.
  let workspaceDir = '';
  let page: Page;

  before(async function () {
    mkdirSync(resultsDir, { recursive: true });
    const vsix = findVsix(repoRoot);

    // The tests type into and save workspace files, so they work on a copy.
    workspaceDir = mkdtempSync(join(tmpdir(), 'hunt-lens-e2e-workspace-'));
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspaceDir, { recursive: true });

    server = await startCodeServer({
      installExtensions: [vsix],
      settings: {
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'files.autoSave': 'off',
      },
    });
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(workbenchUrl(server, { folder: workspaceDir }));
    await page.locator('.monaco-workbench .part.editor').waitFor();
    // The activity-bar entry appears once the installed extension's contributions are read.
    await page.locator('.activitybar .action-label[aria-label="Hunt Lens"]').waitFor();
  });

  afterEach(async function () {
    if (browser && this.currentTest) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await screenshot(browser.page, name).catch(() => undefined);
    }
  });

  after(async function () {
    await stopAll(browser, server);
    if (workspaceDir) {
      rmSync(workspaceDir, { recursive: true, force: true });
    }
  });

  it('ranks Run Hunt first for "run hunt"', async function () {
    await page.keyboard.press('F1');
    const widget = quickInput(page);
    const input = widget.locator('input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>run hunt');
    const rows = widget.locator('.monaco-list-row');
    // Both commands are listed before the order is read. The pattern names the
    // command that runs every block of the file under its old title too.
    await rows.filter({ hasText: /Hunt Lens: Run (All )?Hunts in File/ }).first().waitFor();
    await rows.filter({ hasText: 'Hunt Lens: Run Hunt…' }).first().waitFor();
    const first = await widget.locator('.monaco-list-row[data-index="0"] .label-name').innerText();
    await screenshot(page, 'palette-run-hunt');
    await input.press('Escape');
    assert.equal(first, 'Hunt Lens: Run Hunt…');
  });

  it('inserts a hunt from the command palette', async function () {
    const hunt = findHunt('mfa-failures-and-denials');
    assert.ok(hunt, 'hunt mfa-failures-and-denials is not in the library');
    const [firstParameter] = hunt.parameters;
    assert.equal(firstParameter?.type, 'timespan', 'the test types a timespan into the first parameter prompt');

    await openFile(page, 'sign-ins.kql');
    const original = readFileSync(join(workspaceDir, 'sign-ins.kql'), 'utf8');

    await runCommand(page, 'Hunt Lens: Insert Hunt…');
    const widget = quickInput(page);
    await widget.locator('.quick-input-title').filter({ hasText: 'Insert Hunt' }).waitFor();
    await widget.locator('input.input').fill(hunt.title);
    await widget.locator('.monaco-list-row.focused').filter({ hasText: hunt.title }).waitFor();
    await widget.locator('input.input').press('Enter');

    // One input box per parameter, titled "<hunt title> (i/n)".
    const count = hunt.parameters.length;
    for (let index = 1; index <= count; index++) {
      await widget.locator('.quick-input-title').filter({ hasText: `${hunt.title} (${index}/${count})` }).waitFor();
      const input = widget.locator('input.input');
      if (index === 1) {
        await input.fill('3d');
      }
      await input.press('Enter');
    }
    await widget.waitFor({ state: 'hidden' });

    const tab = activeTab(page, 'sign-ins.kql');
    await tab.and(page.locator('.dirty')).waitFor();
    await page.keyboard.press('Control+S');
    await tab.and(page.locator(':not(.dirty)')).waitFor();

    const saved = readFileSync(join(workspaceDir, 'sign-ins.kql'), 'utf8');
    const expected = huntBlock(hunt, { [firstParameter.name]: '3d' }).trimEnd();
    assert.ok(saved.startsWith(original.trimEnd()), 'the original query was changed');
    assert.ok(saved.includes(expected), `the saved file does not contain the hunt's KQL:\n${saved}`);
    assert.ok(saved.includes('let lookback = 3d;'), 'the typed lookback is not in the query');
  });

  it('shows the hunt library in the activity bar', async function () {
    await page.locator('.activitybar .action-label[aria-label="Hunt Lens"]').click();
    const tree = page.locator('.part.sidebar .pane-body .monaco-list').first();
    await tree.waitFor();

    // Stage rows contain only their label; "The approval" must not match "Before the approval".
    for (const stage of STAGES) {
      const stageRow = tree.locator('.monaco-list-row').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(STAGE_LABELS[stage])}\\s*$`) });
      await stageRow.first().waitFor();
      assert.equal(await stageRow.count(), 1, `stage "${STAGE_LABELS[stage]}" is not a single tree row`);
    }
    for (const hunt of HUNTS) {
      const row = tree.locator('.monaco-list-row').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(hunt.title)}`) });
      await row.first().waitFor();
    }
  });

  it('highlights KQL syntax in the editor', async function () {
    await openFile(page, 'approvals.kql');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line').first().waitFor();

    // Tokenization is asynchronous, and semantic tokens from the language server
    // repaint the lines again later, so the colors are read in one snapshot and
    // the check waits until a snapshot shows the keyword and the comment each
    // in their own color, different from the editor's default text color.
    // Monaco renders spaces as no-break spaces, which \s matches.
    const colors = await page.waitForFunction(
      `(() => {
        const lines = document.querySelector('.editor-instance .monaco-editor .view-lines');
        if (!lines) return false;
        const spans = Array.from(lines.querySelectorAll('.view-line span[class^="mtk"]'));
        const keyword = spans.find((span) => /^\\s*where\\s*$/.test(span.textContent));
        const comment = spans.find((span) => /^\\/\\/\\sMFA\\sapprovals/.test(span.textContent));
        if (!keyword || !comment) return false;
        const result = {
          plain: getComputedStyle(lines).color,
          keyword: getComputedStyle(keyword).color,
          comment: getComputedStyle(comment).color,
        };
        const distinct = result.keyword !== result.plain && result.comment !== result.plain && result.keyword !== result.comment;
        return distinct ? result : false;
      })()`,
    );
    const { plain, keyword, comment } = (await colors.jsonValue()) as { plain: string; keyword: string; comment: string };
    assert.notEqual(keyword, plain, 'the keyword has the default text color');
    assert.notEqual(comment, plain, 'the comment has the default text color');
    assert.notEqual(keyword, comment, 'the keyword and the comment have the same color');
  });

  it('inserts a hunt from its snippet', async function () {
    const hunt = findHunt('success-after-failures');
    assert.ok(hunt, 'hunt success-after-failures is not in the library');
    const prefix = `hunt-${hunt.id}`;

    await openFile(page, 'approvals.kql');
    const original = readFileSync(join(workspaceDir, 'approvals.kql'), 'utf8');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type(prefix);
    await page.keyboard.press('Control+Space');

    const suggestion = page
      .locator('.editor-widget.suggest-widget .monaco-list-row')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(prefix)}`) })
      .first();
    await suggestion.waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-widget.suggest-widget').waitFor({ state: 'hidden' });
    // Leave snippet mode so the placeholders keep their default values.
    await page.keyboard.press('Escape');

    const tab = activeTab(page, 'approvals.kql');
    await tab.and(page.locator('.dirty')).waitFor();
    await page.keyboard.press('Control+S');
    await tab.and(page.locator(':not(.dirty)')).waitFor();

    const saved = readFileSync(join(workspaceDir, 'approvals.kql'), 'utf8');
    assert.ok(saved.startsWith(original.trimEnd()), 'the original query was changed');
    assert.ok(saved.includes(huntBlock(hunt).trimEnd()), `the saved file does not contain the snippet's KQL:\n${saved}`);
  });
});
