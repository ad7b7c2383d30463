/**
 * Runs one query end to end: endpoints, credential, queueing, retries on
 * throttling, cancellation, shaping, diagnostics, the log line and the
 * `onDidRunQuery` event that the results view subscribes to.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { config } from '../extension/config';
import { showErrorWithLog, showWithLog, type Log } from '../extension/log';
import { isCancelledRun, type QueryResult, type QueryTarget, type ServiceError } from '../results/model';
import { resolveEndpoints, type CloudEndpoints } from './clouds';
import { durationMs, filtersOnTime, type Connection } from './connections';
import { createCredential } from './credential';
import { describeFailure, describeMissingResult, describePartialFailure, retryAfterMs, type RequestFailure } from './errors';
import type { DataSummary } from '../engine/workerProtocol';
import { ConcurrencyLimiter } from './limiter';
import type { LocalEngine } from './localEngine';
import { wholeFileNote } from './blockNotes';
import { countOf } from './countText';
import { localOutcome } from './localRun';
import { relocateError } from './positions';
import { RunDiagnostics } from './runDiagnostics';
import type * as RunnerSdk from './runnerSdk';
import type { HttpOutcome } from './runnerSdk';
import { failedResult, MissingResultError, rowCount, shapeHunting, shapeLogAnalytics, type RunContext } from './shape';
import type { LogAnalyticsWireResponse } from './wire';
import { parseWorkspaces, WORKSPACES_REQUEST, type WorkspaceSummary } from './workspaces';

/** Log Analytics allows five concurrent queries per user. */
const MAX_CONCURRENT_QUERIES = 5;
/** Retries after a 429 before giving up. */
const MAX_THROTTLE_RETRIES = 2;
/** Wait used when a 429 has no Retry-After header, and the cap on the header's value. */
const DEFAULT_RETRY_MS = 5_000;
const MAX_RETRY_MS = 30_000;
/**
 * Seconds Hunt Lens waits for a response beyond huntLens.serverTimeoutInSeconds
 * before it gives up on the request. The service stops a query at the server
 * timeout, so the margin covers the transfer of a large result and a proxy's
 * delay.
 * NOTE: the margin is an estimate: a result near the 100 MB limit over a
 * link slower than about 15 Mbit/s takes longer to download than the margin.
 */
const DEADLINE_MARGIN_SECONDS = 60;

export interface RunRequest {
  query: string;
  target: QueryTarget;
  /** Cloud and tenant of the connection; local queries ignore them. */
  connection: Pick<Connection, 'cloud' | 'tenant'>;
  /** The document and position the query text starts at, for diagnostics. */
  document?: vscode.TextDocument;
  queryStart?: vscode.Position;
  /** True when the whole document ran because the cursor was outside every block; a failure then says so. */
  wholeFile?: boolean;
}

/** A run on Log Analytics or Defender XDR. */
type CloudRunRequest = RunRequest & { target: Extract<QueryTarget, { kind: 'logAnalytics' | 'defenderXdr' }> };

/** A finished run and its request, for features that need the document the query came from. */
export interface FinishedRun {
  request: RunRequest;
  result: QueryResult;
}

/** The result of one run and the message shown to the user. */
export interface RunOutcome {
  result: QueryResult;
  message: string;
  severity: 'info' | 'warning' | 'error';
}

export class QueryRunner implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<QueryResult>();
  /** Fires once per finished run, with any status. The results view subscribes to it. */
  readonly onDidRunQuery = this.emitter.event;
  private readonly finishedEmitter = new vscode.EventEmitter<FinishedRun>();
  /** Fires right after onDidRunQuery, with the request as well. CodeLens and the trail subscribe to it. */
  readonly onDidFinishRun = this.finishedEmitter.event;
  private readonly diagnostics = new RunDiagnostics();
  private readonly limiter = new ConcurrencyLimiter(MAX_CONCURRENT_QUERIES);
  private readonly running = new Set<AbortController>();
  private readonly history: QueryResult[] = [];
  private sdk: typeof RunnerSdk | undefined;

  constructor(
    private readonly log: Log,
    private readonly testToken: string | undefined,
    private readonly local: LocalEngine,
    /** Returns a shorter deadline margin in milliseconds, for the extension's own tests only. */
    private readonly testDeadlineMarginMs: () => number | undefined = () => undefined,
  ) {}

  /** Results of earlier runs in this window, oldest first. */
  get results(): readonly QueryResult[] {
    return this.history;
  }

  /** Aborts every running or queued query. */
  cancelAll(): number {
    for (const controller of this.running) {
      controller.abort();
    }
    return this.running.size;
  }

  async run(request: RunRequest): Promise<RunOutcome> {
    if (request.document) {
      this.diagnostics.delete(request.document.uri);
    }
    const target = request.target;
    return target.kind === 'local' ? this.runLocal(request, target) : this.runCloud({ ...request, target });
  }

  private async runCloud(request: CloudRunRequest): Promise<RunOutcome> {
    const startedAt = new Date();
    const started = performance.now();

    const context: RunContext = { query: request.query, target: request.target, startedAt: startedAt.toISOString(), durationMs: 0 };
    const timespan = filtersOnTime(request.query) ? undefined : config.defaultTimespan;
    let endpoints: CloudEndpoints;
    try {
      endpoints = this.endpoints(request.connection);
      if (timespan !== undefined) {
        context.timeRange = timeRange(timespan, startedAt);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.finish(request, failedResult({ code: 'InvalidSetting', message }, context), message, started);
    }

    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hunt Lens: running the query on ${targetLabel(request.target)}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        this.running.add(controller);
        try {
          const { outcome, retries } = await this.limiter.run(
            () => this.sendWithRetries(request, endpoints, timespan, controller.signal, progress),
            controller.signal,
            () => progress.report({ message: `Queued: ${MAX_CONCURRENT_QUERIES} queries are already running.` }),
          );
          return this.complete(request, context, outcome, retries, started, serviceHost(request, endpoints));
        } catch (error) {
          // The limiter rejects only when the run was cancelled while queued.
          this.log.info(`Query on ${targetLabel(request.target)} cancelled while queued (${error instanceof Error ? error.message : String(error)})`);
          return this.complete(request, context, { kind: 'aborted' }, 0, started, serviceHost(request, endpoints));
        } finally {
          this.running.delete(controller);
          subscription.dispose();
        }
      },
    );
  }

  /** Runs a query on the local engine's worker over the export files of a folder. */
  private async runLocal(request: RunRequest, target: Extract<QueryTarget, { kind: 'local' }>): Promise<RunOutcome> {
    const started = performance.now();
    const context: RunContext = { query: request.query, target, startedAt: new Date().toISOString(), durationMs: 0 };
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Hunt Lens: running the query on ${targetLabel(target)}`, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        this.running.add(controller);
        try {
          const answer = await this.local.run(
            { paths: [target.folder], query: request.query, referenceTime: config.localReferenceTime, maxRows: config.localMaxRows },
            controller.signal,
          );
          // A load is logged once, with the first run on it that was not cancelled, so a cancelled first run loses none of its problems.
          if (answer.data && answer.reportLoad === true) {
            this.logLoad(target, answer.data);
          }
          const outcome = localOutcome(answer, context, target.folder, request.queryStart);
          for (const warning of outcome.coverage) {
            this.log.warn(warning);
          }
          const settingProblems = config.localSettingProblems();
          for (const problem of settingProblems) {
            this.log.warn(problem);
          }
          outcome.result.warnings = [...settingProblems, ...(outcome.result.warnings ?? [])];
          const unfinishedCopies = (answer.data?.changedFiles.length ?? 0) + (answer.data?.unfinishedFiles.length ?? 0);
          const offerLog = outcome.problemsInLog || unfinishedCopies > 0;
          return this.finish(request, outcome.result, outcome.message, started, offerLog, unfinishedCopies > 0);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return this.finish(request, failedResult({ code: 'LocalEngineError', message }, context), message, started);
        } finally {
          this.running.delete(controller);
          subscription.dispose();
        }
      },
    );
  }

  private logLoad(target: Extract<QueryTarget, { kind: 'local' }>, data: DataSummary): void {
    const tables = data.tables.map((table) => `${table.name} ${countOf(table.rows, 'row')}`).join(', ') || 'no tables';
    this.log.info(`Loaded local data from ${target.folder} in ${data.loadMs} ms: ${tables}; ${countOf(data.skipped, 'problem')} (skipped files, lines or cells in question)`);
    for (const problem of data.problems) {
      this.log.warn(`${problem.file}, line ${problem.line}: ${problem.message}`);
    }
    if (data.skipped > data.problems.length) {
      const listed = data.problems.length === 1 ? 'the first one is' : `the first ${data.problems.length} are`;
      this.log.warn(`${countOf(data.skipped - data.problems.length, 'more problem is', 'more problems are')} only counted: ${listed} listed above.`);
    }
  }

  /** Drops the local data that the engine keeps between runs, so the next local run reads every file again. */
  reloadLocalData(): void {
    const dropped = this.local.forget();
    this.log.info(
      dropped
        ? 'Dropped the local data kept between runs: the next query on local data reads every file again.'
        : 'No local data is kept yet: the next query on local data reads every file.',
    );
    void vscode.window.showInformationMessage('Hunt Lens: the next query on local data reads every file again.');
  }

  /**
   * Lists the Log Analytics workspaces the user can see, with one Azure
   * Resource Graph query in the connection's cloud. Returns the message to
   * show when the query fails.
   */
  async listWorkspaces(connection: RunRequest['connection'], signal: AbortSignal): Promise<{ workspaces: WorkspaceSummary[] } | { message: string }> {
    const label = 'Azure Resource Graph';
    try {
      const endpoints = this.endpoints(connection);
      const sdk = this.loadSdk();
      const tenant = connection.tenant ?? (config.tenant || undefined);
      const credential = createCredential({ method: config.signIn, endpoints, tenant, testToken: this.testToken, sdk });
      const outcome = await sdk.queryResourceGraph({
        credential,
        endpoint: endpoints.resourceManager,
        scope: endpoints.resourceManagerScope,
        body: WORKSPACES_REQUEST,
        signal,
      });
      if (outcome.kind === 'response' && outcome.status === 200 && typeof outcome.body === 'object' && outcome.body !== null) {
        const workspaces = parseWorkspaces(outcome.body);
        this.log.info(`Listed ${countOf(workspaces.length, 'workspace')} with ${label}: request id ${outcome.requestId ?? 'none'}`);
        return { workspaces };
      }
      const host = new URL(endpoints.resourceManager).host;
      const report = describeFailure(toFailure(outcome, 0, host), { targetLabel: label, serverTimeoutInSeconds: config.serverTimeoutInSeconds, signIn: config.signIn });
      this.log.error(`Listing workspaces failed: request id ${outcome.kind === 'response' ? (outcome.requestId ?? 'none') : 'none'}; ${describeServiceError(report.error)}`);
      return { message: report.message };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`Listing workspaces failed: ${message}`);
      return { message };
    }
  }

  dispose(): void {
    this.cancelAll();
    this.local.dispose();
    this.emitter.dispose();
    this.finishedEmitter.dispose();
    this.diagnostics.dispose();
  }

  private endpoints(connection: RunRequest['connection']): CloudEndpoints {
    const { endpoints, ignored } = resolveEndpoints(connection.cloud ?? config.cloud, config.endpointOverrides);
    for (const setting of ignored) {
      this.log.warn(`Ignored ${setting} from workspace settings: endpoint overrides are read from user settings only, so a cloned repository cannot redirect your token.`);
    }
    return endpoints;
  }

  private loadSdk(): typeof RunnerSdk {
    // The SDK is a separate bundle next to this one (dist/runnerSdk.js, or
    // out/src/runner/runnerSdk.js under tsc), loaded on the first query only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.sdk ??= require(join(__dirname, 'runnerSdk.js')) as typeof RunnerSdk;
    return this.sdk;
  }

  private async sendWithRetries(
    request: CloudRunRequest,
    endpoints: CloudEndpoints,
    timespan: string | undefined,
    signal: AbortSignal,
    progress: vscode.Progress<{ message?: string }>,
  ): Promise<{ outcome: HttpOutcome; retries: number }> {
    const sdk = this.loadSdk();
    const tenant = request.connection.tenant ?? (config.tenant || undefined);
    const credential = createCredential({ method: config.signIn, endpoints, tenant, testToken: this.testToken, sdk });
    const label = targetLabel(request.target);
    const deadlineMs = config.serverTimeoutInSeconds * 1000 + (this.testDeadlineMarginMs() ?? DEADLINE_MARGIN_SECONDS * 1000);

    for (let retries = 0; ; retries++) {
      const outcome =
        request.target.kind === 'logAnalytics'
          ? await sdk.queryLogAnalytics({
              credential,
              endpoint: endpoints.logAnalytics,
              scope: endpoints.logAnalyticsScope,
              workspaceId: request.target.workspaceId,
              body: timespan ? { query: request.query, timespan } : { query: request.query },
              serverTimeoutInSeconds: config.serverTimeoutInSeconds,
              signal,
              deadlineMs,
            })
          : await sdk.queryHunting({
              credential,
              endpoint: endpoints.graph,
              scope: endpoints.graphHuntingScope,
              body: timespan ? { Query: request.query, Timespan: timespan } : { Query: request.query },
              signal,
              deadlineMs,
            });
      if (outcome.kind !== 'response' || outcome.status !== 429 || retries >= MAX_THROTTLE_RETRIES) {
        return { outcome, retries };
      }
      const delay = Math.min(MAX_RETRY_MS, retryAfterMs(outcome.retryAfter) ?? DEFAULT_RETRY_MS);
      const note = `${label} throttled the query (429, request id ${outcome.requestId ?? 'none'}); retrying in ${Math.ceil(delay / 1000)} s (retry ${retries + 1} of ${MAX_THROTTLE_RETRIES}).`;
      this.log.warn(note);
      progress.report({ message: note });
      if (!(await abortableDelay(delay, signal))) {
        return { outcome: { kind: 'aborted' }, retries };
      }
    }
  }

  private complete(request: CloudRunRequest, context: RunContext, outcome: HttpOutcome, retries: number, started: number, host: string): RunOutcome {
    const label = targetLabel(request.target);
    if (outcome.kind === 'response' && outcome.requestId) {
      context.requestId = outcome.requestId;
    }

    if (outcome.kind === 'response' && outcome.status === 200 && typeof outcome.body === 'object' && outcome.body !== null) {
      let result: QueryResult;
      try {
        result = request.target.kind === 'logAnalytics' ? shapeLogAnalytics(outcome.body, context) : shapeHunting(outcome.body, context);
      } catch (error) {
        if (error instanceof MissingResultError) {
          const report = describeMissingResult(error.problem, error.serviceError, label);
          return this.finish(request, failedResult(report.error, context), report.message, started);
        }
        const message = `The response from ${label} could not be read (${error instanceof Error ? error.message : String(error)}). Run the query again, and quote the request id from the Hunt Lens log if it keeps failing.`;
        return this.finish(request, failedResult({ code: 'InvalidResponse', message }, context), message, started);
      }
      if (result.error) {
        result.error = relocateError(result.error, request.queryStart);
      }
      const message =
        result.status === 'PartialFailure' && result.error
          ? describePartialFailure(result.error, result.truncated === true, label)
          : `Query on ${label} finished`;
      return this.finish(request, result, message, started);
    }

    const failure = toFailure(outcome, retries, host);
    const report = describeFailure(failure, {
      targetLabel: label,
      serverTimeoutInSeconds: config.serverTimeoutInSeconds,
      signIn: config.signIn,
      queryStart: request.queryStart,
    });
    return this.finish(request, failedResult(report.error, context), report.message, started);
  }

  /**
   * Logs and reports a finished run. With `offerLog`, a notification that is
   * not an error also offers Show Log, because its message refers to the log.
   * With `warnOnSuccess`, a successful run is reported as a warning, because
   * its rows may be incomplete (a file still being copied, say).
   */
  private finish(request: RunRequest, result: QueryResult, reported: string, started: number, offerLog = false, warnOnSuccess = false): RunOutcome {
    const message = result.status === 'Failure' && request.wholeFile ? `${reported}${wholeFileNote(request.query)}` : reported;
    result.durationMs = Math.round(performance.now() - started);
    const label = targetLabel(request.target);
    const rows = rowCount(result);
    const rowText = countOf(rows, 'row');
    const cancelled = isCancelledRun(result);
    const status = cancelled ? 'Cancelled' : result.status;
    const summary = `${message} (${status}, ${rowText}, ${(result.durationMs / 1000).toFixed(1)} s, request id ${result.requestId ?? 'none'})`;
    const line = `Query ${status} on ${label}: request id ${result.requestId ?? 'none'}, ${result.durationMs} ms, ${rowText}`;

    let severity: RunOutcome['severity'];
    if (cancelled) {
      // The user requested the cancel, so it is reported as information, not as an error.
      severity = 'info';
      this.log.info(line);
      void vscode.window.showInformationMessage(summary);
    } else if (result.status === 'Success' && warnOnSuccess) {
      severity = 'warning';
      this.log.warn(line);
      void (offerLog ? showWithLog(this.log, 'warning', summary) : vscode.window.showWarningMessage(summary));
    } else if (result.status === 'Success') {
      severity = 'info';
      this.log.info(line);
      void (offerLog ? showWithLog(this.log, 'info', summary) : vscode.window.showInformationMessage(summary));
    } else {
      severity = result.status === 'PartialFailure' ? 'warning' : 'error';
      this.log[severity === 'warning' ? 'warn' : 'error'](`${line}; ${describeServiceError(result.error)}`);
      if (severity === 'warning') {
        void (offerLog ? showWithLog(this.log, 'warning', summary) : vscode.window.showWarningMessage(summary));
      } else {
        void showErrorWithLog(this.log, summary);
      }
      this.showDiagnostic(request, result.error);
    }

    this.history.push(result);
    this.emitter.fire(result);
    this.finishedEmitter.fire({ request, result });
    return { result, message: summary, severity };
  }

  /** Puts a service error that has a line and column (already counted in the file) on the query's text in the editor. */
  private showDiagnostic(request: RunRequest, error: ServiceError | undefined): void {
    if (!request.document || error?.line === undefined) {
      return;
    }
    const start = request.queryStart ?? new vscode.Position(0, 0);
    const line = Math.min(request.document.lineCount - 1, error.line - 1);
    const column = Math.max(0, (error.column ?? 1) - 1);
    const position = request.document.validatePosition(new vscode.Position(line, column));
    const word = request.document.getWordRangeAtPosition(position);
    const range = new vscode.Range(position, word && word.end.isAfter(position) ? word.end : position.translate(0, 1));
    const diagnostic = new vscode.Diagnostic(range, error.message, vscode.DiagnosticSeverity.Error);
    // Named after the service, so it reads apart from the language server's own diagnostics.
    diagnostic.source = { defenderXdr: 'Defender XDR', logAnalytics: 'Log Analytics', local: 'Local engine' }[request.target.kind];
    diagnostic.code = error.code;
    this.diagnostics.set(request.document, diagnostic, start.line, start.line + request.query.split(/\r\n|\r|\n/).length - 1);
  }
}

/** A label that names the target in messages and the log. */
export function targetLabel(target: QueryTarget): string {
  switch (target.kind) {
    case 'logAnalytics':
      return `Log Analytics workspace "${target.displayName}" (${target.workspaceId})`;
    case 'defenderXdr':
      return `Defender XDR advanced hunting${target.tenantId ? ` (tenant ${target.tenantId})` : ''}`;
    case 'local':
      return `local data in ${target.folder}`;
  }
}

/** The host:port a query goes to, named in network error messages. */
function serviceHost(request: CloudRunRequest, endpoints: CloudEndpoints): string {
  return new URL(request.target.kind === 'logAnalytics' ? endpoints.logAnalytics : endpoints.graph).host;
}

function toFailure(outcome: HttpOutcome, retries: number, host: string): RequestFailure {
  switch (outcome.kind) {
    case 'response': {
      const body = typeof outcome.body === 'object' && outcome.body !== null ? (outcome.body as LogAnalyticsWireResponse) : undefined;
      return body?.error ? { kind: 'http', status: outcome.status, body: { error: body.error }, retries } : { kind: 'http', status: outcome.status, retries };
    }
    case 'network':
      return outcome.code ? { kind: 'network', code: outcome.code, message: outcome.message, host } : { kind: 'network', message: outcome.message, host };
    case 'signIn':
      return { kind: 'signIn', message: outcome.message };
    case 'aborted':
      return { kind: 'cancelled' };
    case 'deadline':
      return { kind: 'deadline', waitedSeconds: Math.round(outcome.deadlineMs / 1000) };
  }
}

function describeServiceError(error: ServiceError | undefined): string {
  if (!error) {
    return 'no error details';
  }
  const position = error.line !== undefined ? ` at line ${error.line}, column ${error.column ?? 1}` : '';
  return `error ${error.code}${position}: ${error.message}`;
}

function timeRange(timespan: string, end: Date): { start: string; end: string } {
  const span = durationMs(timespan);
  if (span === undefined) {
    throw new Error(`The huntLens.defaultTimespan setting "${timespan}" is not an ISO 8601 duration such as P1D, P7D or PT12H. Fix it in settings or from the status bar.`);
  }
  return { start: new Date(end.getTime() - span).toISOString(), end: end.toISOString() };
}

/** Waits for `ms` milliseconds; resolves false at once when the signal aborts. */
function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
