/**
 * Runs at most `max` tasks at once and queues the rest in arrival order. Log
 * Analytics allows five concurrent queries per user, so the runner queues
 * beyond that instead of letting the service reject them.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** Number of tasks started and not yet settled. */
  get active(): number {
    return this.running;
  }

  /** Number of tasks waiting for a free slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs the task when a slot is free. A task whose signal aborts while it
   * waits is removed from the queue and rejects with the signal's reason.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal, onQueued?: () => void): Promise<T> {
    if (this.running >= this.max) {
      onQueued?.();
      // A finishing task hands its slot straight to this one, so `running` is not incremented here.
      await this.waitForSlot(signal);
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.running--;
      }
    }
  }

  private waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = (): void => {
        const index = this.waiting.indexOf(start);
        if (index >= 0) {
          this.waiting.splice(index, 1);
        }
        reject(signal?.reason instanceof Error ? signal.reason : new Error('Aborted while queued.'));
      };
      if (signal?.aborted) {
        cancel();
        return;
      }
      signal?.addEventListener('abort', cancel, { once: true });
      this.waiting.push(start);
    });
  }
}
