/**
 * Checks raw `huntLens.*` setting values, which can hold any JSON type when a
 * user edits settings.json by hand. Each reader returns the value to use and,
 * when the raw value was invalid and replaced, a message that names the value,
 * the value used instead and the fix. Pure, so it is unit-tested without VS Code.
 */

/** The value of one setting and the problem found in what the user wrote, if any. */
export interface SettingRead<T> {
  readonly value: T;
  readonly problem?: string;
}

/** A check of one setting's raw value, where `undefined` means the setting is not set. */
export type SettingReader<T> = (raw: unknown) => SettingRead<T>;

/** Shows a raw value as JSON; settings.json holds only JSON values, so the text round-trips. */
function shownValue(raw: unknown): string {
  return JSON.stringify(raw) ?? 'undefined';
}

function invalid<T>(key: string, raw: unknown, value: T, shown: string, fix: string): SettingRead<T> {
  return { value, problem: `huntLens.${key} ${shownValue(raw)} is invalid, so ${shown} is used. ${fix}` };
}

/** Returns a reader of trimmed text. An empty value means the fallback unless `allowEmpty` is set. */
export function textSetting(key: string, fallback: string, allowEmpty = false): SettingReader<string> {
  return (raw) => {
    if (raw === undefined) {
      return { value: fallback };
    }
    if (typeof raw !== 'string') {
      return invalid(key, raw, fallback, fallback === '' ? 'an empty value' : JSON.stringify(fallback), 'Set it to text in quotes.');
    }
    const trimmed = raw.trim();
    return { value: trimmed === '' && !allowEmpty ? fallback : trimmed };
  };
}

/** Returns a reader of true or false. */
export function booleanSetting(key: string, fallback: boolean): SettingReader<boolean> {
  return (raw) => {
    if (raw === undefined || typeof raw === 'boolean') {
      return { value: raw ?? fallback };
    }
    return invalid(key, raw, fallback, String(fallback), 'Set it to true or false.');
  };
}

/** Returns a reader of one string from `choices`. `used` replaces "<fallback> is used" in the message. */
export function choiceSetting<T extends string>(key: string, choices: readonly T[], fallback: T, used?: string): SettingReader<T> {
  return (raw) => {
    if (raw === undefined) {
      return { value: fallback };
    }
    const choice = choices.find((candidate) => candidate === raw);
    if (choice !== undefined) {
      return { value: choice };
    }
    const fix = `Set it to ${choices.map((candidate) => JSON.stringify(candidate)).join(' or ')}.`;
    if (used !== undefined) {
      return { value: fallback, problem: `huntLens.${key} ${shownValue(raw)} is invalid, so ${used}. ${fix}` };
    }
    return invalid(key, raw, fallback, JSON.stringify(fallback), `Set it to ${choices.map((candidate) => JSON.stringify(candidate)).join(' or ')}.`);
  };
}

/** Returns a reader of a number, rounded to a whole number and kept within `minimum` and `maximum` (inclusive). */
export function wholeNumberSetting(key: string, fallback: number, minimum: number, maximum: number, unit = ''): SettingReader<number> {
  const range = maximum === Number.MAX_SAFE_INTEGER ? `a whole number of ${minimum} or more` : `a whole number from ${minimum} to ${maximum}`;
  const withUnit = (value: number): string => `${value.toLocaleString('en')}${unit ? ` ${unit}` : ''}`;
  return (raw) => {
    if (raw === undefined) {
      return { value: fallback };
    }
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      return invalid(key, raw, fallback, withUnit(fallback), `Set ${range}.`);
    }
    const value = Math.min(maximum, Math.max(minimum, Math.round(raw)));
    return value === raw ? { value } : invalid(key, raw, value, withUnit(value), `Set ${range}.`);
  };
}

/** Returns a reader of a JSON array, passed on unchanged for a parser of its entries. */
export function arraySetting(key: string): SettingReader<unknown[]> {
  return (raw) => {
    if (raw === undefined || Array.isArray(raw)) {
      return { value: raw ?? [] };
    }
    return invalid(key, raw, [], 'an empty list', 'Set it to a list such as [{ "name": "SOC", "workspaceId": "…" }].');
  };
}

/**
 * The reader of every `huntLens.*` setting that the extension host reads
 * itself, and of the `diagnostics.*` switches, which the language server
 * applies on its own but which are checked here for their type. The server
 * also reads `defaultTimespan`, vscode-languageclient reads `trace.server`,
 * and the runner checks `endpoints.*` as URLs.
 */
export const SETTING_READERS = {
  'insertHunt.askForParameters': booleanSetting('insertHunt.askForParameters', true),
  cloud: choiceSetting('cloud', ['public', 'usGovernment', 'china'], 'public'),
  tenant: textSetting('tenant', '', true),
  signIn: choiceSetting('signIn', ['vscode', 'azureCli', 'deviceCode'], 'vscode'),
  connections: arraySetting('connections'),
  defaultTimespan: textSetting('defaultTimespan', 'P1D'),
  serverTimeoutInSeconds: wholeNumberSetting('serverTimeoutInSeconds', 180, 1, 600, 'seconds'),
  'results.timeZone': choiceSetting('results.timeZone', ['utc', 'local'], 'utc'),
  'results.reusePanel': booleanSetting('results.reusePanel', false),
  'results.csvByteOrderMark': booleanSetting('results.csvByteOrderMark', false),
  'results.csvGuardFormulas': booleanSetting('results.csvGuardFormulas', true),
  'localData.folder': textSetting('localData.folder', 'data'),
  'localData.referenceTime': choiceSetting('localData.referenceTime', ['now', 'newestRecord'], 'now', 'now() is the current time'),
  'localData.maxMemoryMb': wholeNumberSetting('localData.maxMemoryMb', 4096, 256, 65536, 'MB'),
  'localData.maxRows': wholeNumberSetting('localData.maxRows', 10_000_000, 1, Number.MAX_SAFE_INTEGER),
  'evidence.folder': textSetting('evidence.folder', 'evidence'),
  'pivots.maxLenses': wholeNumberSetting('pivots.maxLenses', 3, 1, 50),
  'pivots.window': textSetting('pivots.window', '24h'),
  'pivots.lookback': textSetting('pivots.lookback', '7d'),
  // The language server applies these itself; they are read here only to warn about a wrong type.
  'diagnostics.textNumberComparison': booleanSetting('diagnostics.textNumberComparison', true),
  'diagnostics.jsonTextProperty': booleanSetting('diagnostics.jsonTextProperty', true),
  'diagnostics.missingTimeFilter': booleanSetting('diagnostics.missingTimeFilter', true),
  'diagnostics.unionTypeConflict': booleanSetting('diagnostics.unionTypeConflict', true),
  'diagnostics.unknownOperator': booleanSetting('diagnostics.unknownOperator', true),
} as const;

export type SettingKey = keyof typeof SETTING_READERS;

/** Settings whose problems the local engine's results header lists. */
export const LOCAL_SETTING_KEYS: readonly SettingKey[] = ['localData.folder', 'localData.referenceTime', 'localData.maxMemoryMb', 'localData.maxRows'];
