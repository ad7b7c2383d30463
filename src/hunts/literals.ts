/**
 * KQL literals for values that come from outside the query text: hunt
 * parameters typed by a user, and entity values read from log data, which an
 * attacker controls. Every value enters generated KQL through one of these
 * functions and never as raw text.
 */

/** A timespan with one of Kusto's unit suffixes, for example `7d`, `1.5h`, `30min` or `100ms`. */
const TIMESPAN_PATTERN = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/;

/** Kusto's timespan unit suffixes, mapped to the short form that is written into the query. */
const TIMESPAN_UNITS: Record<string, string> = {
  d: 'd', day: 'd', days: 'd',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  m: 'm', min: 'm', minute: 'm', minutes: 'm',
  s: 's', sec: 's', second: 's', seconds: 's',
  ms: 'ms', milli: 'ms', millis: 'ms', millisecond: 'ms', milliseconds: 'ms',
  microsecond: 'microsecond', microseconds: 'microsecond',
  tick: 'tick', ticks: 'tick',
};

/** Formats any string as one double-quoted KQL string literal. */
export function kqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') {
      out += '\\\\';
    } else if (ch === '"') {
      out += '\\"';
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (code < 0x20 || code === 0x7f || (code >= 0x2028 && code <= 0x2029)) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** Length of one unit, by its short form, in days. */
const TIMESPAN_UNIT_DAYS: Record<string, number> = {
  d: 1,
  h: 1 / 24,
  m: 1 / 1440,
  s: 1 / 86_400,
  ms: 1 / 86_400_000,
  microsecond: 1 / 86_400_000_000,
  tick: 1 / 864_000_000_000,
};

/** The whole days in the largest Kusto timespan (the .NET TimeSpan.MaxValue). */
const MAX_TIMESPAN_DAYS = 10_675_199;

/**
 * Formats a timespan such as `7d`, `1.5h`, `30 min` or `7 days` as a KQL
 * timespan literal with the short unit (`7d`), and rejects anything else.
 * It also rejects lengths beyond the largest Kusto timespan, because the
 * Kusto parser silently wraps them around to a negative value.
 */
export function kqlTimespan(value: string): string {
  const match = TIMESPAN_PATTERN.exec(value.trim().toLowerCase());
  const unit = match ? TIMESPAN_UNITS[match[2]] : undefined;
  if (!match || !unit) {
    throw new RangeError(
      `Invalid timespan "${value}": use a number followed by d, h, m, s or ms, for example 7d or 30m.`,
    );
  }
  if (Number(match[1]) * TIMESPAN_UNIT_DAYS[unit] > MAX_TIMESPAN_DAYS) {
    throw new RangeError(`Invalid timespan "${value}": the maximum is ${MAX_TIMESPAN_DAYS}d.`);
  }
  return `${match[1]}${unit}`;
}

/** Returns the length of a timespan accepted by kqlTimespan, in days. */
export function timespanDays(value: string): number {
  const literal = kqlTimespan(value);
  const match = TIMESPAN_PATTERN.exec(literal)!;
  return Number(match[1]) * TIMESPAN_UNIT_DAYS[match[2]];
}

/** Formats a whole number as a KQL long literal; rejects fractions, NaN and values outside the safe integer range. */
export function kqlLong(value: number): string {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Invalid whole number ${String(value)}: enter an integer such as 10.`);
  }
  return String(value);
}

/**
 * An ISO 8601 date or date and time, with an optional zone: `2026-03-01`,
 * `2026-03-01T02:13`, `2026-03-01 02:13:00.1234567Z`, `2026-03-01T04:13:00+02:00`.
 */
const ISO_DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** Kusto datetime values run from 0001-01-01 to 9999-12-31. */
const MIN_DATETIME_MS = new Date('0001-01-01T00:00:00Z').getTime();
const MAX_DATETIME_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

/**
 * Formats an instant as a KQL datetime literal in UTC, such as
 * `datetime(2026-03-01T02:13:00.000Z)`. A string must be ISO 8601 (see
 * ISO_DATETIME_PATTERN). Without a zone it is read as UTC, as Kusto reads
 * datetime literals. Fractions of up to 7 digits (100 ns, the Kusto tick) are
 * kept for UTC input and cut to milliseconds when an offset is converted.
 * Rejects other formats, impossible dates such as February 30, and instants
 * outside 0001-01-01 to 9999-12-31.
 */
export function kqlDatetime(value: string | Date): string {
  if (value instanceof Date) {
    return `datetime(${checkedInstant(value.getTime(), String(value)).toISOString()})`;
  }
  const text = value.trim();
  const match = ISO_DATETIME_PATTERN.exec(text);
  if (!match) {
    throw invalidDatetime(value, 'use ISO 8601, for example 2026-03-01T02:13:00Z');
  }
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;

  // Date.UTC maps years 0-99 to 1900-1999, so the year is set separately.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.slice(0, 3).padEnd(3, '0')));
  const fieldsKept =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hour) &&
    date.getUTCMinutes() === Number(minute) &&
    date.getUTCSeconds() === Number(second);
  if (!fieldsKept) {
    throw invalidDatetime(value, 'the date or time does not exist');
  }

  if (zone.toUpperCase() === 'Z') {
    checkedInstant(date.getTime(), value);
    const digits = fraction.padEnd(3, '0');
    return `datetime(${year}-${month}-${day}T${hour}:${minute}:${second}.${digits}Z)`;
  }
  const offsetHours = Number(zone.slice(1, 3));
  const offsetMinutesPart = Number(zone.slice(4, 6));
  if (offsetHours > 14 || offsetMinutesPart > 59) {
    throw invalidDatetime(value, `the zone offset ${zone} does not exist`);
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMinutes = offsetHours * 60 + offsetMinutesPart;
  const utc = checkedInstant(date.getTime() - sign * offsetMinutes * 60_000, value);
  return `datetime(${utc.toISOString()})`;
}

function checkedInstant(milliseconds: number, valueForMessage: string): Date {
  if (Number.isNaN(milliseconds)) {
    throw invalidDatetime(valueForMessage, 'use ISO 8601, for example 2026-03-01T02:13:00Z');
  }
  if (milliseconds < MIN_DATETIME_MS || milliseconds > MAX_DATETIME_MS) {
    throw invalidDatetime(valueForMessage, 'Kusto datetimes run from 0001-01-01 to 9999-12-31');
  }
  return new Date(milliseconds);
}

function invalidDatetime(value: string, reason: string): RangeError {
  return new RangeError(`Invalid datetime "${value}": ${reason}.`);
}
