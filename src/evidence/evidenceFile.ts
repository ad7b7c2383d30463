/**
 * Evidence files: rows of a result saved with where they came from (query,
 * target, time range, run time, request id, and for local data the folder
 * and the instant now() stood for). Each save writes a CSV file of
 * the rows and a JSON file with the same rows, the run's details and the
 * SHA-256 of the CSV bytes. The hash lets a reader detect a changed CSV file.
 * It covers neither the JSON file nor a CSV file rewritten with a new hash.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { queryNames } from '../hunts/queryTitle';
import type { QueryResult } from '../results/model';
import { toCsv, toJson, type CsvOptions } from '../webview/core/export';
import { escapeControlsInJson } from '../webview/core/format';

/** Version of the JSON layout, written as `huntLensEvidence`, so later readers can tell layouts apart. */
export const EVIDENCE_VERSION = 1;
/** Characters of the query's name kept in a file name. */
const MAX_NAME_LENGTH = 40;

export interface EvidenceRequest {
  result: QueryResult;
  tableIndex: number;
  /** Table row indexes in the order to write them, or 'all' for every row in table order. */
  rows: readonly number[] | 'all';
  savedAt: Date;
  csv: CsvOptions;
}

export interface EvidenceContent {
  /** UTF-8 bytes of the CSV file. */
  csv: Buffer;
  /** SHA-256 of `csv`, in lowercase hex; `sha256sum` of the CSV file prints the same value. */
  rowsSha256: string;
  rowCount: number;
  /** Returns the JSON file's text, which names the CSV file beside it. */
  json(csvFileName: string): string;
}

/** Raised for a request that names a missing table or row; the message names the value. */
export class EvidenceError extends Error {}

/** Builds the CSV bytes, their SHA-256 and the JSON text of one evidence save. */
export function buildEvidence(request: EvidenceRequest): EvidenceContent {
  const { result, tableIndex } = request;
  const table = result.tables[tableIndex];
  if (!table) {
    throw new EvidenceError(`Cannot save table ${tableIndex} as evidence: the result has ${result.tables.length} tables.`);
  }
  const rows = request.rows === 'all' ? table.rows : request.rows.map((index) => table.rows[index]);
  if (rows.some((row) => row === undefined)) {
    throw new EvidenceError(`Cannot save the selected rows as evidence: table "${table.name}" has only ${table.rows.length} rows. Run Save as Evidence again.`);
  }
  const csv = Buffer.from(toCsv(table.columns, rows, request.csv), 'utf8');
  const rowsSha256 = createHash('sha256').update(csv).digest('hex');
  const target = result.target;
  const details = {
    huntLensEvidence: EVIDENCE_VERSION,
    savedAt: request.savedAt.toISOString(),
    query: result.query,
    target: target.displayName,
    targetKind: target.kind,
    workspaceId: target.kind === 'logAnalytics' ? target.workspaceId : null,
    tenantId: target.kind === 'defenderXdr' ? (target.tenantId ?? null) : null,
    timeRange: result.timeRange ?? null,
    localData: localDataOf(result),
    runStartedAt: result.startedAt,
    durationMs: result.durationMs,
    requestId: result.requestId ?? null,
    status: result.status,
    truncated: result.truncated === true,
    // The header's warnings qualify the rows, such as skipped lines or a guessed date order.
    warnings: result.warnings ?? [],
    table: table.name,
    rowSelection: request.rows === 'all' ? 'all' : 'selected',
    rowCount: rows.length,
    columns: table.columns,
  };
  return {
    csv,
    rowsSha256,
    rowCount: rows.length,
    json: (csvFileName) => {
      // The warnings quote file names and log lines, which may hold bidirectional characters.
      const head = escapeControlsInJson(JSON.stringify({ ...details, csvFile: csvFileName, rowsSha256 }, null, 2));
      // The rows come from toJson, which keeps repeated and __proto__ column names as ordinary keys.
      return `${head.slice(0, -2)},\n  "rows": ${toJson(table.columns, rows).trimEnd().replace(/\n/g, '\n  ')}\n}\n`;
    },
  };
}

/**
 * Returns the folder a local run read and the instant its now() and ago()
 * counted from, so the run can be repeated on the same rows and window.
 * Returns null for a service run.
 */
function localDataOf(result: QueryResult): { folder: string; now: string | null } | null {
  if (result.target.kind !== 'local') {
    return null;
  }
  const now = result.statistics?.now;
  return { folder: result.target.folder, now: typeof now === 'string' ? now : null };
}

/**
 * Returns the file name stem of a save: the save time in UTC and the query's
 * name (its library hunt id, else its first descriptive comment, else its
 * first line of code), reduced to letters, digits and hyphens. Pivot steps
 * open library hunts, so their files differ by hunt id. `attempt` 0 gives the
 * plain stem, and later attempts add `-2`, `-3` and so on.
 */
/**
 * Whether Save as Evidence asks between the selected rows and the whole
 * table. One selected row is usually just the grid's active cell rather than
 * a choice, so only a range of two or more rows, short of the whole table, is
 * worth the question.
 */
export function asksForRows(selectedCount: number, total: number): boolean {
  return selectedCount > 1 && selectedCount < total;
}

export function evidenceStem(result: QueryResult, savedAt: Date, attempt: number): string {
  const stamp = savedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const names = queryNames(result.query);
  const line = names.huntId ?? names.comment ?? names.code;
  const words = (line || 'query').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, MAX_NAME_LENGTH).replace(/-+$/, '');
  const stem = `${stamp}-${words || 'query'}`;
  return attempt === 0 ? stem : `${stem}-${attempt + 1}`;
}

/**
 * Checks the `huntLens.evidence.folder` setting and returns it as a relative
 * POSIX path inside the workspace folder. Throws EvidenceError for an
 * absolute path or one that leaves the workspace folder.
 */
export function evidenceFolderPath(setting: string): string {
  const value = setting.trim() === '' ? 'evidence' : setting.trim();
  const slashed = value.replace(/\\/g, '/');
  const normalized = posix.normalize(slashed);
  if (posix.isAbsolute(slashed) || /^[a-zA-Z]:/.test(slashed) || normalized === '..' || normalized.startsWith('../')) {
    throw new EvidenceError(`The setting huntLens.evidence.folder is "${setting}", which is not inside the workspace folder. Set a relative path such as evidence or cases/case-42.`);
  }
  return normalized.replace(/\/+$/, '') || '.';
}
