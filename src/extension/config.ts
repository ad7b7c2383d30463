import * as vscode from 'vscode';
import { ENDPOINT_NAMES, isCloudName, type CloudName, type EndpointName, type InspectedValue } from '../runner/clouds';
import { parseConnections, type Connection } from '../runner/connections';

/** How Hunt Lens signs in: VS Code's Microsoft account, the Azure CLI, or a device code. */
export type SignInMethod = 'vscode' | 'azureCli' | 'deviceCode';

/**
 * Returns a setting's value from user or machine settings only. Settings that
 * decide where and how a token is sent (cloud, tenant, sign-in method,
 * connections, endpoints) are read this way, so a cloned repository's
 * workspace settings cannot change them.
 */
function userValue<T>(key: string, fallback: T): T {
  const inspected = vscode.workspace.getConfiguration('huntLens').inspect<T>(key);
  return inspected?.globalValue ?? fallback;
}

/** Names of user-only settings that workspace or folder settings also set; those values are ignored. */
export function ignoredWorkspaceSettings(): string[] {
  const section = vscode.workspace.getConfiguration('huntLens');
  return ['cloud', 'tenant', 'signIn', 'connections']
    .filter((key) => {
      const inspected = section.inspect(key);
      return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
    })
    .map((key) => `huntLens.${key}`);
}

/** Typed access to the `huntLens.*` settings. Read on every use so a change applies at once. */
export const config = {
  /** Whether *Insert Hunt…* asks for each parameter, or inserts the defaults straight away. */
  get askForParameters(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('insertHunt.askForParameters', true);
  },

  /** The cloud whose sign-in authority and endpoints queries use; from user settings only. */
  get cloud(): CloudName {
    const value = userValue<string>('cloud', 'public');
    return isCloudName(value) ? value : 'public';
  },

  /** Microsoft Entra tenant ID or domain to sign in to, from user settings only; empty for the account's home tenant. */
  get tenant(): string {
    return userValue<string>('tenant', '').trim();
  },

  /** The sign-in method that gets tokens, read from user settings only. */
  get signIn(): SignInMethod {
    const value = userValue<string>('signIn', 'vscode');
    return value === 'azureCli' || value === 'deviceCode' ? value : 'vscode';
  },

  /** Named connections, from user settings only, so a cloned repository cannot add one. */
  get connections(): Connection[] {
    return parseConnections(userValue<unknown>('connections', []));
  },

  /** ISO 8601 duration sent with a query that does not filter on time itself. */
  get defaultTimespan(): string {
    return vscode.workspace.getConfiguration('huntLens').get<string>('defaultTimespan', 'P1D').trim() || 'P1D';
  },

  /** Seconds the service may spend on a query, 1 to 600. */
  get serverTimeoutInSeconds(): number {
    const value = vscode.workspace.getConfiguration('huntLens').get<number>('serverTimeoutInSeconds', 180);
    return Number.isFinite(value) ? Math.min(600, Math.max(1, Math.round(value))) : 180;
  },

  /** Every `huntLens.endpoints.*` value by scope; the runner honours only the user and machine ones. */
  get endpointOverrides(): Record<EndpointName, InspectedValue | undefined> {
    const section = vscode.workspace.getConfiguration('huntLens.endpoints');
    const overrides = {} as Record<EndpointName, InspectedValue | undefined>;
    for (const name of ENDPOINT_NAMES) {
      overrides[name] = section.inspect(name);
    }
    return overrides;
  },

  /** Whether the results grid shows datetimes in UTC or in the local time zone. */
  get resultsTimeZone(): 'utc' | 'local' {
    return vscode.workspace.getConfiguration('huntLens').get<string>('results.timeZone', 'utc') === 'local' ? 'local' : 'utc';
  },

  /** Whether a new run from the same editor replaces the results in that editor's panel instead of opening another. */
  get reuseResultsPanel(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('results.reusePanel', false);
  },

  /** Whether exported CSV files start with a UTF-8 byte order mark. */
  get csvByteOrderMark(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('results.csvByteOrderMark', false);
  },

  /** Whether exported CSV files prefix a quote to text cells that a spreadsheet would run as a formula. */
  get csvGuardFormulas(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('results.csvGuardFormulas', true);
  },

  /** The folder of exported logs that local queries read, relative to the first workspace folder unless absolute. */
  get localDataFolder(): string {
    return vscode.workspace.getConfiguration('huntLens').get<string>('localData.folder', 'data').trim() || 'data';
  },

  /** The reference time of now() and ago() in local queries: the current time, or the newest record in the data. */
  get localReferenceTime(): 'now' | 'newestRecord' {
    return vscode.workspace.getConfiguration('huntLens').get<string>('localData.referenceTime', 'now') === 'newestRecord' ? 'newestRecord' : 'now';
  },

  /** Returns a message for each huntLens.localData.* value that is invalid and was replaced, naming the value used instead. */
  localSettingProblems(): string[] {
    const section = vscode.workspace.getConfiguration('huntLens');
    const problems: string[] = [];
    const reference = section.get<unknown>('localData.referenceTime', 'now');
    if (reference !== 'now' && reference !== 'newestRecord') {
      problems.push(`huntLens.localData.referenceTime ${JSON.stringify(reference)} is invalid, so now() is the current time. Set it to "now" or "newestRecord".`);
    }
    const memory = section.get<unknown>('localData.maxMemoryMb', 4096);
    if (typeof memory !== 'number' || !Number.isFinite(memory) || memory < 256 || memory > 65536) {
      problems.push(`huntLens.localData.maxMemoryMb ${JSON.stringify(memory)} is invalid, so ${this.localMaxMemoryMb} MB is used. Set a number from 256 to 65536.`);
    }
    const rows = section.get<unknown>('localData.maxRows', 10_000_000);
    if (typeof rows !== 'number' || !Number.isFinite(rows) || rows < 1) {
      problems.push(`huntLens.localData.maxRows ${JSON.stringify(rows)} is invalid, so ${this.localMaxRows.toLocaleString('en')} is used. Set a whole number of 1 or more.`);
    }
    return problems;
  },

  /** The local engine's heap limit in megabytes, 256 to 65536. */
  get localMaxMemoryMb(): number {
    const value = vscode.workspace.getConfiguration('huntLens').get<number>('localData.maxMemoryMb', 4096);
    return Number.isFinite(value) ? Math.min(65536, Math.max(256, Math.round(value))) : 4096;
  },

  /** The maximum number of rows any step of a local query may produce before the engine stops it. */
  get localMaxRows(): number {
    const value = vscode.workspace.getConfiguration('huntLens').get<number>('localData.maxRows', 10_000_000);
    return Number.isFinite(value) && value >= 1 ? Math.round(value) : 10_000_000;
  },

  /** Case folder for Save as Evidence, relative to the workspace folder; checked when a save runs. */
  get evidenceFolder(): string {
    return vscode.workspace.getConfiguration('huntLens').get<string>('evidence.folder', 'evidence');
  },

  /** Flagged-entity lenses shown above a block before the rest move into a *more…* quick pick, 1 to 50. */
  get maxPivotLenses(): number {
    const value = vscode.workspace.getConfiguration('huntLens').get<number>('pivots.maxLenses', 3);
    return Number.isFinite(value) ? Math.min(50, Math.max(1, Math.round(value))) : 3;
  },

  /** How long after an approval (or the time an entity was last seen) a pivot searches, as a KQL timespan such as `24h`. */
  get pivotWindow(): string {
    return vscode.workspace.getConfiguration('huntLens').get<string>('pivots.window', '24h').trim() || '24h';
  },

  /** How far back a pivot searches when its entity has no time, as a KQL timespan such as `7d`. */
  get pivotLookback(): string {
    return vscode.workspace.getConfiguration('huntLens').get<string>('pivots.lookback', '7d').trim() || '7d';
  },

  /** A one-line summary of the effective settings, for the log. */
  describe(): string {
    return [
      `insertHunt.askForParameters=${String(this.askForParameters)}`,
      `cloud=${this.cloud}`,
      `signIn=${this.signIn}`,
      `tenant=${this.tenant || '(home)'}`,
      `connections=${this.connections.length}`,
      `defaultTimespan=${this.defaultTimespan}`,
      `serverTimeoutInSeconds=${this.serverTimeoutInSeconds}`,
      `results.timeZone=${this.resultsTimeZone}`,
      `results.reusePanel=${String(this.reuseResultsPanel)}`,
      `results.csvByteOrderMark=${String(this.csvByteOrderMark)}`,
      `results.csvGuardFormulas=${String(this.csvGuardFormulas)}`,
      `localData.folder=${this.localDataFolder}`,
      `localData.referenceTime=${this.localReferenceTime}`,
      `evidence.folder=${this.evidenceFolder}`,
      `pivots.maxLenses=${this.maxPivotLenses}`,
      `pivots.window=${this.pivotWindow}`,
      `pivots.lookback=${this.pivotLookback}`,
    ].join(', ');
  },
};
