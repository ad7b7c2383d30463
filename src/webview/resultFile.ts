/**
 * Reads a QueryResult from JSON text, as Hunt Lens stores results for
 * restoring panels, and checks its shape first so a wrong file gets an error
 * that names the first invalid value instead of a broken grid.
 */
import type { ColumnType, QueryResult } from '../results/model';

const COLUMN_TYPES: ReadonlySet<string> = new Set<ColumnType>(['string', 'long', 'int', 'real', 'decimal', 'bool', 'datetime', 'timespan', 'dynamic', 'guid']);
const STATUSES: ReadonlySet<string> = new Set(['Success', 'PartialFailure', 'Failure']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Problems name tables, rows and columns by their 1-based numbers, never by their names: names are
// file content, and an error notification renders Markdown links.

/** Returns what is wrong with one cell in plain words, or undefined when it is valid. */
function checkCell(cell: unknown, where: string): string | undefined {
  if (cell === null || typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') {
    return undefined;
  }
  if (!isRecord(cell)) {
    return `${where} is a list, which no cell can be`;
  }
  if (cell.kind === 'dynamic' && 'value' in cell) {
    return undefined;
  }
  if (cell.kind === 'datetime' && typeof cell.epochMs === 'number' && typeof cell.subMsTicks === 'number' && typeof cell.iso === 'string') {
    return undefined;
  }
  return `${where} is an object that is neither a datetime (kind, epochMs, subMsTicks, iso) nor a dynamic value (kind, value)`;
}

function checkTable(table: unknown, tableNumber: number): string | undefined {
  const name = `table ${tableNumber}`;
  if (!isRecord(table) || typeof table.name !== 'string' || !Array.isArray(table.columns) || !Array.isArray(table.rows)) {
    return `${name} needs a "name", a "columns" list and a "rows" list`;
  }
  const width = table.columns.length;
  for (const [index, column] of table.columns.entries()) {
    if (!isRecord(column) || typeof column.name !== 'string' || typeof column.type !== 'string' || !COLUMN_TYPES.has(column.type)) {
      return `column ${index + 1} of ${name} needs a "name" and a "type" that is one of ${[...COLUMN_TYPES].join(', ')}`;
    }
  }
  for (const [rowIndex, row] of table.rows.entries()) {
    if (!Array.isArray(row)) {
      return `row ${rowIndex + 1} of ${name} is not a list of values`;
    }
    if (row.length !== width) {
      return `row ${rowIndex + 1} of ${name} has ${row.length} ${row.length === 1 ? 'value' : 'values'}, but the table has ${width} ${width === 1 ? 'column' : 'columns'}`;
    }
    for (const [cellIndex, cell] of row.entries()) {
      const problem = checkCell(cell, `the value in row ${rowIndex + 1}, column ${cellIndex + 1} of ${name}`);
      if (problem) {
        return problem;
      }
    }
  }
  return undefined;
}

/** Returns what kind of other file the data looks like, for the error's advice, or undefined. */
function otherFileKind(data: unknown): string | undefined {
  if (Array.isArray(data)) {
    return 'It looks like a table saved with Export JSON, which keeps only the rows; open it in an editor instead.';
  }
  if (isRecord(data) && typeof data.rowsSha256 === 'string' && Array.isArray(data.rows)) {
    return 'It looks like an evidence file from Save as Evidence, which keeps rows but not the result; open its CSV file to read the rows.';
  }
  return undefined;
}

function checkResult(data: unknown): string | undefined {
  if (Array.isArray(data)) {
    return 'it contains a JSON list, not one query result';
  }
  if (!isRecord(data)) {
    return `it contains a JSON ${data === null ? 'null' : typeof data}, not one query result`;
  }
  const missing = ['status', 'query', 'startedAt', 'durationMs', 'target', 'tables'].filter((field) => !(field in data));
  if (missing.length > 0) {
    return `${missing.length === 1 ? 'the field' : 'the fields'} ${missing.map((field) => `"${field}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`;
  }
  if (typeof data.status !== 'string' || !STATUSES.has(data.status)) {
    return 'the field "status" is not Success, PartialFailure or Failure';
  }
  if (typeof data.query !== 'string' || typeof data.startedAt !== 'string' || typeof data.durationMs !== 'number') {
    return 'the fields "query" and "startedAt" must be text and "durationMs" a number';
  }
  if (!isRecord(data.target) || typeof data.target.kind !== 'string' || typeof data.target.displayName !== 'string') {
    return 'the field "target" needs a "kind" and a "displayName"';
  }
  if (!Array.isArray(data.tables)) {
    return 'the field "tables" is not a list';
  }
  for (const [index, table] of data.tables.entries()) {
    const problem = checkTable(table, index + 1);
    if (problem) {
      return problem;
    }
  }
  return undefined;
}

/** Sentence that ends every error: the files Open Results File accepts. */
export const ACCEPTED_FILES =
  'Open Results File reads one query result saved as JSON by Hunt Lens: an object with status, query, startedAt, durationMs, target and tables.';

/**
 * Parses and checks a results file. Throws an Error whose message names the
 * file, states what is wrong in plain words and which files the command reads.
 */
export function parseResultFile(text: string, fileName: string): QueryResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot open ${fileName}: it is not valid JSON (${reason}). ${ACCEPTED_FILES}`, { cause: error });
  }
  const problem = checkResult(data);
  if (problem) {
    const advice = otherFileKind(data);
    throw new Error(`Cannot open ${fileName} as a results file: ${problem}. ${advice ? `${advice} ` : ''}${ACCEPTED_FILES}`);
  }
  return data as QueryResult;
}
