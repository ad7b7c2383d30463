/**
 * Export readers: turn exported log files (Log Analytics, Microsoft Graph,
 * Entra admin center, Azure Monitor diagnostic records; CSV or JSON, plain
 * or gzip) into tables of input-form rows for the local engine. They stream
 * every file and never hold one as a single string.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadProblem, ReadTable } from '../input';
import { readCsvRecords } from './csvRecords';
import { addAuthDetailsRecord, type AuthDetailsIndex } from './entraCsv';
import { detectExportFormat, type ExportFormat } from './formats';
import { exportTables } from './tableSources';

export type { ReadProblem, ReadTable } from '../input';

export interface ReadOptions {
  /** Receives every skipped line or record and every file that is not a readable export. */
  onProblem(problem: ReadProblem): void;
  signal?: AbortSignal;
}

/** File names the folder reader passes over: the sample's ground truth, which describes the data. */
const IGNORED_FILE_NAMES = new Set(['storylines.json']);

/** Extensions of export files, each also accepted with `.gz` after it. */
const EXPORT_FILE = /\.(csv|json|jsonl|ndjson)(\.gz)?$/i;

/**
 * Detects the format of one file (by content, with the name as a hint; gzip
 * accepted) and returns its tables. A file that is not a readable export is
 * reported through onProblem and yields no tables. An Entra auth-details CSV
 * read alone yields no tables either: readExportFolder joins it into its
 * sign-ins.
 */
export async function readExportFile(file: string, options: ReadOptions): Promise<ReadTable[]> {
  const format = await detectOrReport(file, options);
  if (format?.kind === 'entraAuthDetailsCsv') {
    options.onProblem({
      file,
      line: 1,
      kind: 'file',
      message: 'an Entra auth-details file is joined into its sign-ins only when its folder is read; read the folder instead',
    });
    return [];
  }
  return format ? exportTables(file, format, options) : [];
}

/**
 * Reads every export file directly in a folder (not its subfolders) and
 * merges the tables of the same name. Entra auth-details CSVs are joined on
 * Request ID into the AuthenticationDetails of the Entra sign-in CSVs.
 */
export async function readExportFolder(folder: string, options: ReadOptions): Promise<ReadTable[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isExportFileName(entry.name))
    .map((entry) => join(folder, entry.name))
    .sort();

  const detected: Array<{ file: string; format: ExportFormat }> = [];
  for (const file of files) {
    options.signal?.throwIfAborted();
    const format = await detectOrReport(file, options);
    if (format) {
      detected.push({ file, format });
    }
  }

  const authDetails: AuthDetailsIndex = new Map();
  for (const { file, format } of detected) {
    if (format.kind === 'entraAuthDetailsCsv') {
      await readAuthDetails(file, authDetails, options);
    }
  }

  const tables = detected.flatMap(({ file, format }) => exportTables(file, format, { ...options, authDetails }));
  return mergeTables(tables);
}

/** Whether the folder reader reads a file of this name. */
export function isExportFileName(name: string): boolean {
  return !name.startsWith('.') && !IGNORED_FILE_NAMES.has(name.toLowerCase()) && EXPORT_FILE.test(name);
}

async function detectOrReport(file: string, options: ReadOptions): Promise<ExportFormat | undefined> {
  let detection;
  try {
    detection = await detectExportFormat(file);
  } catch (error) {
    options.onProblem({ file, line: 1, kind: 'file', message: `could not read the file: ${(error as Error).message}` });
    return undefined;
  }
  if ('problem' in detection) {
    options.onProblem({ file, line: 1, kind: 'file', message: `not a readable export: ${detection.problem}` });
    return undefined;
  }
  return detection.format;
}

async function readAuthDetails(file: string, index: AuthDetailsIndex, options: ReadOptions): Promise<void> {
  const report = (skip: { line: number; message: string }) => options.onProblem({ file, ...skip });
  for await (const record of readCsvRecords(file, report, options.signal)) {
    addAuthDetailsRecord(index, record.values);
  }
}

/** Merges tables of the same name into one whose batches are those of each source in turn. */
function mergeTables(tables: readonly ReadTable[]): ReadTable[] {
  const byName = new Map<string, ReadTable[]>();
  for (const table of tables) {
    byName.set(table.table, [...(byName.get(table.table) ?? []), table]);
  }
  return [...byName.values()].map((sources) => ({
    table: sources[0].table,
    columns: sources[0].columns,
    batches: {
      async *[Symbol.asyncIterator]() {
        for (const source of sources) {
          yield* source.batches;
        }
      },
    },
  }));
}
