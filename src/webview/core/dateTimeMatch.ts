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
/** Position of the first fractional digit, and the number of fractional digits (milliseconds, then 100-ns ticks). */
const FRACTION_START = 20;
const FRACTION_DIGITS = 7;
/** Instants whose ISO text has a four-digit year: 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z. */
const MIN_FOUR_DIGIT_YEAR_MS = -62_167_219_200_000;
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** A needle that fits inside the seven fractional digits, as arithmetic: floor(fraction / divisor) % modulus === value. */
interface FractionCheck {
  divisor: number;
  modulus: number;
  value: number;
}
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
 * do not fit the layout, so they are matched on their built text instead. A
 * needle that fits only inside the fractional digits is matched by arithmetic.
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
  /** Set when every alignment lies inside the fractional digits, so a row needs no digits written. */
  private readonly fractionChecks: FractionCheck[] | undefined;

  constructor(private readonly needle: string) {
    this.offsets = dateTimeAlignments(needle);
    this.needleBytes = Uint8Array.from(needle, (character) => character.charCodeAt(0));
    this.needsDate = this.offsets.some((offset) => offset < TIME_START);
    this.needsTime = this.offsets.some((offset) => offset + needle.length > TIME_START);
    this.needsClock = this.offsets.some((offset) => offset < FRACTION_START);
    for (let index = 0; index < ISO_LENGTH; index++) {
      this.buffer[index] = LAYOUT.charCodeAt(index);
    }
    const insideFraction = this.offsets.every((offset) => offset >= FRACTION_START && offset + needle.length <= FRACTION_START + FRACTION_DIGITS);
    this.fractionChecks = this.offsets.length > 0 && insideFraction ? this.offsets.map((offset) => fractionCheck(needle, offset - FRACTION_START)) : undefined;
  }

  /** True when no datetime text can contain the needle. */
  get neverMatches(): boolean {
    return this.offsets.length === 0;
  }

  matches(epochMs: number, subMsTicks: number): boolean {
    if (this.offsets.length === 0) {
      return false;
    }
    const fitsLayout = Number.isInteger(epochMs) && epochMs >= MIN_FOUR_DIGIT_YEAR_MS && epochMs <= MAX_FOUR_DIGIT_YEAR_MS && subMsTicks <= MAX_TICKS;
    if (!fitsLayout) {
      return isoFromParts(epochMs, subMsTicks).toLowerCase().includes(this.needle);
    }
    if (this.fractionChecks) {
      return matchesFraction(this.fractionChecks, epochMs, subMsTicks);
    }
    const day = Math.floor(epochMs / MS_PER_DAY);
    this.writeDate(day);
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

  /** Writes yyyy-mm-dd for a day number since 1970-01-01 whose year has four digits. */
  private writeDate(day: number): void {
    if (day === this.bufferDay || !this.needsDate) {
      return;
    }
    const { year, month, dayOfMonth } = civilFromDays(day);
    writeDigits(this.buffer, 0, year, 4);
    writeDigits(this.buffer, 5, month, 2);
    writeDigits(this.buffer, 8, dayOfMonth, 2);
    this.bufferDay = day;
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

/** Builds the check for a digits-only needle at `position` within the fractional digits. */
function fractionCheck(needle: string, position: number): FractionCheck {
  return {
    divisor: 10 ** (FRACTION_DIGITS - position - needle.length),
    modulus: 10 ** needle.length,
    value: Number(needle),
  };
}

function matchesFraction(checks: FractionCheck[], epochMs: number, subMsTicks: number): boolean {
  const milliseconds = ((epochMs % 1_000) + 1_000) % 1_000;
  const fraction = milliseconds * 10_000 + subMsTicks;
  for (const check of checks) {
    if (Math.floor(fraction / check.divisor) % check.modulus === check.value) {
      return true;
    }
  }
  return false;
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
