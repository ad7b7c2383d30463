/**
 * The time range a finished run searched, read back from its result. A pivot
 * from a row that has no time of its own searches this range, so it never
 * falls back to the 1970-01-01 default of the pivot hunts' startTime. Pure, so
 * it is unit-tested without VS Code.
 */
import { timespanDays } from '../hunts/literals';
import type { QueryResult } from '../results/model';

/** Two ISO 8601 instants in UTC. */
export interface TimeRange {
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;
/** The startTime value that makes a pivot hunt search the last lookback (see HUNT_RANGE_LET). */
const UNSET_START_MS = 0;

/**
 * Returns the time range a run searched, from the first source that gives one:
 * 1. the range the runner sent with the query, for a query without a time filter;
 * 2. the `startTime` and `window` lets of a pivot hunt, when startTime is set;
 * 3. the `lookback` let, counted back from the run's reference time;
 * 4. `defaultLookback`, counted back from the run's reference time.
 * The reference time is now() of a local run (which may be the newest record
 * in the data) and the start of the run otherwise. The lets are read from the
 * query text as the hunt renderer writes them: `let lookback = 7d;`.
 */
export function runTimeRange(
  result: Pick<QueryResult, 'query' | 'timeRange' | 'startedAt' | 'statistics' | 'target'>,
  defaultLookback: string,
): TimeRange {
  if (result.timeRange) {
    return result.timeRange;
  }
  const startTime = datetimeLet(result.query, 'startTime');
  const window = timespanLet(result.query, 'window');
  if (startTime !== undefined && startTime !== UNSET_START_MS && window !== undefined) {
    return rangeOf(startTime, startTime + window);
  }
  const end = referenceTime(result);
  const lookback = timespanLet(result.query, 'lookback') ?? settingLookback(defaultLookback);
  return rangeOf(end - lookback, end);
}

function settingLookback(value: string): number {
  try {
    return timespanDays(value) * DAY_MS;
  } catch (error) {
    throw new RangeError(`Invalid pivot lookback: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Formats a length in milliseconds as a KQL timespan that covers it: whole
 * days or hours when it divides evenly, else minutes rounded up.
 */
export function coveringTimespan(milliseconds: number): string {
  if (milliseconds % DAY_MS === 0) {
    return `${milliseconds / DAY_MS}d`;
  }
  if (milliseconds % 3_600_000 === 0) {
    return `${milliseconds / 3_600_000}h`;
  }
  return `${Math.ceil(milliseconds / 60_000)}m`;
}

function referenceTime(result: Pick<QueryResult, 'startedAt' | 'statistics' | 'target'>): number {
  const now = result.target.kind === 'local' ? result.statistics?.now : undefined;
  const local = typeof now === 'string' ? Date.parse(now) : Number.NaN;
  return Number.isNaN(local) ? Date.parse(result.startedAt) : local;
}

function rangeOf(startMs: number, endMs: number): TimeRange {
  return { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() };
}

/** Returns the text of `let <name> = <value>;` at the start of a line, or undefined. */
function letValue(query: string, name: string): string | undefined {
  const match = new RegExp(`^\\s*let\\s+${name}\\s*=\\s*([^;\\n]+?)\\s*;`, 'm').exec(query);
  return match?.[1];
}

function timespanLet(query: string, name: string): number | undefined {
  const value = letValue(query, name);
  if (value === undefined) {
    return undefined;
  }
  try {
    const milliseconds = timespanDays(value) * DAY_MS;
    return milliseconds > 0 ? milliseconds : undefined;
  } catch {
    // Anything but a plain timespan literal, such as an expression, leaves the range to the next source.
    return undefined;
  }
}

function datetimeLet(query: string, name: string): number | undefined {
  const inner = /^datetime\(\s*(\d{4}-\d{2}-\d{2}[^)]*?)\s*\)$/.exec(letValue(query, name) ?? '')?.[1];
  if (inner === undefined) {
    return undefined;
  }
  const time = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(inner) ? inner : `${inner}Z`);
  return Number.isNaN(time) ? undefined : time;
}
