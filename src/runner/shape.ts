/**
 * Shapes service responses into the results model. Pure, so it is unit-tested
 * without VS Code or a network: every datetime and dynamic value is converted
 * here and nowhere else.
 */
import type {
  CellValue,
  ColumnType,
  DateTimeValue,
  QueryResult,
  ResultColumn,
  ResultTable,
  ServiceError,
  Visualization,
} from '../results/model';
import type { HuntingWireResponse, LogAnalyticsWireError, LogAnalyticsWireResponse } from './wire';

/** What the runner knows about a run apart from the response body. */
export type RunContext = Pick<QueryResult, 'query' | 'target' | 'timeRange' | 'startedAt' | 'durationMs' | 'requestId'>;

const KUSTO_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>([
  'string', 'long', 'int', 'real', 'decimal', 'bool', 'datetime', 'timespan', 'dynamic', 'guid',
]);

/** Graph advanced hunting reports .NET type names; this maps them to Kusto types. */
const HUNTING_TYPES: Readonly<Record<string, ColumnType>> = {
  String: 'string',
  DateTime: 'datetime',
  Int64: 'long',
  Int32: 'int',
  Double: 'real',
  Decimal: 'decimal',
  Boolean: 'bool',
  Object: 'dynamic',
  Guid: 'guid',
  TimeSpan: 'timespan',
};

/**
 * Error codes and messages that mean the service cut the result at its limit
 * (500,000 rows or about 100 MB for Log Analytics).
 */
const TRUNCATION_PATTERN = /E_QUERY_RESULT_SET_TOO_LARGE|exceeded.*(limit|size)|result set too large/i;

/** Converts a column type name to the model's type; unknown names become `string`. */
export function columnType(wireType: string): ColumnType {
  const lower = wireType.toLowerCase() as ColumnType;
  if (KUSTO_TYPES.has(lower)) {
    return lower;
  }
  return HUNTING_TYPES[wireType] ?? (lower === ('boolean' as ColumnType) ? 'bool' : 'string');
}

/**
 * Parses an ISO 8601 UTC instant with up to seven fractional digits (100-ns
 * ticks), keeping the ticks that a JavaScript Date cannot hold.
 */
export function parseDateTime(text: string): DateTimeValue | string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z?$/.exec(text.trim());
  if (!match) {
    return text;
  }
  const fraction = (match[2] ?? '').padEnd(7, '0');
  const epochSeconds = Date.parse(`${match[1]}Z`);
  if (Number.isNaN(epochSeconds)) {
    return text;
  }
  return {
    kind: 'datetime',
    epochMs: epochSeconds + Number(fraction.slice(0, 3)),
    subMsTicks: Number(fraction.slice(3)),
    iso: text,
  };
}

/** Converts one wire value to a cell of the given column type. */
export function convertCell(type: ColumnType, value: unknown): CellValue {
  if (value === null || value === undefined) {
    return null;
  }
  switch (type) {
    case 'datetime':
      return typeof value === 'string' ? parseDateTime(value) : JSON.stringify(value);
    case 'dynamic':
      return { kind: 'dynamic', value: parseDynamic(value) };
    case 'bool':
      return typeof value === 'boolean' ? value : value === 'true' || value === 1;
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return convertNumber(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function parseDynamic(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Log Analytics sends dynamic values as JSON text; a plain string stays a string.
    return value;
  }
}

function convertNumber(value: unknown): CellValue {
  // NOTE: Log Analytics sends longs as JSON numbers, so JSON.parse has already
  // rounded any beyond 2^53 before they get here.
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string') {
    // Decimals and longs beyond 2^53 may arrive as text; keep the text when a number would lose digits.
    const number = Number(value);
    return Number.isFinite(number) && String(number) === value ? number : value;
  }
  return JSON.stringify(value);
}

/** Converts the Log Analytics error object to the model's ServiceError, keeping the innermost line and column. */
export function serviceError(wire: LogAnalyticsWireError): ServiceError {
  const error: ServiceError = {
    code: wire.code ?? 'Unknown',
    message: innermostMessage(wire) ?? wire.message ?? 'The service returned an error without a message.',
  };
  const position = findPosition(wire);
  if (position) {
    error.line = position.line;
    error.column = position.column;
  }
  const details = [...(wire.details ?? []), ...(wire.innererror ? [wire.innererror] : [])];
  if (details.length > 0) {
    error.details = details.map((detail) => serviceError(detail));
  }
  return error;
}

/** Returns the deepest `innererror` message, which is the one naming the query's problem. */
function innermostMessage(wire: LogAnalyticsWireError): string | undefined {
  let current: LogAnalyticsWireError | undefined = wire;
  let message: string | undefined;
  while (current) {
    message = current.message ?? message;
    current = current.innererror ?? current.details?.[0];
  }
  return message;
}

function findPosition(wire: LogAnalyticsWireError): { line: number; column: number } | undefined {
  if (typeof wire.line === 'number' && typeof wire.pos === 'number') {
    return { line: wire.line, column: wire.pos };
  }
  for (const child of [wire.innererror, ...(wire.details ?? [])]) {
    const position = child ? findPosition(child) : undefined;
    if (position) {
      return position;
    }
  }
  return undefined;
}

/**
 * Thrown for a 200 response that lacks the result arrays. Such a response
 * must fail: shown as an empty table it would read as a hunt that found
 * nothing.
 */
export class MissingResultError extends Error {
  constructor(
    /** The missing part of the body, as a clause such as `has no "tables"`. */
    readonly problem: string,
    /** The `error` object the body carried, if any. */
    readonly serviceError: ServiceError | undefined,
  ) {
    super(`The response ${problem}.`);
    this.name = 'MissingResultError';
  }
}

/** Returns what a Log Analytics body lacks, or undefined when it has tables that each have columns and rows. */
function logAnalyticsShapeProblem(body: LogAnalyticsWireResponse): string | undefined {
  if (!Array.isArray(body.tables) || body.tables.length === 0) {
    return 'has no "tables"';
  }
  const index = body.tables.findIndex((table: unknown) => !isRecord(table) || !Array.isArray(table.columns) || !Array.isArray(table.rows));
  return index >= 0 ? `has no "columns" and "rows" arrays in table ${index + 1}` : undefined;
}

/** Returns what a Graph advanced-hunting body lacks, or undefined when it has both result arrays. */
function huntingShapeProblem(body: HuntingWireResponse): string | undefined {
  const missing = [!Array.isArray(body.schema) ? '"schema"' : undefined, !Array.isArray(body.results) ? '"results"' : undefined].filter((name) => name !== undefined);
  return missing.length > 0 ? `has no ${missing.join(' and ')} ${missing.length > 1 ? 'arrays' : 'array'}` : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Shapes a Log Analytics 200 response; an `error` beside the tables makes it
 * a PartialFailure. Throws MissingResultError when the body has no tables.
 */
export function shapeLogAnalytics(body: LogAnalyticsWireResponse, context: RunContext): QueryResult {
  const problem = logAnalyticsShapeProblem(body);
  if (problem) {
    throw new MissingResultError(problem, isRecord(body.error) ? serviceError(body.error) : undefined);
  }
  const tables: ResultTable[] = (body.tables ?? []).map((table) => {
    const columns: ResultColumn[] = table.columns.map((column) => ({ name: column.name, type: columnType(column.type) }));
    const rows = table.rows.map((row) => columns.map((column, index) => convertCell(column.type, row[index])));
    return { name: table.name, columns, rows };
  });

  const result: QueryResult = { ...context, status: 'Success', tables };
  if (body.error) {
    markPartial(result, body.error);
  }
  if (body.statistics) {
    result.statistics = body.statistics;
  }
  const visualization = toVisualization(body.render);
  if (visualization) {
    result.visualization = visualization;
  }
  return result;
}

/** Makes a result with rows a PartialFailure that keeps the service's error. */
function markPartial(result: QueryResult, error: LogAnalyticsWireError): void {
  result.status = 'PartialFailure';
  result.error = serviceError(error);
  if (TRUNCATION_PATTERN.test(JSON.stringify(error))) {
    result.truncated = true;
  }
}

function toVisualization(render: Record<string, unknown> | undefined): Visualization | undefined {
  if (!render || typeof render.visualization !== 'string') {
    return undefined;
  }
  return { ...render, visualization: render.visualization };
}

/**
 * Shapes a Graph advanced-hunting response: rows are objects keyed by column
 * name, and an `error` beside them makes it a PartialFailure. Throws
 * MissingResultError when `schema` or `results` is missing.
 */
export function shapeHunting(body: HuntingWireResponse, context: RunContext): QueryResult {
  const problem = huntingShapeProblem(body);
  if (problem) {
    throw new MissingResultError(problem, isRecord(body.error) ? serviceError(body.error) : undefined);
  }
  const columns: ResultColumn[] = (body.schema ?? []).map((column) => ({ name: column.name, type: columnType(column.type) }));
  const rows = (body.results ?? []).map((record) => columns.map((column) => convertCell(column.type, record[column.name])));
  const result: QueryResult = { ...context, status: 'Success', tables: [{ name: 'PrimaryResult', columns, rows }] };
  if (body.error) {
    markPartial(result, body.error);
  }
  return result;
}

/** Builds the Failure result that keeps the error as data. */
export function failedResult(error: ServiceError, context: RunContext): QueryResult {
  return { ...context, status: 'Failure', tables: [], error };
}

/** Counts rows over every table. */
export function rowCount(result: QueryResult): number {
  return result.tables.reduce((total, table) => total + table.rows.length, 0);
}
