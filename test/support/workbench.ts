/** Steps in the code-server workbench that the end-to-end tests share. */
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** Escapes text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Returns the quick input widget shared by the command palette, quick picks and input boxes. */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Returns the tab of `fileName` when it is the active tab of its editor group. */
export function activeTab(page: Page, fileName: string): Locator {
  return page.locator('.tabs-container .tab.active').filter({ hasText: fileName });
}

/** Opens the command palette with F1 and runs the command whose palette label starts with `label`. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const widget = quickInput(page);
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  await widget
    .locator('.monaco-list-row')
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}`) })
    .first()
    .waitFor();
  await input.press('Enter');
}

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab to be active. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const widget = quickInput(page);
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await widget.locator('.monaco-list-row').filter({ hasText: fileName }).first().waitFor();
  await input.press('Enter');
  await activeTab(page, fileName).waitFor();
}

/** Returns the results webview's content frame, which VS Code nests in an outer webview iframe. */
export function resultsFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}
