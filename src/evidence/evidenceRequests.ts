/**
 * Save as Evidence for one results panel. The webview owns the table tab and
 * the row selection, so a save always starts with a `saveEvidence` message
 * from the webview: from its button, or as the reply to `requestEvidence`
 * when the command runs.
 */
import * as vscode from 'vscode';
import type { Log } from '../extension/log';
import type { QueryResult } from '../results/model';
import { EvidenceError } from './evidenceFile';
import { saveEvidence, type EvidenceScope, type SavedEvidence } from './saveEvidence';

interface PendingRequest {
  scope: EvidenceScope;
  resolve(saved: SavedEvidence | undefined): void;
  reject(error: unknown): void;
}

export class EvidenceRequests {
  private readonly pending: PendingRequest[] = [];

  constructor(private readonly log: Log) {}

  /** Posts `requestEvidence` through `post` and resolves when the webview's reply is saved; undefined when cancelled. */
  request(post: () => Thenable<boolean>, scope: EvidenceScope): Promise<SavedEvidence | undefined> {
    return new Promise((resolve, reject) => {
      const pending: PendingRequest = { scope, resolve, reject };
      this.pending.push(pending);
      post().then(
        (delivered) => {
          if (!delivered) {
            this.pending.splice(this.pending.indexOf(pending), 1);
            reject(new EvidenceError('The results panel is not showing, so its rows cannot be read. Show the panel and run Save as Evidence again.'));
          }
        },
        (error: unknown) => {
          this.pending.splice(this.pending.indexOf(pending), 1);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * Saves the rows of a `saveEvidence` message. An error goes to the waiting
   * command when there is one, else it is raised for the panel to show.
   */
  async answer(result: QueryResult, tableIndex: number, selectedRows: number[]): Promise<void> {
    const pending = this.pending.shift();
    try {
      const saved = await saveEvidence(result, tableIndex, selectedRows, pending?.scope ?? 'ask', this.log);
      pending?.resolve(saved);
      if (saved) {
        void announce(saved);
      }
    } catch (error) {
      if (!pending) {
        throw error;
      }
      this.log.error(`Saving evidence of request ${result.requestId ?? 'without id'} failed`, error);
      pending.reject(error);
    }
  }
}

async function announce(saved: SavedEvidence): Promise<void> {
  const name = vscode.workspace.asRelativePath(saved.json);
  const action = await vscode.window.showInformationMessage(`Hunt Lens: saved ${saved.rowCount.toLocaleString('en')} rows as evidence to ${name} and its CSV file.`, 'Open');
  if (action === 'Open') {
    await vscode.window.showTextDocument(saved.json);
  }
}
