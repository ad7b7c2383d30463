/**
 * Maps a failed request to the message the hunter sees. Pure, so every case
 * is unit-tested. A message names what failed, on which target, and what to
 * do next.
 */
import type { ServiceError } from '../results/model';
import { countOf } from './countText';
import { relocateError, type QueryStart } from './positions';
import { serviceError } from './shape';
import type { LogAnalyticsWireError } from './wire';

/** A failed request, reduced to the facts the message needs. */
export type RequestFailure =
  | { kind: 'http'; status: number; body?: { error?: LogAnalyticsWireError }; retries?: number }
  | { kind: 'network'; code?: string; message: string; host: string }
  | { kind: 'signIn'; message: string }
  | { kind: 'cancelled' }
  /** Hunt Lens stopped waiting for a response after huntLens.serverTimeoutInSeconds plus a margin. */
  | { kind: 'deadline'; waitedSeconds: number };

/** The notification text and the kept error of a failed run. */
export interface FailureReport {
  /** The notification text. */
  message: string;
  /** The error kept in the Failure result. */
  error: ServiceError;
}

export interface FailureContext {
  /** For example `Log Analytics workspace "Contoso SOC" (1f2e...)`. */
  targetLabel: string;
  serverTimeoutInSeconds: number;
  /** The sign-in method in use, so sign-in advice names the right step. */
  signIn: 'vscode' | 'azureCli' | 'deviceCode';
  /** Where the query starts in its file, so error positions name the file's line and column. */
  queryStart?: QueryStart;
}

/** The step that gets a fresh token with the chosen sign-in method. */
function signInAdvice(signIn: FailureContext['signIn']): string {
  switch (signIn) {
    case 'azureCli':
      return 'Run az login (and az account set for the right subscription) in a terminal';
    case 'deviceCode':
      return 'Run the query again and complete the device code sign-in';
    case 'vscode':
      return 'Sign in again from the Accounts menu';
  }
}

/** Network error codes that mean the connection dropped or never opened. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENETUNREACH', 'UND_ERR_SOCKET']);

/** Returns true when an error code means the network failed rather than the service. */
export function isNetworkCode(code: string | undefined): boolean {
  return code !== undefined && NETWORK_CODES.has(code);
}

/** Builds the message and the ServiceError for a failed request. */
export function describeFailure(failure: RequestFailure, context: FailureContext): FailureReport {
  const target = context.targetLabel;
  switch (failure.kind) {
    case 'cancelled':
      return {
        message: `Query cancelled on ${target}. The request was aborted, but the server may still finish running the query.`,
        error: { code: 'Cancelled', message: 'The request was cancelled by the user.' },
      };
    case 'deadline':
      return {
        message: `No response from ${target} within ${failure.waitedSeconds} seconds (huntLens.serverTimeoutInSeconds is ${context.serverTimeoutInSeconds}, plus a margin for the transfer), so Hunt Lens stopped waiting. The service or a proxy may have dropped the request. Check the network or proxy and run the query again, or raise huntLens.serverTimeoutInSeconds (maximum 600) for a query that needs more time.`,
        error: { code: 'ClientTimeout', message: `No response arrived within ${failure.waitedSeconds} seconds.` },
      };
    case 'signIn':
      return {
        message: `Sign-in for ${target} failed: ${failure.message}. ${signInAdvice(context.signIn)}, or choose another method in the huntLens.signIn setting.`,
        error: { code: 'SignInFailed', message: failure.message },
      };
    case 'network':
      if (failure.code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(failure.code)) {
        return {
          message: `The TLS certificate of ${failure.host} is not trusted (${failure.code}), so the query was not sent to ${target}. Check the endpoint settings, or trust your proxy's CA with NODE_EXTRA_CA_CERTS.`,
          error: { code: failure.code, message: failure.message },
        };
      }
      return {
        message: `The connection to ${failure.host} was lost while running the query on ${target} (${failure.code ?? failure.message}). Check the network or proxy, then run the query again.`,
        error: { code: failure.code ?? 'NetworkError', message: failure.message },
      };
    case 'http':
      return describeHttpFailure(failure, context);
  }
}

function describeHttpFailure(failure: Extract<RequestFailure, { kind: 'http' }>, context: FailureContext): FailureReport {
  const target = context.targetLabel;
  const error = failure.body?.error
    ? relocateError(serviceError(failure.body.error), context.queryStart)
    : { code: `Http${failure.status}`, message: `The service returned HTTP ${failure.status} without an error body.` };

  switch (failure.status) {
    case 400: {
      const position = error.line !== undefined ? ` (line ${error.line}, column ${error.column ?? 1})` : '';
      return { error, message: `The query is invalid on ${target}${position}: ${withFullStop(error.message)} Fix the query and run it again.` };
    }
    case 401:
      return {
        error,
        message: `Sign-in was rejected by ${target} (401 Unauthorized). ${signInAdvice(context.signIn)}, and set huntLens.tenant when the workspace is in another tenant.`,
      };
    case 403:
      return {
        error,
        message: `No access to ${target} (403 Forbidden). Ask for the Log Analytics Reader role (or Security Reader for Defender XDR), or choose another connection.`,
      };
    case 404:
      return {
        error,
        message: `${capitalize(target)} was not found (404). Check the workspace ID of the connection and the huntLens.cloud setting.`,
      };
    case 429:
      return {
        error,
        message: `${capitalize(target)} throttled the query (429 Too Many Requests) and still did after ${countOf(failure.retries ?? 0, 'retry', 'retries')}. Wait a minute, then run it again.`,
      };
    case 504:
      return {
        error,
        message: `The query timed out on ${target} (504 Gateway Timeout) within the server timeout of ${context.serverTimeoutInSeconds} seconds. Narrow the time range or filter earlier, or raise huntLens.serverTimeoutInSeconds (maximum 600).`,
      };
    default:
      return {
        error,
        message: `${capitalize(target)} failed to run the query (HTTP ${failure.status}): ${error.message} Run it again, and quote the request id from the Hunt Lens log if it keeps failing.`,
      };
  }
}

/**
 * Builds the message and the ServiceError for a 200 response without a
 * result. The message states that the outcome is unknown, because an empty
 * table would read as a hunt that found nothing, and it quotes the
 * service's error when the body carried one.
 */
export function describeMissingResult(problem: string, serviceError: ServiceError | undefined, targetLabel: string): FailureReport {
  const serviceText = serviceError ? ` The service said: ${serviceError.code}: ${withFullStop(serviceError.message)}` : '';
  const message = `${capitalize(targetLabel)} returned HTTP 200 without a result (the response ${problem}), so it is not known whether the query found anything.${serviceText} Run the query again, and quote the request id from the Hunt Lens log if it keeps failing.`;
  const error: ServiceError = serviceError
    ? { ...serviceError, message: `${withFullStop(serviceError.message)} The response ${problem}.` }
    : { code: 'MissingResult', message: `The response ${problem}.` };
  return { message, error };
}

/** The warning shown beside a partial result, so a cut or failed part is never silent. */
export function describePartialFailure(error: ServiceError, truncated: boolean, targetLabel: string): string {
  if (truncated) {
    return `The result from ${targetLabel} is incomplete: it exceeded a service limit (500,000 rows or about 100 MB by default) and was cut. The service said: ${withFullStop(innermostMessage(error))} Add filters, or summarize, to get a complete result.`;
  }
  return `The result from ${targetLabel} is incomplete: ${error.message}`;
}

/** Returns the most specific message of a service error: its first innermost detail's, else its own. */
function innermostMessage(error: ServiceError): string {
  let current = error;
  while (current.details?.[0]) {
    current = current.details[0];
  }
  return current.message;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds, or undefined. */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) {
    return undefined;
  }
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Ends a service message with a full stop, so the advice after it reads as its own sentence. */
function withFullStop(message: string): string {
  const trimmed = message.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
