/**
 * Warnings about what the local data covers: tables a query read that no
 * file provided, and data that ends long before now(). The extension's
 * results header and log and the CLI's stderr show the same text. Pure, so
 * it is unit-tested.
 */

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

/** The tables of the local data: rows per table that a file provided, and the bundled tables that no file provided. */
export interface TableCoverage {
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>;
  readonly missingTables: readonly string[];
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
 * Returns a warning when now() is the wall clock and the newest record is
 * more than a day older, because hunts that count back from now() with ago()
 * then see little or none of the data. Both instants are ISO 8601 text.
 */
export function staleDataWarning(newestRecord: string | undefined, now: string, clockNow: boolean, fix: string): string | undefined {
  if (!clockNow || newestRecord === undefined) {
    return undefined;
  }
  const age = Date.parse(now) - Date.parse(newestRecord);
  if (!(age > STALE_DATA_MS)) {
    return undefined;
  }
  const days = Math.floor(age / STALE_DATA_MS);
  return (
    `The newest record in the local data is from ${newestRecord}, ${days} ${days === 1 ? 'day' : 'days'} before now() (${now}, the current time), ` +
    `so hunts that look back from now() with ago() may miss the data. ${fix}`
  );
}
