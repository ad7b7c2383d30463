/**
 * Save as Evidence on the extension host: picks the rows, resolves the case
 * folder in the workspace and writes the CSV and JSON files under names that
 * no earlier save used.
 */
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { config } from '../extension/config';
import type { Log } from '../extension/log';
import type { QueryResult } from '../results/model';
import { asksForRows, buildEvidence, evidenceFolderPath, evidenceStem, EvidenceError } from './evidenceFile';

/** Names tried per save before giving up, so a folder full of equal names cannot loop forever. */
const MAX_NAME_ATTEMPTS = 1000;

const savedEmitter = new vscode.EventEmitter<{ result: QueryResult; saved: SavedEvidence }>();
/** Fires after each save, with the result the rows came from; the investigation trail links the files to its step. */
export const onDidSaveEvidence = savedEmitter.event;

/** Row choice of a save: the webview's selection, every row, or a question to the user. */
export type EvidenceScope = 'selected' | 'all' | 'ask';

export interface SavedEvidence {
  json: vscode.Uri;
  csv: vscode.Uri;
  rowCount: number;
  rowsSha256: string;
}

/** Returns the case folder from `huntLens.evidence.folder` inside the first workspace folder. */
function evidenceFolder(): vscode.Uri {
  const workspace = vscode.workspace.workspaceFolders?.[0];
  if (!workspace) {
    throw new EvidenceError('Save as Evidence needs an open folder to hold its case folder. Open a folder (File > Open Folder…) and save again.');
  }
  // NOTE: in a multi-root workspace the case folder is always inside the first folder.
  const relative = evidenceFolderPath(config.evidenceFolder);
  return relative === '.' ? workspace.uri : vscode.Uri.joinPath(workspace.uri, ...relative.split('/'));
}

function isAlreadyThere(error: unknown): boolean {
  return (error instanceof vscode.FileSystemError && error.code === 'FileExists') || (error as { code?: unknown } | null)?.code === 'EEXIST';
}

/** Writes a new file and throws when one exists, so earlier evidence is never replaced. */
async function writeNewFile(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  if (uri.scheme === 'file') {
    // The `wx` flag makes creating and checking one step, so two saves at once cannot both take a name.
    await writeFile(uri.fsPath, bytes, { flag: 'wx' });
    return;
  }
  // NOTE: other file systems (remote workspaces) check and then write, so two saves in the same second may race.
  try {
    await vscode.workspace.fs.stat(uri);
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
      await vscode.workspace.fs.writeFile(uri, bytes);
      return;
    }
    throw error;
  }
  throw vscode.FileSystemError.FileExists(uri);
}

/** Asks whether to save the selected rows or the whole table; returns undefined when the user cancels. */
async function pickRows(selected: readonly number[], total: number): Promise<readonly number[] | 'all' | undefined> {
  const choices = [
    { label: `Selected rows (${selected.length.toLocaleString('en')})`, rows: selected },
    { label: `All rows (${total.toLocaleString('en')})`, rows: 'all' as const },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: 'Save as Evidence', placeHolder: 'Which rows go into the evidence files?' });
  return picked?.rows;
}

/**
 * Saves rows of a result table as evidence and returns the files, or
 * undefined when the user cancels the row choice. With scope `ask` and a
 * selection of two or more rows but not all, a quick pick offers the
 * selection or all rows.
 */
export async function saveEvidence(result: QueryResult, tableIndex: number, selected: readonly number[], scope: EvidenceScope, log: Log): Promise<SavedEvidence | undefined> {
  const total = result.tables[tableIndex]?.rows.length ?? 0;
  let rows: readonly number[] | 'all' | undefined = scope === 'selected' ? selected : 'all';
  if (scope === 'ask' && asksForRows(selected.length, total)) {
    rows = await pickRows(selected, total);
  }
  if (rows === undefined) {
    return undefined;
  }

  const folder = evidenceFolder();
  const savedAt = new Date();
  const content = buildEvidence({ result, tableIndex, rows, savedAt, csv: { byteOrderMark: config.csvByteOrderMark, guardFormulas: config.csvGuardFormulas } });
  await vscode.workspace.fs.createDirectory(folder);

  for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const stem = evidenceStem(result, savedAt, attempt);
    const csv = vscode.Uri.joinPath(folder, `${stem}.csv`);
    const json = vscode.Uri.joinPath(folder, `${stem}.json`);
    try {
      await writeNewFile(csv, content.csv);
    } catch (error) {
      if (isAlreadyThere(error)) {
        continue;
      }
      throw error;
    }
    try {
      await writeNewFile(json, Buffer.from(content.json(`${stem}.csv`), 'utf8'));
    } catch (error) {
      // The CSV file was created by this save a moment ago, so removing it loses nothing.
      await vscode.workspace.fs.delete(csv);
      if (isAlreadyThere(error)) {
        continue;
      }
      throw error;
    }
    log.info(`Saved ${content.rowCount} rows of request ${result.requestId ?? 'without id'} as evidence to ${json.toString(true)} and ${stem}.csv (SHA-256 ${content.rowsSha256})`);
    const saved = { json, csv, rowCount: content.rowCount, rowsSha256: content.rowsSha256 };
    savedEmitter.fire({ result, saved });
    return saved;
  }
  throw new EvidenceError(`Could not find a free evidence file name in ${folder.toString(true)} after ${MAX_NAME_ATTEMPTS} attempts. Move older evidence files to another folder and save again.`);
}
