/** Shared helpers of the reader tests: fixture folders and reading every row of a set of tables. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ReadProblem, ReadTable } from '../../../src/engine/input';

/** A table read to the end, with each row as an object keyed by column name. */
export interface ReadResult {
  readonly columns: ReadonlyArray<{ name: string; type: string }>;
  readonly rows: Array<Record<string, unknown>>;
}

/** Creates an empty folder under the system temp folder. */
export function makeFixtureFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hunt-lens-readers-'));
}

/** Writes a fixture file, gzip-compressed when `gzip` is set, and returns its path. */
export async function writeFixture(folder: string, name: string, text: string, gzip = false): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, gzip ? gzipSync(Buffer.from(text)) : text);
  return path;
}

/** Reads every batch of every table, keyed by table name. Throws when a row's length differs from its columns. */
export async function readAll(tables: readonly ReadTable[]): Promise<Map<string, ReadResult>> {
  const results = new Map<string, ReadResult>();
  for (const table of tables) {
    const rows: Array<Record<string, unknown>> = [];
    for await (const batch of table.batches) {
      for (const row of batch) {
        if (row.length !== table.columns.length) {
          throw new Error(`${table.table}: a row has ${row.length} values for ${table.columns.length} columns`);
        }
        const record: Record<string, unknown> = {};
        table.columns.forEach((column, index) => (record[column.name] = row[index]));
        rows.push(record);
      }
    }
    results.set(table.table, { columns: table.columns, rows });
  }
  return results;
}

/** Collects problems for ReadOptions. */
export function problemCollector(): { problems: ReadProblem[]; onProblem: (problem: ReadProblem) => void } {
  const problems: ReadProblem[] = [];
  return { problems, onProblem: (problem) => problems.push(problem) };
}

/** Returns the rows of one table, failing when the table is missing. */
export function rowsOf(results: Map<string, ReadResult>, table: string): Array<Record<string, unknown>> {
  const result = results.get(table);
  if (!result) {
    throw new Error(`table ${table} was not read; tables read: ${[...results.keys()].join(', ')}`);
  }
  return result.rows;
}
