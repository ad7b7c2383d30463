/** The Save as Evidence command, which saves from the active results panel. */
import * as vscode from 'vscode';
import { showErrorWithLog, type Log } from '../extension/log';
import type { ResultsPanels } from '../webview/results';
import type { EvidenceScope, SavedEvidence } from './saveEvidence';

/** Optional argument of `huntLens.saveEvidence`, for keybindings and tests: which rows to save without asking. */
interface SaveEvidenceArgument {
  rows?: 'selected' | 'all';
}

function scopeOf(argument: unknown): EvidenceScope {
  const rows = (argument as SaveEvidenceArgument | undefined)?.rows;
  return rows === 'selected' || rows === 'all' ? rows : 'ask';
}

async function saveFromActivePanel(panels: ResultsPanels, log: Log, argument: unknown): Promise<SavedEvidence | undefined> {
  const open = panels.panels;
  const panel = open.find((candidate) => candidate.panel.active) ?? (open.length === 1 ? open[0] : undefined);
  if (!panel) {
    const message =
      open.length === 0
        ? 'Hunt Lens: no results panel is open. Run a query or open a results file, then run Save as Evidence.'
        : 'Hunt Lens: more than one results panel is open. Click the one to save, then run Save as Evidence again.';
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  try {
    return await panel.requestEvidence(scopeOf(argument));
  } catch (error) {
    // Not awaited: the notification stays until the user closes it, and the command returns now.
    void showErrorWithLog(log, `Hunt Lens: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Registers `huntLens.saveEvidence`; the command returns the saved files, or undefined when nothing was saved. */
export function registerSaveEvidence(context: vscode.ExtensionContext, panels: ResultsPanels, log: Log): void {
  context.subscriptions.push(vscode.commands.registerCommand('huntLens.saveEvidence', (argument: unknown) => saveFromActivePanel(panels, log, argument)));
}
