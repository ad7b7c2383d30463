/**
 * Export readers: turn exported log files (Log Analytics, Microsoft Graph,
 * Entra admin center, Azure Monitor diagnostic records; CSV or JSON, plain
 * or gzip) into tables of input-form rows for the local engine. They stream
 * every file and never hold one as a single string.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import type { ReadProblem, ReadTable } from '../input';
import { readCsvRecords } from './csvRecords';
import type { CsvDelimiter } from './csvRecoveringParser';
import { addAuthDetailsRecord, type AuthDetailsIndex } from './entraCsv';
import { detectExportFormat, type ExportFormat } from './formats';
import { exportRowSource, exportTables, type RowSource } from './tableSources';

export type { ReadProblem, ReadTable } from '../input';
export type { RowSource, TableRow } from './tableSources';

export interface ReadOptions {
  /** Receives every skipped line or record and every file that is not a readable export. */
  onProblem(problem: ReadProblem): void;
  signal?: AbortSignal;
}

/** File names the folder reader passes over: the sample's ground truth, which describes the data. */
const IGNORED_FILE_NAMES = new Set(['storylines.json']);

/**
 * Extensions of export files, each also accepted with `.gz` after it. A bare
 * `.gz` file is accepted too, because detection reads its content. `.txt` is
 * what Excel's "Unicode Text" (UTF-16, tab-separated) writes, and detection
 * reads it like any CSV.
 */
const EXPORT_FILE = /\.(csv|txt|json|jsonl|ndjson)(\.gz)?$|\.gz$/i;

/**
 * Detects the format of one file (by content, with the name as a hint; gzip
 * accepted) and returns its tables. A file that is not a readable export is
 * reported through onProblem and yields no tables. An Entra auth-details CSV
 * read alone yields no tables either: readExportFolder joins it into its
 * sign-ins.
 */
export async function readExportFile(file: string, options: ReadOptions): Promise<ReadTable[]> {
  const format = await detectFileOrReport(file, options);
  return format ? exportTables(file, format, options) : [];
}

/** Detects the format of a file read alone, reporting an Entra auth-details CSV, which needs its folder. */
async function detectFileOrReport(file: string, options: ReadOptions): Promise<ExportFormat | undefined> {
  const format = await detectOrReport(file, options);
  if (format?.kind === 'entraAuthDetailsCsv') {
    options.onProblem({
      file,
      line: 1,
      kind: 'file',
      message: 'an Entra auth-details file is joined into its sign-ins only when its folder is read; read the folder instead',
    });
    return undefined;
  }
  return format;
}

/**
 * Reads every export file directly in a folder and merges the tables of the
 * same name. Each subfolder and other file that is not read is reported as a
 * 'file' problem. Entra auth-details CSVs are joined on
 * Request ID into the AuthenticationDetails of the Entra sign-in CSVs.
 */
export async function readExportFolder(folder: string, options: ReadOptions): Promise<ReadTable[]> {
  const { detected, context } = await detectFolder(folder, options);
  const tables = detected.flatMap(({ file, format }) => exportTables(file, format, context));
  return mergeTables(tables);
}

/**
 * Returns the row sources of one file, or of every export file in a folder,
 * with the same detection, problems and auth-details join as readExportFile
 * and readExportFolder. Each source reads its file in one pass for all of
 * its tables, which is what a loader that fills every table at once wants.
 */
export async function readExportSources(path: string, isFolder: boolean, options: ReadOptions): Promise<RowSource[]> {
  if (!isFolder) {
    const format = await detectFileOrReport(path, options);
    const source = format ? exportRowSource(path, format, options) : undefined;
    return source ? [source] : [];
  }
  const { detected, context } = await detectFolder(path, options);
  return detected.flatMap(({ file, format }) => exportRowSource(file, format, context) ?? []);
}

/** Detects the format of each export file in a folder and reads its Entra auth-details CSVs. */
async function detectFolder(
  folder: string,
  options: ReadOptions,
): Promise<{ detected: Array<{ file: string; format: ExportFormat }>; context: ReadOptions & { authDetails: AuthDetailsIndex } }> {
  const files = await listExportFiles(folder, options);

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
      await readAuthDetails(file, format.delimiter, authDetails, options);
    }
  }
  return { detected, context: { ...options, authDetails } };
}

/**
 * Returns the export files directly in a folder, sorted. Every other entry
 * that is not hidden is reported once with the reason it is not read (a
 * subfolder, a workbook, an unknown extension, a broken link), so rows a
 * hunter put there are never missed silently. A symbolic link to a regular
 * file is followed, wherever the file is, and read like a file of the link's
 * name, unless the folder already reads that file under another name.
 */
async function listExportFiles(folder: string, options: ReadOptions): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  const links: string[] = [];
  entries.sort(byName);
  for (const entry of entries) {
    if (entry.name.startsWith('.') || IGNORED_FILE_NAMES.has(entry.name.toLowerCase())) {
      continue;
    }
    const path = join(folder, entry.name);
    const link = entry.isSymbolicLink();
    const reason = notReadReason(entry.name, link ? await linkTargetKind(path) : entryKind(entry), link);
    if (reason !== undefined) {
      options.onProblem({ file: path, line: 1, kind: 'file', message: reason });
    } else if (link) {
      links.push(path);
    } else {
      files.push(path);
    }
  }
  return [...files, ...(await linksToOtherFiles(files, links, options))].sort();
}

/**
 * Returns the links whose targets are not among `files` nor the target of an
 * earlier link, and reports the others, so a file linked into its own folder
 * is not read twice.
 */
async function linksToOtherFiles(files: readonly string[], links: readonly string[], options: ReadOptions): Promise<string[]> {
  if (links.length === 0) {
    return [];
  }
  const readAs = new Map<string, string>();
  for (const file of files) {
    readAs.set(await realpath(file).catch(() => file), file);
  }
  const kept: string[] = [];
  for (const link of links) {
    const target = await realpath(link).catch(() => link);
    const first = readAs.get(target);
    if (first === undefined) {
      readAs.set(target, link);
      kept.push(link);
    } else {
      options.onProblem({ file: link, line: 1, kind: 'file', message: `a symbolic link to the file read as ${first}, so it is not read again` });
    }
  }
  return kept;
}

function byName(a: { name: string }, b: { name: string }): number {
  if (a.name === b.name) {
    return 0;
  }
  return a.name < b.name ? -1 : 1;
}

/** The kind of a folder entry, after following a symbolic link. */
type EntryKind = 'file' | 'folder' | 'missing' | 'other';

function entryKind(entry: Dirent): EntryKind {
  if (entry.isFile()) {
    return 'file';
  }
  return entry.isDirectory() ? 'folder' : 'other';
}

async function linkTargetKind(path: string): Promise<EntryKind> {
  const target = await stat(path).catch(() => undefined);
  if (!target) {
    return 'missing';
  }
  if (target.isFile()) {
    return 'file';
  }
  return target.isDirectory() ? 'folder' : 'other';
}

const SUBFOLDER_MESSAGE = 'subfolders are not read: move its files into the data folder, or pass the subfolder as its own data path';

/** The extensions the folder reader reads, for the messages about the files it does not. */
const READ_EXTENSIONS = '.csv, .txt, .json, .jsonl and .ndjson, each also compressed as .gz';

/** Reasons that name the fix for files that are often dropped into a folder of exports by mistake. */
const KNOWN_UNREAD_FILES: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /\.(xlsx|xlsm|xlsb|xls|ods)$/i,
    reason: 'a spreadsheet workbook is not read: in Excel, save it as "CSV UTF-8 (Comma delimited)" (.csv) or "Unicode Text" (.txt) and put that file here',
  },
  { pattern: /\.(zip|7z|rar|tar|tgz)$/i, reason: 'an archive is not read: extract its export files into the data folder' },
];

/** Returns why the folder reader does not read an entry, or undefined when it reads it. */
function notReadReason(name: string, kind: EntryKind, link: boolean): string | undefined {
  switch (kind) {
    case 'folder':
      return link ? 'a symbolic link to a folder is not followed: move its files into the data folder, or pass the folder as its own data path' : SUBFOLDER_MESSAGE;
    case 'missing':
      return 'the symbolic link points to a file that does not exist (or cannot be read): fix or remove the link';
    case 'other':
      return 'not a regular file (a device, socket or pipe), so it is not read: remove it from the data folder';
    case 'file':
      break;
  }
  if (EXPORT_FILE.test(name)) {
    return undefined;
  }
  const known = KNOWN_UNREAD_FILES.find((entry) => entry.pattern.test(name));
  if (known) {
    return known.reason;
  }
  const extension = /\.[^.]+$/.exec(name)?.[0];
  const what = extension ? `files ending in ${extension} are not read` : 'files without an extension are not read';
  return `${what}: the reader reads ${READ_EXTENSIONS}. Rename an export to one of these, or move the file out of the data folder`;
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

async function readAuthDetails(file: string, delimiter: CsvDelimiter, index: AuthDetailsIndex, options: ReadOptions): Promise<void> {
  const report = (skip: { line: number; message: string }) => options.onProblem({ file, ...skip });
  for await (const record of readCsvRecords(file, report, options.signal, delimiter)) {
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
