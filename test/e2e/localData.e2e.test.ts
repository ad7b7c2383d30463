// End to end on the sample workspace, as `npm start` serves it: the packaged
// .vsix in code-server, no connection and no Azure account, so the status bar
// shows Local data. Ctrl+Enter in a library hunt runs it on the sample
// tenant's exports with the local engine, and the results panel must list the
// attacked user and not the trap user. The flagged user's lens then opens the
// post-approval pivot, which must find the attacker's inbox rule.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { HUNTS } from '../../src/hunts/library';
import { type Browser, type CodeServer, findVsix, launchBrowser, startCodeServer, stopAll, workbenchUrl } from '../support/testHost';
import { quickInput, runCommand } from '../support/workbench';

const repoRoot = resolve(__dirname, '..', '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const UI_TIMEOUT_MS = 60_000;

interface Storylines {
  trapUser: string;
  expectedFlags: Record<string, string[]>;
  storylines: Array<{ id: string; userPrincipalName: string; attackerIPAddress?: string; denials?: number; approvalTime?: string }>;
}

/** Returns the lens links of every visible editor. */
function lenses(page: Page): Locator {
  return page.locator('.monaco-editor .codelens-decoration a');
}

describe('local data end to end', function () {
  this.timeout(5 * 60 * 1000);

  let stateDir = '';
  let workspaceDir = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const truth = JSON.parse(readFileSync(join(repoRoot, 'sample', 'data', 'storylines.json'), 'utf8')) as Storylines;

  before(async function () {
    mkdirSync(resultsDir, { recursive: true });
    stateDir = mkdtempSync(join(tmpdir(), 'hunt-lens-e2e-local-'));
    workspaceDir = join(stateDir, 'workspace');
    cpSync(join(repoRoot, 'sample'), workspaceDir, { recursive: true });
    server = await startCodeServer({ installExtensions: [findVsix(repoRoot)] });
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(workbenchUrl(server, { folder: workspaceDir }));
    await page.locator('.monaco-workbench .part.editor').waitFor();
  });

  after(async function () {
    if (browser) {
      await page.screenshot({ path: join(resultsDir, 'e2e-local-data.png') }).catch(() => undefined);
    }
    await stopAll(browser, server);
    if (stateDir) {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('runs a library hunt on the sample data and shows the attacked user', async function () {
    await page.keyboard.press('Control+P');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input.input').fill('mfa-fatigue.kql');
    await widget.locator('.monaco-list-row').filter({ hasText: 'mfa-fatigue.kql' }).first().waitFor();
    await widget.locator('input.input').press('Enter');
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'mfa-fatigue.kql' }).waitFor();
    await page.locator('.statusbar-item').filter({ hasText: 'Local data' }).waitFor();

    const original = readFileSync(join(workspaceDir, 'mfa-fatigue.kql'), 'utf8');
    // The first hunt's `let lookback` line; any line of the block runs the block.
    await page.locator('.editor-instance .monaco-editor .view-line').filter({ hasText: 'let minFailedAttempts' }).first().click();
    await page.keyboard.press('Control+Enter');

    await page.locator('.tabs-container .tab').filter({ hasText: 'Success after repeated MFA failures · Local data' }).waitFor();
    const grid = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await grid.locator('.data-cell').first().waitFor();
    const flagged = truth.expectedFlags['success-after-failures'] ?? [];
    assert.ok(flagged.length > 0, 'storylines.json flags no user for success-after-failures');
    for (const user of flagged) {
      await grid.locator('.data-cell').filter({ hasText: user }).first().waitFor();
    }
    const cells = await grid.locator('.data-cell').allInnerTexts();
    assert.ok(!cells.some((text) => text.includes(truth.trapUser)), 'the trap user is in the results');
    assert.match((await grid.locator('.summary').innerText()).replace(/\s+/g, ' '), new RegExp(`Rows ${flagged.length} `));
    await page.screenshot({ path: join(resultsDir, 'e2e-local-data-results.png') });
    assert.equal(readFileSync(join(workspaceDir, 'mfa-fatigue.kql'), 'utf8'), original);
  });

  it("follows the flagged user's lens to the activity after the approval", async function () {
    const story = truth.storylines.find((candidate) => candidate.id === 'push-bombing-approved');
    assert.ok(story, 'storylines.json lacks the approved push-bombing');
    assert.ok(story.approvalTime, 'the storyline has no approval time');
    assert.ok(story.attackerIPAddress, 'the storyline has no attacker address');
    assert.ok(story.denials, 'the storyline has no denial count');
    const approvedAt = story.approvalTime.slice(11, 16);
    const title = `${story.userPrincipalName} · ${story.denials} denials → approved ${approvedAt} UTC from ${story.attackerIPAddress}`;
    const lens = lenses(page).filter({ hasText: title });
    await lens.waitFor();
    await page.screenshot({ path: join(resultsDir, 'e2e-local-data-lenses.png') });

    await lens.click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'Untitled-1' }).waitFor();
    await lenses(page).filter({ hasText: /^\s*Run$/ }).first().click();
    await page.locator('.tabs-container .tab').filter({ hasText: 'Mailbox and file activity after the approval · Local data' }).waitFor();
    const grid = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await grid.locator('.data-cell').filter({ hasText: 'New-InboxRule' }).first().waitFor();
    // Filtering on the attacker's address leaves the three mail reads and the
    // rule; the user's own mail access that morning came from home.
    await grid.locator('input.filter[placeholder="Filter all columns"]').fill(story.attackerIPAddress);
    await grid.getByText('4 of 5 rows match').waitFor();
    await page.screenshot({ path: join(resultsDir, 'e2e-local-data-pivot.png') });
  });

  it("sorts, filters, opens a dynamic cell and exports a run's result", async function () {
    const expected = truth.expectedFlags['denials-then-approval'] ?? [];
    assert.equal(expected.length, 2, 'the sample should flag two users for denials-then-approval');
    const [first, second] = [...expected].sort();

    // The results webview has the keyboard focus, so the file is opened from the Explorer.
    await page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: 'mfa-fatigue.kql' }).click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'mfa-fatigue.kql' }).waitFor();
    const widget = page.locator('.quick-input-widget');
    // The hunt is below the first screen, so the cursor goes there with Go to Line.
    const line = readFileSync(join(workspaceDir, 'mfa-fatigue.kql'), 'utf8').split('\n').findIndex((text) => text.startsWith('let denialWindow')) + 1;
    assert.ok(line > 0, 'the sample file has no denials-then-approval hunt');
    await page.keyboard.press('Control+G');
    await widget.locator('input.input').waitFor({ state: 'visible' });
    await widget.locator('input.input').fill(`:${line}`);
    await widget.locator('input.input').press('Enter');
    await page.locator('.editor-instance .monaco-editor .view-line').filter({ hasText: 'let denialWindow' }).first().waitFor();
    await page.keyboard.press('Control+Enter');
    await page.locator('.tabs-container .tab').filter({ hasText: 'Denied prompts followed by an approval · Local data' }).waitFor();

    const grid = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await grid.locator('.status').filter({ hasText: '2 rows' }).waitFor();
    const header = grid.locator('.header-label').filter({ hasText: /^UserPrincipalName/ });
    await header.click();
    await grid.locator('.header-cell[aria-sort="ascending"]').waitFor();
    await grid.locator('.data-row').first().locator('.data-cell').first().filter({ hasText: first ?? '' }).waitFor();
    await header.click();
    await grid.locator('.header-cell[aria-sort="descending"]').waitFor();
    await grid.locator('.data-row').first().locator('.data-cell').first().filter({ hasText: second ?? '' }).waitFor();

    await grid.locator('input.filter[placeholder="Filter all columns"]').fill(first ?? '');
    await grid.locator('.status').filter({ hasText: '1 of 2 rows match' }).waitFor();
    // DenialIPs is a dynamic array; the row details show it as collapsible JSON.
    await grid.locator('.data-row').first().dblclick();
    const details = grid.locator('.details:not([hidden])');
    await details.locator('summary').filter({ hasText: /^\[ \d+ items? \]$/ }).first().waitFor();

    const exported = new Promise<string>((resolvePromise) => {
      const watcher = watch(workspaceDir, (_event, name) => {
        const file = typeof name === 'string' && /^hunt-results-.*\.csv$/.test(name) ? join(workspaceDir, name) : undefined;
        if (file && existsSync(file) && readFileSync(file, 'utf8').split('\r\n').length === 4) {
          watcher.close();
          resolvePromise(file);
        }
      });
    });
    await grid.locator('button').filter({ hasText: 'Export CSV…' }).click();
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelector(selector: string): { value: string } | null } }).document;
      return /hunt-results-[^/]*\.csv$/.test(doc.querySelector('.quick-input-widget input.input')?.value ?? '');
    });
    await page.locator('.quick-input-widget input.input').press('Enter');
    const lines = readFileSync(await exported, 'utf8').split('\r\n');
    // The whole table is exported, not only the filtered row.
    assert.match(lines[0] ?? '', /^UserPrincipalName,ApprovalTime,ApprovalIPAddress,/);
    assert.deepEqual(lines.slice(1, 3).map((line) => line.split(',')[0]).sort(), [first, second]);
    assert.equal(lines[3], '');
    await page.screenshot({ path: join(resultsDir, 'e2e-local-data-sorted-filtered.png') });
  });

  it("runs a hunt from the walkthrough's Run Hunt button", async function () {
    const hunt = HUNTS.find((candidate) => candidate.title === 'MFA prompt bursts in a sliding window');
    assert.ok(hunt, 'the library has no MFA prompt bursts hunt');
    const count = hunt.parameters.length;
    assert.ok(count > 1, 'the test needs a hunt with several parameter prompts');

    await runCommand(page, 'Welcome: Open Walkthrough');
    const widget = quickInput(page);
    await widget.locator('.monaco-list-row').filter({ hasText: 'Get started with Hunt Lens' }).first().click();
    await page.locator('.getting-started-step').filter({ hasText: 'Run a hunt' }).first().click();
    await page.locator('.getting-started-step.expanded a.monaco-button').filter({ hasText: 'Run Hunt' }).click();
    await widget.locator('.monaco-list-row').filter({ hasText: hunt.title }).first().click();

    // The walkthrough page takes focus back after each answer; every prompt must still show.
    for (let index = 1; index <= count; index++) {
      await widget.locator('.quick-input-title').filter({ hasText: `${hunt.title} (${index}/${count})` }).waitFor({ state: 'visible' });
      await widget.locator('input.input').press('Enter');
    }
    await page.locator('.tabs-container .tab').filter({ hasText: `${hunt.title} · Local data` }).waitFor();
    await page.screenshot({ path: join(resultsDir, 'e2e-local-data-walkthrough.png') });
  });
});
