/**
 * Date and time functions over datetime ticks (see values.ts). Calendar
 * parts are in UTC, as in Kusto.
 */
import type { FunctionFactory } from './functionLibrary';
import {
  epochMsOfTicks,
  ticksFromEpochMs,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MINUTE,
  TICKS_PER_MS,
  TICKS_PER_SECOND,
  textOf,
  type Value,
} from './values';

/** Ticks from 0001-01-01 (a Monday, Kusto's bin origin) to the engine's datetime base. */
const TICKS_FROM_YEAR_ONE = 637_134_336_000_000_000n;

function positiveModulo(value: number, size: number): number {
  return ((value % size) + size) % size;
}

/** Rounds datetime ticks down to a multiple of `size` counted from 0001-01-01, as bin() does. */
export function binDatetime(ticks: number, size: number): number {
  const originOffset = Number(TICKS_FROM_YEAR_ONE % BigInt(Math.round(size)));
  return ticks - positiveModulo(ticks + originOffset, size);
}

function binNumber(value: number, size: number): number {
  return Math.floor(value / size) * size;
}

function dateOf(ticks: number): Date {
  return new Date(epochMsOfTicks(ticks).epochMs);
}

function startOfMonth(ticks: number, monthOffset: number): number {
  const date = dateOf(ticks);
  return ticksFromEpochMs(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthOffset, 1));
}

function startOfYear(ticks: number, yearOffset: number): number {
  return ticksFromEpochMs(Date.UTC(dateOf(ticks).getUTCFullYear() + yearOffset, 0, 1));
}

const datetimePart =
  (part: (ticks: number) => number): FunctionFactory =>
  ({ args }) =>
  (row) => {
    const ticks = args[0](row);
    return typeof ticks === 'number' ? part(ticks) : null;
  };

const UNIT_TICKS: Record<string, number> = {
  week: 7 * TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  hour: TICKS_PER_HOUR,
  minute: TICKS_PER_MINUTE,
  second: TICKS_PER_SECOND,
  millisecond: TICKS_PER_MS,
  microsecond: 10,
  nanosecond: 0.01,
};

/** datetime_diff(part, a, b): the number of `part` boundaries between b and a. */
function datetimeDiff(part: string, a: number, b: number): number | null {
  const unit = part.toLowerCase();
  if (unit === 'year' || unit === 'quarter' || unit === 'month') {
    const dateA = dateOf(a);
    const dateB = dateOf(b);
    const months = (dateA.getUTCFullYear() - dateB.getUTCFullYear()) * 12 + dateA.getUTCMonth() - dateB.getUTCMonth();
    if (unit === 'year') {
      return dateA.getUTCFullYear() - dateB.getUTCFullYear();
    }
    return unit === 'month' ? months : Math.floor(dateA.getUTCMonth() / 3) - Math.floor(dateB.getUTCMonth() / 3) + (dateA.getUTCFullYear() - dateB.getUTCFullYear()) * 4;
  }
  const size = UNIT_TICKS[unit];
  if (size === undefined) {
    return null;
  }
  if (unit === 'week') {
    return Math.floor((binDatetime(a, size) - binDatetime(b, size)) / size);
  }
  return Math.floor(a / size) - Math.floor(b / size);
}

function datetimeAdd(part: string, amount: number, ticks: number): number | null {
  const unit = part.toLowerCase();
  if (unit === 'year' || unit === 'quarter' || unit === 'month') {
    const months = amount * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1);
    const { epochMs, subMsTicks } = epochMsOfTicks(ticks);
    const date = new Date(epochMs);
    date.setUTCMonth(date.getUTCMonth() + months);
    return ticksFromEpochMs(date.getTime(), subMsTicks);
  }
  const size = UNIT_TICKS[unit];
  return size === undefined ? null : ticks + amount * size;
}

/** format_datetime with the common specifiers: yyyy, yy, MM, M, dd, d, HH, H, hh, mm, ss, f… (1 to 7), tt. */
function formatDatetimeWith(ticks: number, format: string): string {
  const { epochMs, subMsTicks } = epochMsOfTicks(ticks);
  const date = new Date(epochMs);
  const fraction = String(date.getUTCMilliseconds()).padStart(3, '0') + String(subMsTicks).padStart(4, '0');
  const hours = date.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return format.replace(/yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt/g, (token) => {
    switch (token) {
      case 'yyyy':
        return String(date.getUTCFullYear()).padStart(4, '0');
      case 'yy':
        return two(date.getUTCFullYear() % 100);
      case 'MM':
        return two(date.getUTCMonth() + 1);
      case 'M':
        return String(date.getUTCMonth() + 1);
      case 'dd':
        return two(date.getUTCDate());
      case 'd':
        return String(date.getUTCDate());
      case 'HH':
        return two(hours);
      case 'H':
        return String(hours);
      case 'hh':
        return two(hours % 12 || 12);
      case 'h':
        return String(hours % 12 || 12);
      case 'mm':
        return two(date.getUTCMinutes());
      case 'm':
        return String(date.getUTCMinutes());
      case 'ss':
        return two(date.getUTCSeconds());
      case 's':
        return String(date.getUTCSeconds());
      case 'tt':
        return hours < 12 ? 'AM' : 'PM';
      default:
        return token.startsWith('F') ? fraction.slice(0, token.length).replace(/0+$/, '') : fraction.slice(0, token.length);
    }
  });
}

export const DATETIME_FUNCTIONS: Record<string, FunctionFactory> = {
  now: ({ args, scope }) => {
    const now = scope.run.nowTicks;
    return args[0] ? (row) => now + ((args[0](row) as number | null) ?? 0) : () => now;
  },
  ago: ({ args, scope }) => {
    const now = scope.run.nowTicks;
    return (row) => {
      const span = args[0](row);
      return typeof span === 'number' ? now - span : null;
    };
  },
  bin: binFactory,
  floor: binFactory,
  bin_at: ({ args }) => (row) => {
    const value = args[0](row);
    const size = args[1](row);
    const origin = args[2](row);
    if (typeof value !== 'number' || typeof size !== 'number' || typeof origin !== 'number' || size <= 0) {
      return null;
    }
    return origin + binNumber(value - origin, size);
  },
  startofday: datetimePart((ticks) => binDatetime(ticks, TICKS_PER_DAY)),
  endofday: datetimePart((ticks) => binDatetime(ticks, TICKS_PER_DAY) + TICKS_PER_DAY - 1),
  // 0001-01-01 is a Monday, so a 7-day bin starts on Monday; Kusto weeks start on Sunday.
  startofweek: datetimePart((ticks) => binDatetime(ticks + TICKS_PER_DAY, 7 * TICKS_PER_DAY) - TICKS_PER_DAY),
  startofmonth: datetimePart((ticks) => startOfMonth(ticks, 0)),
  endofmonth: datetimePart((ticks) => startOfMonth(ticks, 1) - 1),
  startofyear: datetimePart((ticks) => startOfYear(ticks, 0)),
  hourofday: datetimePart((ticks) => Math.floor(positiveModulo(ticks, TICKS_PER_DAY) / TICKS_PER_HOUR)),
  // 2020-01-01, the tick origin, was a Wednesday: day 3 counting from Sunday.
  dayofweek: datetimePart((ticks) => positiveModulo(Math.floor(ticks / TICKS_PER_DAY) + 3, 7) * TICKS_PER_DAY),
  dayofmonth: datetimePart((ticks) => dateOf(ticks).getUTCDate()),
  getyear: datetimePart((ticks) => dateOf(ticks).getUTCFullYear()),
  getmonth: datetimePart((ticks) => dateOf(ticks).getUTCMonth() + 1),
  datetime_diff: ({ args }) => (row) => {
    const a = args[1](row);
    const b = args[2](row);
    return typeof a === 'number' && typeof b === 'number' ? datetimeDiff(textOf(args[0](row)), a, b) : null;
  },
  datetime_add: ({ args }) => (row) => {
    const amount = args[1](row);
    const ticks = args[2](row);
    return typeof amount === 'number' && typeof ticks === 'number' ? datetimeAdd(textOf(args[0](row)), amount, ticks) : null;
  },
  format_datetime: ({ args }) => (row) => {
    const ticks = args[0](row);
    return typeof ticks === 'number' ? formatDatetimeWith(ticks, textOf(args[1](row))) : '';
  },
  unixtime_seconds_todatetime: datetimePart((seconds) => ticksFromEpochMs(seconds * 1000)),
  unixtime_milliseconds_todatetime: datetimePart((ms) => ticksFromEpochMs(ms)),
};

function binFactory({ args, types }: Parameters<FunctionFactory>[0]): (row: number) => Value {
  const isDatetime = types[0] === 'datetime';
  return (row) => {
    const value = args[0](row);
    const size = args[1](row);
    if (typeof value !== 'number' || typeof size !== 'number' || size <= 0) {
      return null;
    }
    return isDatetime ? binDatetime(value, size) : binNumber(value, size);
  };
}
