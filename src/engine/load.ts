/**
 * Loads export files into the engine's in-memory tables: the readers stream
 * each file once, in batches, and the table builders convert the values as
 * each batch arrives. Tables that several files feed (an interactive CSV and
 * a Graph JSON export of the same days, say) become one table.
 */
import { open, stat } from 'node:fs/promises';
import { LOG_ANALYTICS_TABLES } from '../schema/logAnalytics';
import type { TableSchema } from '../schema/tables';
import { endsLikeUnfinishedCopy, fileIdentity, sameIdentity } from './fileIdentity';
import { Database, TableBuilder } from './index';
import type { ReadProblem } from './input';
import { CHUNK_ROWS, defaultSplit, readLaterParts, type PartSink } from './loadParts';
import { DuplicateExports } from './readers/duplicates';
import { planFileParts, type SplitOptions } from './readers/fileParts';
import { readExportSources, type RowSource } from './readers/index';
import type { ByteRange } from './readers/source';
import { exportRowSource } from './readers/tableSources';
import { UnreadableDatetimes } from './readers/unreadableDatetimes';
import { tableTimes, type TableTimes } from './tableTimes';

/** At most this many problems are kept with their text; the rest are only counted. */
const MAX_KEPT_PROBLEMS = 50;

export interface LoadedData {
  /** The tables the files provided, then an empty table for each of missingTables. */
  database: Database;
  /** Rows per table that a file provided, in load order. */
  tables: { name: string; rows: number }[];
  /**
   * Log Analytics tables whose schema Hunt Lens bundles but that no file
   * provided. The database contains them empty, so a query that names one runs,
   * and the caller can warn that its rows are missing.
   */
  missingTables: string[];
  /** The newest TimeGenerated or Timestamp of any row, in ms since the Unix epoch, or undefined without one. */
  newestRecordMs: number | undefined;
  /** Per table that a file provided and that has a time column: its newest time and its rows without one. */
  times: TableTimes[];
  /**
   * Files whose size, modification time, status-change time or inode differed
   * after their rows were read, so their rows may be a part of the file (a
   * copy still being written, say). Such a load is not current.
   */
  changedFiles: string[];
  /**
   * Files that did not change during their read but were written in the last
   * minute, had a line skipped and end in a cut line, as a paused copy does.
   * Such a load is not current either.
   */
  unfinishedFiles: string[];
  /** The first problems the readers reported, with file and line. */
  problems: ReadProblem[];
  /** How many lines or records the readers skipped in all. */
  skipped: number;
  loadMs: number;
}

export interface LoadOptions {
  signal?: AbortSignal;
  /** The cutting of a large file into parts that threads read at once. With `parts: 1`, this thread reads every file. */
  split?: SplitOptions;
  /** Called after a file's rows are read and before its identity is taken again to compare. Tests change a file here. */
  afterFileRead?: (file: string) => Promise<void>;
}

/** Reads every export in a folder, or the given files, into a database. */
export async function loadData(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedData> {
  const started = performance.now();
  const problems: ReadProblem[] = [];
  let skipped = 0;
  const filesWithProblems = new Set<string>();
  const filesWithSkippedLines = new Set<string>();
  const onProblem = (problem: ReadProblem): void => {
    filesWithProblems.add(problem.file);
    if (problem.kind === undefined) {
      filesWithSkippedLines.add(problem.file);
    }
    skipped += 1;
    if (problems.length < MAX_KEPT_PROBLEMS) {
      problems.push(problem);
    }
  };
  const builders = new Map<string, TableEntry>();
  const split = options.split ?? defaultSplit();
  const count = (more: number): void => {
    skipped += more;
  };
  const reportWithoutRows = (source: RowSource): void => {
    if (!filesWithProblems.has(source.file)) {
      onProblem({ file: source.file, line: 1, kind: 'file', message: noRowsMessage(source) });
    }
  };
  const duplicates = new DuplicateExports(onProblem);
  const changedFiles: string[] = [];
  const unfinishedFiles: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new Error(`The data path "${path}" does not exist. Point it at a folder of exported sign-in logs or at export files.`);
    }
    const sources = await readExportSources(path, info.isDirectory(), { onProblem, signal: options.signal });
    for (const source of sources) {
      options.signal?.throwIfAborted();
      await duplicates.check(source);
      const before = await fileIdentity(source.file);
      const ranges = await planFileParts(source.file, source.format, split);
      if (ranges) {
        await loadSourceInParts(source, split, ranges, builders, { report: onProblem, count }, options.signal);
      } else if ((await loadSource(source, builders, onProblem, options.signal)) === 0) {
        reportWithoutRows(source);
      }
      await options.afterFileRead?.(source.file);
      const after = await fileIdentity(source.file);
      if (!sameIdentity(before, after)) {
        changedFiles.push(source.file);
      } else if (after && filesWithSkippedLines.has(source.file) && (await endsLikeUnfinishedCopy(source.file, after, Date.now()))) {
        // NOTE: a paused copy that ends at a line break, or whose last write is more than a minute old, is not detected.
        unfinishedFiles.push(source.file);
      }
    }
  }
  const tables = [...builders.values()].map((entry) => entry.builder.finish());
  const missing = LOG_ANALYTICS_TABLES.filter((schema) => !builders.has(schema.name));
  const database = new Database([...tables, ...missing.map((schema) => new TableBuilder(schema.name, schema.columns).finish())]);
  return {
    database,
    tables: tables.map((table) => ({ name: table.name, rows: table.rowCount })),
    missingTables: missing.map((schema) => schema.name),
    newestRecordMs: database.newestTime(),
    times: tables.flatMap((table) => tableTimes(table) ?? []),
    changedFiles,
    unfinishedFiles,
    problems,
    skipped,
    loadMs: Math.round(performance.now() - started),
  };
}

/** The builder of one table and, per file schema, where each table column is in that file's rows. */
interface TableEntry {
  readonly builder: TableBuilder;
  readonly columns: readonly string[];
  readonly orders: Map<TableSchema, number[] | undefined>;
}

/**
 * Reads one file in one pass and appends each batch's rows to their tables'
 * builders. Datetime values that the builders could not read are reported
 * with the file and the line (or record) of their row. A caller that passes
 * `unreadable` reports it when the rest of the file is read. Returns the
 * number of rows read.
 */
async function loadSource(
  source: RowSource,
  builders: Map<string, TableEntry>,
  onProblem: (problem: ReadProblem) => void,
  signal: AbortSignal | undefined,
  fileUnreadable?: UnreadableDatetimes,
): Promise<number> {
  let rowCount = 0;
  for (const schema of source.schemas) {
    entryOf(builders, schema);
  }
  const unreadable = fileUnreadable ?? new UnreadableDatetimes(source.file, source.position, onProblem);
  for await (const batch of source.rows(unreadable)) {
    signal?.throwIfAborted();
    rowCount += batch.length;
    let start = 0;
    // Rows of one table come in runs; each run is appended as one batch.
    while (start < batch.length) {
      const schema = batch[start].table;
      let end = start + 1;
      while (end < batch.length && batch[end].table === schema) {
        end++;
      }
      const rows = new Array<unknown[]>(end - start);
      for (let index = start; index < end; index++) {
        rows[index - start] = batch[index].row;
      }
      const entry = entryOf(builders, schema);
      const rejected = entry.builder.appendBatch(rows, entry.orders.get(schema));
      for (const cell of rejected) {
        unreadable.add(batch[start + cell.row].line, cell.column, cell.value);
      }
      start = end;
    }
    unreadable.flush();
  }
  if (!fileUnreadable) {
    unreadable.finish();
  }
  return rowCount;
}

/** Returns the problem text for an export file that was read without error but had no rows. */
function noRowsMessage(source: RowSource): string {
  const kind = source.format.kind;
  return kind === 'logAnalyticsCsv' || kind === 'entraCsv' ? 'no rows: the file holds only a header' : 'no rows: the file holds no records';
}

/** Reads one file in parts at once (see loadParts.ts): this thread reads the first part into the table's builder. */
async function loadSourceInParts(
  source: RowSource,
  split: SplitOptions,
  ranges: readonly ByteRange[],
  builders: Map<string, TableEntry>,
  problems: Pick<PartSink, 'report' | 'count'>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const format = source.format;
  if (format.kind !== 'logAnalyticsJson') {
    throw new TypeError(`A ${format.kind} export is read whole.`);
  }
  const entry = entryOf(builders, format.table);
  const unreadable = new UnreadableDatetimes(source.file, source.position, problems.report);
  // Every part reads through one descriptor, so all read the file that was planned.
  const handle = await open(source.file, 'r');
  try {
    const shared = ranges.map((range) => ({ ...range, fd: handle.fd }));
    const readFirst = async (): Promise<number> => {
      let lines = 0;
      const part = { range: shared[0], onLineCount: (counted: number) => (lines = counted) };
      const first = exportRowSource(source.file, format, { onProblem: problems.report, signal, part });
      if (first) {
        await loadSource(first, builders, problems.report, signal, unreadable);
      }
      return lines;
    };
    const sink: PartSink = { ...problems, unreadable, builder: entry.builder, order: entry.orders.get(format.table) };
    const request = { file: source.file, format, maxProblems: MAX_KEPT_PROBLEMS, chunkRows: split.chunkRows ?? CHUNK_ROWS };
    await readLaterParts(request, shared, readFirst, sink, signal);
  } finally {
    await handle.close();
  }
  unreadable.finish();
}

function entryOf(builders: Map<string, TableEntry>, schema: TableSchema): TableEntry {
  let entry = builders.get(schema.name);
  if (!entry) {
    entry = { builder: new TableBuilder(schema.name, schema.columns), columns: schema.columns.map((column) => column.name), orders: new Map() };
    builders.set(schema.name, entry);
  }
  if (!entry.orders.has(schema)) {
    entry.orders.set(schema, columnOrder(schema.columns.map((column) => column.name), entry.columns));
  }
  return entry;
}

/**
 * Maps a file's columns onto its table's: for each table column, its index in
 * the file's rows, or -1 when the file lacks it. Returns undefined when the
 * orders already match.
 */
function columnOrder(fileColumns: readonly string[], tableColumns: readonly string[]): number[] | undefined {
  if (fileColumns.length === tableColumns.length && fileColumns.every((name, index) => name === tableColumns[index])) {
    return undefined;
  }
  return tableColumns.map((name) => fileColumns.indexOf(name));
}
