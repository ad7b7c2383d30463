/** Writes a result table to a file the user picks, as CSV or JSON. */
import * as vscode from 'vscode';
import { config } from '../extension/config';
import type { Log } from '../extension/log';
import type { QueryResult } from '../results/model';
import { toCsv, toJson } from './core/export';

export type ExportFormat = 'csv' | 'json';

/** Returns the file text of one table of a result. */
export function exportText(result: QueryResult, tableIndex: number, format: ExportFormat): string {
  const table = result.tables[tableIndex];
  if (!table) {
    throw new Error(`Cannot export table ${tableIndex}: the result has ${result.tables.length} tables.`);
  }
  return format === 'csv'
    ? toCsv(table.columns, table.rows, { byteOrderMark: config.csvByteOrderMark, guardFormulas: config.csvGuardFormulas })
    : toJson(table.columns, table.rows);
}

/** Asks for a file name (unless `target` is given) and writes the table; returns the file written, or undefined when cancelled. */
export async function exportTable(
  result: QueryResult,
  tableIndex: number,
  format: ExportFormat,
  log: Log,
  target?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const text = exportText(result, tableIndex, format);
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: `Export results as ${format.toUpperCase()}`,
      defaultUri: defaultExportUri(result, format),
      filters: format === 'csv' ? { 'CSV files': ['csv'] } : { 'JSON files': ['json'] },
    }));
  if (!uri) {
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const rows = result.tables[tableIndex]?.rows.length ?? 0;
  log.info(`Exported ${rows} rows of request ${result.requestId ?? 'without id'} as ${format} to ${uri.toString(true)}`);
  if (!target) {
    void vscode.window.showInformationMessage(`Hunt Lens: exported ${rows} rows to ${vscode.workspace.asRelativePath(uri)}.`);
  }
  return uri;
}

function defaultExportUri(result: QueryResult, format: ExportFormat): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    return undefined;
  }
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  return vscode.Uri.joinPath(folder, `hunt-results-${stamp}.${format}`);
}
