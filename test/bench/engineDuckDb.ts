// DuckDB side of the local engine benchmark: fills DuckDB tables straight
// from the export readers, with no engine tables in between, so a process
// that only does this keeps one copy of the data, in DuckDB.
import { DuckDBInstance, DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { convertInput } from '../../src/engine/builder';
import { readExportFolder, type ReadTable } from '../../src/engine/readers/index';
import { epochMsOfTicks } from '../../src/engine/values';
import type { ColumnSchema, KustoColumnType } from '../../src/schema/tables';

/** DuckDB column types of the engine's column types; timespans stay 100-ns ticks, dynamic values stay JSON text. */
const DUCKDB_TYPES: Record<KustoColumnType, string> = {
  string: 'VARCHAR',
  guid: 'VARCHAR',
  long: 'BIGINT',
  int: 'BIGINT',
  real: 'DOUBLE',
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  timespan: 'BIGINT',
  dynamic: 'VARCHAR',
};

export interface DuckDbData {
  connection: DuckDBConnection;
  rows: Map<string, number>;
  close(): void;
}

/**
 * Reads every export in `folder` into an in-memory DuckDB database, one
 * table per engine table, with each value converted as the engine's table
 * builder converts it, so both sides query the same values.
 */
export async function loadDuckDb(folder: string): Promise<DuckDbData> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows = new Map<string, number>();
  const tables = await readExportFolder(folder, { onProblem: () => undefined });
  for (const table of tables) {
    rows.set(table.table, await appendTable(connection, table));
  }
  return {
    connection,
    rows,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function appendTable(connection: DuckDBConnection, table: ReadTable): Promise<number> {
  const columns = table.columns.map((column) => `"${column.name}" ${DUCKDB_TYPES[column.type]}`).join(', ');
  await connection.run(`create table "${table.table}" (${columns})`);
  const appender = await connection.createAppender(table.table);
  let count = 0;
  for await (const batch of table.batches) {
    for (const row of batch) {
      for (let index = 0; index < table.columns.length; index++) {
        appendValue(appender, table.columns[index], row[index]);
      }
      appender.endRow();
    }
    count += batch.length;
  }
  appender.closeSync();
  return count;
}

function appendValue(appender: DuckDBAppender, column: ColumnSchema, input: unknown): void {
  const value = convertInput(input, column.type);
  if (value === null) {
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case 'long':
    case 'int':
    case 'timespan':
      appender.appendBigInt(BigInt(value as number));
      return;
    case 'real':
      appender.appendDouble(value as number);
      return;
    case 'bool':
      appender.appendBoolean(value as boolean);
      return;
    case 'datetime': {
      const { epochMs, subMsTicks } = epochMsOfTicks(value as number);
      appender.appendTimestamp(new DuckDBTimestampValue(BigInt(epochMs) * 1000n + BigInt(Math.floor(subMsTicks / 10))));
      return;
    }
    case 'dynamic':
      appender.appendVarchar(JSON.stringify(value));
      return;
    default:
      appender.appendVarchar(value as string);
  }
}

/** Runs SQL and converts the whole result to JavaScript row arrays, as a caller that shows the rows must. */
export async function runSql(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS();
}
