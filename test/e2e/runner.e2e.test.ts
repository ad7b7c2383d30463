// End-to-end run of a query: the packaged .vsix in code-server, a connection
// picked from the status bar, Ctrl+Enter in a KQL editor, and the summary
// notification. The queries go to the local HTTPS server in
// test/support/huntServer.ts. The extension runs in normal mode here, so it
// signs in with huntLens.signIn=azureCli through the fake Azure CLI in
// test/support/fake-az, which prints this run's token.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { makeTestCertificate } from '../support/certificate';
import { HuntServer } from '../support/huntServer';
import { type Browser, type CodeServer, findVsix, launchBrowser, startCodeServer, stopAll, workbenchUrl } from '../support/testHost';

const repoRoot = resolve(__dirname, '..', '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const UI_TIMEOUT_MS = 30_000;
const TEST_SOC = '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718';
const OTHER_SOC = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('query runner end to end', function () {
  this.timeout(5 * 60 * 1000);

  let stateDir = '';
  let hunts: HuntServer | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    mkdirSync(resultsDir, { recursive: true });
    stateDir = mkdtempSync(join(tmpdir(), 'hunt-lens-e2e-runner-'));
    const workspaceDir = join(stateDir, 'workspace');
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspaceDir, { recursive: true });

    const certificate = makeTestCertificate(stateDir);
    const token = `e2e-token-${randomUUID()}`;
    hunts = await HuntServer.start({ ...certificate, token });

    server = await startCodeServer({
      installExtensions: [findVsix(repoRoot)],
      settings: {
        'huntLens.endpoints.logAnalytics': `${hunts.url}/v1`,
        'huntLens.signIn': 'azureCli',
        'huntLens.connections': [
          { name: 'Test SOC', workspaceId: TEST_SOC },
          { name: 'Other SOC', workspaceId: OTHER_SOC },
        ],
      },
      env: {
        NODE_EXTRA_CA_CERTS: certificate.certPath,
        PATH: `${join(repoRoot, 'test', 'support', 'fake-az')}:${process.env.PATH ?? ''}`,
        HUNT_LENS_FAKE_AZ: 'token',
        HUNT_LENS_FAKE_AZ_TOKEN: token,
        // VS Code's server skips resolving the environment from a login shell
        // when VSCODE_CLI is 1. A login shell would reset PATH, and the extension host would not find the fake az.
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
      await page.screenshot({ path: join(resultsDir, 'e2e-runner.png') }).catch(() => undefined);
    }
    await stopAll(browser, server);
    await hunts?.close();
    if (stateDir) {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('selects a connection and runs with Ctrl+Enter', async function () {
    await page.keyboard.press('Control+P');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input.input').fill('sign-ins.kql');
    await widget.locator('.monaco-list-row').filter({ hasText: 'sign-ins.kql' }).first().waitFor();
    await widget.locator('input.input').press('Enter');
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'sign-ins.kql' }).waitFor();

    // The first connection is active until the user picks another from the status bar.
    const connectionItem = page.locator('.statusbar-item').filter({ hasText: 'Test SOC' });
    await connectionItem.click();
    await widget.locator('.quick-input-title').filter({ hasText: 'Select Workspace' }).waitFor();
    await widget.locator('input.input').fill('Other SOC');
    await widget.locator('.monaco-list-row.focused').filter({ hasText: 'Other SOC' }).waitFor();
    await widget.locator('input.input').press('Enter');
    await page.locator('.statusbar-item').filter({ hasText: 'Other SOC' }).waitFor();

    const original = readFileSync(join(stateDir, 'workspace', 'sign-ins.kql'), 'utf8');
    await page.locator('.editor-instance .monaco-editor .view-line').nth(2).click();
    await page.keyboard.press('Control+Enter');

    // The run opens its result in the results panel, which takes the focus
    // and would close a notification center opened earlier. So the test waits
    // for the panel's tab, then opens the center through the palette.
    const resultsTab = page.locator('.tabs-container .tab').filter({ hasText: 'SigninLogs · Other SOC' });
    await resultsTab.waitFor();

    // A successful run ends with a summary notification. The headless
    // workbench files it in the notification center without a toast. The
    // progress notification says "the query on", so it does not match.
    await page.keyboard.press('F1');
    await widget.locator('input.input').fill('>Notifications: Show Notifications');
    await widget.locator('.monaco-list-row').filter({ hasText: 'Notifications: Show Notifications' }).first().waitFor();
    await widget.locator('input.input').press('Enter');
    const notification = page.locator('.notifications-center .notification-list-item').filter({ hasText: /Query on Log Analytics workspace "Other SOC"/ }).first();
    await notification.waitFor().catch(async (error: unknown) => {
      await page.screenshot({ path: join(resultsDir, 'e2e-runner-no-notification.png') });
      throw new Error(`No notification about the run; the server received ${hunts?.requests.length ?? 0} requests. ${String(error)}`);
    });
    assert.match(await notification.innerText(), /Query on Log Analytics workspace "Other SOC".*2 rows/);

    // The results panel is titled with the first line of code and the target.
    await resultsTab.click();
    const grid = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await grid.locator('.data-cell').first().waitFor();
    assert.match((await grid.locator(".summary").innerText()).replace(/\s+/g, " "), /Rows 2 /);
    await page.screenshot({ path: join(resultsDir, 'e2e-runner-results-panel.png') });

    const request = hunts?.requests.at(-1);
    assert.equal(request?.workspaceId, OTHER_SOC);
    assert.equal(request?.fault, undefined, 'the server rejected the request (token, body or Prefer header)');
    assert.match(String(request?.body?.query), /^\/\/ Sign-ins denied by the user/);
    assert.equal(readFileSync(join(stateDir, 'workspace', 'sign-ins.kql'), 'utf8'), original);
  });
});
