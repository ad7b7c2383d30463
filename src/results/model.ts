/**
 * The results model: one shape for every target (Log Analytics, Defender XDR
 * advanced hunting, the local engine). The query runner produces it, the
 * results webview shows it, pivots read entities from it and evidence files
 * store it. Values are converted once, when a response is shaped.
 */

/** Kusto column types as services report them. */
export type ColumnType = 'string' | 'long' | 'int' | 'real' | 'decimal' | 'bool' | 'datetime' | 'timespan' | 'dynamic' | 'guid';

export interface ResultColumn {
  name: string;
  type: ColumnType;
}

/**
 * One cell. `null` is Kusto's null; an empty string stays an empty string.
 * datetime: milliseconds since the Unix epoch plus the sub-millisecond ticks
 * (100 ns) so no precision is lost; timespan: the service's text form
 * (for example `01:02:03.5000000`); dynamic: the parsed JSON value; long
 * values beyond 2^53 are kept as their decimal text.
 */
export type CellValue = string | number | boolean | null | DateTimeValue | DynamicValue;

export interface DateTimeValue {
  kind: 'datetime';
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  epochMs: number;
  /** Extra 100-ns ticks within the millisecond, 0 to 9999. */
  subMsTicks: number;
  /** ISO 8601 text as the service sent it, in UTC. */
  iso: string;
}

export interface DynamicValue {
  kind: 'dynamic';
  value: unknown;
}

export interface ResultTable {
  name: string;
  columns: ResultColumn[];
  /** Row-major cells, one array per row, in column order. */
  rows: CellValue[][];
}

export type ResultStatus = 'Success' | 'PartialFailure' | 'Failure';

/** The kind of service a query ran on, and which one. */
export type QueryTarget =
  | { kind: 'logAnalytics'; workspaceId: string; displayName: string }
  | { kind: 'defenderXdr'; tenantId?: string; displayName: string }
  | { kind: 'local'; folder: string; displayName: string };

/** The `render` operator's visualization, as the service returns it. */
export interface Visualization {
  visualization: string;
  title?: string;
  xColumn?: string;
  yColumns?: string[];
  series?: string[];
  [property: string]: unknown;
}

export interface ServiceError {
  code: string;
  message: string;
  /**
   * 1-based line and column, when the service reports them: counted in the
   * file when the runner knows where the query starts there, else in the query text.
   */
  line?: number;
  column?: number;
  details?: ServiceError[];
}

export interface QueryResult {
  status: ResultStatus;
  tables: ResultTable[];
  /** Present for PartialFailure and Failure. */
  error?: ServiceError;
  statistics?: Record<string, unknown>;
  visualization?: Visualization;
  query: string;
  target: QueryTarget;
  /** The time range sent with the query, as ISO 8601 instants; absent when the query sets its own. */
  timeRange?: { start: string; end: string };
  /** ISO 8601 instant when the run started. */
  startedAt: string;
  durationMs: number;
  /** The server's request id, for support cases and the log. */
  requestId?: string;
  /** True when the service cut the result at its row or size limit. */
  truncated?: boolean;
  /** Facts the user should see above the rows, for example lines of a local export that were skipped. */
  warnings?: string[];
}

/** Error code of a run that the user cancelled; such a run has status Failure. */
export const CANCELLED_CODE = 'Cancelled';

/** Returns true for a run the user cancelled, which is reported as cancelled rather than as a failure. */
export function isCancelledRun(result: Pick<QueryResult, 'status' | 'error'>): boolean {
  return result.status === 'Failure' && result.error?.code === CANCELLED_CODE;
}
