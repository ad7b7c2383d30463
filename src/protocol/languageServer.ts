/**
 * The contract between the Hunt Lens language client (extension host) and the
 * KQL language server (src/server/): custom notification names and payloads,
 * the settings the server reads, and the ids of Hunt Lens's diagnostic rules.
 * Both sides import only this file for anything beyond standard LSP, so it
 * depends on no LSP library: the client and the server bundle different
 * versions of vscode-jsonrpc.
 */

/** The `source` of every diagnostic the server publishes, which the query runner compares its own diagnostics with. */
export const DIAGNOSTIC_SOURCE = 'Hunt Lens';

/** Hunt Lens's own diagnostic rules. Each can be turned off with `huntLens.diagnostics.<id>`. */
export const RULE_IDS = ['textNumberComparison', 'jsonTextProperty', 'missingTimeFilter', 'unionTypeConflict', 'unknownOperator'] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** The server's initialization options; all are optional. */
export interface ServerInitializationOptions {
  /** Pause after an edit before diagnostics are computed, in milliseconds. Default 150. */
  readonly debounceMs?: number;
  /** Folder of the Kusto language service scripts. Default: `kusto` beside the server bundle. */
  readonly kustoDirectory?: string;
  /**
   * `block` (the default) analyzes each blank-line-separated statement block
   * on its own and reuses unchanged blocks' results. `document` analyzes the
   * whole text as one query on every change: the baseline that the
   * benchmarks compare with.
   */
  readonly analysisScope?: 'block' | 'document';
  /** Send a DIAGNOSTICS_PASS_NOTIFICATION after each diagnostics pass, for tests and benchmarks. Default false. */
  readonly reportPasses?: boolean;
}

/** The `huntLens` settings section as the server requests it with workspace/configuration. */
export interface ServerSettings {
  readonly diagnostics?: Partial<Record<RuleId, boolean>>;
  /** The ISO 8601 duration the query runner sends with a query that does not filter on time; HL003 names it. */
  readonly defaultTimespan?: string;
  /**
   * True when documents without a `// connection:` pin run on the local data
   * folder. Not a setting: the client adds it to the section, because it
   * follows the active connection.
   */
  readonly localData?: boolean;
}

/**
 * Sent by the server once at start: `ready` after the Kusto language service
 * has loaded and analyzed a first query, or `failed` when it could not load.
 */
export const SERVER_STATUS_NOTIFICATION = 'huntLens/serverStatus';

export interface ServerReadyParams {
  readonly kind: 'ready';
  /** Time to evaluate the Kusto language service scripts, in milliseconds. */
  readonly loadMs: number;
  /** Time of the first (warm-up) analysis, in milliseconds. */
  readonly warmUpMs: number;
}

/** After a failed load the server keeps running but reports no diagnostics. */
export interface ServerFailedParams {
  readonly kind: 'failed';
  readonly message: string;
}

export type ServerStatusParams = ServerReadyParams | ServerFailedParams;

/** Sent after each finished diagnostics pass when the reportPasses initialization option is set. */
export const DIAGNOSTICS_PASS_NOTIFICATION = 'huntLens/diagnosticsPass';

export interface DiagnosticsPassParams {
  readonly uri: string;
  readonly version: number;
  /** Statement blocks in the document. */
  readonly blocks: number;
  /** Blocks analyzed in this pass; the rest reused the previous pass's results. */
  readonly analyzedBlocks: number;
}

/** A table of a workspace schema as the client sends it: column types are Kusto scalar type names such as `string` or `datetime`. */
export interface WorkspaceTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/**
 * Sent by the client when it has the schema of a Log Analytics workspace,
 * fetched from the workspace or read from its disk cache. Documents that run
 * on that workspace bind their Log Analytics blocks against these tables
 * instead of the bundled ones. A newer schema for the same workspace replaces the older one.
 */
export const WORKSPACE_SCHEMA_NOTIFICATION = 'huntLens/workspaceSchema';

export interface WorkspaceSchemaParams {
  readonly workspaceId: string;
  /** When the schema was fetched from the service, as an ISO 8601 date. */
  readonly fetchedAt: string;
  readonly tables: readonly WorkspaceTable[];
}

/**
 * Sent by the client when the workspace a document runs on changes: on open,
 * when its `// connection:` comment or the active connection changes, and
 * after the server restarts. `workspaceId` is null for a document with no
 * connection, which binds against the bundled tables.
 */
export const DOCUMENT_WORKSPACE_NOTIFICATION = 'huntLens/documentWorkspace';

export interface DocumentWorkspaceParams {
  readonly uri: string;
  readonly workspaceId: string | null;
}
