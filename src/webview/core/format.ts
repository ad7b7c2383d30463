/** Text forms of cells: for display in the grid, and for copy and export. */
import type { CellValue, DateTimeValue } from '../../results/model';
import { isoFromParts } from './columnar';

export type TimeZoneMode = 'utc' | 'local';

/** Returns true for a datetime cell. */
export function isDateTimeCell(cell: CellValue): cell is DateTimeValue {
  return typeof cell === 'object' && cell !== null && cell.kind === 'datetime';
}

/**
 * Returns the canonical text of a cell for copy, export and filtering:
 * datetimes as ISO 8601 UTC with seven fractional digits, dynamic values as
 * compact JSON, booleans as `true`/`false`, and null as the empty string.
 * Callers that must tell null from the empty string check for null first.
 */
export function cellText(cell: CellValue): string {
  if (cell === null) {
    return '';
  }
  if (typeof cell === 'string') {
    return cell;
  }
  if (typeof cell === 'number' || typeof cell === 'boolean') {
    return String(cell);
  }
  if (cell.kind === 'datetime') {
    return isoFromParts(cell.epochMs, cell.subMsTicks);
  }
  return JSON.stringify(cell.value) ?? 'null';
}

/**
 * Formats a datetime for the grid, always with its zone: `Z` for UTC, or the
 * local offset such as `+02:00`. `offsetMinutes` is minutes east of UTC at
 * that instant (the negative of Date#getTimezoneOffset).
 */
export function formatDateTime(cell: DateTimeValue, mode: TimeZoneMode, offsetMinutes = 0): string {
  if (mode === 'utc') {
    return isoFromParts(cell.epochMs, cell.subMsTicks);
  }
  const shifted = isoFromParts(cell.epochMs + offsetMinutes * 60_000, cell.subMsTicks).slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');
  return `${shifted}${sign}${hours}:${minutes}`;
}

/** Returns the local zone's offset in minutes east of UTC at an instant, from the runtime's time zone. */
export function localOffsetMinutes(epochMs: number): number {
  const offset = -new Date(epochMs).getTimezoneOffset();
  return offset === 0 ? 0 : offset;
}

/** Label the grid shows for Kusto's null, styled apart from the empty string. */
export const NULL_LABEL = 'null';

/** Returns the grid text of a cell and whether it is null. */
export function displayText(cell: CellValue, mode: TimeZoneMode): { text: string; isNull: boolean } {
  if (cell === null) {
    return { text: NULL_LABEL, isNull: true };
  }
  if (isDateTimeCell(cell)) {
    const offset = mode === 'local' ? localOffsetMinutes(cell.epochMs) : 0;
    return { text: formatDateTime(cell, mode, offset), isNull: false };
  }
  return { text: cellText(cell), isNull: false };
}

/**
 * Bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069), invisible characters (soft hyphen U+00AD,
 * U+180E, zero-width U+200B to U+200D, U+2060 to U+2064, U+FEFF) and C0/C1
 * control characters other than tab and line breaks. Attackers use them to
 * make a file name, user name or command line read as something it is not.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern.
const HIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Replaces each line break (CRLF, CR or LF) with ⏎ and each tab with ⇥ for
 * display in a one-line grid cell. Without the markers the cell shows only
 * the first line, and a leading tab shifts the text out of line with its
 * column. Row details, copy and export keep the original text.
 */
export function markLineBreaksAndTabs(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '⏎').replace(/\t/g, '⇥');
}

/**
 * Replaces hidden control characters with a visible `⟨U+XXXX⟩` marker. The
 * grid, lens titles, Markdown reports, the CLI's table and stderr and the log
 * channel use it; CSV and TSV copies and exports keep the original text.
 */
export function revealControls(text: string): string {
  return text.replace(HIDDEN_CONTROLS, (character) => `⟨U+${hexCode(character)}⟩`);
}

/**
 * Writes each hidden control character in JSON text as a `\uXXXX` escape.
 * JSON.stringify leaves bidirectional and invisible characters raw inside
 * strings, where they reorder the text a viewer shows. Outside strings JSON
 * text holds none of them, so the result parses to the same value.
 */
export function escapeControlsInJson(json: string): string {
  return json.replace(HIDDEN_CONTROLS, (character) => `\\u${hexCode(character)}`);
}

function hexCode(character: string): string {
  return character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}
