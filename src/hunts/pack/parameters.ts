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
