// End-to-end pivot chain with the packaged .vsix in code-server. The test
// runs the success-after-failures hunt from its Run lens against the local
// HTTPS server in test/support/huntServer.ts and opens the pivot from the
// flagged user's lens. It runs the pivot, pivots again from its result and
// from a results cell's context menu, and exports the investigation trail
// through the save dialog. The extension runs in normal mode, so it signs in
// through the fake Azure CLI in test/support/fake-az.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { huntBlock } from '../../src/hunts/document';
import { findHunt } from '../../src/hunts/library';
import { ALICE_ACTIVITY, FLAGGED_USERS } from '../fixtures/pivotResults';
import { makeTestCertificate } from '../support/certificate';
import { HuntServer } from '../support/huntServer';
import { type Browser, type CodeServer, findVsix, launchBrowser, startCodeServer, stopAll, workbenchUrl } from '../support/testHost';
import { runCommand } from '../support/workbench';

const repoRoot = resolve(__dirname, '..', '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const UI_TIMEOUT_MS = 30_000;
const TEST_SOC = '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718';
const HUNT_FILE = 'mfa-fatigue-hunt.kql';
const ALICE_LENS = 'alice@contoso.com · 14 denials → approved 02:13 UTC from 203.0.113.7';

/** Returns the lens links of the editor in the active editor group. */
function lenses(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a');
}

/** Resolves when `path` exists and is not empty, watching its folder. */
function waitForFile(folder: string, path: string): Promise<void> {
  return new Promise((resolvePromise) => {
    const check = (): void => {
      if (existsSync(path) && statSync(path).size > 0) {
        watcher.close();
        resolvePromise();
      }
    };
    const watcher = watch(folder, check);
    check();
  });
}

describe('pivot chain end to end', function () {
  this.timeout(5 * 60 * 1000);

  let stateDir = '';
  let workspaceDir = '';
  let hunts: HuntServer | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    mkdirSync(resultsDir, { recursive: true });
    stateDir = mkdtempSync(join(tmpdir(), 'hunt-lens-e2e-pivots-'));
    workspaceDir = join(stateDir, 'workspace');
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspaceDir, { recursive: true });
    writeFileSync(join(workspaceDir, HUNT_FILE), `// connection: Test SOC\n\n${huntBlock(findHunt('success-after-failures')!)}`);

    const certificate = makeTestCertificate(stateDir);
    const token = `e2e-token-${randomUUID()}`;
    hunts = await HuntServer.start({ ...certificate, token });
    server = await startCodeServer({
      installExtensions: [findVsix(repoRoot)],
      settings: {
        'huntLens.endpoints.logAnalytics': `${hunts.url}/v1`,
        'huntLens.signIn': 'azureCli',
        'huntLens.connections': [{ name: 'Test SOC', workspaceId: TEST_SOC }],
      },
      env: {
        NODE_EXTRA_CA_CERTS: certificate.certPath,
        PATH: `${join(repoRoot, 'test', 'support', 'fake-az')}:${process.env.PATH ?? ''}`,
        HUNT_LENS_FAKE_AZ: 'token',
        HUNT_LENS_FAKE_AZ_TOKEN: token,
        // Keeps the extension host from resolving PATH from a login shell, which would hide the fake az.
        VSCODE_CLI: '1',
      },
    });
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(workbenchUrl(server, { folder: workspaceDir }));
    await page.locator('.monaco-workbench .part.editor').waitFor();
  });

  after(async function () {
    if (browser) {
      await page.screenshot({ path: join(resultsDir, 'e2e-pivots-final.png') }).catch(() => undefined);
    }
    await stopAll(browser, server);
    await hunts?.close();
    if (stateDir) {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('runs the hunt, pivots twice and exports the trail', async function () {
    await page.keyboard.press('Control+P');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input.input').fill(HUNT_FILE);
    await widget.locator('.monaco-list-row').filter({ hasText: HUNT_FILE }).first().waitFor();
    await widget.locator('input.input').press('Enter');
    await page.locator('.tabs-container .tab.active').filter({ hasText: HUNT_FILE }).waitFor();

    // Before the run, the hunt block has one lens: Run.
    hunts!.answerWith(FLAGGED_USERS);
    await lenses(page).filter({ hasText: /^\s*Run$/ }).first().click();
    const aliceLens = lenses(page).filter({ hasText: ALICE_LENS });
    await aliceLens.waitFor();
    assert.match(String(hunts!.requests.at(-1)?.body?.query), /\/\/ hunt: success-after-failures/);
    const titles = await lenses(page).allInnerTexts();
    assert.deepEqual(titles.slice(0, 3), [
      ALICE_LENS,
      'bob@contoso.com · 9 denials → approved 03:31 UTC from 198.51.100.2',
      'mallory"; SigninLogs | take 1 //⏎ · 7 denials → approved 04:22 UTC from 192.0.2.66',
    ]);
    assert.equal(titles[3], 'more… (1)');
    await page.screenshot({ path: join(resultsDir, 'e2e-pivots-lenses.png') });

    // The lens opens the post-approval activity query in a new editor, with its own Run lens.
    await aliceLens.click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'Untitled-1' }).waitFor();
    await lenses(page).filter({ hasText: /^\s*Run$/ }).first().waitFor();
    await page.screenshot({ path: join(resultsDir, 'e2e-pivots-pivot-query.png') });

    hunts!.answerWith(ALICE_ACTIVITY);
    await lenses(page).filter({ hasText: /^\s*Run$/ }).first().click();
    const chainLens = lenses(page).filter({ hasText: 'alice@contoso.com · seen 02:15 UTC from 203.0.113.7' });
    await chainLens.waitFor();
    const pivotQuery = String(hunts!.requests.at(-1)?.body?.query);
    assert.match(pivotQuery, /\/\/ hunt: activity-after-approval/);
    assert.match(pivotQuery, /^let userPrincipalName = "alice@contoso\.com";$/m);
    assert.match(pivotQuery, /^let startTime = datetime\(2026-12-01T02:13:00\.000Z\);$/m);
    assert.match(pivotQuery, /^let window = 24h;$/m);
    await page.screenshot({ path: join(resultsDir, 'e2e-pivots-pivot-result.png') });

    // A lens on the pivot's result opens the next pivot of the chain.
    await chainLens.click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'Untitled-2' }).waitFor();
    await lenses(page).filter({ hasText: /^\s*Run$/ }).first().waitFor();

    // The entity of the activity row was last seen at 02:15, so the next pivot starts there.
    await page.screenshot({ path: join(resultsDir, 'e2e-pivots-second-pivot.png') });

    // The entity cells of the pivot's result offer every pivot in their context menu.
    const grid = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await grid.locator('.data-cell.entity').filter({ hasText: 'alice@contoso.com' }).first().click({ button: 'right' });
    // The workbench's menu ignores a click that comes too soon after it
    // opened, so the click is repeated while the menu stays open.
    const menuItem = page.locator('.context-view .monaco-menu .action-label').filter({ hasText: 'Pivot to…' });
    const kinds = page.locator('.quick-input-widget');
    const pickOpened = (): Promise<boolean> =>
      kinds.locator('input.input').waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    await menuItem.click();
    for (let attempt = 1; !(await pickOpened()); attempt++) {
      if (!(await menuItem.isVisible())) {
        // The menu took the click; the quick pick is only slow to open.
        await kinds.locator('input.input').waitFor({ state: 'visible' });
        break;
      }
      assert.ok(attempt < 5, 'Pivot to… in the context menu did not open the pivot quick pick');
      await menuItem.click();
    }
    await kinds.locator('input.input').fill('Sign-ins from this IP');
    await kinds.locator('.monaco-list-row.focused').filter({ hasText: 'Sign-ins from this IP' }).waitFor();
    await kinds.locator('input.input').press('Enter');
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'Untitled-3' }).waitFor();
    await page.screenshot({ path: join(resultsDir, 'e2e-pivots-context-menu-pivot.png') });

    // The trail view lists the run and both pivots.
    await runCommand(page, 'Hunt Lens: Open Hunt Library');
    const trailView = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Investigation Trail/i }) });
    // The view starts collapsed, so the Hunt Library has the whole sidebar until the trail is opened.
    await trailView.locator('.pane-header').click();
    await trailView.locator('.monaco-list-row').filter({ hasText: 'MFA methods registered by one user' }).waitFor();
    await page.screenshot({ path: join(resultsDir, 'e2e-pivots-trail.png') });

    const exported = join(workspaceDir, 'investigation-trail.md');
    const written = waitForFile(workspaceDir, exported);
    await runCommand(page, 'Hunt Lens: Export Trail…');
    // code-server's save dialog is a quick input that proposes the default file name in the workspace.
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelector(selector: string): { value: string } | null } }).document;
      return doc.querySelector('.quick-input-widget input.input')?.value.endsWith('investigation-trail.md') === true;
    });
    await page.locator('.quick-input-widget input.input').press('Enter');
    await written;

    const report = readFileSync(exported, 'utf8');
    assert.match(report, /^\| 1 \| run \| Success after repeated MFA failures \| 4 \|/m);
    assert.match(report, /^\| 2 \| pivot \| Mailbox and file activity after the approval \| 2 \|/m);
    assert.match(report, /^\| 3 \| pivot \| MFA methods registered by one user in a time range \| not run \|/m);
    assert.match(report, /^- Entity: user alice@contoso\.com, IP address 203\.0\.113\.7, approval time 2026-12-01T02:13:00\.000Z/m);
    assert.match(report, /^- Pivot: MFA methods registered from step 2$/m);
    assert.match(report, /^\| 4 \| pivot \| Sign-ins from one IP address \| not run \|/m);
    assert.match(report, /^- Pivot: Sign-ins from this IP from step 2$/m);
    assert.match(report, /^## 3\. MFA methods registered by one user in a time range\n(?:.*\n)*? {2}- startTime: 2026-12-01T02:15:00\.000Z$/m);
  });
});
