/**
 * Substring matching on the lower-cased ISO text of datetime cells
 * (`2024-05-01t08:00:00.1234567z`) without building that text per row. The
 * needle is aligned against the fixed layout once. Each row then writes its
 * digits into one reused byte buffer and compares the aligned positions.
 */
import { isoFromParts } from './columnar';

/** Lower-cased layout of isoFromParts's text: `d` is a digit, every other character is fixed. */
const LAYOUT = 'dddd-dd-ddtdd:dd:dd.dddddddz';
const ISO_LENGTH = LAYOUT.length;
/** Position of the `t` between date and time. The bytes before it depend only on the day. */
const TIME_START = 10;
/** Position of the first fractional digit. */
const FRACTION_START = 20;
const MS_PER_DAY = 86_400_000;
const DIGIT_ZERO = 48;
/** Largest tick count that isoFromParts writes in four digits. */
const MAX_TICKS = 9_999;

/** Returns the start offsets in the ISO text where `needle` (lower-cased) fits the layout, none when it can never match. */
export function dateTimeAlignments(needle: string): number[] {
  const offsets: number[] = [];
  for (let offset = 0; offset + needle.length <= ISO_LENGTH; offset++) {
    if (fitsAt(needle, offset)) {
      offsets.push(offset);
    }
  }
  return offsets;
}

function fitsAt(needle: string, offset: number): boolean {
  for (let index = 0; index < needle.length; index++) {
    const expected = LAYOUT[offset + index];
    const actual = needle[index];
    const fits = expected === 'd' ? actual >= '0' && actual <= '9' : actual === expected;
    if (!fits) {
      return false;
    }
  }
  return true;
}

/**
 * Matches datetime values against one lower-cased needle. Instants outside
 * the years 0000 to 9999, fractional milliseconds and tick counts above 9,999
 * do not fit the layout, so they are matched on their built text instead.
 */
export class DateTimeMatcher {
  private readonly offsets: number[];
  private readonly needleBytes: Uint8Array;
  private readonly buffer = new Uint8Array(ISO_LENGTH);
  private readonly needsDate: boolean;
  private readonly needsTime: boolean;
  /** Whether the needle can reach hh:mm:ss (else only the fraction is written per row). */
  private readonly needsClock: boolean;
  private bufferDay = Number.NaN;

  constructor(private readonly needle: string) {
    this.offsets = dateTimeAlignments(needle);
    this.needleBytes = Uint8Array.from(needle, (character) => character.charCodeAt(0));
    this.needsDate = this.offsets.some((offset) => offset < TIME_START);
    this.needsTime = this.offsets.some((offset) => offset + needle.length > TIME_START);
    this.needsClock = this.offsets.some((offset) => offset < FRACTION_START);
    for (let index = 0; index < ISO_LENGTH; index++) {
      this.buffer[index] = LAYOUT.charCodeAt(index);
    }
  }

  /** True when no datetime text can contain the needle. */
  get neverMatches(): boolean {
    return this.offsets.length === 0;
  }

  matches(epochMs: number, subMsTicks: number): boolean {
    if (this.offsets.length === 0) {
      return false;
    }
    const day = Math.floor(epochMs / MS_PER_DAY);
    if (!Number.isInteger(epochMs) || subMsTicks > MAX_TICKS || !this.writeDate(day)) {
      return isoFromParts(epochMs, subMsTicks).toLowerCase().includes(this.needle);
    }
    if (this.needsTime) {
      this.writeTime(epochMs - day * MS_PER_DAY, subMsTicks);
    }
    for (const offset of this.offsets) {
      if (this.equalsAt(offset)) {
        return true;
      }
    }
    return false;
  }

  private equalsAt(offset: number): boolean {
    const bytes = this.needleBytes;
    for (let index = 0; index < bytes.length; index++) {
      if (this.buffer[offset + index] !== bytes[index]) {
        return false;
      }
    }
    return true;
  }

  /** Writes yyyy-mm-dd for a day number since 1970-01-01, or returns false when the year needs more than four digits. */
  private writeDate(day: number): boolean {
    if (day === this.bufferDay) {
      return true;
    }
    const { year, month, dayOfMonth } = civilFromDays(day);
    if (year < 0 || year > 9_999) {
      return false;
    }
    if (this.needsDate) {
      writeDigits(this.buffer, 0, year, 4);
      writeDigits(this.buffer, 5, month, 2);
      writeDigits(this.buffer, 8, dayOfMonth, 2);
    }
    this.bufferDay = day;
    return true;
  }

  private writeTime(msOfDay: number, subMsTicks: number): void {
    const milliseconds = msOfDay % 1_000;
    writeDigits(this.buffer, 20, milliseconds, 3);
    writeDigits(this.buffer, 23, subMsTicks, 4);
    if (!this.needsClock) {
      return;
    }
    const totalSeconds = (msOfDay - milliseconds) / 1_000;
    const seconds = totalSeconds % 60;
    const totalMinutes = (totalSeconds - seconds) / 60;
    const minutes = totalMinutes % 60;
    const hours = (totalMinutes - minutes) / 60;
    writeDigits(this.buffer, 11, hours, 2);
    writeDigits(this.buffer, 14, minutes, 2);
    writeDigits(this.buffer, 17, seconds, 2);
  }
}

function writeDigits(buffer: Uint8Array, start: number, value: number, width: number): void {
  let rest = value;
  for (let index = start + width - 1; index >= start; index--) {
    const digit = rest % 10;
    buffer[index] = DIGIT_ZERO + digit;
    rest = (rest - digit) / 10;
  }
}

/**
 * Converts days since 1970-01-01 to a proleptic Gregorian date, as
 * Date#toISOString counts it, with the era-based civil_from_days algorithm.
 */
export function civilFromDays(days: number): { year: number; month: number; dayOfMonth: number } {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, dayOfMonth };
}
