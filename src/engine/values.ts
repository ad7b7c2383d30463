/**
 * Scalar values as the evaluator handles them, one JavaScript primitive per
 * value so hot loops allocate nothing:
 * - string: a string ('' is the empty string; Kusto strings are never null)
 * - guid: lower-case text, or null
 * - long, int, real: a number, or null
 * - datetime: 100-ns ticks since DATETIME_BASE_MS, or null
 * - timespan: 100-ns ticks, or null
 * - bool: a boolean, or null
 * - dynamic: a parsed JSON value (null is Kusto's null)
 *
 * Datetimes are counted from 2020-01-01 rather than 1970 so that a float64
 * stores every 100-ns tick exactly from mid-1991 to mid-2048, and whole
 * milliseconds exactly for centuries on either side.
 */
import type { KustoColumnType } from '../schema/tables';

export type Value = string | number | boolean | null | object;

export const TICKS_PER_MS = 10_000;
export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60 * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24 * TICKS_PER_HOUR;
export const DATETIME_BASE_MS = Date.UTC(2020, 0, 1);

export function ticksFromEpochMs(epochMs: number, subMsTicks = 0): number {
  return (epochMs - DATETIME_BASE_MS) * TICKS_PER_MS + subMsTicks;
}

/** Splits datetime ticks into milliseconds since the Unix epoch and the 100-ns ticks within that millisecond. */
export function epochMsOfTicks(ticks: number): { epochMs: number; subMsTicks: number } {
  const sub = ((ticks % TICKS_PER_MS) + TICKS_PER_MS) % TICKS_PER_MS;
  return { epochMs: (ticks - sub) / TICKS_PER_MS + DATETIME_BASE_MS, subMsTicks: sub };
}

/** Formats datetime ticks as ISO 8601 UTC with seven fractional digits, as Kusto does. */
export function formatDatetime(ticks: number): string {
  const { epochMs, subMsTicks } = epochMsOfTicks(ticks);
  const iso = new Date(epochMs).toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${String(subMsTicks).padStart(4, '0')}Z`;
}

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses ISO 8601 text (no zone means UTC) into datetime ticks, or returns null when it is not a datetime. */
export function parseDatetime(text: string): number | null {
  const match = ISO_DATETIME.exec(text.trim());
  if (!match) {
    return parseMicrosoftJsonDate(text);
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  if (!isValidDateTime(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second))) {
    return null;
  }
  let epochMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (Number.isNaN(epochMs)) {
    return null;
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    epochMs -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  const fractionTicks = Number(fraction.padEnd(7, '0'));
  return ticksFromEpochMs(epochMs) + fractionTicks;
}

/**
 * Returns whether the fields name a moment that exists: month 1 to 12, a day
 * of that month, hour 0 to 23, minute and second 0 to 59. Date.UTC itself
 * carries an overflow into the next field, which would read 2026-13-45 as 2027-02-14.
 */
export function isValidDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1 to 12) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Matches the .NET JSON date form `/Date(1700000000000)/` that Windows
 * PowerShell 5.1's `ConvertTo-Json` writes for dates. The number counts
 * milliseconds since the Unix epoch in UTC, and a `+hhmm` suffix only records
 * the writer's time zone, so it is ignored.
 */
const MICROSOFT_JSON_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

function parseMicrosoftJsonDate(text: string): number | null {
  const epochMs = microsoftJsonDateMs(text);
  return epochMs === undefined ? null : ticksFromEpochMs(epochMs);
}

/** Returns the ms since the Unix epoch of a `/Date(ms)/` text, or undefined for any other text. */
export function microsoftJsonDateMs(text: string): number | undefined {
  const match = MICROSOFT_JSON_DATE.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

/** Formats timespan ticks as Kusto text: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: number): string {
  const sign = ticks < 0 ? '-' : '';
  let rest = Math.abs(ticks);
  const days = Math.floor(rest / TICKS_PER_DAY);
  rest -= days * TICKS_PER_DAY;
  const hours = Math.floor(rest / TICKS_PER_HOUR);
  rest -= hours * TICKS_PER_HOUR;
  const minutes = Math.floor(rest / TICKS_PER_MINUTE);
  rest -= minutes * TICKS_PER_MINUTE;
  const seconds = Math.floor(rest / TICKS_PER_SECOND);
  const fraction = rest - seconds * TICKS_PER_SECOND;
  const two = (n: number): string => String(n).padStart(2, '0');
  const dayPart = days > 0 ? `${days}.` : '';
  const fractionPart = fraction > 0 ? `.${String(fraction).padStart(7, '0')}` : '';
  return `${sign}${dayPart}${two(hours)}:${two(minutes)}:${two(seconds)}${fractionPart}`;
}

const TIMESPAN_UNITS: Record<string, number> = {
  d: TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  days: TICKS_PER_DAY,
  h: TICKS_PER_HOUR,
  hr: TICKS_PER_HOUR,
  hrs: TICKS_PER_HOUR,
  hour: TICKS_PER_HOUR,
  hours: TICKS_PER_HOUR,
  m: TICKS_PER_MINUTE,
  min: TICKS_PER_MINUTE,
  minute: TICKS_PER_MINUTE,
  minutes: TICKS_PER_MINUTE,
  s: TICKS_PER_SECOND,
  sec: TICKS_PER_SECOND,
  second: TICKS_PER_SECOND,
  seconds: TICKS_PER_SECOND,
  ms: TICKS_PER_MS,
  milli: TICKS_PER_MS,
  millis: TICKS_PER_MS,
  millisecond: TICKS_PER_MS,
  milliseconds: TICKS_PER_MS,
  microsecond: 10,
  microseconds: 10,
  tick: 1,
  ticks: 1,
};

const CLOCK_TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
const UNIT_TIMESPAN = /^(-)?(\d+(?:\.\d+)?)\s*([a-z]+)$/i;

/** Parses Kusto timespan text (`01:02:03.5`, `1.02:03:04`, `5m`, `7d`) into ticks, or returns null. */
export function parseTimespan(text: string): number | null {
  const trimmed = text.trim();
  const clock = CLOCK_TIMESPAN.exec(trimmed);
  if (clock) {
    const [, minus, days = '0', hours, minutes, seconds = '0', fraction = ''] = clock;
    const ticks =
      Number(days) * TICKS_PER_DAY +
      Number(hours) * TICKS_PER_HOUR +
      Number(minutes) * TICKS_PER_MINUTE +
      Number(seconds) * TICKS_PER_SECOND +
      Number(fraction.padEnd(7, '0'));
    return minus ? -ticks : ticks;
  }
  const unit = UNIT_TIMESPAN.exec(trimmed);
  const scale = unit ? TIMESPAN_UNITS[unit[3].toLowerCase()] : undefined;
  if (!unit || scale === undefined) {
    return null;
  }
  const ticks = Math.round(Number(unit[2]) * scale);
  return unit[1] ? -ticks : ticks;
}

/** Returns a plain value's text: JSON for objects and arrays, '' for null. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

/** Converts a value to Kusto's text form, as tostring() does. Null becomes ''. */
export function valueToString(value: Value, type: KustoColumnType): string {
  if (value === null || value === undefined) {
    return '';
  }
  switch (type) {
    case 'datetime':
      return formatDatetime(value as number);
    case 'timespan':
      return formatTimespan(value as number);
    case 'dynamic':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      return textOf(value);
  }
}

/** Converts a typed value to the JSON form it takes inside a dynamic value. */
export function valueToDynamic(value: Value, type: KustoColumnType): unknown {
  if (value === null) {
    return null;
  }
  if (type === 'datetime' || type === 'timespan') {
    return valueToString(value, type);
  }
  return value;
}

/** Parses text as JSON when it contains an object or array; other text stays text, as todynamic() does with invalid JSON. */
export function parseDynamicText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') {
    return null;
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}
