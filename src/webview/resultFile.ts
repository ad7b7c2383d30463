/**
 * Reads a QueryResult from JSON text, as Hunt Lens stores results for
 * restoring panels, and checks its shape first so a wrong file gets an error
 * that names the first invalid value instead of a broken grid.
 */
import type { ColumnType, QueryResult } from '../results/model';

const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnType>(['string', 'long', 'int', 'real', 'decimal', 'bool', 'datetime', 'timespan', 'dynamic', 'guid']);
const STATUSES: ReadonlySet<string> = new Set(['Success', 'PartialFailure', 'Failure']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Returns the path of the first invalid value, or undefined when the cell is valid. */
function checkCell(cell: unknown, path: string): string | undefined {
  if (cell === null || typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') {
    return undefined;
  }
  if (!isRecord(cell)) {
    return `${path} is not a cell value`;
  }
  if (cell.kind === 'dynamic' && 'value' in cell) {
    return undefined;
  }
  if (cell.kind === 'datetime' && typeof cell.epochMs === 'number' && typeof cell.subMsTicks === 'number' && typeof cell.iso === 'string') {
    return undefined;
  }
  return `${path} is an object that is neither a datetime nor a dynamic value`;
}

function checkTable(table: unknown, path: string): string | undefined {
  if (!isRecord(table) || typeof table.name !== 'string' || !Array.isArray(table.columns) || !Array.isArray(table.rows)) {
    return `${path} needs a name, columns and rows`;
  }
  const width = table.columns.length;
  for (const [index, column] of table.columns.entries()) {
    if (!isRecord(column) || typeof column.name !== 'string' || typeof column.type !== 'string' || !COLUMN_TYPES.has(column.type)) {
      return `${path}.columns[${index}] needs a name and a Kusto type`;
    }
  }
  for (const [rowIndex, row] of table.rows.entries()) {
    if (!Array.isArray(row) || row.length !== width) {
      return `${path}.rows[${rowIndex}] is not an array of ${width} cells`;
    }
    for (const [cellIndex, cell] of row.entries()) {
      const problem = checkCell(cell, `${path}.rows[${rowIndex}][${cellIndex}]`);
      if (problem) {
        return problem;
      }
    }
  }
  return undefined;
}

function checkResult(data: unknown): string | undefined {
  if (!isRecord(data)) {
    return 'the file is not a JSON object';
  }
  if (typeof data.status !== 'string' || !STATUSES.has(data.status)) {
    return `status ${JSON.stringify(data.status)} is not Success, PartialFailure or Failure`;
  }
  if (typeof data.query !== 'string' || typeof data.startedAt !== 'string' || typeof data.durationMs !== 'number') {
    return 'query, startedAt or durationMs is missing';
  }
  if (!isRecord(data.target) || typeof data.target.kind !== 'string' || typeof data.target.displayName !== 'string') {
    return 'target needs a kind and a displayName';
  }
  if (!Array.isArray(data.tables)) {
    return 'tables is not an array';
  }
  for (const [index, table] of data.tables.entries()) {
    const problem = checkTable(table, `tables[${index}]`);
    if (problem) {
      return problem;
    }
  }
  return undefined;
}

/** Parses and checks a results file; throws an Error that names the file and the first invalid value. */
export function parseResultFile(text: string, fileName: string): QueryResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Open a results file that Hunt Lens wrote.`, { cause: error });
  }
  const problem = checkResult(data);
  if (problem) {
    throw new Error(`${fileName} is not a Hunt Lens results file: ${problem}.`);
  }
  return data as QueryResult;
}
