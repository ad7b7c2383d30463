/**
 * Keeps the language server's workspace schemas current. It sends the server
 * the Log Analytics workspace each open KQL document runs on, and that
 * workspace's schema, read from the disk cache or fetched once per window.
 * Registers the command huntLens.refreshSchema, which fetches again.
 *
 * A failed fetch is logged once and not retried until the refresh command or
 * a new window, so the server keeps binding against the bundled tables.
 */
import * as vscode from 'vscode';
import { describeError, type Log } from '../extension/log';
import { leadingCommentLines } from '../hunts/document';
import {
  DOCUMENT_WORKSPACE_NOTIFICATION,
  WORKSPACE_SCHEMA_NOTIFICATION,
  type DocumentWorkspaceParams,
  type WorkspaceSchemaParams,
} from '../protocol/languageServer';
import { isWorkspaceId, type Connection } from '../runner/connections';
import type { KqlLanguageClient } from './languageClient';
import { describeAge, fetchWorkspaceSchema, readCachedSchema, writeCachedSchema, type WorkspaceSchema } from './workspaceSchema';

/** The source of a document's workspace connection: the query runner's commands. */
export interface ConnectionSource {
  connectionFor(document: vscode.TextDocument): { connection: Connection } | { error: string };
  readonly onDidChangeConnection: vscode.Event<void>;
}

/** The outcome of refreshing one workspace's schema. */
export type RefreshOutcome =
  | { readonly kind: 'fetched'; readonly workspaceId: string; readonly tables: number }
  | { readonly kind: 'failed'; readonly workspaceId: string; readonly message: string };

export class WorkspaceSchemaSync implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly schemas = new Map<string, WorkspaceSchema>();
  /** Workspaces whose schema was loaded or tried in this window, so a failure is not retried on every open. */
  private readonly attempted = new Set<string>();
  /** The workspace each open KQL document runs on, by URI; null for none. */
  private readonly documentWorkspaces = new Map<string, string | null>();

  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: Log,
    private readonly client: KqlLanguageClient,
    private readonly connections: ConnectionSource,
    private readonly testToken: string | undefined,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand('huntLens.refreshSchema', () => this.refresh()),
      vscode.workspace.onDidOpenTextDocument((document) => this.updateDocument(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.documentWorkspaces.delete(document.uri.toString())),
      vscode.workspace.onDidChangeTextDocument((event) => {
        const leadingLines = leadingCommentLines(event.document.getText(new vscode.Range(0, 0, 100, 0)).split(/\r?\n/)).length;
        if (event.contentChanges.some((change) => change.range.start.line <= leadingLines)) {
          this.updateDocument(event.document);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['huntLens.connections', 'huntLens.cloud', 'huntLens.tenant'].some((section) => event.affectsConfiguration(section))) {
          this.updateAll();
        }
      }),
      connections.onDidChangeConnection(() => this.updateAll()),
      client.onDidStartServer(() => this.resendAll()),
    );
    this.updateAll();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  /** Fetches again the schema of every workspace that an open KQL document runs on. */
  async refresh(): Promise<RefreshOutcome[]> {
    const workspaces = new Map<string, Connection>();
    for (const document of kqlDocuments()) {
      const connection = this.workspaceConnection(document);
      if (connection) {
        workspaces.set(connection.workspaceId, connection);
      }
    }
    if (workspaces.size === 0) {
      const message = 'No open KQL file runs on a Log Analytics workspace. Select one with Hunt Lens: Select Workspace…, open a KQL file, and refresh again.';
      void vscode.window.showWarningMessage(message);
      return [];
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Hunt Lens: fetching the workspace schema', cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          return await Promise.all([...workspaces.values()].map((connection) => this.refreshOne(connection, controller.signal)));
        } finally {
          subscription.dispose();
        }
      },
    );
  }

  private async refreshOne(connection: Connection, signal: AbortSignal): Promise<RefreshOutcome> {
    this.attempted.add(connection.workspaceId);
    try {
      const schema = await this.fetch(connection, true, signal);
      void vscode.window.showInformationMessage(`Fetched the schema of workspace "${connection.name}": ${schema.tables.length} tables.`);
      return { kind: 'fetched', workspaceId: connection.workspaceId, tables: schema.tables.length };
    } catch (error) {
      const kept = this.schemas.get(connection.workspaceId);
      const fallback = kept ? `keeping the schema fetched ${describeAge(kept.fetchedAt, new Date())}` : 'using the bundled table schemas';
      const message = `Fetching the schema of workspace "${connection.name}" (${connection.workspaceId}) failed: ${describeError(error)}. Hunt Lens is ${fallback}.`;
      this.log.warn(message);
      void vscode.window.showErrorMessage(`${message} Check the connection and sign-in, then run Hunt Lens: Refresh Workspace Schema again.`);
      return { kind: 'failed', workspaceId: connection.workspaceId, message };
    }
  }

  private updateAll(): void {
    for (const document of kqlDocuments()) {
      this.updateDocument(document);
    }
  }

  /** Sends the document's workspace to the server when it changed, and loads that workspace's schema. */
  private updateDocument(document: vscode.TextDocument): void {
    if (document.languageId !== 'kql') {
      return;
    }
    const connection = this.workspaceConnection(document);
    const workspaceId = connection?.workspaceId ?? null;
    const uri = document.uri.toString();
    if (this.documentWorkspaces.get(uri) !== workspaceId) {
      this.documentWorkspaces.set(uri, workspaceId);
      const params: DocumentWorkspaceParams = { uri, workspaceId };
      this.client.sendNotification(DOCUMENT_WORKSPACE_NOTIFICATION, params);
    }
    if (connection) {
      void this.loadOnce(connection);
    }
  }

  private workspaceConnection(document: vscode.TextDocument): Connection | undefined {
    const resolved = this.connections.connectionFor(document);
    return 'connection' in resolved && isWorkspaceId(resolved.connection.workspaceId) ? resolved.connection : undefined;
  }

  /** Loads a workspace's schema from the cache, else fetches it without prompting; once per window. */
  private async loadOnce(connection: Connection): Promise<void> {
    const { workspaceId, name } = connection;
    if (this.attempted.has(workspaceId)) {
      return;
    }
    this.attempted.add(workspaceId);
    try {
      const cached = await readCachedSchema(this.storage, workspaceId);
      if (cached) {
        this.use(cached);
        this.log.info(
          `Using the cached schema of workspace "${name}" (${workspaceId}), ${cached.tables.length} tables fetched ${describeAge(cached.fetchedAt, new Date())}. ` +
            'Hunt Lens: Refresh Workspace Schema fetches it again.',
        );
        return;
      }
    } catch (error) {
      this.log.warn(`The cached schema of workspace "${name}" (${workspaceId}) is unreadable (${describeError(error)}); fetching it again.`);
    }
    try {
      await this.fetch(connection, false, new AbortController().signal);
    } catch (error) {
      this.log.warn(
        `Fetching the schema of workspace "${name}" (${workspaceId}) failed: ${describeError(error)}. ` +
          'KQL diagnostics and completion use the bundled table schemas; Hunt Lens: Refresh Workspace Schema tries again.',
      );
    }
  }

  private async fetch(connection: Connection, interactive: boolean, signal: AbortSignal): Promise<WorkspaceSchema> {
    const schema = await fetchWorkspaceSchema({ connection, interactive, testToken: this.testToken, signal });
    this.use(schema);
    this.log.info(`Fetched the schema of workspace "${connection.name}" (${connection.workspaceId}): ${schema.tables.length} tables.`);
    try {
      await writeCachedSchema(this.storage, schema);
    } catch (error) {
      this.log.warn(`Caching the schema of workspace "${connection.name}" (${connection.workspaceId}) failed: ${describeError(error)}. It is fetched again in the next window.`);
    }
    return schema;
  }

  private use(schema: WorkspaceSchema): void {
    this.schemas.set(schema.workspaceId, schema);
    this.sendSchema(schema);
  }

  private sendSchema(schema: WorkspaceSchema): void {
    const params: WorkspaceSchemaParams = { workspaceId: schema.workspaceId, fetchedAt: schema.fetchedAt, tables: schema.tables };
    this.client.sendNotification(WORKSPACE_SCHEMA_NOTIFICATION, params);
  }

  /** Sends everything again to a server that has just started or restarted, because it starts empty. */
  private resendAll(): void {
    for (const schema of this.schemas.values()) {
      this.sendSchema(schema);
    }
    for (const [uri, workspaceId] of this.documentWorkspaces) {
      const params: DocumentWorkspaceParams = { uri, workspaceId };
      this.client.sendNotification(DOCUMENT_WORKSPACE_NOTIFICATION, params);
    }
  }
}

function kqlDocuments(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((document) => document.languageId === 'kql');
}
