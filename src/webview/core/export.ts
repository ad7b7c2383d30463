/**
 * Copy and export formats: CSV (RFC 4180), tab-separated text, a Markdown
 * table and JSON. Every format takes the header and the rows as cells, so the
 * grid's copy commands and the extension's file export share one code path.
 */
import type { CellValue, ResultColumn } from '../../results/model';
import { cellText, escapeControlsInJson, revealControls } from './format';

export interface CsvOptions {
  /**
   * Whether to start the file with a UTF-8 byte order mark. RFC 4180 says
   * nothing about it and most tools (Python's csv module, pandas, jq, Kusto's
   * own ingestion) read it as part of the first header, so it is off by
   * default; Excel on Windows needs it to detect UTF-8.
   */
  byteOrderMark?: boolean;
  /**
   * Whether to prefix a quote character to text cells that start with `=`,
   * `+`, `-`, `@`, tab or carriage return, so a spreadsheet does not evaluate
   * attacker-controlled log text as a formula. Numbers are never prefixed.
   * Column names get the same guard, because `pivot` and `bag_unpack` turn
   * log values into column names.
   */
  guardFormulas?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** Plain decimal numbers, which a spreadsheet reads as numbers even with a sign. */
const NUMBER_TEXT = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Returns RFC 4180 CSV: CRLF line breaks, fields quoted when they contain a
 * comma, quote, CR or LF, quotes doubled. A null cell is an empty field and an
 * empty string is a quoted empty field (`""`), so the two stay distinct.
 */
export function toCsv(columns: readonly ResultColumn[], rows: Iterable<readonly CellValue[]>, options: CsvOptions = {}): string {
  const guardFormulas = options.guardFormulas ?? false;
  const lines = [columns.map((column) => csvField(guardedText(column.name, guardFormulas))).join(',')];
  for (const row of rows) {
    lines.push(row.map((cell) => csvCell(cell, guardFormulas)).join(','));
  }
  const body = lines.join('\r\n') + '\r\n';
  return options.byteOrderMark ? '\uFEFF' + body : body;
}

function csvCell(cell: CellValue, guardFormulas: boolean): string {
  if (cell === null) {
    return '';
  }
  if (cell === '') {
    return '""';
  }
  const text = cellText(cell);
  return csvField(typeof cell === 'string' ? guardedText(text, guardFormulas) : text);
}

/** Returns the text with a leading `'` when a spreadsheet would run it as a formula. */
function guardedText(text: string, guardFormulas: boolean): string {
  // A long beyond 2^53 arrives as decimal text; a negative one is a number, not a formula.
  return guardFormulas && FORMULA_START.test(text) && !NUMBER_TEXT.test(text) ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Returns tab-separated text as spreadsheets paste it: tabs and line breaks
 * inside a cell are written as `\t`, `\n` and `\r`, and backslashes are
 * doubled so the escape stays reversible. Null and the empty string are both
 * empty, because tab-separated text has no way to tell them apart.
 * NOTE: unlike CSV export, cells and column names get no formula guard, so
 * a spreadsheet that receives the paste may run text such as `=cmd|…`.
 */
export function toTsv(columns: readonly ResultColumn[] | undefined, rows: Iterable<readonly CellValue[]>): string {
  const lines: string[] = [];
  if (columns) {
    lines.push(columns.map((column) => tsvField(column.name)).join('\t'));
  }
  for (const row of rows) {
    lines.push(row.map((cell) => tsvField(cellText(cell))).join('\t'));
  }
  return lines.join('\n');
}

function tsvField(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * Returns a GitHub-flavoured Markdown table. Markdown punctuation in cells is
 * backslash-escaped so log text cannot add links, images, emphasis or HTML,
 * and bare URLs are broken up so renderers do not turn them into links (see
 * `breakAutolinks`). Line breaks become `<br>`. Hidden and bidirectional
 * characters become `⟨U+XXXX⟩` markers, because a ticket or chat that
 * renders the table would otherwise let them reorder the text. Null is
 * written as an italic _null_, which escaped cell text can never produce,
 * and an empty string as an empty cell.
 */
export function toMarkdown(columns: readonly ResultColumn[], rows: Iterable<readonly CellValue[]>): string {
  const header = `| ${columns.map((column) => markdownText(column.name)).join(' | ')} |`;
  const rule = `|${columns.map(() => ' --- ').join('|')}|`;
  const lines = [header, rule];
  for (const row of rows) {
    lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

function markdownCell(cell: CellValue): string {
  return cell === null ? '_null_' : markdownText(cellText(cell));
}

function markdownText(text: string): string {
  const escaped = revealControls(text).replace(/[\\`*_[\]|<>~&!]/g, (character) => `\\${character}`);
  return breakAutolinks(escaped).replace(/\r\n|\r|\n/g, '<br>');
}

/**
 * Escapes the colon of `scheme://` and the dot of `www.` in Markdown text, so
 * a GitHub-flavoured renderer does not make a bare URL from log data
 * clickable. This was checked with marked 18 in GFM mode. The rendered text
 * still reads `https://…`.
 * Call it after the punctuation escape, which would double the backslashes.
 * NOTE: bare e-mail addresses are left alone; GitHub shows them as mailto
 * links whose text is the address itself.
 */
export function breakAutolinks(markdown: string): string {
  return markdown.replace(/([A-Za-z][A-Za-z0-9+.-]*):(?=\/\/)/g, '$1\\:').replace(/\b(www)\.(?=\S)/gi, '$1\\.');
}

/**
 * Returns the rows as a JSON array of objects keyed by column name, datetimes
 * as ISO text and dynamic values as JSON, with hidden and bidirectional
 * characters as `\uXXXX` escapes. A repeated column name gets a
 * suffix (`Name_2`), so no column is lost, and every name, __proto__
 * included, becomes an ordinary key.
 */
export function toJson(columns: readonly ResultColumn[], rows: Iterable<readonly CellValue[]>): string {
  const keys = uniqueKeys(columns.map((column) => column.name));
  const objects: Array<Record<string, unknown>> = [];
  for (const row of rows) {
    const object: Record<string, unknown> = {};
    keys.forEach((key, index) => {
      Object.defineProperty(object, key, { value: jsonValue(row[index] ?? null), enumerable: true, writable: true, configurable: true });
    });
    objects.push(object);
  }
  return escapeControlsInJson(JSON.stringify(objects, null, 2)) + '\n';
}

/** Returns the names with a numeric suffix on each repeat, skipping suffixes that another column already uses. */
function uniqueKeys(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let suffix = 2; used.has(key); suffix++) {
      key = `${name}_${suffix}`;
    }
    used.add(key);
    return key;
  });
}

function jsonValue(cell: CellValue): unknown {
  if (cell === null || typeof cell !== 'object') {
    return cell;
  }
  return cell.kind === 'datetime' ? cellText(cell) : cell.value;
}
