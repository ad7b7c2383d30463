/** Building rows in the engine's input form from records keyed by column name. */
import type { ColumnSchema, TableSchema } from '../../schema/tables';

/** Rows per batch handed to the table builder. */
export const BATCH_SIZE = 2000;

/** A table schema with a case-insensitive index from column name to position. */
export interface RowLayout {
  readonly schema: TableSchema;
  /** Column position by lower-case name. */
  readonly positions: ReadonlyMap<string, number>;
  /** Column position by a record key exactly as seen (-1 when the key is not a column), filled as keys are met. */
  readonly keyPositions: Map<string, number>;
}

/** Bounds the exact-key cache of a layout, so records with ever-new keys cannot grow it without end. */
const MAX_CACHED_KEYS = 4096;

const layouts = new WeakMap<TableSchema, RowLayout>();

/** Returns the layout of a table, built once per schema. */
export function rowLayout(schema: TableSchema): RowLayout {
  let layout = layouts.get(schema);
  if (!layout) {
    const positions = new Map<string, number>();
    schema.columns.forEach((column, index) => positions.set(column.name.toLowerCase(), index));
    layout = { schema, positions, keyPositions: new Map() };
    layouts.set(schema, layout);
  }
  return layout;
}

/**
 * Builds a row from a record keyed by column name (any case). Keys that are
 * not columns of the table are ignored, and missing columns are null.
 */
export function buildRow(layout: RowLayout, record: Readonly<Record<string, unknown>>): unknown[] {
  const row: unknown[] = new Array<unknown>(layout.schema.columns.length).fill(null);
  for (const key of Object.keys(record)) {
    // Records of one export repeat the same few keys, so the exact key is looked up first and lower-cased only once.
    let position = layout.keyPositions.get(key);
    if (position === undefined) {
      position = layout.positions.get(key.toLowerCase()) ?? -1;
      if (layout.keyPositions.size < MAX_CACHED_KEYS) {
        layout.keyPositions.set(key, position);
      }
    }
    if (position >= 0) {
      row[position] = toInputValue(layout.schema.columns[position], record[key]);
    }
  }
  return row;
}

/**
 * Converts one value to the input form of its column: objects and arrays in
 * a text column become JSON text (AuthenticationDetails, and Status in
 * AADNonInteractiveUserSignInLogs), and datetime text in the Log Analytics
 * portal's display format becomes ISO 8601.
 */
export function toInputValue(column: ColumnSchema, value: unknown): unknown {
  if (value === undefined || value === null) {
    return null;
  }
  if ((column.type === 'string' || column.type === 'guid') && typeof value === 'object') {
    return JSON.stringify(value);
  }
  if (column.type === 'datetime' && typeof value === 'string') {
    return normalizeDateTime(value);
  }
  return value;
}

/** Returns text for a scalar (string, number, boolean) and JSON text for anything else but null. */
export function scalarText(value: unknown): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : JSON.stringify(value);
}

/** "11/16/2026, 8:03:12.123 AM", the datetime format of a Log Analytics portal CSV export. */
const PORTAL_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(\.\d+)? ?(AM|PM)$/i;

/** Returns ISO 8601 text for a datetime in the portal's display format; other text is returned unchanged. */
export function normalizeDateTime(text: string): string {
  const match = PORTAL_DATE_TIME.exec(text.trim());
  if (!match) {
    return text;
  }
  const [, month, day, year, hourText, minute, second, fraction, meridiem] = match;
  let hour = Number(hourText) % 12;
  if (meridiem.toUpperCase() === 'PM') {
    hour += 12;
  }
  const pad = (value: string | number) => String(value).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${minute}:${second}${fraction ?? ''}Z`;
}
