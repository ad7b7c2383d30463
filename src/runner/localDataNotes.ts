/**
 * Warnings about what the local data covers: tables a query read that no
 * file provided, data that ends long before now(), rows without a time, and
 * files that may be copies still being written. Each warning about a table goes
 * only with the results of queries that read that table. The extension's
 * results header and log and the CLI's stderr show the same text. Pure, so
 * it is unit-tested.
 */
import type { ReadProblem } from '../engine/input';
import type { TableTimesSummary } from '../engine/workerProtocol';
import { countOf } from './countText';

/** The part of a hunt that each bundled Log Analytics table's rows cover, for the advice to export that table. */
const TABLE_USES: Readonly<Record<string, string>> = {
  SigninLogs: 'to cover the interactive sign-ins, which hold the MFA prompts and the approval',
  AADNonInteractiveUserSignInLogs: 'to cover the token refreshes and app sign-ins of the session after the approval',
  AuditLogs: 'to cover the steps after the approval, such as an MFA method registered for the attacker',
  OfficeActivity: 'to cover the mailbox access and inbox rules after the approval',
  CloudAppEvents: 'to cover the cloud app activity after the approval',
  AADUserRiskEvents: 'to cover the fraud reports and risk detections',
  IdentityInfo: 'to cover the account details of the users',
  BehaviorAnalytics: 'to cover the scores of unusual activity',
};

/** Data whose newest record is more than this far before now() gets a warning, in ms (one day). */
export const STALE_DATA_MS = 24 * 60 * 60 * 1000;

/** Advice to the extension's user that makes now() the newest record. */
export const SETTING_FIX = 'Set huntLens.localData.referenceTime to newestRecord so that now() is the newest record.';

/** Advice to the CLI's user that makes now() the newest record. */
export const CLI_FIX = 'Pass --now newest so that now() is the newest record.';

/** The sentence that points the extension's user to the data problems that name files and lines. */
export const PROBLEMS_IN_EXTENSION = 'The data problems in the results header and the Hunt Lens log name the files and lines of the unreadable values.';

/** The sentence that points the CLI's user to the data problems that name files and lines. */
export const PROBLEMS_IN_CLI = 'The data problems printed above name the files and lines of the unreadable values.';

/** The tables of the local data: rows per table that a file provided, and the bundled tables that no file provided. */
export interface TableCoverage {
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>;
  readonly missingTables: readonly string[];
}

/**
 * Returns every table a run read, by name or as a member of a wildcard union,
 * for the warnings about the rows it read: old data and rows without a time.
 * The warnings about empty tables take only the tables named, because `union *`
 * also reads every empty table on purpose.
 */
export function allTablesRead(result: { readonly tablesRead?: readonly string[]; readonly tablesReadByWildcard?: readonly string[] }): string[] {
  return [...new Set([...(result.tablesRead ?? []), ...(result.tablesReadByWildcard ?? [])])].sort();
}

/**
 * Returns one warning for each table the query read that has no rows:
 * either no file provided it, or the files that declare it (a Graph sign-in
 * export declares both sign-in tables, say) held none of its rows.
 */
export function emptyTableWarnings(tablesRead: readonly string[], coverage: TableCoverage): string[] {
  const missing = new Set(coverage.missingTables);
  const withoutRows = new Set(coverage.tables.filter((table) => table.rows === 0).map((table) => table.name));
  return tablesRead
    .filter((table) => missing.has(table) || withoutRows.has(table))
    .map((table) => {
      const use = TABLE_USES[table] ?? 'if the query needs its rows';
      const cause = missing.has(table) ? 'no file in the local data provides this table' : 'the files in the local data hold no rows of this table';
      return `${table}: ${cause}, so it is empty here. Export ${table} too ${use}.`;
    });
}

/**
 * Returns a warning when now() is the wall clock and the newest record of
 * the tables the query read is more than a day older. Hunts that count back
 * from now() with ago() then see little or none of the data. `now` and the
 * tables' newest records are ISO 8601 text.
 */
export function staleDataWarning(
  tablesRead: readonly string[],
  times: readonly TableTimesSummary[],
  now: string,
  clockNow: boolean,
  fix: string,
): string | undefined {
  const read = new Set(tablesRead);
  const dated = times.filter((entry) => read.has(entry.table) && entry.newestRecord !== undefined);
  if (!clockNow || dated.length === 0) {
    return undefined;
  }
  const newestRecord = dated.map((entry) => entry.newestRecord as string).reduce((newest, time) => (Date.parse(time) > Date.parse(newest) ? time : newest));
  const age = Date.parse(now) - Date.parse(newestRecord);
  if (!(age > STALE_DATA_MS)) {
    return undefined;
  }
  const days = Math.floor(age / STALE_DATA_MS);
  const tables = dated.map((entry) => entry.table).join(', ');
  return (
    `The newest record of ${tables} in the local data is from ${newestRecord}, ${countOf(days, 'day')} before now() (${now}, the current time), ` +
    `so hunts that look back from now() with ago() may miss the data. ${fix}`
  );
}

/**
 * Returns whether the readers may have reported a datetime value they could
 * not read: one of the kept problems is such a value, or some problems were
 * only counted, so their kind is unknown.
 */
export function mayHaveUnreadableDatetimes(data: { readonly problems: readonly ReadProblem[]; readonly skipped: number }): boolean {
  const quoted = data.problems.some((problem) => problem.kind === 'cell' && /datetime.* could not be read/.test(problem.message));
  return quoted || data.skipped > data.problems.length;
}

/**
 * Returns one warning for each table the query read that has rows without a
 * time (an empty or unreadable TimeGenerated is null), because every time
 * filter, ago() included, skips those rows. Without `unreadableReported`,
 * the readers reported no unreadable datetime, so every such cell was empty
 * and the warning names that cause and no list. Otherwise `problemsAt` is the
 * sentence that points to the list of unreadable values.
 */
export function rowsWithoutTimeWarnings(
  tablesRead: readonly string[],
  times: readonly TableTimesSummary[],
  problemsAt: string,
  unreadableReported: boolean,
): string[] {
  const read = new Set(tablesRead);
  return times
    .filter((entry) => read.has(entry.table) && entry.rowsWithoutTime > 0)
    .map((entry) => {
      const one = entry.rowsWithoutTime === 1;
      const rows = `${entry.table}: ${countOf(entry.rowsWithoutTime, 'row has', 'rows have')} no ${entry.column}`;
      const skips = `every filter on ${entry.column}, such as ago() or between(), skips ${one ? 'it' : 'them'}.`;
      if (!unreadableReported) {
        return `${rows} because the cell was empty, so ${skips}`;
      }
      // NOTE: the readers do not count unreadable values per table and column, so empty cells and unreadable values are not counted apart.
      return `${rows}: the cell was empty (which is not reported) or held a value that could not be read as a datetime, so ${skips} ${problemsAt}`;
    });
}

/** The advice for a file that may be a copy still being written. */
const RUN_AGAIN = 'Run the query again once the copy has finished: the next run reads the files again.';

/**
 * Returns the warnings about files whose rows may be only the part written
 * so far (a large export still being copied, say): files that changed while
 * they were read, and files that look like a paused copy (see LoadedData.unfinishedFiles).
 */
export function unfinishedCopyWarnings(changedFiles: readonly string[], unfinishedFiles: readonly string[]): string[] {
  const warnings: string[] = [];
  if (changedFiles.length > 0) {
    const one = changedFiles.length === 1;
    const subject = one ? `The file ${changedFiles[0]} changed` : `The files ${changedFiles.join(', ')} changed`;
    warnings.push(`${subject} while ${one ? 'it was' : 'they were'} read, so only part of ${one ? 'it' : 'them'} may be loaded, as happens while a copy is still being written. ${RUN_AGAIN}`);
  }
  if (unfinishedFiles.length > 0) {
    const one = unfinishedFiles.length === 1;
    const subject = one ? `The file ${unfinishedFiles[0]} was` : `The files ${unfinishedFiles.join(', ')} were`;
    warnings.push(
      `${subject} written less than a minute before ${one ? 'it was' : 'they were'} read and ${one ? 'ends' : 'end'} in a cut line, ` +
        `so ${one ? 'it' : 'they'} may be a copy still being written and only part of ${one ? 'it' : 'them'} may be loaded. ${RUN_AGAIN}`,
    );
  }
  return warnings;
}
