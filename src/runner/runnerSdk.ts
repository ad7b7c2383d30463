/**
 * The part of the runner that needs the Azure SDK. It is bundled on its own
 * (dist/runnerSdk.js) and loaded on the first query, so activation never loads
 * @azure/monitor-query-logs or @azure/identity.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicy, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, createDefaultHttpClient } from '@azure/core-rest-pipeline';
import { AzureCliCredential, DeviceCodeCredential, type DeviceCodeInfo } from '@azure/identity';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import type { HuntingWireRequest, LogAnalyticsWireRequest, ResourceGraphWireRequest } from './wire';

/** The outcome of one HTTP attempt. */
export type HttpOutcome =
  | { kind: 'response'; status: number; body: unknown; requestId?: string; retryAfter?: string }
  | { kind: 'network'; code?: string; message: string }
  | { kind: 'signIn'; message: string }
  | { kind: 'aborted' }
  /** No response arrived within the request's `deadlineMs`. */
  | { kind: 'deadline'; deadlineMs: number };

export interface LogAnalyticsRequest {
  credential: TokenCredential;
  /** Query API base including `/v1`. */
  endpoint: string;
  scope: string;
  workspaceId: string;
  body: LogAnalyticsWireRequest;
  serverTimeoutInSeconds: number;
  signal: AbortSignal;
  /** Milliseconds to wait for the whole response once the token is there; the request is aborted after that. */
  deadlineMs: number;
}

/** A JSON POST through the SDK pipeline with a bearer token. */
export interface JsonPostRequest<Body> {
  credential: TokenCredential;
  /** Service base without a version segment. */
  endpoint: string;
  scope: string;
  body: Body;
  signal: AbortSignal;
  /** Milliseconds to wait for the whole response once the token is there; absent waits until the signal aborts. */
  deadlineMs?: number;
}

export type HuntingRequest = JsonPostRequest<HuntingWireRequest>;

/** The Azure Resource Graph API version Select Workspace uses. */
const RESOURCE_GRAPH_API_VERSION = '2022-10-01';

const SIGN_IN_ERROR = 'HuntLensSignInError';

interface CapturedResponse {
  status: number;
  bodyText: string | undefined;
  requestId: string | undefined;
  retryAfter: string | undefined;
}

/**
 * Sends one query with LogsQueryClient, asking for statistics and the
 * visualization. The SDK's own retries are off because the runner retries
 * throttled queries itself and tells the user. A pipeline policy attaches the
 * abort signal (LogsQueryClient 1.0.0 drops `abortSignal` from the options of
 * `queryWorkspace`), writes the request body so a query that filters on time
 * is sent without a timespan, and keeps the raw response so the typed columns
 * and the request id are shaped by Hunt Lens. The policy runs after the
 * bearer-token policy, so the deadline counts from when the token is there
 * and a slow sign-in does not use it up.
 */
export async function queryLogAnalytics(request: LogAnalyticsRequest): Promise<HttpOutcome> {
  let captured: CapturedResponse | undefined;
  const deadline = new Deadline(request.signal, request.deadlineMs);
  const client = new LogsQueryClient(markSignInErrors(request.credential), {
    endpoint: request.endpoint,
    credentials: { scopes: [request.scope] },
    retryOptions: { maxRetries: 0 },
  });
  client.pipeline.addPolicy({
    name: 'huntLensRequest',
    sendRequest: async (pipelineRequest, next) => {
      pipelineRequest.abortSignal = deadline.signal;
      pipelineRequest.body = JSON.stringify(request.body);
      const response = await deadline.run(() => next(pipelineRequest));
      captured = {
        status: response.status,
        bodyText: response.bodyAsText ?? undefined,
        requestId: response.headers.get('x-ms-request-id') ?? pipelineRequest.requestId,
        retryAfter: response.headers.get('retry-after') ?? undefined,
      };
      return response;
    },
  });

  try {
    // The timespan passed here is replaced by the policy above with the one in request.body.
    await client.queryWorkspace(request.workspaceId, request.body.query, { duration: request.body.timespan ?? 'P1D' }, {
      serverTimeoutInSeconds: request.serverTimeoutInSeconds,
      includeQueryStatistics: true,
      includeVisualization: true,
    });
  } catch (error) {
    if (!captured) {
      return classifyThrown(error, request.signal, deadline);
    }
  }
  if (!captured) {
    return { kind: 'network', message: 'The service sent no response.' };
  }
  return { kind: 'response', status: captured.status, body: parseJson(captured.bodyText), requestId: captured.requestId, retryAfter: captured.retryAfter };
}

/**
 * Sends one advanced-hunting query to Microsoft Graph with the same
 * credential, through the Azure SDK's HTTP pipeline so that both targets use
 * the same transport, TLS trust and proxy handling. Retries are off, as for
 * Log Analytics.
 */
export function queryHunting(request: HuntingRequest): Promise<HttpOutcome> {
  return postJson(`${request.endpoint}/v1.0/security/runHuntingQuery`, request);
}

/** Sends one Azure Resource Graph query to Resource Manager. */
export function queryResourceGraph(request: JsonPostRequest<ResourceGraphWireRequest>): Promise<HttpOutcome> {
  return postJson(`${request.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`, request);
}

/** A JSON GET through the SDK pipeline with a bearer token. */
export interface JsonGetRequest {
  credential: TokenCredential;
  url: string;
  scope: string;
  signal: AbortSignal;
}

/**
 * Sends one GET, for example for a Log Analytics workspace's metadata
 * (`GET {endpoint}/workspaces/{id}/metadata`), with retries off as for queries.
 */
export function getJson(request: JsonGetRequest): Promise<HttpOutcome> {
  return sendJson(request.url, 'GET', undefined, request);
}

function postJson(url: string, request: JsonPostRequest<unknown>): Promise<HttpOutcome> {
  return sendJson(url, 'POST', JSON.stringify(request.body), request);
}

async function sendJson(
  url: string,
  method: 'GET' | 'POST',
  body: string | undefined,
  request: { credential: TokenCredential; scope: string; signal: AbortSignal; deadlineMs?: number },
): Promise<HttpOutcome> {
  const deadline = new Deadline(request.signal, request.deadlineMs);
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: markSignInErrors(request.credential), scopes: request.scope }));
  // Added after the bearer-token policy, so the deadline starts once the token is there.
  pipeline.addPolicy({
    name: 'huntLensDeadline',
    sendRequest: (pipelineRequest, next) => {
      pipelineRequest.abortSignal = deadline.signal;
      return deadline.run(() => next(pipelineRequest));
    },
  });
  const pipelineRequest = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders(body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' }),
    body,
    abortSignal: request.signal,
  });
  try {
    const response = await pipeline.sendRequest(createDefaultHttpClient(), pipelineRequest);
    return {
      kind: 'response',
      status: response.status,
      body: parseJson(response.bodyAsText ?? undefined),
      requestId: response.headers.get('x-ms-request-id') ?? response.headers.get('request-id') ?? pipelineRequest.requestId,
      retryAfter: response.headers.get('retry-after') ?? undefined,
    };
  } catch (error) {
    return classifyThrown(error, request.signal, deadline);
  }
}

/** Creates the Azure CLI fallback credential, which uses the account of `az login`. */
export function createAzureCliCredential(tenantId: string | undefined): TokenCredential {
  return new AzureCliCredential(tenantId ? { tenantId } : {});
}

/** Creates the device-code fallback credential; `prompt` shows the code to the user. */
export function createDeviceCodeCredential(
  tenantId: string | undefined,
  authorityHost: string,
  prompt: (info: { message: string; userCode: string; verificationUri: string }) => void,
): TokenCredential {
  return new DeviceCodeCredential({
    tenantId: tenantId || 'organizations',
    authorityHost,
    userPromptCallback: (info: DeviceCodeInfo) => prompt({ message: info.message, userCode: info.userCode, verificationUri: info.verificationUri }),
  });
}

/** Wraps a credential so that its failures are distinguishable from network failures. */
function markSignInErrors(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        const marked = new Error(error instanceof Error ? error.message : String(error));
        marked.name = SIGN_IN_ERROR;
        throw marked;
      }
    },
  };
}

/**
 * A client-side limit on one request: `signal` aborts when the caller's
 * signal does or when `ms` milliseconds have passed inside run(), whichever
 * comes first.
 */
class Deadline {
  private readonly timeout = new AbortController();
  readonly signal: AbortSignal;

  constructor(
    callerSignal: AbortSignal,
    readonly ms: number | undefined,
  ) {
    this.signal = ms === undefined ? callerSignal : AbortSignal.any([callerSignal, this.timeout.signal]);
  }

  /** True when the time ran out before the caller aborted. */
  get expired(): boolean {
    return this.timeout.signal.aborted;
  }

  /** Runs `send` with the timer running, and stops the timer when it settles. */
  async run<T>(send: () => Promise<T>): Promise<T> {
    if (this.ms === undefined) {
      return send();
    }
    const timer = setTimeout(() => this.timeout.abort(), this.ms);
    try {
      return await send();
    } finally {
      clearTimeout(timer);
    }
  }
}

function classifyThrown(error: unknown, signal: AbortSignal, deadline: Deadline): HttpOutcome {
  if (deadline.expired && !signal.aborted && deadline.ms !== undefined) {
    return { kind: 'deadline', deadlineMs: deadline.ms };
  }
  if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return { kind: 'aborted' };
  }
  if (error instanceof Error && error.name === SIGN_IN_ERROR) {
    return { kind: 'signIn', message: error.message };
  }
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code ? { kind: 'network', code, message } : { kind: 'network', message };
}

/** Finds a Node system error code such as ECONNRESET on the error or its causes. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code) && code !== 'REQUEST_SEND_ERROR') {
      return code;
    }
    current = current.cause;
  }
  return undefined;
}

function parseJson(text: string | undefined): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
