/** Builds small engine databases for tests from rows given by column name. */
import { Database, runQuery, TableBuilder, type EngineResult, type RunOptions } from '../../../src/engine';
import type { CellValue } from '../../../src/results/model';
import { TABLE_SCHEMAS, type TableSchema } from '../../../src/schema/tables';

/** A fixed reference time for now() and ago(): 2024-06-10T12:00:00Z. */
export const NOW = Date.UTC(2024, 5, 10, 12, 0, 0);

/** Returns an ISO datetime `minutes` minutes before NOW. */
export function minutesAgo(minutes: number): string {
  return new Date(NOW - minutes * 60_000).toISOString();
}

/** Builds a table of a bundled schema; columns missing from a row are null. */
export function buildTable(schema: TableSchema, rows: readonly Record<string, unknown>[]): ReturnType<TableBuilder['finish']> {
  const builder = new TableBuilder(schema.name, schema.columns);
  builder.appendBatch(rows.map((row) => schema.columns.map((column) => row[column.name] ?? null)));
  return builder.finish();
}

/** Builds a database with every bundled table of the target, filled from `rows` by table name. */
export function database(target: 'logAnalytics' | 'defenderXdr', rows: Readonly<Record<string, readonly Record<string, unknown>[]>> = {}): Database {
  return new Database(TABLE_SCHEMAS[target].map((schema) => buildTable(schema, rows[schema.name] ?? [])));
}

/** Runs a query at NOW and returns the rows of its first table as objects keyed by column name. */
export function rowsOf(db: Database, query: string, options: RunOptions = {}): Record<string, unknown>[] {
  const result: EngineResult = runQuery(db, query, { now: NOW, ...options });
  const table = result.tables[0];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column.name, plain(row[index])])));
}

/** Turns a result cell into a plain value: datetimes as ISO text, dynamic values as their JSON value. */
export function plain(cell: CellValue): unknown {
  if (cell !== null && typeof cell === 'object') {
    return cell.kind === 'datetime' ? (cell).iso : (cell).value;
  }
  return cell;
}
