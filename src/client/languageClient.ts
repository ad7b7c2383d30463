/**
 * Starts the Hunt Lens KQL language server (dist/server.js) in its own Node
 * process when the first KQL document opens, and owns everything registered
 * for it. A crashed server is restarted at most MAX_RESTARTS times within
 * RESTART_WINDOW_MS. After that one error message is shown, and KQL highlighting,
 * which is a TextMate grammar in the extension host, keeps working.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { describeError, showErrorWithLog, type Log } from '../extension/log';
import { SERVER_STATUS_NOTIFICATION, type ServerStatusParams } from '../protocol/languageServer';
import { RestartBudget } from './restartBudget';

/** The client id; vscode-languageclient reads the `huntLens.trace.server` setting from it. */
const CLIENT_ID = 'huntLens';
const CLIENT_NAME = 'Hunt Lens KQL language server';
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 3 * 60_000;

/** Restarts a crashed server a few times, then stops restarting it and shows one error message. */
class RestartLimiter implements ErrorHandler {
  private budget = new RestartBudget(MAX_RESTARTS, RESTART_WINDOW_MS);
  /** True once the budget is spent, until reset(). */
  gaveUp = false;

  constructor(private readonly log: Log) {}

  /** Starts a new budget, for a restart the user asks for. */
  reset(): void {
    this.budget = new RestartBudget(MAX_RESTARTS, RESTART_WINDOW_MS);
    this.gaveUp = false;
  }

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.log.error(`${CLIENT_NAME}: connection error ${count ?? 1}`, error);
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const decision = this.budget.recordCrash(Date.now());
    const crashes = this.budget.recentCrashes;
    if (decision === 'restart') {
      this.log.warn(`${CLIENT_NAME} stopped unexpectedly; restarting it (${crashes} of ${MAX_RESTARTS}).`);
      return { action: CloseAction.Restart, handled: true };
    }
    if (decision === 'stop') {
      this.log.error(`${CLIENT_NAME} stopped ${crashes} times within ${RESTART_WINDOW_MS / 60_000} minutes; not restarting it.`);
      void showErrorWithLog(
        this.log,
        `The ${CLIENT_NAME} stopped ${crashes} times and will not be restarted, so KQL diagnostics, completion and hover are off. ` +
          'Highlighting still works. Run "Hunt Lens: Restart Language Server" to start the server again.',
      );
      this.gaveUp = true;
    }
    return { action: CloseAction.DoNotRestart, handled: true };
  }
}

export class KqlLanguageClient implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private readonly startEmitter = new vscode.EventEmitter<void>();
  /** Fires each time the server is running: after the first start and after each restart. */
  readonly onDidStartServer = this.startEmitter.event;
  private readonly stopEmitter = new vscode.EventEmitter<void>();
  /** Fires when the server crashed more often than the restart budget allows and is not restarted. */
  readonly onDidStopRestarting = this.stopEmitter.event;
  private readonly limiter: RestartLimiter;
  private localDataProbe: () => boolean = () => false;

  constructor(
    private readonly serverModule: string,
    private readonly log: Log,
  ) {
    this.limiter = new RestartLimiter(log);
    this.subscriptions.push(vscode.commands.registerCommand('huntLens.restartServer', () => this.restart()));
    if (vscode.workspace.textDocuments.some(isKql)) {
      this.start();
    } else {
      const listener = vscode.workspace.onDidOpenTextDocument((document) => {
        if (isKql(document)) {
          listener.dispose();
          this.start();
        }
      });
      this.subscriptions.push(listener);
    }
  }

  private start(): void {
    if (this.client) {
      return;
    }
    // The same options in debug mode: the server never opens an inspector port.
    const run = { module: this.serverModule, transport: TransportKind.ipc };
    const serverOptions: ServerOptions = { run, debug: run };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: 'kql' }],
      outputChannel: this.log.outputChannel,
      traceOutputChannel: this.log.outputChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: this.limiter,
      middleware: {
        workspace: {
          // Adds localData to the huntLens section, so HL003 names the range that local runs use.
          configuration: async (params, token, next) => {
            const sections = await next(params, token);
            if (!Array.isArray(sections)) {
              return sections;
            }
            return sections.map((section: unknown, index) =>
              params.items[index]?.section === 'huntLens' && typeof section === 'object' && section !== null
                ? { ...section, localData: this.localDataProbe() }
                : section,
            );
          },
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.client = client;
    this.subscriptions.push(
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) {
          this.startEmitter.fire();
        } else if (event.newState === State.Stopped && this.limiter.gaveUp) {
          // Fired only now, so a restart requested from a listener finds the client stopped.
          this.stopEmitter.fire();
        }
      }),
      client.onNotification(SERVER_STATUS_NOTIFICATION, (params: ServerStatusParams) => {
        if (params.kind === 'ready') {
          this.log.info(`${CLIENT_NAME} ready: Kusto loaded in ${params.loadMs} ms, first analysis in ${params.warmUpMs} ms.`);
        } else {
          this.log.error(`${CLIENT_NAME}: ${params.message}`);
          void showErrorWithLog(this.log, `KQL diagnostics are off: ${params.message}`);
        }
      }),
    );
    this.log.info(`Starting ${CLIENT_NAME} from ${this.serverModule}.`);
    client.start().catch((error: unknown) => {
      this.log.error(`Starting ${CLIENT_NAME} failed`, error);
      void showErrorWithLog(this.log, `The ${CLIENT_NAME} did not start (${describeError(error)}). Highlighting still works.`);
    });
  }

  /** Sets how the server learns whether documents without a connection pin run on local data. */
  setLocalDataProbe(probe: () => boolean): void {
    this.localDataProbe = probe;
    this.refreshSettings();
  }

  /** Asks the server to read its settings again, for example after the active connection changed. */
  refreshSettings(): void {
    this.sendNotification(DidChangeConfigurationNotification.method, { settings: null });
  }

  /** Process id of the running server, or undefined when it is not running. */
  get serverProcessId(): number | undefined {
    return this.client?.isRunning() ? this.client.serverProcess?.pid : undefined;
  }

  /** Starts the server again with a new restart budget, after it stopped for good or on request. */
  async restart(): Promise<void> {
    this.limiter.reset();
    if (!this.client) {
      this.start();
      return;
    }
    this.log.info(`Restarting ${CLIENT_NAME} on request.`);
    try {
      await this.client.restart();
    } catch (error) {
      this.log.error(`Restarting ${CLIENT_NAME} failed`, error);
      void showErrorWithLog(this.log, `The ${CLIENT_NAME} did not restart (${describeError(error)}). Highlighting still works.`);
    }
  }

  /** Sends a notification to the server if it is running, and drops it otherwise (onDidStartServer lets callers send again). */
  sendNotification<Params extends object>(method: string, params: Params): void {
    const client = this.client;
    if (!client?.isRunning()) {
      return;
    }
    client.sendNotification(method, params).catch((error: unknown) => this.log.error(`Sending ${method} to the ${CLIENT_NAME} failed`, error));
  }

  dispose(): void {
    this.startEmitter.dispose();
    this.stopEmitter.dispose();
    for (const subscription of this.subscriptions.splice(0)) {
      subscription.dispose();
    }
    const client = this.client;
    this.client = undefined;
    client?.stop().catch((error: unknown) => this.log.error(`Stopping ${CLIENT_NAME} failed`, error));
  }
}

function isKql(document: vscode.TextDocument): boolean {
  return document.languageId === 'kql';
}
