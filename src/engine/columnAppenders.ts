/**
 * Load-time column appenders: each takes values in the readers' input form
 * (see input.ts) for one column type and writes them straight into the
 * column's typed storage. They produce the same values as convertInput
 * followed by ColumnWriter.push, without an evaluator value per cell, except
 * that rows with equal dynamic values share one frozen value.
 */
import type { KustoColumnType } from '../schema/tables';
import { BOOL_NULL, type Column, type UnsettledText } from './columns';
import { DynamicAppender } from './dynamicAppender';
import { isValidDateTime, parseDatetime, parseTimespan, textOf, ticksFromEpochMs } from './values';

/**
 * The dictionary of one text column: each distinct text once, and its code.
 * Appenders that fill different row ranges of one column can share it, so
 * their codes mean the same texts.
 */
class TextDictionary {
  readonly texts: (string | null)[] = [];
  /**
   * Whether texts are added without a lookup, so entries may repeat. Set
   * once the first REPEAT_PROBE_ROWS rows turn out mostly distinct (ids).
   */
  repeats = false;
  /** Rows added through any appender of this dictionary, counted until the probe. */
  private rowsSeen = 0;
  /**
   * Codes by text. In a guid column it also maps each spelling as read to the
   * code of its lower-case text, so each spelling is lowered once.
   */
  readonly codeOf = new Map<string | null, number>();

  constructor(readonly lowerCase: boolean) {}

  /** Counts added rows and, when they reach REPEAT_PROBE_ROWS, decides whether to stop looking texts up. */
  noteRows(count: number): void {
    if (this.rowsSeen >= REPEAT_PROBE_ROWS) {
      return;
    }
    this.rowsSeen += count;
    if (this.rowsSeen >= REPEAT_PROBE_ROWS) {
      this.repeats = this.texts.length > this.rowsSeen / 2;
    }
  }

  /** Returns the code of null, which is the empty string in a string column and null in a guid column. */
  codeOfNull(): number {
    const empty = this.lowerCase ? null : '';
    return this.codeOf.get(empty) ?? this.add(empty);
  }

  codeOfNewText(text: string): number {
    if (!this.lowerCase) {
      return this.add(text);
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
    const added = this.add(lower);
    if (lower !== text) {
      this.codeOf.set(text, added);
    }
    return added;
  }

  private add(text: string | null): number {
    const code = this.texts.length;
    this.texts.push(text);
    this.codeOf.set(text, code);
    return code;
  }

  /** Adds a text as a new entry without looking it up, so the dictionary may repeat texts. */
  addRepeated(value: unknown): number {
    const text = typeof value === 'string' ? value : textOf(value);
    if (!this.lowerCase) {
      this.texts.push(text);
    } else {
      this.texts.push(text === '' ? null : text.toLowerCase());
    }
    return this.texts.length - 1;
  }
}

/**
 * Rows after which a text column checks its dictionary: when over half of
 * the rows brought a new text (ids), it stops looking texts up.
 */
const REPEAT_PROBE_ROWS = 4096;

/**
 * Dictionary-encoded text: one Int32 code per row. A column of mostly
 * distinct texts, such as ids, stops looking texts up after a probe, so its
 * dictionary may repeat entries. finish() returns it as it is, for another
 * thread that encodes it again, and finishEntry() as an UnsettledText that
 * the table makes unique when a query first reads it.
 */
export class TextAppender {
  private codes: Int32Array;
  private length = 0;
  private readonly words: TextDictionary;
  private lastText: string | undefined;
  private lastCode = -1;

  constructor(lowerCase: boolean, capacity: number, words?: TextDictionary) {
    this.codes = new Int32Array(capacity);
    this.words = words ?? new TextDictionary(lowerCase);
  }

  add(value: unknown): void {
    if (this.length === this.codes.length) {
      this.codes = reserve(this.codes, this.length, 1);
    }
    const words = this.words;
    words.noteRows(1);
    let code: number;
    if (value === null || value === undefined) {
      code = words.codeOfNull();
    } else {
      code = words.repeats ? words.addRepeated(value) : this.codeOfValue(value);
    }
    this.codes[this.length++] = code;
  }

  private codeOfValue(value: unknown): number {
    const text = typeof value === 'string' ? value : textOf(value);
    // Runs of one text (constant columns, rows of one user) skip hashing the text for the map.
    if (text === this.lastText) {
      return this.lastCode;
    }
    let known = this.words.codeOf.get(text);
    if (known === undefined) {
      known = this.words.codeOfNewText(text);
    }
    this.lastText = text;
    this.lastCode = known;
    return known;
  }

  /**
   * Appends the rows of a text column finished by an appender of the same
   * type, such as one in another thread: each of its dictionary entries is
   * looked up once, and its codes are translated to this dictionary's.
   */
  appendColumn(column: Column): void {
    if (column.kind !== 'dictionary') {
      throw new TypeError(`A text column cannot take a ${column.kind} column.`);
    }
    const { codes, dictionary } = column;
    const words = this.words;
    const translated = new Int32Array(dictionary.length);
    for (let code = 0; code < dictionary.length; code++) {
      const text = dictionary[code];
      if (text === null) {
        translated[code] = words.codeOfNull();
      } else {
        translated[code] = words.repeats ? words.addRepeated(text) : this.codeOfValue(text);
      }
    }
    // Counted after the lookups, so a probe that ends with this chunk counts the chunk's texts.
    words.noteRows(codes.length);
    this.codes = reserve(this.codes, this.length, codes.length);
    const target = this.codes;
    const offset = this.length;
    for (let row = 0; row < codes.length; row++) {
      target[offset + row] = translated[codes[row]];
    }
    this.length += codes.length;
  }

  /** Makes room for `extra` more rows in one allocation, when the caller knows how many will come. */
  reserveRows(extra: number): void {
    this.codes = reserveExactly(this.codes, this.length, extra);
  }

  /** Returns an appender for rows that follow all of this one's, with the same dictionary. */
  sibling(): TextAppender {
    return new TextAppender(this.words.lowerCase, 1024, this.words);
  }

  /** Appends the rows of a sibling, whose codes already refer to this dictionary. */
  appendRows(sibling: TextAppender): void {
    if (sibling.words !== this.words) {
      throw new TypeError('Only a sibling appender shares this dictionary.');
    }
    this.codes = withValuesAt(this.codes, this.length, sibling.codes.subarray(0, sibling.length));
    this.length += sibling.length;
  }

  /** Returns the column, whose dictionary may repeat entries when the probe found ids. */
  finish(): Column {
    return { kind: 'dictionary', codes: trimmed(this.codes, this.length), dictionary: this.words.texts };
  }

  /** Returns the column for a table: unsettled when its dictionary may repeat entries. */
  finishEntry(): Column | UnsettledText {
    const codes = trimmed(this.codes, this.length);
    return this.words.repeats ? { kind: 'unsettled', codes, texts: this.words.texts } : { kind: 'dictionary', codes, dictionary: this.words.texts };
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

  constructor(
    private readonly type: KustoColumnType,
    capacity: number,
  ) {
    this.values = new Float64Array(capacity);
    this.convert = numberConverter(type);
    this.keepsRejected = type === 'datetime';
  }

  add(value: unknown): void {
    if (this.length === this.values.length) {
      this.values = reserve(this.values, this.length, 1);
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

  /** Appends the rows of a number column finished by an appender of the same type. */
  appendColumn(column: Column): void {
    if (column.kind !== 'number') {
      throw new TypeError(`A number column cannot take a ${column.kind} column.`);
    }
    this.values = withValuesAt(this.values, this.length, column.values);
    this.length += column.values.length;
  }

  /** Makes room for `extra` more rows in one allocation, when the caller knows how many will come. */
  reserveRows(extra: number): void {
    this.values = reserveExactly(this.values, this.length, extra);
  }

  /** Returns an appender for rows that follow all of this one's. */
  sibling(): NumberAppender {
    return new NumberAppender(this.type, 1024);
  }

  /** Appends the rows of a sibling. */
  appendRows(sibling: NumberAppender): void {
    this.appendColumn({ kind: 'number', values: sibling.values.subarray(0, sibling.length) });
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
      this.values = reserve(this.values, this.length, 1);
    }
    const bool = value === null || value === undefined || value === '' ? null : toBool(value);
    let stored = BOOL_NULL;
    if (bool !== null) {
      stored = bool ? 1 : 0;
    }
    this.values[this.length++] = stored;
  }

  /** Appends the rows of a bool column finished by another appender. */
  appendColumn(column: Column): void {
    if (column.kind !== 'bool') {
      throw new TypeError(`A bool column cannot take a ${column.kind} column.`);
    }
    this.values = withValuesAt(this.values, this.length, column.values);
    this.length += column.values.length;
  }

  /** Returns an appender for rows that follow all of this one's. */
  sibling(): BoolAppender {
    return new BoolAppender(1024);
  }

  /** Makes room for `extra` more rows in one allocation, when the caller knows how many will come. */
  reserveRows(extra: number): void {
    this.values = reserveExactly(this.values, this.length, extra);
  }

  /** Appends the rows of a sibling. */
  appendRows(sibling: BoolAppender): void {
    this.appendColumn({ kind: 'bool', values: sibling.values.subarray(0, sibling.length) });
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

/** Writes `more` after the first `length` values, into `values` or, where it lacks room, a larger copy; returns the array written. */
function withValuesAt<T extends Int32Array | Float64Array | Uint8Array>(values: T, length: number, more: T): T {
  const target = reserve(values, length, more.length);
  target.set(more, length);
  return target;
}

/** Returns `values`, or a copy of its first `length` values with room for exactly `extra` more. */
function reserveExactly<T extends Int32Array | Float64Array | Uint8Array>(values: T, length: number, extra: number): T {
  if (length + extra <= values.length) {
    return values;
  }
  const larger = new (values.constructor as new (size: number) => T)(length + extra);
  larger.set(values.subarray(0, length));
  return larger;
}

/** Returns `values`, or a larger copy of its first `length` values, with room for `extra` more. */
function reserve<T extends Int32Array | Float64Array | Uint8Array>(values: T, length: number, extra: number): T {
  if (length + extra <= values.length) {
    return values;
  }
  const larger = new (values.constructor as new (size: number) => T)(Math.max(values.length * 2, length + extra));
  larger.set(values.subarray(0, length));
  return larger;
}
