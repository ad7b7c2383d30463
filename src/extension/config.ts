import * as vscode from 'vscode';
import { ENDPOINT_NAMES, isCloudName, type CloudName, type EndpointName, type InspectedValue } from '../runner/clouds';
import { parseConnections, type Connection } from '../runner/connections';
import { LOCAL_SETTING_KEYS, SETTING_READERS, type SettingKey, type SettingRead } from './settingValues';

/** How Hunt Lens signs in: VS Code's Microsoft account, the Azure CLI, or a device code. */
export type SignInMethod = 'vscode' | 'azureCli' | 'deviceCode';

/**
 * Returns a setting's value from user or machine settings only. Settings that
 * decide where and how a token is sent (cloud, tenant, sign-in method,
 * connections, endpoints) are read this way, so a cloned repository's
 * workspace settings cannot change them.
 */
function userValue(key: SettingKey): unknown {
  return vscode.workspace.getConfiguration('huntLens').inspect(key)?.globalValue;
}

/** Reads a setting from user, workspace or folder settings, checked for its JSON type and range. */
function read<K extends SettingKey>(key: K): ReturnType<(typeof SETTING_READERS)[K]> {
  return SETTING_READERS[key](vscode.workspace.getConfiguration('huntLens').get<unknown>(key)) as ReturnType<(typeof SETTING_READERS)[K]>;
}

/** Reads a user-only setting, checked for its JSON type. */
function readUser<K extends SettingKey>(key: K): ReturnType<(typeof SETTING_READERS)[K]> {
  return SETTING_READERS[key](userValue(key)) as ReturnType<(typeof SETTING_READERS)[K]>;
}

/** The keys read from user settings only. */
const USER_ONLY_KEYS: ReadonlySet<SettingKey> = new Set<SettingKey>(['cloud', 'tenant', 'signIn', 'connections']);

function problemOf(key: SettingKey): string | undefined {
  const checked: SettingRead<unknown> = USER_ONLY_KEYS.has(key) ? readUser(key) : read(key);
  return checked.problem;
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
    return read('insertHunt.askForParameters').value;
  },

  /** The cloud whose sign-in authority and endpoints queries use; from user settings only. */
  get cloud(): CloudName {
    const value = readUser('cloud').value;
    return isCloudName(value) ? value : 'public';
  },

  /** Microsoft Entra tenant ID or domain to sign in to, from user settings only; empty for the account's home tenant. */
  get tenant(): string {
    return readUser('tenant').value;
  },

  /** The sign-in method that gets tokens, read from user settings only. */
  get signIn(): SignInMethod {
    return readUser('signIn').value;
  },

  /** Named connections, from user settings only, so a cloned repository cannot add one. */
  get connections(): Connection[] {
    return parseConnections(readUser('connections').value);
  },

  /** ISO 8601 duration sent with a query that does not filter on time itself. */
  get defaultTimespan(): string {
    return read('defaultTimespan').value;
  },

  /** Seconds the service may spend on a query, 1 to 600. */
  get serverTimeoutInSeconds(): number {
    return read('serverTimeoutInSeconds').value;
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
    return read('results.timeZone').value;
  },

  /** Whether a new run from the same editor replaces the results in that editor's panel instead of opening another. */
  get reuseResultsPanel(): boolean {
    return read('results.reusePanel').value;
  },

  /** Whether exported CSV files start with a UTF-8 byte order mark. */
  get csvByteOrderMark(): boolean {
    return read('results.csvByteOrderMark').value;
  },

  /** Whether exported CSV files prefix a quote to text cells that a spreadsheet would run as a formula. */
  get csvGuardFormulas(): boolean {
    return read('results.csvGuardFormulas').value;
  },

  /** The folder of exported logs that local queries read, relative to the first workspace folder unless absolute. */
  get localDataFolder(): string {
    return read('localData.folder').value;
  },

  /** The reference time of now() and ago() in local queries: the current time, or the newest record in the data. */
  get localReferenceTime(): 'now' | 'newestRecord' {
    return read('localData.referenceTime').value;
  },

  /** Returns a message for each huntLens.localData.* value that is invalid and was replaced, naming the value used instead. */
  localSettingProblems(): string[] {
    return LOCAL_SETTING_KEYS.map(problemOf).filter((problem): problem is string => problem !== undefined);
  },

  /** Returns a message for each huntLens.* value that is invalid and was replaced, naming the value used instead. */
  settingProblems(): string[] {
    return (Object.keys(SETTING_READERS) as SettingKey[]).map(problemOf).filter((problem): problem is string => problem !== undefined);
  },

  /** The local engine's heap limit in megabytes, 256 to 65536. */
  get localMaxMemoryMb(): number {
    return read('localData.maxMemoryMb').value;
  },

  /** The maximum number of rows any step of a local query may produce before the engine stops it. */
  get localMaxRows(): number {
    return read('localData.maxRows').value;
  },

  /** Case folder for Save as Evidence, relative to the workspace folder; checked when a save runs. */
  get evidenceFolder(): string {
    return read('evidence.folder').value;
  },

  /** Flagged-entity lenses shown above a block before the rest move into a *more…* quick pick, 1 to 50. */
  get maxPivotLenses(): number {
    return read('pivots.maxLenses').value;
  },

  /** How long after an approval (or the time an entity was last seen) a pivot searches, as a KQL timespan such as `24h`. */
  get pivotWindow(): string {
    return read('pivots.window').value;
  },

  /** How far back a pivot from a row without a time searches when its run's query has no `lookback` to read, as a KQL timespan such as `7d`. */
  get pivotLookback(): string {
    return read('pivots.lookback').value;
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
