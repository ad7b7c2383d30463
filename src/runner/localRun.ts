/**
 * Converts the local engine's result or error into the shared results model
 * and the message shown to the user. Pure, so it is unit-tested.
 */
import type { DataSummary, WorkerToHost } from '../engine/workerProtocol';
import { CANCELLED_CODE, type QueryResult, type ServiceError } from '../results/model';
import { countOf } from './countText';
import { allTablesRead, emptyTableWarnings, mayHaveUnreadableDatetimes, PROBLEMS_IN_EXTENSION, rowsWithoutTimeWarnings, SETTING_FIX, staleDataWarning, unfinishedCopyWarnings } from './localDataNotes';
import { relocateError, type QueryStart } from './positions';
import type { RunContext } from './shape';
import { readableSyntaxNames } from './syntaxNames';

/** Problems quoted in the results header; the rest are counted. */
const QUOTED_PROBLEMS = 3;

/** Names the palette command that opens the log, for messages that send the user there. */
export const SHOW_LOG_HINT = 'run Hunt Lens: Show Log';

export interface LocalOutcome {
  result: QueryResult;
  message: string;
  /**
   * Warnings about what the data covers for this run (files that changed while
   * read, tables that no file provided, old data, rows without a time), also
   * in result.warnings, for the log.
   */
  coverage: string[];
  /** True when the message refers to more data problems in the Hunt Lens log, so its notification offers Show Log. */
  problemsInLog: boolean;
}

/**
 * Builds the result and the message of a local run. With `start`, error
 * positions are counted in the file from there instead of in the query text.
 */
export function localOutcome(answer: WorkerToHost, context: RunContext, folderLabel: string, start?: QueryStart): LocalOutcome {
  const warnings = answer.data ? dataWarnings(answer.data) : [];
  if (answer.type === 'result') {
    const data = answer.data;
    const tablesRead = answer.result.tablesRead ?? [];
    const unfinished = unfinishedCopyWarnings(data.changedFiles, data.unfinishedFiles);
    const stale = staleDataWarning(allTablesRead(answer.result), data.times, answer.now, answer.clockNow, SETTING_FIX);
    const coverage = [
      ...unfinished,
      ...emptyTableWarnings(tablesRead, data),
      ...(stale === undefined ? [] : [stale]),
      ...rowsWithoutTimeWarnings(allTablesRead(answer.result), data.times, PROBLEMS_IN_EXTENSION, mayHaveUnreadableDatetimes(data)),
    ];
    const result: QueryResult = {
      ...context,
      status: 'Success',
      tables: answer.result.tables,
      visualization: answer.result.visualization,
      statistics: { now: answer.now, loadedTables: data.tables, loadMs: answer.loaded ? data.loadMs : 0, dataRead: answer.loaded },
      warnings,
    };
    if (data.tables.length === 0) {
      warnings.push(`No export files were read from ${folderLabel}. Put exported sign-in logs there, or set huntLens.localData.folder.`);
    }
    warnings.push(...coverage);
    const inLog = problemsOnlyInLog(data);
    const notes = inLog > 0 ? [...unfinished, inLogNote(inLog)] : unfinished;
    const finished = `Query on local data finished; now() was ${answer.now}`;
    const message = notes.length === 0 ? finished : `${finished}. ${notes.join(' ')}`;
    return { result, message, coverage, problemsInLog: inLog > 0 };
  }
  if (answer.error.code === 'cancelled') {
    const error: ServiceError = { code: CANCELLED_CODE, message: 'The query was cancelled by the user.' };
    return { result: { ...context, status: 'Failure', tables: [], error, warnings }, message: 'Query on local data cancelled.', coverage: [], problemsInLog: false };
  }
  const raw: ServiceError = { code: errorCode(answer.error.code), message: readableSyntaxNames(answer.error.message) };
  if (answer.error.line !== undefined) {
    raw.line = answer.error.line;
    raw.column = answer.error.column;
  }
  const error = relocateError(raw, start);
  const { message, line, column } = error;
  const result: QueryResult = { ...context, status: 'Failure', tables: [], error, warnings };
  // The engine's messages usually name the position already.
  const where = line !== undefined && !message.includes(`line ${line}`) ? ` (line ${line}${column !== undefined ? `, column ${column}` : ''})` : '';
  return { result, message: `Query on local data failed: ${message}${where}`, coverage: [], problemsInLog: false };
}

/** Returns the number of data problems that the results header does not quote but the Hunt Lens log lists. */
function problemsOnlyInLog(data: DataSummary): number {
  return data.skipped === 0 ? 0 : Math.max(0, data.problems.length - QUOTED_PROBLEMS);
}

/** Returns the sentence that sends the user to the log for the data problems the results header does not quote. */
function inLogNote(inLog: number): string {
  return `${countOf(inLog, 'more data problem is', 'more data problems are')} in the Hunt Lens log than the results header quotes.`;
}

function errorCode(code: string): string {
  switch (code) {
    case 'unsupported':
      return 'NotSupportedLocally';
    case 'cancelled':
      return 'Cancelled';
    case 'limit':
      return 'LimitExceeded';
    case 'data':
      return 'DataNotReadable';
    case 'syntax':
      return 'SyntaxError';
    case 'semantic':
      return 'SemanticError';
    default:
      return 'LocalEngineError';
  }
}

/**
 * Problems in the local data, counted as skipped files, skipped lines and
 * cells in question, with the first ones quoted with file and line.
 */
export function dataWarnings(data: DataSummary): string[] {
  if (data.skipped === 0) {
    return [];
  }
  const quoted = data.problems.slice(0, QUOTED_PROBLEMS).map((problem) => `${problem.file}, line ${problem.line}: ${problem.message}`);
  const more = moreProblems(data, quoted.length);
  const counts = problemCounts(data.problems);
  const first = data.problems.length === 1 ? 'the first one' : `the first ${data.problems.length}`;
  const summary = data.skipped > data.problems.length ? `${countOf(data.skipped, 'problem')} (${first}: ${counts})` : counts;
  const onlyNotes = data.skipped === data.problems.length && data.problems.every((problem) => problem.kind === 'fileNote');
  const opening = onlyNotes ? 'Some of the local data was read with a caveat' : 'Some of the local data could not be read';
  return [`${opening}, ${summary}: ${quoted.join('; ')}${more}.`];
}

/**
 * Returns the tail of the warning for the problems it does not quote: those
 * the engine kept are in the Hunt Lens log, and the rest were only counted.
 */
function moreProblems(data: DataSummary, quoted: number): string {
  const inLog = data.problems.length - quoted;
  const onlyCounted = data.skipped - data.problems.length;
  const parts = [inLog > 0 ? `${inLog} more in the Hunt Lens log (${SHOW_LOG_HINT})` : '', onlyCounted > 0 ? `${onlyCounted} more only counted` : ''];
  const text = parts.filter((part) => part !== '').join(' and ');
  return text === '' ? '' : `; ${text}`;
}

/** Counts problems by what they affect, as in "2 files and 3 lines skipped, 1 note on files read whole, 1 cell in question". */
function problemCounts(problems: DataSummary['problems']): string {
  const count = (kind: string | undefined) => problems.filter((problem) => problem.kind === kind).length;
  const files = count('file');
  const lines = count(undefined);
  const cells = count('cell');
  const notes = count('fileNote');
  const skipped = [files > 0 ? countOf(files, 'file') : '', lines > 0 ? countOf(lines, 'line') : ''].filter((part) => part !== '');
  const parts = skipped.length > 0 ? [`${skipped.join(' and ')} skipped`] : [];
  if (notes > 0) {
    parts.push(`${countOf(notes, 'note')} on files read whole`);
  }
  if (cells > 0) {
    parts.push(`${countOf(cells, 'cell')} in question`);
  }
  return parts.join(', ');
}
