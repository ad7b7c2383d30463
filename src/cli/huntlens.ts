/**
 * `huntlens query`: runs KQL with the local engine over exported logs, with
 * no editor and no Azure, for scripts and benchmarks.
 *
 *   huntlens query --data <folder or file> [--data ...] (<query> | --file f.kql)
 *                  [--format table|csv|json] [--now now|newest|<ISO 8601>] [--max-rows N]
 *                  [--no-formula-guard]
 *   huntlens --help
 *
 * Exit codes: 0 success, 1 the query failed, 2 bad arguments or a --data path
 * that cannot be read. Problems inside the data go to stderr without changing
 * the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadKustoLanguage } from '../kusto/bridge';
import { EngineError, runQuery } from '../engine/index';
import { loadData } from '../engine/load';
import { dedupeDataPaths } from './dataPaths';
import type { ResultTable } from '../results/model';
import { severalBlocksNote } from '../runner/blockNotes';
import { summarizeTimes } from '../engine/tableTimes';
import { countOf } from '../runner/countText';
import { allTablesRead, CLI_FIX, emptyTableWarnings, mayHaveUnreadableDatetimes, PROBLEMS_IN_CLI, rowsWithoutTimeWarnings, staleDataWarning, unfinishedCopyWarnings } from '../runner/localDataNotes';
import { readableSyntaxNames } from '../runner/syntaxNames';
import { toCsv, toJson } from '../webview/core/export';
import { cellText, revealControls } from '../webview/core/format';

const USAGE = `Usage: huntlens query --data <folder or file> [--data ...] (<query> | --file <file.kql>)
                      [--format table|csv|json] [--now now|newest|<ISO 8601 instant>] [--max-rows N]
                      [--no-formula-guard]
Run huntlens --help for what each option sets.`;

const HELP = `huntlens query: runs KQL with the local engine over exported sign-in logs.

Usage: huntlens query --data <folder or file> [--data ...] (<query> | --file <file.kql>) [options]

  <query>               The KQL text, as one argument in quotes.
  --file <file.kql>     Read the query from a file instead. The whole file runs as one query.
  --data <path>         A folder of exports or one export file (JSON, JSON lines, CSV, gzip).
                        Repeat it to read several. Required.
  --format <format>     Output format: table (default), csv or json.
  --now <time>          What now() and ago() count from: now (the current time, default),
                        newest (the newest record in the data) or an ISO 8601 instant
                        such as 2026-11-29T00:00:00Z.
  --max-rows <N>        The most rows any step of the query may produce, a whole number
                        above zero (default 10000000).
  --no-formula-guard    Write CSV text cells as they are, without the leading quote that
                        stops a spreadsheet from running them as formulas.
  -h, --help            Print this help.

Exit codes: 0 success, 1 the query failed, 2 bad arguments or a --data path that
cannot be read (missing, or not a file or folder). Problems inside the data, such as
a skipped file, line or cell, are printed on stderr and do not change the exit code.
`;

/** True when any argument is --help or -h. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

type Format = 'table' | 'csv' | 'json';

export interface CliOptions {
  data: string[];
  query: string;
  format: Format;
  now: 'now' | 'newest' | number;
  maxRows: number;
  /** Whether CSV text cells that a spreadsheet would run as a formula get a leading quote, as the extension's export does by default. */
  guardFormulas: boolean;
}

/** Thrown for arguments the user must fix; the message names the value and the fix. */
export class UsageError extends Error {}

export function parseArguments(args: readonly string[]): CliOptions {
  if (args[0] !== 'query') {
    throw new UsageError(`Unknown command "${args[0] ?? ''}": the only command is "query".\n${USAGE}`);
  }
  const options: CliOptions = { data: [], query: '', format: 'table', now: 'now', maxRows: 10_000_000, guardFormulas: true };
  let file: string | undefined;
  const texts: string[] = [];
  for (let index = 1; index < args.length; index++) {
    const argument = args[index];
    const value = (): string => {
      const next = args[++index];
      if (next === undefined) {
        throw new UsageError(`${argument} needs a value.\n${USAGE}`);
      }
      return next;
    };
    switch (argument) {
      case '--data':
        options.data.push(value());
        break;
      case '--file':
        file = value();
        break;
      case '--format': {
        const format = value();
        if (format !== 'table' && format !== 'csv' && format !== 'json') {
          throw new UsageError(`Unknown format "${format}": use table, csv or json.`);
        }
        options.format = format;
        break;
      }
      case '--no-formula-guard':
        options.guardFormulas = false;
        break;
      case '--now':
        options.now = referenceTime(value());
        break;
      case '--max-rows': {
        const text = value();
        const rows = Number(text);
        if (!Number.isInteger(rows) || rows < 1) {
          throw new UsageError(`--max-rows "${text}" is not a whole number above zero.`);
        }
        options.maxRows = rows;
        break;
      }
      default:
        if (argument.startsWith('--')) {
          throw new UsageError(`Unknown option "${argument}".\n${USAGE}`);
        }
        texts.push(argument);
    }
  }
  if (options.data.length === 0) {
    throw new UsageError(`Say where the exported logs are with --data <folder or file>.\n${USAGE}`);
  }
  if (file !== undefined && texts.length > 0) {
    throw new UsageError('Give the query either as text or with --file, not both.');
  }
  if (file !== undefined) {
    if (!existsSync(file)) {
      throw new UsageError(`The query file "${file}" does not exist.`);
    }
    options.query = readFileSync(file, 'utf8');
  } else if (texts.length > 1) {
    throw new UsageError(
      `Got ${texts.length} query arguments (${texts.map((text) => JSON.stringify(text)).join(', ')}); pass the query as one argument in quotes, or put it in a file and use --file.`,
    );
  } else {
    options.query = texts[0] ?? '';
  }
  if (options.query.trim() === '') {
    throw new UsageError(`No query: pass the KQL text or --file <file.kql>.\n${USAGE}`);
  }
  return options;
}

function referenceTime(text: string): CliOptions['now'] {
  if (text === 'now' || text === 'newest') {
    return text;
  }
  const instant = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(instant)) {
    throw new UsageError(`--now "${text}" is not now, newest or an ISO 8601 instant such as 2026-11-29T00:00:00Z.`);
  }
  return instant;
}

/** Renders one result table in the chosen format. */
export function formatTable(table: ResultTable, format: Format, guardFormulas = true): string {
  if (format === 'csv') {
    return toCsv(table.columns, table.rows, { guardFormulas });
  }
  if (format === 'json') {
    return toJson(table.columns, table.rows);
  }
  // Log text may hold terminal escape sequences; the table shows them as markers.
  const cells = [table.columns.map((column) => column.name), ...table.rows.map((row) => row.map((cell) => revealControls(cellText(cell)).replace(/\r?\n/g, '⏎')))];
  const widths = table.columns.map((_column, index) => Math.min(60, Math.max(...cells.map((row) => row[index]?.length ?? 0))));
  const line = (row: string[]): string =>
    row
      .map((text, index) => {
        const width = widths[index] ?? 0;
        return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line), `(${table.rows.length} ${table.rows.length === 1 ? 'row' : 'rows'})`, ''].join('\n');
}

export async function main(args: readonly string[], out: (text: string) => void, writeError: (text: string) => void): Promise<number> {
  // Messages quote file names and log lines, which may hold terminal escapes or bidirectional characters.
  const err = (text: string): void => writeError(revealControls(text));
  if (wantsHelp(args)) {
    out(HELP);
    return 0;
  }
  let options: CliOptions;
  try {
    options = parseArguments(args);
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const kustoDirectory = path.join(__dirname, 'kusto');
  loadKustoLanguage(existsSync(kustoDirectory) ? kustoDirectory : undefined);
  let data;
  try {
    const dataPaths = await dedupeDataPaths(options.data);
    if (dataPaths.dropped.length > 0) {
      err(`Note: each file is read once, so these --data paths were left out because another --data path already reads them: ${dataPaths.dropped.join(', ')}\n`);
    }
    data = await loadData(dataPaths.paths);
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  for (const problem of data.problems) {
    err(`${problem.file}, line ${problem.line}: ${problem.message}\n`);
  }
  if (data.skipped > data.problems.length) {
    err(`${countOf(data.skipped - data.problems.length, 'more problem in the data is', 'more problems in the data are')} not shown.\n`);
  }
  for (const warning of unfinishedCopyWarnings(data.changedFiles, data.unfinishedFiles)) {
    err(`Warning: ${warning}\n`);
  }
  let now = Date.now();
  if (typeof options.now === 'number') {
    now = options.now;
  } else if (options.now === 'newest') {
    now = data.newestRecordMs ?? now;
  }
  const clockNow = options.now === 'now';
  try {
    const result = runQuery(data.database, options.query, { now, maxRows: options.maxRows });
    const tablesRead = result.tablesRead ?? [];
    const times = summarizeTimes(data.times);
    const stale = staleDataWarning(allTablesRead(result), times, new Date(now).toISOString(), clockNow, CLI_FIX);
    const warnings = [...emptyTableWarnings(tablesRead, data), ...(stale === undefined ? [] : [stale]), ...rowsWithoutTimeWarnings(allTablesRead(result), times, PROBLEMS_IN_CLI, mayHaveUnreadableDatetimes(data))];
    for (const warning of warnings) {
      err(`Warning: ${warning}\n`);
    }
    result.tables.forEach((table, index) => {
      if (result.tables.length > 1 && options.format === 'table') {
        out(`${index === 0 ? '' : '\n'}${table.name}\n`);
      }
      out(formatTable(table, options.format, options.guardFormulas));
    });
    return 0;
  } catch (error) {
    err(`${failureMessage(error, options.query)}\n`);
    return 1;
  }
}

/** The text of a failed query: the engine's message, its position, and a note when several blocks ran as one. */
export function failureMessage(error: unknown, query: string): string {
  const message = readableSyntaxNames(error instanceof Error ? error.message : String(error));
  // The engine's messages usually name the position already.
  const where = error instanceof EngineError && error.line !== undefined && !message.includes(`line ${error.line}`) ? ` (line ${error.line}, column ${error.column ?? 1})` : '';
  return `${message}${where}${severalBlocksNote(query)}`;
}

if (require.main === module) {
  void main(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  ).then((code) => {
    process.exitCode = code;
  });
}
