/**
 * The load-time appender of dynamic columns. Rows with the same JSON value
 * share one frozen value, as text columns share one string per distinct text.
 */
import type { Column } from './columns';
import { parseDynamicText } from './values';

/** Dynamic values seen before interning is judged for a column. */
const INTERN_PROBE_VALUES = 4096;

/** Interning stops for a column where more than this share of the probed values were distinct. */
const MAX_INTERN_DISTINCT_SHARE = 0.5;

/** Shared objects kept per first-property value; further distinct objects are looked up by their JSON text. */
const MAX_CANDIDATES = 8;

/**
 * Dynamic values, one per row. An object is looked up among the shared
 * objects whose first property has the same value, and compared in full,
 * which costs less than serializing it. Text, arrays and objects without a
 * primitive first property are looked up by JSON text. A column whose first
 * values are mostly distinct (per-row ids inside the JSON) stops interning,
 * because the maps would cost more than they save.
 */
export class DynamicAppender {
  private values: unknown[] = [];

  constructor(private readonly interner = new DynamicInterner()) {}

  add(value: unknown): void {
    const interner = this.interner;
    if (interner.interning && this.values.length === INTERN_PROBE_VALUES && interner.distinct > INTERN_PROBE_VALUES * MAX_INTERN_DISTINCT_SHARE) {
      interner.stop();
    }
    this.values.push(this.dynamicOf(value));
  }

  private dynamicOf(value: unknown): unknown {
    if (value === null || value === undefined || value === '') {
      return null;
    }
    if (typeof value !== 'string' && typeof value !== 'object') {
      return value;
    }
    if (!this.interner.interning) {
      return typeof value === 'string' ? parseDynamicText(value) : value;
    }
    return typeof value === 'string' ? this.interner.sharedText(value) : this.interner.sharedValue(value);
  }

  /**
   * Appends the rows of a dynamic column finished by another appender, such
   * as one in another thread whose values arrived as copies. Each distinct
   * object is interned here (or frozen, where interning has stopped) once, and
   * the rows that shared it share the result.
   */
  appendColumn(column: Column): void {
    if (column.kind !== 'dynamic') {
      throw new TypeError(`A dynamic column cannot take a ${column.kind} column.`);
    }
    const own = new Map<object, unknown>();
    for (const value of column.values) {
      if (typeof value !== 'object' || value === null) {
        this.values.push(value);
        continue;
      }
      let shared = own.get(value);
      if (shared === undefined) {
        shared = this.interner.interning ? this.interner.sharedValue(value) : value;
        deepFreeze(shared);
        own.set(value, shared);
      }
      this.values.push(shared);
    }
  }

  /** Returns an appender for rows that follow all of this one's, sharing its interned values. */
  sibling(): DynamicAppender {
    return new DynamicAppender(this.interner);
  }

  /** Appends the rows of a sibling. */
  appendRows(sibling: DynamicAppender): void {
    this.values = this.values.concat(sibling.values);
  }

  finish(): Column {
    this.interner.stop();
    return { kind: 'dynamic', values: this.values };
  }
}

/** The shared values of one dynamic column, for the appenders that fill its parts. */
class DynamicInterner {
  interning = true;
  distinct = 0;
  /** Shared values by JSON text: the text as read, or JSON.stringify of an object. */
  private readonly byText = new Map<string, unknown>();
  /** Shared objects by the value of their first property. */
  private readonly byFirstValue = new Map<unknown, unknown[]>();

  stop(): void {
    this.interning = false;
    this.byText.clear();
    this.byFirstValue.clear();
  }

  /** Returns the shared value of a JSON text. */
  sharedText(text: string): unknown {
    let shared = this.byText.get(text);
    if (shared === undefined) {
      shared = this.sharedValue(parseDynamicText(text));
      this.byText.set(text, shared);
    }
    return shared;
  }

  /** Returns the shared value equal to a parsed value, which becomes the shared one when it is new. */
  sharedValue(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    const first = firstPropertyValue(value);
    if (first !== undefined) {
      const candidates = this.byFirstValue.get(first);
      if (candidates === undefined) {
        this.byFirstValue.set(first, [this.share(value)]);
        return value;
      }
      for (const candidate of candidates) {
        if (sameJson(candidate, value)) {
          return candidate;
        }
      }
      if (candidates.length < MAX_CANDIDATES) {
        candidates.push(this.share(value));
        return value;
      }
    }
    const key = JSON.stringify(value);
    let shared = this.byText.get(key);
    if (shared === undefined) {
      shared = this.share(value);
      this.byText.set(key, shared);
    }
    return shared;
  }

  private share(value: object): object {
    this.distinct += 1;
    deepFreeze(value);
    return value;
  }
}

/** Returns the value of a plain object's first property when it is a string, number or boolean. */
function firstPropertyValue(value: object): string | number | boolean | undefined {
  if (Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    return undefined;
  }
  for (const key in value) {
    const first = (value as Record<string, unknown>)[key];
    return typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean' ? first : undefined;
  }
  return undefined;
}

/**
 * Returns whether two JSON values have the same JSON text: equal primitives, arrays
 * of the same elements, and plain objects with the same keys in the same
 * order. Distinct objects of other classes (a Date, say) are never the same.
 */
export function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) {
    return true;
  }
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && sameElements(left, right);
  }
  if (Object.getPrototypeOf(left) !== Object.prototype || Object.getPrototypeOf(right) !== Object.prototype) {
    return false;
  }
  const leftKeys = Object.keys(left);
  let index = 0;
  for (const key in right) {
    if (key !== leftKeys[index] || !sameJson((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key])) {
      return false;
    }
    index += 1;
  }
  return index === leftKeys.length;
}

function sameElements(left: readonly unknown[], right: readonly unknown[]): boolean {
  if (left.length !== right.length) {
    return false;
  }
  for (let index = 0; index < left.length; index++) {
    if (!sameJson(left[index], right[index])) {
      return false;
    }
  }
  return true;
}

/**
 * Freezes a parsed JSON value and everything inside it. Rows share interned
 * values, so an evaluator step that changed one in place would change every
 * row that contains it. A frozen value makes such a step throw instead.
 */
function deepFreeze(value: unknown): void {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
}
