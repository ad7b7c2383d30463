/**
 * The text of the time range status bar item. Pure, so it is unit-tested
 * without VS Code.
 */

/** Text, tooltip and the setting a click opens, for the time range item. */
export interface TimeRangeStatus {
  readonly text: string;
  readonly tooltip: string;
  /** The setting the item's click changes. */
  readonly setting: 'huntLens.defaultTimespan' | 'huntLens.localData.referenceTime';
}

/**
 * Describes the time range a run uses. Local runs read every loaded row and
 * send no time range, so the default timespan does not apply to them.
 */
export function timeRangeStatus(local: boolean, defaultTimespan: string, referenceTime: 'now' | 'newestRecord'): TimeRangeStatus {
  if (local) {
    const now = referenceTime === 'now' ? 'the current time' : 'the time of the newest record in the data';
    return {
      text: '$(clock) All loaded rows',
      tooltip:
        `Queries on local data read every loaded row; only a time filter in the query narrows them. ` +
        `now() and ago() count from ${now} (huntLens.localData.referenceTime). ` +
        `huntLens.defaultTimespan (${defaultTimespan}) applies to Log Analytics and Defender XDR only. Click to change the reference time.`,
      setting: 'huntLens.localData.referenceTime',
    };
  }
  return {
    text: `$(clock) ${defaultTimespan}`,
    tooltip: 'Time range for queries that do not filter on time. Click to change.',
    setting: 'huntLens.defaultTimespan',
  };
}
