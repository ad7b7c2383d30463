/** Detection of an export file's format from its first bytes, its first record and its name. */
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { LOG_ANALYTICS_TABLES } from '../../schema/logAnalytics';
import { SIGNIN_LOGS } from '../../schema/signInTables';
import type { TableSchema } from '../../schema/tables';
import { detectCsvDelimiter, type CsvDelimiter } from './csvRecoveringParser';
import { uniqueHeaders } from './csvRecords';
import { isDiagnosticRecord } from './diagnostic';
import { entraSignInTable, isEntraAuthDetailsCsv, isEntraSignInCsv } from './entraCsv';
import { graphSignInTable, isGraphSignIn } from './graphSignIns';
import { jsonLayoutOfHead, readJsonRecords, type JsonLayout, type JsonSkip } from './jsonRecords';
import { fileStem, readExportHead } from './source';

/**
 * The format of one export file, with the table it fills where the format has
 * only one. It also carries what the file's head showed (the separator of a
 * CSV file, the layout of a JSON file), so the readers do not read the head again.
 */
export type ExportFormat =
  | { readonly kind: 'logAnalyticsCsv'; readonly table: TableSchema; readonly delimiter: CsvDelimiter }
  | { readonly kind: 'logAnalyticsJson'; readonly table: TableSchema; readonly layout: JsonLayout }
  | { readonly kind: 'entraCsv'; readonly table: TableSchema; readonly delimiter: CsvDelimiter }
  | { readonly kind: 'entraAuthDetailsCsv'; readonly delimiter: CsvDelimiter }
  /** Graph signIn JSON, also the Entra admin center JSON download; `table` is used where isInteractive is missing. */
  | { readonly kind: 'graphJson'; readonly table: TableSchema; readonly layout: JsonLayout }
  | { readonly kind: 'diagnosticJson'; readonly layout: JsonLayout };

/** Either a detected format or the reason the file is not a readable export. */
export type Detection = { readonly format: ExportFormat } | { readonly problem: string };

/** Minimum share of a file's columns that must be columns of a table for the file to be read as that table. */
const MIN_MATCHING_SHARE = 0.5;

/** Detects the format of an export file. */
export async function detectExportFormat(file: string): Promise<Detection> {
  const head = await readExportHead(file);
  const first = head.trimStart()[0];
  if (first === undefined) {
    return { problem: 'the file is empty' };
  }
  return first === '[' || first === '{' ? detectJson(file, jsonLayoutOfHead(head)) : detectCsv(file, head);
}

function detectCsv(file: string, head: string): Detection {
  const delimiter = detectCsvDelimiter(head);
  let headerRow: string[];
  try {
    const rows: string[][] = parse(head, { to_line: 1, relax_quotes: true, relax_column_count: true, bom: true, delimiter });
    headerRow = rows[0] ?? [];
  } catch (error) {
    return { problem: `the first line is not a CSV header: ${(error as Error).message}` };
  }
  const headers = uniqueHeaders(headerRow);
  if (isEntraAuthDetailsCsv(headers)) {
    return { format: { kind: 'entraAuthDetailsCsv', delimiter } };
  }
  if (isEntraSignInCsv(headers)) {
    return { format: { kind: 'entraCsv', table: entraSignInTable(basename(file)), delimiter } };
  }
  const table = tableFromFileName(file) ?? tableFromColumns(headers);
  if (table) {
    return { format: { kind: 'logAnalyticsCsv', table, delimiter } };
  }
  return { problem: unknownTableMessage('columns', headers) };
}

async function detectJson(file: string, layout: JsonLayout): Promise<Detection> {
  let first: Record<string, unknown> | undefined;
  let firstProblem: string | undefined;
  const onSkip = (skip: JsonSkip): void => {
    if (skip.kind === undefined) {
      firstProblem ??= skip.message;
    }
  };
  for await (const batch of readJsonRecords(file, onSkip, undefined, layout)) {
    first = batch[0]?.value;
    break;
  }
  if (first === undefined) {
    return { problem: firstProblem ?? 'the file holds no JSON records' };
  }
  if (isDiagnosticRecord(first)) {
    return { format: { kind: 'diagnosticJson', layout } };
  }
  if (isGraphSignIn(first)) {
    const fallback = /noninteractive/i.test(basename(file)) ? graphSignInTable({ isInteractive: false }, SIGNIN_LOGS) : SIGNIN_LOGS;
    return { format: { kind: 'graphJson', table: fallback, layout } };
  }
  const keys = Object.keys(first);
  const table = tableFromFileName(file) ?? tableByName(first.Type) ?? tableFromColumns(keys);
  if (table) {
    return { format: { kind: 'logAnalyticsJson', table, layout } };
  }
  return { problem: unknownTableMessage('fields', keys) };
}

/** Returns the table whose name starts the file name, the longest first: `SigninLogs_2026-11.csv` is SigninLogs. */
export function tableFromFileName(file: string): TableSchema | undefined {
  const stem = fileStem(basename(file)).toLowerCase();
  return [...LOG_ANALYTICS_TABLES]
    .sort((a, b) => b.name.length - a.name.length)
    .find((table) => stem.startsWith(table.name.toLowerCase()));
}

function tableByName(name: unknown): TableSchema | undefined {
  return typeof name === 'string' ? LOG_ANALYTICS_TABLES.find((table) => table.name.toLowerCase() === name.toLowerCase()) : undefined;
}

/** Returns the table that has the most of the given columns, if they are mostly its columns. */
function tableFromColumns(names: readonly string[]): TableSchema | undefined {
  const lowerNames = names.map((name) => name.toLowerCase());
  let best: { table: TableSchema; matches: number } | undefined;
  for (const table of LOG_ANALYTICS_TABLES) {
    const columns = new Set(table.columns.map((column) => column.name.toLowerCase()));
    const matches = lowerNames.filter((name) => columns.has(name)).length;
    if (!best || matches > best.matches) {
      best = { table, matches };
    }
  }
  if (!best || best.matches < 3 || best.matches < lowerNames.length * MIN_MATCHING_SHARE) {
    return undefined;
  }
  return best.table;
}

function unknownTableMessage(what: string, names: readonly string[]): string {
  const shown = names.slice(0, 6).join(', ');
  return (
    `no known table or export format matches the ${what} (${shown}${names.length > 6 ? ', ...' : ''}). ` +
    'Name the file after its table, for example SigninLogs.csv or AuditLogs.json.'
  );
}
