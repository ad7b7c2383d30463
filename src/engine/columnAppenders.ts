/**
 * Load-time column appenders: each takes values in the readers' input form
 * (see input.ts) for one column type and writes them straight into the
 * column's typed storage. They produce the same values as convertInput
 * followed by ColumnWriter.push, without an evaluator value per cell, except
 * that rows with equal dynamic values share one frozen value.
 */
import type { KustoColumnType } from '../schema/tables';
import { BOOL_NULL, type Column } from './columns';
import { DynamicAppender } from './dynamicAppender';
import { isValidDateTime, parseDatetime, parseTimespan, textOf, ticksFromEpochMs } from './values';

/** Dictionary-encoded text: one Int32 code per row. */
export class TextAppender {
  private codes: Int32Array;
  private length = 0;
  private readonly dictionary: (string | null)[] = [];
  /**
   * Codes by text. In a guid column it also maps each spelling as read to the
   * code of its lower-case text, so each spelling is lowered once.
   */
  private readonly codeOf = new Map<string | null, number>();
  private lastText: string | undefined;
  private lastCode = -1;

  constructor(
    private readonly lowerCase: boolean,
    capacity: number,
  ) {
    this.codes = new Int32Array(capacity);
  }

  add(value: unknown): void {
    if (this.length === this.codes.length) {
      this.codes = grow(this.codes, new Int32Array(this.codes.length * 2));
    }
    this.codes[this.length++] = value === null || value === undefined ? this.codeOfNull() : this.codeOfValue(value);
  }

  /** Returns the code of null, which is the empty string in a string column and null in a guid column. */
  private codeOfNull(): number {
    const empty = this.lowerCase ? null : '';
    return this.codeOf.get(empty) ?? this.addToDictionary(empty);
  }

  private codeOfValue(value: unknown): number {
    const text = typeof value === 'string' ? value : textOf(value);
    // Runs of one text (constant columns, rows of one user) skip hashing the text for the map.
    if (text === this.lastText) {
      return this.lastCode;
    }
    let known = this.codeOf.get(text);
    if (known === undefined) {
      known = this.codeOfNewText(text);
    }
    this.lastText = text;
    this.lastCode = known;
    return known;
  }

  private codeOfNewText(text: string): number {
    if (!this.lowerCase) {
      return this.addToDictionary(text);
    }
    if (text === '') {
      return this.codeOfNull();
    }
    const lower = text.toLowerCase();
    const code = lower === text ? undefined : this.codeOf.get(lower);
    if (code !== undefined) {
      this.codeOf.set(text, code);
      return code;
    }
    const added = this.addToDictionary(lower);
    if (lower !== text) {
      this.codeOf.set(text, added);
    }
    return added;
  }

  private addToDictionary(text: string | null): number {
    const code = this.dictionary.length;
    this.dictionary.push(text);
    this.codeOf.set(text, code);
    return code;
  }

  finish(): Column {
    return { kind: 'dictionary', codes: trimmed(this.codes, this.length), dictionary: this.dictionary };
  }
}

/** A value that a column could not convert, so its cell is null; `row` is its row in the column. */
export interface RejectedValue {
  readonly row: number;
  readonly value: unknown;
}

/**
 * Numbers, datetimes and timespans in a Float64Array, with NaN as null. A
 * datetime column also keeps each value it could not convert, for the loader
 * to report; other columns turn such values into null silently.
 */
export class NumberAppender {
  private values: Float64Array;
  private length = 0;
  private readonly convert: (value: unknown) => number;
  private readonly keepsRejected: boolean;
  private rejected: RejectedValue[] | undefined;

  constructor(type: KustoColumnType, capacity: number) {
    this.values = new Float64Array(capacity);
    this.convert = numberConverter(type);
    this.keepsRejected = type === 'datetime';
  }

  add(value: unknown): void {
    if (this.length === this.values.length) {
      this.values = grow(this.values, new Float64Array(this.values.length * 2));
    }
    if (value === null || value === undefined || value === '') {
      this.values[this.length++] = NaN;
      return;
    }
    const number = this.convert(value);
    this.values[this.length++] = number;
    if (Number.isNaN(number) && this.keepsRejected) {
      (this.rejected ??= []).push({ row: this.length - 1, value });
    }
  }

  /** Returns the values rejected since the last call, or undefined when there were none. */
  takeRejected(): RejectedValue[] | undefined {
    const taken = this.rejected;
    this.rejected = undefined;
    return taken;
  }

  finish(): Column {
    return { kind: 'number', values: trimmed(this.values, this.length) };
  }
}

/** Booleans in a Uint8Array: 0, 1 or BOOL_NULL. */
export class BoolAppender {
  private values: Uint8Array;
  private length = 0;

  constructor(capacity: number) {
    this.values = new Uint8Array(capacity);
  }

  add(value: unknown): void {
    if (this.length === this.values.length) {
      this.values = grow(this.values, new Uint8Array(this.values.length * 2));
    }
    const bool = value === null || value === undefined || value === '' ? null : toBool(value);
    let stored = BOOL_NULL;
    if (bool !== null) {
      stored = bool ? 1 : 0;
    }
    this.values[this.length++] = stored;
  }

  finish(): Column {
    return { kind: 'bool', values: trimmed(this.values, this.length) };
  }
}

export { DynamicAppender };

export type ColumnAppender = TextAppender | NumberAppender | BoolAppender | DynamicAppender;

/** Creates the appender for a column of `type`. */
export function createAppender(type: KustoColumnType, capacity = 1024): ColumnAppender {
  switch (type) {
    case 'string':
    case 'guid':
      return new TextAppender(type === 'guid', capacity);
    case 'bool':
      return new BoolAppender(capacity);
    case 'dynamic':
      return new DynamicAppender();
    default:
      return new NumberAppender(type, capacity);
  }
}

function numberConverter(type: KustoColumnType): (value: unknown) => number {
  switch (type) {
    case 'long':
    case 'int':
      return (value) => toNumber(value, true);
    case 'real':
      return (value) => toNumber(value, false);
    case 'datetime':
      return datetimeTicks;
    case 'timespan':
      return timespanTicks;
    default:
      throw new TypeError(`Column type ${type} is not stored as numbers.`);
  }
}

function timespanTicks(value: unknown): number {
  if (typeof value === 'number') {
    return value;
  }
  return typeof value === 'string' ? orNaN(parseTimespan(value)) : NaN;
}

function orNaN(value: number | null): number {
  return value === null ? NaN : value;
}

function toNumber(value: unknown, whole: boolean): number {
  let number: number;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string') {
    const trimmedText = value.trim();
    number = trimmedText === '' ? NaN : Number(trimmedText);
  } else {
    return NaN;
  }
  return whole ? Math.trunc(number) : number;
}

/** Converts booleans, numbers and "true"/"false"/"1"/"0" text in any case; anything else is null. */
export function toBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    return value !== 0;
  }
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === '1') {
    return true;
  }
  if (text === 'false' || text === '0') {
    return false;
  }
  return null;
}

function datetimeTicks(value: unknown): number {
  if (typeof value === 'string') {
    const fast = parseIsoUtcTicks(value);
    return fast !== undefined ? fast : orNaN(parseDatetime(value));
  }
  if (typeof value === 'number') {
    return ticksFromEpochMs(value);
  }
  if (value instanceof Date) {
    const epochMs = value.getTime();
    return Number.isNaN(epochMs) ? NaN : ticksFromEpochMs(epochMs);
  }
  return NaN;
}

const ZERO = 48;
const SEPARATORS: ReadonlyArray<readonly [number, number]> = [
  [4, 45], // -
  [7, 45], // -
  [13, 58], // :
  [16, 58], // :
];

/**
 * Parses the datetime form that exports write, `2026-11-16T08:03:12.1234567Z`
 * (any number of fractional digits, `Z` or no zone), into ticks as
 * parseDatetime does. Returns NaN for a date or time of this form that does
 * not exist (2026-02-30), and undefined for any other form, so the caller
 * falls back to parseDatetime.
 */
export function parseIsoUtcTicks(text: string): number | undefined {
  const length = text.length;
  if (length < 19 || (text.charCodeAt(10) !== 84 && text.charCodeAt(10) !== 32)) {
    return undefined;
  }
  for (const [index, code] of SEPARATORS) {
    if (text.charCodeAt(index) !== code) {
      return undefined;
    }
  }

  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return undefined;
  }
  if (!isValidDateTime(year, month, day, hour, minute, second)) {
    return NaN;
  }

  let end = length;
  const last = text.charCodeAt(length - 1);
  if (last === 90 || last === 122) {
    end -= 1; // Z or z
  }

  let fractionTicks = 0;
  if (end > 19) {
    if (text.charCodeAt(19) !== 46 || end === 20) {
      return undefined;
    }
    for (let index = 20; index < end; index++) {
      const digit = text.charCodeAt(index) - ZERO;
      if (digit < 0 || digit > 9) {
        return undefined;
      }
      if (index < 27) {
        fractionTicks += digit * 10 ** (26 - index);
      }
    }
  }

  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(epochMs) ? NaN : ticksFromEpochMs(epochMs) + fractionTicks;
}

/** Reads `count` decimal digits at `start`, or returns -1 if one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let number = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) {
      return -1;
    }
    number = number * 10 + digit;
  }
  return number;
}

/** Returns the first `length` values; copies only when over a quarter of the buffer is unused. */
function trimmed<T extends Int32Array | Float64Array | Uint8Array>(values: T, length: number): T {
  return (length * 4 >= values.length * 3 ? values.subarray(0, length) : values.slice(0, length)) as T;
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
