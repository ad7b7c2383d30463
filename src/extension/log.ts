import * as vscode from 'vscode';
import { revealControls } from '../webview/core/format';

/**
 * The "Hunt Lens" log channel, one for the extension's life, so a user finds
 * every message in one place. Callers must never pass it a token or query
 * results. Messages quote file names and log text, so hidden and
 * bidirectional characters in them are written as `⟨U+XXXX⟩` markers.
 */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Hunt Lens', { log: true });

  info(message: string): void {
    this.channel.info(revealControls(message));
  }

  warn(message: string): void {
    this.channel.warn(revealControls(message));
  }

  /** Logs a caught error after a message that names the ids involved. */
  error(message: string, error?: unknown): void {
    this.channel.error(revealControls(error === undefined ? message : `${message} (${describeError(error)})`));
  }

  /** The channel itself, for the language client's server messages and `huntLens.trace.server` traces. */
  get outputChannel(): vscode.LogOutputChannel {
    return this.channel;
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** Formats a caught value for a message: `Name: message` for errors, JSON for anything else. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return typeof error === 'string' ? error : JSON.stringify(error) ?? 'undefined';
}

/** The notification button that opens the Hunt Lens log. */
export const SHOW_LOG = 'Show Log';

/** Shows an error notification with a "Show Log" button that opens the channel. */
export async function showErrorWithLog(log: Log, message: string): Promise<void> {
  await showWithLog(log, 'error', message);
}

/** Shows a notification of the given severity with a "Show Log" button that opens the channel. */
export async function showWithLog(log: Log, severity: 'info' | 'warning' | 'error', message: string): Promise<void> {
  let choice: string | undefined;
  if (severity === 'info') {
    choice = await vscode.window.showInformationMessage(message, SHOW_LOG);
  } else if (severity === 'warning') {
    choice = await vscode.window.showWarningMessage(message, SHOW_LOG);
  } else {
    choice = await vscode.window.showErrorMessage(message, SHOW_LOG);
  }
  if (choice === SHOW_LOG) {
    log.show();
  }
}
