/**
 * Datetimes in the display forms that a browser's locale gives a Log
 * Analytics portal CSV export, converted to ISO 8601 (UTC, as the portal
 * writes it under "[UTC]" headers).
 */

/** Order of day and month in a slashed date such as 02/12/2026. */
export type DayOrder = 'monthFirst' | 'dayFirst';

/**
 * "12/2/2026, 2:10:00.000 PM" (en-US), "02/12/2026, 14:10:00.000" (en-GB),
 * "2.12.2026, 14:10:00" (de-DE), "02-12-2026 14:10:00" (nl-NL). The seconds
 * and the fraction are optional, and so is the comma after the date.
 */
const DAY_MONTH_YEAR = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}),? +(\d{1,2}):(\d{2})(?::(\d{2}))?(\.\d+)?(?: ?([ap])\.? ?m\.?)?$/i;

/** "2026/12/02 14:10:00" (ja-JP, zh-CN): year, month, day. */
const YEAR_MONTH_DAY = /^(\d{4})\/(\d{1,2})\/(\d{1,2}),? +(\d{1,2}):(\d{2})(?::(\d{2}))?(\.\d+)?$/;

/** A display datetime split into its parts, before the day and the month are known. */
export interface DisplayDateTime {
  readonly first: number;
  readonly second: number;
  readonly year: number;
  /** 0 to 23. */
  readonly hour: number;
  readonly minute: number;
  /** 0 when the text has no seconds. */
  readonly seconds: number;
  /** Whether the text has seconds. Excel's default date format drops them, so such a time is a whole minute. */
  readonly hasSeconds: boolean;
  /** The fraction with its dot, or "". */
  readonly fraction: string;
  /** Whether the text had AM or PM. */
  readonly twelveHour: boolean;
  /** The order the form itself fixes: dots and dashes are day-first, a leading year is year-month-day. */
  readonly fixedOrder: DayOrder | undefined;
}

/** Splits a display datetime into parts, or returns undefined for text in no display form. */
export function splitDisplayDateTime(text: string): DisplayDateTime | undefined {
  const trimmed = text.trim();
  const yearFirst = YEAR_MONTH_DAY.exec(trimmed);
  if (yearFirst) {
    const [, year, month, day, hour, minute, seconds, fraction] = yearFirst;
    return {
      first: Number(month),
      second: Number(day),
      year: Number(year),
      hour: Number(hour),
      minute: Number(minute),
      seconds: Number(seconds ?? 0),
      hasSeconds: seconds !== undefined,
      fraction: fraction ?? '',
      twelveHour: false,
      fixedOrder: 'monthFirst',
    };
  }
  const match = DAY_MONTH_YEAR.exec(trimmed);
  if (!match) {
    return undefined;
  }
  const [, first, separator, second, year, hourText, minute, seconds, fraction, meridiem] = match;
  let hour = Number(hourText);
  if (meridiem) {
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  return {
    first: Number(first),
    second: Number(second),
    year: Number(year),
    hour,
    minute: Number(minute),
    seconds: Number(seconds ?? 0),
    hasSeconds: seconds !== undefined,
    fraction: fraction ?? '',
    twelveHour: meridiem !== undefined,
    fixedOrder: separator === '/' ? undefined : 'dayFirst',
  };
}

/** Returns the order that a slashed date proves (a field above 12 is the day), or undefined when both fields are 12 or less. */
export function provenDayOrder(parts: DisplayDateTime): DayOrder | undefined {
  if (parts.fixedOrder !== undefined) {
    return undefined;
  }
  if (parts.first > 12 && parts.second <= 12) {
    return 'dayFirst';
  }
  if (parts.second > 12 && parts.first <= 12) {
    return 'monthFirst';
  }
  return undefined;
}

/** Returns ISO 8601 text for the parts in the given order, or undefined when the date or time does not exist. */
export function isoFromParts(parts: DisplayDateTime, order: DayOrder): string | undefined {
  const effective = parts.fixedOrder ?? order;
  const month = effective === 'monthFirst' ? parts.first : parts.second;
  const day = effective === 'monthFirst' ? parts.second : parts.first;
  const check = new Date(Date.UTC(parts.year, month - 1, day, parts.hour, parts.minute, parts.seconds));
  const valid =
    check.getUTCMonth() === month - 1 && check.getUTCDate() === day && parts.hour < 24 && parts.minute < 60 && parts.seconds < 60;
  if (!valid) {
    return undefined;
  }
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${parts.year}-${pad(month)}-${pad(day)}T${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.seconds)}${parts.fraction}Z`;
}

/** ISO 8601 date and time to the minute, such as "2026-11-25 01:44". */
const ISO_TO_THE_MINUTE = /^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** Returns whether datetime text, ISO 8601 or a display form, gives the time to the minute only. */
export function lacksSeconds(text: string): boolean {
  const trimmed = text.trim();
  if (/^\d{4}-/.test(trimmed)) {
    return ISO_TO_THE_MINUTE.test(trimmed);
  }
  return splitDisplayDateTime(trimmed)?.hasSeconds === false;
}
