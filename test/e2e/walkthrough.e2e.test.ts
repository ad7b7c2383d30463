// The Get Started walkthrough in a fresh code-server, before anything else
// has activated the extension. Its Run Hunt button opens a hunt picker and
// then parameter prompts. Each must take the keyboard focus, so a user can
// type into it without clicking it first, whether the button was clicked or
// pressed with Enter.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { HUNTS } from '../../src/hunts/library';
import { type Browser, type CodeServer, findVsix, launchBrowser, startCodeServer, stopAll, workbenchUrl } from '../support/testHost';
import { quickInput, runCommand } from '../support/workbench';

const repoRoot = resolve(__dirname, '..', '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const UI_TIMEOUT_MS = 60_000;

interface FocusLogWindow {
  huntLensFocusLog?: string[];
}

/** Records every element that takes the focus in the workbench page, for failure messages. */
async function recordFocus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const page = globalThis as unknown as FocusLogWindow & { document: { addEventListener(type: string, listener: (event: { target: { tagName?: string; className?: unknown } }) => void, capture: boolean): void } };
    if (page.huntLensFocusLog) {
      page.huntLensFocusLog.length = 0;
      return;
    }
    const log: string[] = [];
    page.huntLensFocusLog = log;
    page.document.addEventListener('focusin', (event) => log.push(`${event.target.tagName ?? ''}.${String(event.target.className)}`), true);
  });
}

async function focusLog(page: Page): Promise<string> {
  return page.evaluate(() => ((globalThis as unknown as FocusLogWindow).huntLensFocusLog ?? []).join('\n'));
}

describe('walkthrough end to end', function () {
  this.timeout(5 * 60 * 1000);

  let stateDir = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    mkdirSync(resultsDir, { recursive: true });
    stateDir = mkdtempSync(join(tmpdir(), 'hunt-lens-e2e-walkthrough-'));
    const workspaceDir = join(stateDir, 'workspace');
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
      await page.screenshot({ path: join(resultsDir, 'e2e-walkthrough.png') }).catch(() => undefined);
    }
    await stopAll(browser, server);
    if (stateDir) {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('focuses the hunt picker and the first prompt', async function () {
    const hunt = HUNTS.find((candidate) => candidate.id === 'mfa-prompt-burst');
    assert.ok(hunt, 'the library has no mfa-prompt-burst hunt');
    const widget = quickInput(page);
    const input = widget.locator('input.input');

    await runCommand(page, 'Welcome: Open Walkthrough');
    await widget.locator('.monaco-list-row').filter({ hasText: 'Get started with Hunt Lens' }).first().click();
    await page.locator('.getting-started-step').filter({ hasText: 'Run a hunt' }).first().click();
    const button = page.locator('.getting-started-step.expanded a.monaco-button').filter({ hasText: 'Run Hunt' });
    await button.waitFor();
    await recordFocus(page);
    await button.click();

    // The picker lists the hunts once the extension has activated. Keys go wherever the focus is.
    await widget.locator('.monaco-list-row').filter({ hasText: hunt.title }).first().waitFor();
    await page.keyboard.type('sliding window');
    assert.equal(await input.inputValue(), 'sliding window', `the hunt picker lost the focus, which went to: ${await focusLog(page)}`);
    await widget.locator('.monaco-list-row.focused').filter({ hasText: hunt.title }).waitFor();
    await page.keyboard.press('Enter');

    await widget.locator('.quick-input-title').filter({ hasText: `${hunt.title} (1/${hunt.parameters.length})` }).waitFor({ state: 'visible' });
    await page.keyboard.press('Control+A');
    await page.keyboard.type('6d');
    assert.equal(await input.inputValue(), '6d', `the first prompt lost the focus, which went to: ${await focusLog(page)}`);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  });

  it('keeps the picker focused after Enter', async function () {
    const hunt = HUNTS.find((candidate) => candidate.id === 'mfa-prompt-burst');
    assert.ok(hunt, 'the library has no mfa-prompt-burst hunt');
    const widget = quickInput(page);
    const input = widget.locator('input.input');

    await page.locator('.getting-started-step').filter({ hasText: 'Run a hunt' }).first().click();
    const button = page.locator('.getting-started-step.expanded a.monaco-button').filter({ hasText: 'Run Hunt' });
    await button.waitFor();
    await recordFocus(page);
    await button.focus();
    await page.keyboard.press('Enter');
    await widget.locator('.monaco-list-row').filter({ hasText: hunt.title }).first().waitFor();

    // The key press also selects the button's step, and the walkthrough focuses
    // that step a moment later unless the step is hidden by then.
    await page.waitForFunction(() => {
      const document = (globalThis as unknown as { document: { activeElement: unknown; querySelector(selector: string): { checkVisibility(): boolean } | null } }).document;
      const step = document.querySelector('.getting-started-step.expanded');
      return step === null || !step.checkVisibility() || document.activeElement === step;
    });
    await page.keyboard.type('sliding window');
    assert.equal(await input.inputValue(), 'sliding window', `the hunt picker lost the focus, which went to: ${await focusLog(page)}`);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  });
});
