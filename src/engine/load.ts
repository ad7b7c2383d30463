/**
 * Loads export files into the engine's in-memory tables: the readers stream
 * each file in batches and the table builders convert the values once. Tables
 * that several files feed (an interactive CSV and a Graph JSON export of the
 * same days, say) become one table.
 */
import { stat } from 'node:fs/promises';
import { Database, TableBuilder } from './index';
import type { ReadProblem } from './input';
import { readExportFile, readExportFolder } from './readers/index';

/** At most this many problems are kept with their text; the rest are only counted. */
const MAX_KEPT_PROBLEMS = 50;

export interface LoadedData {
  database: Database;
  /** Rows per table, in load order. */
  tables: { name: string; rows: number }[];
  /** The first problems the readers reported, with file and line. */
  problems: ReadProblem[];
  /** How many lines or records the readers skipped in all. */
  skipped: number;
  loadMs: number;
}

export interface LoadOptions {
  signal?: AbortSignal;
}

/** Reads every export in a folder, or the given files, into a database. */
export async function loadData(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedData> {
  const started = performance.now();
  const problems: ReadProblem[] = [];
  let skipped = 0;
  const onProblem = (problem: ReadProblem): void => {
    skipped += 1;
    if (problems.length < MAX_KEPT_PROBLEMS) {
      problems.push(problem);
    }
  };
  const builders = new Map<string, { builder: TableBuilder; columns: string[] }>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new Error(`The data path "${path}" does not exist. Point it at a folder of exported sign-in logs or at export files.`);
    }
    const readTables = info.isDirectory()
      ? await readExportFolder(path, { onProblem, signal: options.signal })
      : await readExportFile(path, { onProblem, signal: options.signal });
    for (const read of readTables) {
      let entry = builders.get(read.table);
      if (!entry) {
        entry = { builder: new TableBuilder(read.table, read.columns), columns: read.columns.map((column) => column.name) };
        builders.set(read.table, entry);
      }
      const order = columnOrder(read.columns.map((column) => column.name), entry.columns);
      for await (const batch of read.batches) {
        options.signal?.throwIfAborted();
        if (order) {
          entry.builder.appendBatch(batch.map((row) => order.map((index) => (index < 0 ? null : row[index]))));
        } else {
          entry.builder.appendBatch(batch);
        }
      }
    }
  }
  const tables = [...builders.values()].map((entry) => entry.builder.finish());
  return {
    database: new Database(tables),
    tables: tables.map((table) => ({ name: table.name, rows: table.rowCount })),
    problems,
    skipped,
    loadMs: Math.round(performance.now() - started),
  };
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
