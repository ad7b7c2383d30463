/**
 * Keeps each shown result as a JSON file in the extension's global storage,
 * so a results panel can show its rows again after a window reload. A file is
 * deleted when its panel closes, and only the newest MAX_STORED_RESULTS stay.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { QueryResult } from '../results/model';
import { parseViewState, type ViewState } from './protocol';

const MAX_STORED_RESULTS = 20;
const RESULT_ID = /^[0-9a-f-]{36}$/;

export class ResultStore {
  private readonly folder: vscode.Uri;

  constructor(storageUri: vscode.Uri) {
    this.folder = vscode.Uri.joinPath(storageUri, 'results');
  }

  static newId(): string {
    return randomUUID();
  }

  async save(id: string, result: QueryResult): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.folder);
    // NOTE: the whole result is serialized at once; a 500,000-row result makes a file of a few hundred MB.
    await vscode.workspace.fs.writeFile(this.uri(id), Buffer.from(JSON.stringify(result)));
    await this.prune();
  }

  /** Reads a stored result, or returns undefined when it is missing or unreadable. */
  async load(id: string): Promise<QueryResult | undefined> {
    if (!RESULT_ID.test(id)) {
      return undefined;
    }
    try {
      const bytes = await vscode.workspace.fs.readFile(this.uri(id));
      return JSON.parse(Buffer.from(bytes).toString('utf8')) as QueryResult;
    } catch {
      return undefined;
    }
  }

  /** Stores a panel's sort, filter, widths and scroll position beside its result. */
  async saveView(id: string, view: ViewState): Promise<void> {
    if (RESULT_ID.test(id)) {
      await vscode.workspace.fs.writeFile(this.viewUri(id), Buffer.from(JSON.stringify(view)));
    }
  }

  async loadView(id: string): Promise<ViewState | undefined> {
    if (!RESULT_ID.test(id)) {
      return undefined;
    }
    try {
      const bytes = await vscode.workspace.fs.readFile(this.viewUri(id));
      return parseViewState(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch {
      return undefined;
    }
  }

  async delete(id: string): Promise<void> {
    if (RESULT_ID.test(id)) {
      await vscode.workspace.fs.delete(this.uri(id), { useTrash: false });
      await vscode.workspace.fs.delete(this.viewUri(id), { useTrash: false }).then(undefined, () => undefined);
    }
  }

  private uri(id: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, `${id}.json`);
  }

  private viewUri(id: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, `${id}.view.json`);
  }

  private async prune(): Promise<void> {
    const entries = await vscode.workspace.fs.readDirectory(this.folder);
    const files = await Promise.all(
      entries
        .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.json') && !name.endsWith('.view.json'))
        .map(async ([name]) => ({ name, mtime: (await vscode.workspace.fs.stat(vscode.Uri.joinPath(this.folder, name))).mtime })),
    );
    files.sort((a, b) => b.mtime - a.mtime);
    for (const file of files.slice(MAX_STORED_RESULTS)) {
      await this.delete(file.name.slice(0, -'.json'.length));
    }
  }
}
