/** Parameters that many hunts share, defined once so their names and help text stay the same. */
import type { HuntParameter } from '../types';

/** The user filter every hunt takes; pivots fill it with a flagged user. */
export const USER_FILTER: HuntParameter = {
  name: 'userPrincipalName',
  type: 'string',
  default: '',
  description: 'User principal name to hunt for, or empty for all users.',
};

/** Returns the lookback parameter, 7 days unless a hunt passes a longer default. */
export function lookback(description: string, defaultValue = '7d'): HuntParameter {
  return { name: 'lookback', type: 'timespan', default: defaultValue, description };
}

/** The time range of the hunts that a pivot aims at one moment, read by HUNT_RANGE_LET. */
export const RANGE_PARAMETERS: readonly HuntParameter[] = [
  {
    name: 'startTime',
    type: 'datetime',
    default: '1970-01-01T00:00:00Z',
    description: 'Start of the search, in UTC, such as an approval time. Leave at 1970-01-01 to search the last lookback.',
  },
  { name: 'window', type: 'timespan', default: '24h', description: 'How long after startTime to search.' },
  {
    name: 'lookback',
    type: 'timespan',
    default: '7d',
    description: 'How far back to search when startTime is left at 1970-01-01.',
  },
];
