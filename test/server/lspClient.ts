/**
 * A minimal LSP client for the server tests and benchmarks: it spawns the
 * bundled server (dist/server.js) over stdio, speaks JSON-RPC with
 * vscode-languageserver-protocol, answers workspace/configuration from a
 * settings object and lets a test wait for the diagnostics of a document
 * version.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Location,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import {
  DIAGNOSTICS_PASS_NOTIFICATION,
  SERVER_STATUS_NOTIFICATION,
  type DiagnosticsPassParams,
  type ServerSettings,
  type ServerStatusParams,
} from '../../src/protocol/languageServer';

export const SERVER_SCRIPT = join(__dirname, '../../../dist/server.js');

interface DiagnosticsWaiter {
  readonly uri: string;
  /** Undefined to accept the next publication of any version. */
  readonly version: number | undefined;
  readonly resolve: (diagnostics: Diagnostic[]) => void;
}

export class LspTestClient {
  readonly connection: MessageConnection;
  /** Diagnostics last published per document, with their version. */
  readonly published = new Map<string, PublishDiagnosticsParams>();
  settings: ServerSettings = {};
  /** The last diagnostics pass reported per document. */
  readonly passes = new Map<string, DiagnosticsPassParams>();
  status: Promise<ServerStatusParams>;
  /** Rejects when the server process exits before dispose(). */
  readonly exited: Promise<never>;

  private readonly process: ChildProcess;
  private readonly waiters: DiagnosticsWaiter[] = [];
  private readonly versions = new Map<string, number>();
  private disposed = false;
  stderr = '';

  constructor() {
    this.process = spawn(process.execPath, [SERVER_SCRIPT, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise<never>((_resolve, reject) => {
      this.process.on('exit', (code, signal) => {
        if (!this.disposed) {
          reject(new Error(`The server exited with code ${code} (signal ${signal}). stderr: ${this.stderr}`));
        }
      });
    });
    // The promise is awaited by tests that check for a crash; an unobserved rejection must not end the run.
    this.exited.catch(() => undefined);
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.status = new Promise((resolve) => {
      this.connection.onNotification(SERVER_STATUS_NOTIFICATION, (params: ServerStatusParams) => resolve(params));
    });
    this.connection.onNotification(DIAGNOSTICS_PASS_NOTIFICATION, (params: DiagnosticsPassParams) => {
      this.passes.set(params.uri, params);
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.set(params.uri, params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && (waiter.version === undefined || params.version === waiter.version)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'huntLens' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async initialize(initializationOptions: Record<string, unknown> = {}): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
      initializationOptions: { debounceMs: 20, reportPasses: true, ...initializationOptions },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Opens a document and returns its first diagnostics. */
  open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const diagnostics = this.diagnosticsFor(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kql', version: 1, text } });
    return diagnostics;
  }

  /** Replaces the whole text and returns the diagnostics of the new version. */
  replace(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const diagnostics = this.diagnosticsFor(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return diagnostics;
  }

  /** Applies one ranged edit and returns the diagnostics of the new version. */
  edit(uri: string, range: Diagnostic['range'], text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const diagnostics = this.diagnosticsFor(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return diagnostics;
  }

  close(uri: string): void {
    this.versions.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Closes every document this client opened. */
  closeAll(): void {
    for (const uri of [...this.versions.keys()]) {
      this.close(uri);
    }
  }

  /**
   * Resolves with the diagnostics published for that version (the next
   * publication for any version when it is undefined), or rejects when the
   * server exits first.
   */
  diagnosticsFor(uri: string, version: number | undefined): Promise<Diagnostic[]> {
    const published = new Promise<Diagnostic[]>((resolve) => this.waiters.push({ uri, version, resolve }));
    return Promise.race([published, this.exited]);
  }

  completion(uri: string, line: number, character: number): Promise<CompletionItem[] | null> {
    return this.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  definition(uri: string, line: number, character: number): Promise<Location[] | null> {
    return this.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character } });
  }

  async shutdown(): Promise<void> {
    this.disposed = true;
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }
}
