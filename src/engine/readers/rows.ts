/** Building rows in the engine's input form from records keyed by column name. */
import type { ColumnSchema, TableSchema } from '../../schema/tables';
import { isValidDateTime } from '../values';
import type { UnreadableDatetimeSink } from './unreadableDatetimes';

/** Rows per batch handed to the table builder. */
export const BATCH_SIZE = 256;

/** A table schema with an index from column name to position, filled with each spelling of a name as it is seen. */
export interface RowLayout {
  readonly schema: TableSchema;
  /** Column position by name spelling; -1 for a spelling that is not a column. */
  readonly positions: Map<string, number>;
}

const layouts = new WeakMap<TableSchema, RowLayout>();

/** Maximum number of name spellings remembered per table. */
const MAX_REMEMBERED_NAMES = 2000;

/** Returns the layout of a table, built once per schema. */
export function rowLayout(schema: TableSchema): RowLayout {
  let layout = layouts.get(schema);
  if (!layout) {
    const positions = new Map<string, number>();
    schema.columns.forEach((column, index) => positions.set(column.name.toLowerCase(), index));
    schema.columns.forEach((column, index) => positions.set(column.name, index));
    layout = { schema, positions };
    layouts.set(schema, layout);
  }
  return layout;
}

/**
 * Builds a row from a record keyed by column name (any case). Keys that are
 * not columns of the table are ignored, and missing columns are null. With
 * `unreadable`, a datetime column's value that is not text (a JSON number or
 * object) is reported there at `line` and becomes null. Without it, such a
 * value is kept, and the table builder reads a number as milliseconds since
 * the Unix epoch.
 */
export function buildRow(
  layout: RowLayout,
  record: Readonly<Record<string, unknown>>,
  unreadable?: UnreadableDatetimeSink,
  line = 0,
): unknown[] {
  const row: unknown[] = new Array<unknown>(layout.schema.columns.length).fill(null);
  const columns = layout.schema.columns;
  for (const key in record) {
    const position = columnPosition(layout, key);
    if (position < 0) {
      continue;
    }
    const column = columns[position];
    const value = record[key];
    if (unreadable !== undefined && column.type === 'datetime' && isNonText(value)) {
      unreadable.add(line, column.name, value);
      continue;
    }
    row[position] = toInputValue(column, value);
  }
  return row;
}

function isNonText(value: unknown): boolean {
  return typeof value !== 'string' && value !== null && value !== undefined;
}

/** Returns the position of a column name in any case, or -1 for a name that is not a column. */
function columnPosition(layout: RowLayout, key: string): number {
  const known = layout.positions.get(key);
  if (known !== undefined) {
    return known;
  }
  const position = layout.positions.get(key.toLowerCase()) ?? -1;
  // Remember the spelling, including names that are not columns, so each is lowered once. The
  // cap keeps a file with ever-new field names from growing the index without bound.
  if (layout.positions.size < MAX_REMEMBERED_NAMES) {
    layout.positions.set(key, position);
  }
  return position;
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

/**
 * Returns ISO 8601 text for a datetime in the portal's display format. Other
 * text, and a display datetime that does not exist, is returned unchanged.
 */
export function normalizeDateTime(text: string): string {
  // ISO 8601 text has a dash at index 4, where the portal form has a digit, a slash or a comma.
  if (text.charCodeAt(4) === 0x2d) {
    return text;
  }
  const match = PORTAL_DATE_TIME.exec(text.trim());
  if (!match) {
    return text;
  }
  const [, month, day, year, hourText, minute, second, fraction, meridiem] = match;
  let hour = Number(hourText) % 12;
  if (meridiem.toUpperCase() === 'PM') {
    hour += 12;
  }
  if (Number(hourText) > 12 || !isValidDateTime(Number(year), Number(month), Number(day), hour, Number(minute), Number(second))) {
    return text;
  }
  const pad = (value: string | number) => String(value).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${minute}:${second}${fraction ?? ''}Z`;
}
