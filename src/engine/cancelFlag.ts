/**
 * The worker side of a run's cancel flag: the host stores 1 in shared memory
 * when the user cancels, and the load, which reads through async streams,
 * needs an AbortSignal instead.
 */

/** How often the flag is read while a load runs, in ms. */
export const CANCEL_POLL_MS = 10;

export interface CancelWatch {
  /** Aborts once the flag is 1. */
  readonly signal: AbortSignal;
  /** Stops reading the flag; call it when the load ends. */
  stop(): void;
}

/**
 * Returns a signal that aborts once `flag[0]` is 1. The flag is read on a
 * timer, so the signal aborts at the next turn of the event loop after the
 * store: the readers yield one between reads of the file.
 */
export function watchCancelFlag(flag: Int32Array): CancelWatch {
  const controller = new AbortController();
  const check = (): void => {
    if (Atomics.load(flag, 0) === 1) {
      stop();
      controller.abort(new Error('The query was cancelled.'));
    }
  };
  const timer = setInterval(check, CANCEL_POLL_MS);
  const stop = (): void => clearInterval(timer);
  check();
  return { signal: controller.signal, stop };
}
