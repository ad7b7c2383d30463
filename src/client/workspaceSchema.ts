/**
 * Fetches the table schema of a Log Analytics workspace from the Log
 * Analytics metadata API, `GET {endpoint}/v1/workspaces/{id}/metadata` (Logs
 * Query API reference, Microsoft Learn). Caches it in the extension's global
 * storage, one JSON file per workspace with the time of the fetch. The
 * endpoint and the credential are resolved as for a query on the same connection.
 */
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import { config } from '../extension/config';
import type { WorkspaceTable } from '../protocol/languageServer';
import { resolveEndpoints, type CloudEndpoints } from '../runner/clouds';
import type { Connection } from '../runner/connections';
import { createCredential } from '../runner/credential';
import type * as RunnerSdk from '../runner/runnerSdk';

/** A workspace schema as it is cached and sent to the language server. */
export interface WorkspaceSchema {
  readonly workspaceId: string;
  /** ISO 8601 time of the fetch. */
  readonly fetchedAt: string;
  readonly tables: readonly WorkspaceTable[];
}

/** The metadata API's column types that the Kusto binder takes as they are. */
const COLUMN_TYPES: ReadonlySet<string> = new Set(['string', 'long', 'int', 'real', 'bool', 'datetime', 'timespan', 'dynamic', 'guid']);
/**
 * Upper bounds on what a response or cache file may hold. Both are estimates
 * well above a large Sentinel workspace (about 1,000 tables, and at most 500
 * columns per custom table), not limits the service documents.
 */
const MAX_TABLES = 20_000;
const MAX_COLUMNS_PER_TABLE = 2_000;
const CACHE_FORMAT = 1;
const CACHE_FOLDER = 'workspace-schemas';

/** The tables of a metadata response, and how many tables and columns were left out as invalid. */
export interface ParsedMetadata {
  readonly tables: WorkspaceTable[];
  readonly skipped: number;
}

/**
 * Reads the `tables` of a metadata response (or a cache file). Names must be
 * non-empty text without control characters. `decimal` columns become
 * `real`, and columns of other unknown types are left out.
 */
export function parseMetadata(body: unknown): ParsedMetadata {
  const tablesValue = isRecord(body) ? body.tables : undefined;
  if (!Array.isArray(tablesValue)) {
    throw new Error('the response has no "tables" array');
  }
  const tables: WorkspaceTable[] = [];
  let skipped = 0;
  for (const table of tablesValue.slice(0, MAX_TABLES) as unknown[]) {
    if (!isRecord(table) || !isName(table.name) || !Array.isArray(table.columns)) {
      skipped++;
      continue;
    }
    const columns: { name: string; type: string }[] = [];
    for (const column of table.columns.slice(0, MAX_COLUMNS_PER_TABLE) as unknown[]) {
      const declared = isRecord(column) && typeof column.type === 'string' ? column.type : '';
      // NOTE: decimal is read as real, so the binder may accept arithmetic the service would type differently.
      const type = declared === 'decimal' ? 'real' : declared;
      if (isRecord(column) && isName(column.name) && COLUMN_TYPES.has(type)) {
        columns.push({ name: column.name, type });
      } else {
        skipped++;
      }
    }
    skipped += Math.max(0, table.columns.length - MAX_COLUMNS_PER_TABLE);
    tables.push({ name: table.name, columns });
  }
  skipped += Math.max(0, tablesValue.length - MAX_TABLES);
  return { tables, skipped };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isName(value: unknown): value is string {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && value.length > 0 && value.length <= 1024 && !/[\u0000-\u001f\u007f]/.test(value);
}

// ---------------------------------------------------------------------------
// Disk cache

function cacheFile(storage: vscode.Uri, workspaceId: string): vscode.Uri {
  // The workspace ID is a GUID (checked by the caller), so it is a safe file name.
  return vscode.Uri.joinPath(storage, CACHE_FOLDER, `${workspaceId.toLowerCase()}.json`);
}

/** Reads a cached schema, or returns undefined when there is none. Throws when the file exists but is invalid. */
export async function readCachedSchema(storage: vscode.Uri, workspaceId: string): Promise<WorkspaceSchema | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(cacheFile(storage, workspaceId));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
      return undefined;
    }
    throw error;
  }
  const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  if (!isRecord(value) || value.format !== CACHE_FORMAT || typeof value.fetchedAt !== 'string' || Number.isNaN(Date.parse(value.fetchedAt))) {
    throw new Error(`the file has no format ${CACHE_FORMAT} header with a fetch time`);
  }
  return { workspaceId, fetchedAt: value.fetchedAt, tables: parseMetadata(value).tables };
}

/** Writes a schema to the cache, replacing the earlier file of that workspace. */
export async function writeCachedSchema(storage: vscode.Uri, schema: WorkspaceSchema): Promise<void> {
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(storage, CACHE_FOLDER));
  const content = JSON.stringify({ format: CACHE_FORMAT, workspaceId: schema.workspaceId, fetchedAt: schema.fetchedAt, tables: schema.tables });
  await vscode.workspace.fs.writeFile(cacheFile(storage, schema.workspaceId), Buffer.from(content, 'utf8'));
}

/** Describes how long ago an ISO 8601 time was, in minutes, hours or days. */
export function describeAge(fetchedAt: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(fetchedAt)) / 60_000));
  if (minutes < 60) {
    return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  }
  return `${Math.round(hours / 24)} days ago`;
}

// ---------------------------------------------------------------------------
// Fetching

export interface FetchOptions {
  readonly connection: Connection;
  /**
   * False for the automatic fetch when a document opens: it then never shows
   * a sign-in prompt or a device code, and fails instead.
   */
  readonly interactive: boolean;
  /** The extension-host tests' fixed token; see createCredential. */
  readonly testToken: string | undefined;
  readonly signal: AbortSignal;
}

/** Fetches a workspace's schema. Throws an Error whose message names what failed, without the token. */
export async function fetchWorkspaceSchema(options: FetchOptions): Promise<WorkspaceSchema> {
  const { connection } = options;
  const { endpoints } = resolveEndpoints(connection.cloud ?? config.cloud, config.endpointOverrides);
  const sdk = loadSdk();
  const credential = credentialFor(options, endpoints, sdk);
  const url = `${endpoints.logAnalytics}/workspaces/${encodeURIComponent(connection.workspaceId)}/metadata`;
  const outcome = await sdk.getJson({ credential, url, scope: endpoints.logAnalyticsScope, signal: options.signal });
  switch (outcome.kind) {
    case 'aborted':
      throw new Error('the request was cancelled');
    case 'signIn':
      throw new Error(`sign-in failed (${outcome.message})`);
    case 'network':
      throw new Error(`the request to ${new URL(url).host} failed (${outcome.code ?? outcome.message})`);
    case 'deadline':
      throw new Error(`no response arrived from ${new URL(url).host} within ${Math.round(outcome.deadlineMs / 1000)} seconds`);
    case 'response':
      if (outcome.status !== 200) {
        throw new Error(`the service returned HTTP ${outcome.status}${serviceError(outcome.body)} (request id ${outcome.requestId ?? 'none'})`);
      }
      return { workspaceId: connection.workspaceId, fetchedAt: new Date().toISOString(), tables: parseMetadata(outcome.body).tables };
  }
}

function serviceError(body: unknown): string {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (!error) {
    return '';
  }
  const code = typeof error.code === 'string' ? error.code : 'no code';
  return typeof error.message === 'string' ? ` ${code}: ${error.message}` : ` ${code}`;
}

function credentialFor(options: FetchOptions, endpoints: CloudEndpoints, sdk: typeof RunnerSdk): TokenCredential {
  const tenant = options.connection.tenant ?? (config.tenant || undefined);
  const method = config.signIn;
  if (!options.interactive && !options.testToken) {
    if (method === 'deviceCode') {
      throw new Error('device code sign-in (huntLens.signIn) needs you to enter a code, so the schema is fetched only by Hunt Lens: Refresh Workspace Schema');
    }
    if (method === 'vscode') {
      return new SilentSessionCredential(endpoints.authProvider, tenant);
    }
  }
  return createCredential({ method, endpoints, tenant, testToken: options.testToken, sdk });
}

/**
 * VS Code's Microsoft sign-in without a prompt: fails when no session exists yet.
 * NOTE: no test runs this path, because the host tests sign in with a fixed token.
 */
class SilentSessionCredential implements TokenCredential {
  constructor(
    private readonly providerId: CloudEndpoints['authProvider'],
    private readonly tenant: string | undefined,
  ) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const requested = Array.isArray(scopes) ? scopes : [scopes];
    const sessionScopes = this.tenant ? [...requested, `VSCODE_TENANT:${this.tenant}`] : requested;
    const session = await vscode.authentication.getSession(this.providerId, sessionScopes, { silent: true });
    if (!session) {
      throw new Error('you are not signed in to Microsoft in VS Code yet; the first query, or Hunt Lens: Refresh Workspace Schema, signs you in');
    }
    return { token: session.accessToken, expiresOnTimestamp: Date.now() + 60_000 };
  }
}

let sdk: typeof RunnerSdk | undefined;

function loadSdk(): typeof RunnerSdk {
  // The Azure SDK bundle (dist/runnerSdk.js) sits beside the extension bundle and loads on first use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require(join(__dirname, 'runnerSdk.js')) as typeof RunnerSdk;
  return sdk;
}
