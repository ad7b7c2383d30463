/**
 * Attempt keys for sign-in exports without OriginalRequestId: Entra admin
 * center downloads, and Graph v1.0 or PowerShell exports that leave the field
 * out. Log Analytics writes one MFA sign-in as several rows that share
 * OriginalRequestId, and the hunts count attempts by it, so the reader derives
 * a key that groups the rows of one attempt.
 */
import { convertInput } from '../builder';
import { epochMsOfTicks } from '../values';

/** Maximum time from an attempt's first row to another row of it with the same user, Correlation ID and error code. */
export const SAME_ATTEMPT_MS = 2_000;

/** Keys farther than this from the row being read are forgotten, so memory stays bounded on long files. */
const FORGET_AFTER_MS = 60 * 60_000;

/** Rows read between two passes that forget old keys. */
const FORGET_EVERY_ROWS = 10_000;

interface KnownKey {
  readonly key: string;
  /** Time of the attempt's first row, in ms since the Unix epoch. */
  readonly time: number;
}

/** The fields of one sign-in row that the attempt key is derived from. */
export interface AttemptFields {
  /** Entra's Request ID, Graph's id. */
  readonly requestId: string;
  /** Sign-in time in ms since the Unix epoch, NaN when unknown. */
  readonly time: number;
  /**
   * Maximum time in ms by which `time` may precede the true time, because the
   * source text cuts it: 60_000 for a time without seconds, 0 (the default) otherwise.
   */
  readonly truncatedMs?: number;
  readonly user: string;
  readonly correlationId: string;
  readonly errorCode: string;
}

/**
 * Derives OriginalRequestId for the rows of one file, in file order. Rows
 * with the same Request ID get the same key. A row with the same user,
 * Correlation ID and error code as an attempt whose first row is at most
 * SAME_ATTEMPT_MS away gets that attempt's key, which merges a denial that
 * Entra logged twice. Any other row starts an attempt keyed by its own
 * Request ID. The window is anchored at the attempt's first row, so rows a
 * few seconds apart never chain into one attempt.
 *
 * A file whose times have no seconds widens the window by a minute, because
 * two rows a second apart can fall on both sides of a minute.
 *
 * NOTE: two attempts with one Correlation ID and error code within 2 seconds
 * (62 seconds for times without seconds) count as one, and a duplicate row logged later than that counts twice. The
 * interrupt (50074) and the result (0 or 500121) of one attempt keep separate
 * keys, which the hunts do not notice because each counts one result code.
 */
export class AttemptKeys {
  private readonly byRequestId = new Map<string, KnownKey>();
  private readonly byFlow = new Map<string, KnownKey>();
  private rowsSinceForget = 0;

  /**
   * Returns the attempt key of an Entra download record keyed by normalized
   * header. `time` is its Date (UTC) as the TimeGenerated column reads it
   * (see datetimeMs), because the raw text may be in a locale's form.
   */
  keyOf(record: Readonly<Record<string, string>>, time: number, truncatedMs = 0): string {
    return this.keyOfFields({
      requestId: record['request id'] ?? '',
      time,
      truncatedMs,
      user: record.username ?? '',
      correlationId: record['correlation id'] ?? '',
      errorCode: record['sign-in error code'] ?? '',
    });
  }

  /** Returns the attempt key of one sign-in row. */
  keyOfFields(fields: AttemptFields): string {
    const { requestId, time, correlationId } = fields;
    const known = requestId === '' ? undefined : this.byRequestId.get(requestId);
    if (known) {
      return known.key;
    }
    if (correlationId === '' || Number.isNaN(time)) {
      return requestId;
    }
    this.forgetOldKeys(time);
    const flow = `${fields.user.toLowerCase()}\n${correlationId}\n${fields.errorCode}`;
    const previous = this.byFlow.get(flow);
    let attempt: KnownKey;
    const window = SAME_ATTEMPT_MS + (fields.truncatedMs ?? 0);
    if (previous && Math.abs(time - previous.time) <= window) {
      attempt = previous;
    } else {
      attempt = { key: requestId, time };
      this.byFlow.set(flow, attempt);
    }
    if (requestId !== '') {
      this.byRequestId.set(requestId, attempt);
    }
    return attempt.key;
  }

  private forgetOldKeys(time: number): void {
    this.rowsSinceForget += 1;
    if (this.rowsSinceForget < FORGET_EVERY_ROWS) {
      return;
    }
    this.rowsSinceForget = 0;
    for (const map of [this.byRequestId, this.byFlow]) {
      for (const [name, known] of map) {
        if (Math.abs(time - known.time) > FORGET_AFTER_MS) {
          map.delete(name);
        }
      }
    }
  }
}

/**
 * Returns a datetime value as the datetime columns read it (ISO 8601 text,
 * PowerShell's `/Date(ms)/`, ms since the epoch or a Date) in ms since the
 * Unix epoch, or NaN when the column would hold null. Attempt keys use this
 * reading so that rows merge exactly when their TimeGenerated values are close.
 */
export function datetimeMs(value: unknown): number {
  const ticks = convertInput(value, 'datetime');
  return typeof ticks === 'number' ? epochMsOfTicks(ticks).epochMs : NaN;
}
