/**
 * Differential test: every case runs on the sample tenant twice, once on the
 * local engine and once, as SQL, on DuckDB holding the same rows, and the two
 * results must be equal. DuckDB's tables are filled from the engine's own
 * reading of the sample files, so a difference points at query semantics,
 * not at the readers.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance, DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { loadKustoLanguage } from '../../../src/kusto/bridge';
import { runQuery, type Database } from '../../../src/engine/index';
import { loadData } from '../../../src/engine/load';
import type { CellValue, ResultColumn, ResultTable } from '../../../src/results/model';
import { DIFFERENTIAL_CASES } from './differentialCases';

const SAMPLE_DATA = join(__dirname, '..', '..', '..', '..', 'sample', 'data');
const DUCKDB_TYPES: Record<string, string> = {
  string: 'VARCHAR',
  guid: 'VARCHAR',
  long: 'BIGINT',
  int: 'BIGINT',
  real: 'DOUBLE',
  decimal: 'DOUBLE',
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  timespan: 'VARCHAR',
  dynamic: 'VARCHAR',
};

/** Converts a cell to a form both engines produce: numbers rounded, datetimes as epoch milliseconds. */
function normalize(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value : Number(value.toPrecision(9));
  }
  if (value instanceof Date) {
    return value.getTime();
  }
  const cell = value as CellValue;
  if (typeof cell === 'object' && cell !== null) {
    return cell.kind === 'datetime' ? cell.epochMs : JSON.stringify(cell.value);
  }
  return cell;
}

function sortedRows(rows: unknown[][]): string[] {
  return rows.map((row) => JSON.stringify(row.map(normalize))).sort();
}

function appendCell(appender: DuckDBAppender, column: ResultColumn, cell: CellValue): void {
  if (cell === null) {
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case 'long':
    case 'int':
      appender.appendBigInt(BigInt(Math.trunc(Number(cell))));
      return;
    case 'real':
    case 'decimal':
      appender.appendDouble(Number(cell));
      return;
    case 'bool':
      appender.appendBoolean(cell === true);
      return;
    case 'datetime':
      if (typeof cell === 'object' && 'kind' in cell && cell.kind === 'datetime') {
        appender.appendTimestamp(new DuckDBTimestampValue(BigInt(cell.epochMs) * 1000n + BigInt(Math.floor(cell.subMsTicks / 10))));
        return;
      }
      throw new Error(`Expected a datetime in ${column.name}`);
    case 'dynamic':
      appender.appendVarchar(typeof cell === 'object' && 'kind' in cell && cell.kind === 'dynamic' ? JSON.stringify(cell.value) : JSON.stringify(cell));
      return;
    default:
      appender.appendVarchar(typeof cell === 'object' ? JSON.stringify(cell) : String(cell));
  }
}

/** Copies one engine table into DuckDB by reading it back through the engine. */
async function copyTable(connection: DuckDBConnection, database: Database, name: string): Promise<void> {
  const table: ResultTable | undefined = runQuery(database, name).tables[0];
  assert.ok(table, `the engine returned nothing for ${name}`);
  const columns = table.columns.map((column) => `"${column.name}" ${DUCKDB_TYPES[column.type] ?? 'VARCHAR'}`).join(', ');
  await connection.run(`create table "${name}" (${columns})`);
  const appender = await connection.createAppender(name);
  for (const row of table.rows) {
    table.columns.forEach((column, index) => appendCell(appender, column, row[index] ?? null));
    appender.endRow();
  }
  appender.closeSync();
}

describe('local engine against DuckDB on the sample tenant', function () {
  this.timeout(120_000);
  let database: Database;
  let connection: DuckDBConnection;

  before(async () => {
    loadKustoLanguage();
    database = (await loadData([SAMPLE_DATA])).database;
    const instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    for (const table of database.tables) {
      await copyTable(connection, database, table.name);
    }
  });

  it('has at least 40 cases', () => {
    assert.ok(DIFFERENTIAL_CASES.length >= 40, `${DIFFERENTIAL_CASES.length} cases`);
  });

  for (const testCase of DIFFERENTIAL_CASES) {
    it(testCase.name, async () => {
      const engineTable = runQuery(database, testCase.kql).tables[0];
      assert.ok(engineTable, 'the engine returned no table');
      const duck = (await connection.runAndReadAll(testCase.sql)).getRowsJS() as unknown[][];
      const engineRows = engineTable.rows as unknown[][];
      assert.ok(duck.length > 0 || engineRows.length > 0 || testCase.name.includes('empty'), 'both sides returned no rows; the case tests nothing on this data');
      if (testCase.ordered) {
        assert.deepEqual(engineRows.map((row) => JSON.stringify(row.map(normalize))), duck.map((row) => JSON.stringify(row.map(normalize))));
      } else {
        assert.deepEqual(sortedRows(engineRows), sortedRows(duck));
      }
    });
  }
});
