// A local HTTPS server that speaks the protocols Hunt Lens uses: Log
// Analytics (`POST /v1/workspaces/{id}/query` and
// `GET /v1/workspaces/{id}/metadata`), Microsoft Graph advanced
// hunting (`POST /v1.0/security/runHuntingQuery`) and Azure Resource Graph
// (`POST /providers/Microsoft.ResourceGraph/resources`). It checks the bearer token,
// the Prefer header and the body, and plays scripted faults in order. It binds
// 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOG_ANALYTICS_TABLES } from '../../src/schema/logAnalytics';

export type Fault =
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'syntaxError'
  | 'throttled'
  | 'internalError'
  | 'gatewayTimeout'
  | 'reset'
  | 'slow'
  | 'oversized'
  | 'partial'
  | 'errorOnly'
  | 'emptyObject';

export interface ReceivedRequest {
  path: string;
  workspaceId?: string;
  prefer?: string;
  body: Record<string, unknown> | undefined;
  requestId: string;
  /** The fault played, or undefined for a normal answer. */
  fault?: Fault | 'badToken' | 'badRequest';
}

/** A Log Analytics table as the service sends it: rows of JSON values in column order. */
export interface WireTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** The rows of every successful Log Analytics response unless a test queues others with answerWith(). */
export const SAMPLE_TABLE = {
  name: 'PrimaryResult',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'UserPrincipalName', type: 'string' },
    { name: 'ResultType', type: 'string' },
    { name: 'LocationDetails', type: 'dynamic' },
    { name: 'Denials', type: 'long' },
  ],
  rows: [
    ['2026-12-01T09:58:01.1234567Z', 'alex@contoso.example', '500121', '{"countryOrRegion":"NO"}', 14],
    ['2026-12-01T09:59:30Z', 'kim@contoso.example', '0', '{"countryOrRegion":"SE"}', 0],
  ],
};

const RESOURCE_GRAPH_PATH = '/providers/Microsoft.ResourceGraph/resources';
const METADATA_PATH = /^\/v1\/workspaces\/([^/]+)\/metadata$/;

/** A column that only the served workspace schema has, not the bundled SigninLogs schema. */
export const WORKSPACE_ONLY_COLUMN = 'MfaPushRiskTag_s';

/**
 * Returns the metadata response that every workspace gets until a test sets
 * another: the bundled Log Analytics tables, as a real workspace has them, and
 * in SigninLogs one column the bundled schema lacks and a decimal column. It
 * also has entries the client must leave out: a column of an unknown type and
 * a table without a name.
 */
export function sampleMetadata(extraColumn = WORKSPACE_ONLY_COLUMN): Record<string, unknown> {
  const tables = LOG_ANALYTICS_TABLES.map((table) => ({
    id: `t/${table.name}`,
    name: table.name,
    timespanColumn: 'TimeGenerated',
    columns: table.columns.map((column): { name: string; type: string } => ({ name: column.name, type: column.type })),
  }));
  const signIns = tables.find((table) => table.name === 'SigninLogs');
  signIns?.columns.push({ name: 'RiskScore', type: 'decimal' }, { name: 'Oddity', type: 'hyperloglog' }, { name: extraColumn, type: 'string' });
  return {
    tables: [...tables, { id: 't/unnamed', columns: [{ name: 'A', type: 'string' }] }],
    functions: [],
    workspaces: [],
  };
}

/** The workspaces every Azure Resource Graph answer lists. */
export const SAMPLE_WORKSPACES = [
  { name: 'contoso-sentinel', subscriptionId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', resourceGroup: 'soc-rg', location: 'westeurope', customerId: '5d6e7f80-91a2-4b3c-8d4e-5f60718293a4' },
  { name: 'fabrikam-logs', subscriptionId: '1c2d3e4f-5061-4b7c-9d8e-0f1a2b3c4d5e', resourceGroup: 'logs-rg', location: 'eastus', customerId: '6e7f8091-a2b3-4c4d-9e5f-60718293a4b5' },
];

function routeOf(path: string): 'hunting' | 'resourceGraph' | undefined {
  if (path === '/v1.0/security/runHuntingQuery') {
    return 'hunting';
  }
  return path === RESOURCE_GRAPH_PATH ? 'resourceGraph' : undefined;
}

export interface HuntServerOptions {
  keyPath: string;
  certPath: string;
  /** The bearer token every request must carry. */
  token: string;
}

export class HuntServer extends EventEmitter {
  readonly requests: ReceivedRequest[] = [];
  /** Metadata requests, kept apart from `requests` so the query tests' counts and scripted faults are not disturbed. */
  readonly metadataRequests: ReceivedRequest[] = [];
  /** The body of each 200 response to a metadata request. */
  metadata: Record<string, unknown> = sampleMetadata();
  private readonly faults: Fault[] = [];
  private readonly metadataFaults: Fault[] = [];
  private readonly tables: WireTable[] = [];
  private readonly server: Server;

  private constructor(private readonly options: HuntServerOptions) {
    super();
    this.server = createServer({ key: readFileSync(options.keyPath), cert: readFileSync(options.certPath) }, (request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Starts a server on 127.0.0.1 with a port the OS picks. */
  static async start(options: HuntServerOptions): Promise<HuntServer> {
    const server = new HuntServer(options);
    server.server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    return server;
  }

  /** Base URL, for example https://127.0.0.1:41234 */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `https://127.0.0.1:${address.port}`;
  }

  /** Queues faults; each request takes the next one, and an empty queue answers normally. */
  script(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Queues faults for metadata requests only. */
  scriptMetadata(...faults: Fault[]): void {
    this.metadataFaults.push(...faults);
  }

  /** Resolves with the next metadata request the server receives. */
  nextMetadataRequest(): Promise<ReceivedRequest> {
    return once(this, 'metadataRequest').then(([request]) => request as ReceivedRequest);
  }

  /** Queues tables. Each successful Log Analytics response takes the next one, and an empty queue returns SAMPLE_TABLE. */
  answerWith(...tables: WireTable[]): void {
    this.tables.push(...tables);
  }

  /** Resolves with the next request the server receives. */
  nextRequest(): Promise<ReceivedRequest> {
    return once(this, 'request').then(([request]) => request as ReceivedRequest);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', this.url);
    const metadataMatch = METADATA_PATH.exec(url.pathname);
    if (metadataMatch && request.method === 'GET') {
      this.handleMetadata(request, response, decodeURIComponent(metadataMatch[1] ?? ''));
      return;
    }
    const workspaceMatch = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(url.pathname);
    const received: ReceivedRequest = {
      path: url.pathname,
      body: parseObject(text),
      requestId: randomUUID(),
      ...(workspaceMatch ? { workspaceId: decodeURIComponent(workspaceMatch[1] ?? '') } : {}),
      ...(typeof request.headers.prefer === 'string' ? { prefer: request.headers.prefer } : {}),
    };
    response.setHeader('x-ms-request-id', received.requestId);
    response.setHeader('request-id', received.requestId);

    const problem = this.checkRequest(request, received, workspaceMatch !== null ? 'logAnalytics' : routeOf(received.path));
    if (problem) {
      received.fault = problem.fault;
      this.record(received);
      sendJson(response, problem.status, { error: { code: problem.code, message: problem.message } });
      return;
    }

    const fault = this.faults.shift();
    if (fault) {
      received.fault = fault;
    }
    this.record(received);
    if (fault) {
      playFault(fault, request, response, this);
      return;
    }
    if (received.path === RESOURCE_GRAPH_PATH) {
      sendJson(response, 200, { data: SAMPLE_WORKSPACES });
    } else if (workspaceMatch) {
      sendJson(response, 200, { tables: [this.tables.shift() ?? SAMPLE_TABLE], statistics: { query: { executionTime: 0.12 } }, render: { visualization: 'table' } });
    } else {
      sendJson(response, 200, {
        schema: [
          { name: 'Timestamp', type: 'DateTime' },
          { name: 'AccountUpn', type: 'String' },
          { name: 'AdditionalFields', type: 'Object' },
        ],
        results: [{ Timestamp: '2026-12-01T10:00:00Z', AccountUpn: 'alex@contoso.example', AdditionalFields: { push: 'denied' } }],
      });
    }
  }

  private handleMetadata(request: IncomingMessage, response: ServerResponse, workspaceId: string): void {
    const received: ReceivedRequest = { path: new URL(request.url ?? '/', this.url).pathname, workspaceId, body: undefined, requestId: randomUUID() };
    response.setHeader('x-ms-request-id', received.requestId);
    if (request.headers.authorization !== `Bearer ${this.options.token}`) {
      received.fault = 'badToken';
      sendJson(response, 401, { error: { code: 'InvalidTokenError', message: 'The bearer token is missing or not the expected one.' } });
    } else {
      received.fault = this.metadataFaults.shift();
      if (received.fault) {
        playFault(received.fault, request, response, this);
      } else {
        sendJson(response, 200, this.metadata);
      }
    }
    this.metadataRequests.push(received);
    this.emit('metadataRequest', received);
  }

  private record(received: ReceivedRequest): void {
    this.requests.push(received);
    this.emit('request', received);
  }

  /** Returns the error for a request that breaks the protocol, or undefined when it is valid. */
  private checkRequest(
    request: IncomingMessage,
    received: ReceivedRequest,
    route: 'logAnalytics' | 'hunting' | 'resourceGraph' | undefined,
  ): { status: number; code: string; message: string; fault: 'badToken' | 'badRequest' } | undefined {
    const isLogAnalytics = route === 'logAnalytics';
    if (request.method !== 'POST' || route === undefined) {
      return { status: 404, code: 'PathNotFoundError', message: `No route for ${request.method ?? '?'} ${received.path}`, fault: 'badRequest' };
    }
    if (request.headers.authorization !== `Bearer ${this.options.token}`) {
      return { status: 401, code: 'InvalidTokenError', message: 'The bearer token is missing or not the expected one.', fault: 'badToken' };
    }
    const queryField = route === 'hunting' ? 'Query' : 'query';
    if (typeof received.body?.[queryField] !== 'string' || received.body[queryField] === '') {
      return { status: 400, code: 'BadArgumentError', message: `The body has no "${queryField}" string.`, fault: 'badRequest' };
    }
    if (isLogAnalytics) {
      const prefer = received.prefer ?? '';
      if (!/wait=\d+/.test(prefer) || !prefer.includes('include-statistics=true') || !prefer.includes('include-render=true')) {
        return { status: 400, code: 'BadArgumentError', message: `The Prefer header "${prefer}" lacks wait, include-statistics or include-render.`, fault: 'badRequest' };
      }
    }
    return undefined;
  }
}

function playFault(fault: Fault, request: IncomingMessage, response: ServerResponse, server: HuntServer): void {
  switch (fault) {
    case 'unauthorized':
      sendJson(response, 401, { error: { code: 'AuthorizationRequiredError', message: 'Valid authentication was not provided.' } });
      return;
    case 'forbidden':
      sendJson(response, 403, { error: { code: 'InsufficientAccessError', message: 'The provided credentials have insufficient access to perform the requested operation.' } });
      return;
    case 'notFound':
      sendJson(response, 404, { error: { code: 'WorkspaceNotFoundError', message: 'The workspace could not be found.' } });
      return;
    case 'syntaxError':
      sendJson(response, 400, {
        error: {
          code: 'BadArgumentError',
          message: 'The request had some invalid properties',
          innererror: {
            code: 'SyntaxError',
            message: 'A recognition error occurred in the query.',
            innererror: { code: 'SYN0002', message: "Query could not be parsed at 'wher' on line [2,4]", line: 2, pos: 4, token: 'wher' },
          },
        },
      });
      return;
    case 'throttled':
      response.setHeader('retry-after', '1');
      sendJson(response, 429, { error: { code: 'ThrottledError', message: 'Too many concurrent requests.' } });
      return;
    case 'internalError':
      sendJson(response, 500, { error: { code: 'InternalServerError', message: 'An unexpected error occurred.' } });
      return;
    case 'gatewayTimeout':
      sendJson(response, 504, { error: { code: 'GatewayTimeout', message: 'The query exceeded the server timeout.' } });
      return;
    case 'reset':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"tables":[{"name":"PrimaryResult","columns":[');
      response.socket?.destroy();
      return;
    case 'slow':
      // Never answers; the client must abort. The server reports when it sees the abort.
      request.socket.once('close', () => server.emit('aborted'));
      return;
    case 'oversized':
      sendJson(response, 200, {
        tables: [SAMPLE_TABLE],
        error: {
          code: 'PartialError',
          message: 'There were some errors when processing your query.',
          details: [{ code: 'E_QUERY_RESULT_SET_TOO_LARGE', message: 'Query result set has exceeded the internal data size limit 64000000 bytes' }],
        },
      });
      return;
    case 'partial':
      sendJson(response, 200, {
        tables: [SAMPLE_TABLE],
        error: { code: 'PartialError', message: 'There were some errors when processing your query.', details: [{ code: 'EngineError', message: 'One of the shards failed.' }] },
      });
      return;
    case 'errorOnly':
      // HTTP 200 whose body has an error and no result arrays on either route.
      sendJson(response, 200, {
        error: { code: 'PartialError', message: 'There were some errors when processing your query.', details: [{ code: 'EngineError', message: 'Every shard failed.' }] },
      });
      return;
    case 'emptyObject':
      sendJson(response, 200, {});
      return;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
