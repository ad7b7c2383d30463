/**
 * The JSON the query services send, as Hunt Lens reads it: the Log Analytics
 * query API (`POST /v1/workspaces/{id}/query`) and Microsoft Graph advanced
 * hunting (`POST /v1.0/security/runHuntingQuery`). Every field is optional or
 * `unknown` where the service may omit it, because the shaping code must not
 * trust a response.
 */

/** One column of a Log Analytics response table. */
export interface LogAnalyticsWireColumn {
  name: string;
  type: string;
}

export interface LogAnalyticsWireTable {
  name: string;
  columns: LogAnalyticsWireColumn[];
  rows: unknown[][];
}

/** The error object of the Log Analytics API: nested `details` and `innererror` chains. */
export interface LogAnalyticsWireError {
  code?: string;
  message?: string;
  correlationId?: string;
  details?: LogAnalyticsWireError[];
  innererror?: LogAnalyticsWireError;
  /** 1-based line of a syntax or semantic error. */
  line?: number;
  /** 1-based column (the service calls it `pos`). */
  pos?: number;
  [property: string]: unknown;
}

/** A 200 response: tables, and `error` when the result is partial. */
export interface LogAnalyticsWireResponse {
  tables?: LogAnalyticsWireTable[];
  statistics?: Record<string, unknown>;
  render?: Record<string, unknown>;
  error?: LogAnalyticsWireError;
}

/** A Graph advanced-hunting column: types are .NET names such as `DateTime` and `Int64`. */
export interface HuntingWireColumn {
  name: string;
  type: string;
}

export interface HuntingWireResponse {
  schema?: HuntingWireColumn[];
  results?: Record<string, unknown>[];
  /** An error beside the results, or in place of them in a body that is not a result. */
  error?: LogAnalyticsWireError;
}

/** The body every Graph and Log Analytics error response carries. */
export interface WireErrorBody {
  error?: LogAnalyticsWireError;
}

/** The request body Hunt Lens sends to Log Analytics. */
export interface LogAnalyticsWireRequest {
  query: string;
  timespan?: string;
}

/** The request body Hunt Lens sends to Graph advanced hunting. */
export interface HuntingWireRequest {
  Query: string;
  Timespan?: string;
}

/** The request body of an Azure Resource Graph query (`POST /providers/Microsoft.ResourceGraph/resources`). */
export interface ResourceGraphWireRequest {
  query: string;
  options?: { resultFormat?: 'objectArray'; $top?: number; $skipToken?: string };
}

/** One workspace row of the Resource Graph query that Select Workspace sends. */
export interface WorkspaceWireRow {
  name?: unknown;
  subscriptionId?: unknown;
  resourceGroup?: unknown;
  location?: unknown;
  customerId?: unknown;
}

export interface ResourceGraphWireResponse {
  data?: WorkspaceWireRow[];
  $skipToken?: string;
}
