/**
 * Attempt keys for Entra admin center sign-in downloads, which have no
 * OriginalRequestId column. Log Analytics writes one MFA sign-in as several
 * rows that share OriginalRequestId, and the hunts count attempts by it, so
 * the reader derives a key that groups the rows of one attempt.
 */

/** Maximum gap between two rows of one attempt with the same user, Correlation ID and error code. */
export const SAME_ATTEMPT_MS = 5_000;

/** Keys farther than this from the row being read are forgotten, so memory stays bounded on long files. */
const FORGET_AFTER_MS = 60 * 60_000;

/** Rows read between two passes that forget old keys. */
const FORGET_EVERY_ROWS = 10_000;

interface KnownKey {
  readonly key: string;
  readonly time: number;
}

/**
 * Derives OriginalRequestId for the rows of one Entra download, in file
 * order. Rows with the same Request ID get the same key. A row with the same
 * user, Correlation ID and sign-in error code as a row at most SAME_ATTEMPT_MS
 * away gets that row's key, which merges a denial that Entra logged twice.
 * Any other row starts an attempt whose key is its own Request ID.
 *
 * NOTE: the rule keeps prompt storms apart because attempts seconds apart
 * each start a new sign-in with its own Correlation ID, and attempts within
 * one Correlation ID come minutes apart. Two attempts with one Correlation ID
 * and error code within 5 seconds would be counted as one. The interrupt
 * (50074) and the result (0 or 500121) of one attempt keep separate keys,
 * which the hunts do not notice because each counts attempts of one result code.
 */
export class EntraAttemptKeys {
  private readonly byRequestId = new Map<string, KnownKey>();
  private readonly byFlow = new Map<string, KnownKey>();
  private rowsSinceForget = 0;

  /** Returns the attempt key of a record keyed by normalized header. */
  keyOf(record: Readonly<Record<string, string>>): string {
    const requestId = record['request id'] ?? '';
    const time = Date.parse(record['date (utc)'] ?? '');
    const known = requestId === '' ? undefined : this.byRequestId.get(requestId);
    if (known) {
      return known.key;
    }
    const correlationId = record['correlation id'] ?? '';
    if (correlationId === '' || Number.isNaN(time)) {
      return requestId;
    }
    this.forgetOldKeys(time);
    const flow = `${(record.username ?? '').toLowerCase()}\n${correlationId}\n${record['sign-in error code'] ?? ''}`;
    const previous = this.byFlow.get(flow);
    const key = previous && Math.abs(time - previous.time) <= SAME_ATTEMPT_MS ? previous.key : requestId;
    this.byFlow.set(flow, { key, time });
    if (requestId !== '') {
      this.byRequestId.set(requestId, { key, time });
    }
    return key;
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
