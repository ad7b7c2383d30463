/**
 * Decides whether a crashed language server is restarted: at most
 * `maxRestarts` crashes within `windowMs` are restarted. The next crash in the
 * window stops the server for good, and the caller shows one error message.
 * Pure, so it is unit-tested without VS Code.
 */
export type CrashDecision = 'restart' | 'stop' | 'stopped';

export class RestartBudget {
  private readonly crashTimes: number[] = [];
  private stopped = false;

  constructor(
    readonly maxRestarts: number,
    readonly windowMs: number,
  ) {}

  /** Crashes counted in the current window, including the last one recorded. */
  get recentCrashes(): number {
    return this.crashTimes.length;
  }

  /**
   * Records a crash at `now` (milliseconds) and returns `restart`, `stop` for
   * the first crash over the budget, or `stopped` for any crash after that.
   */
  recordCrash(now: number): CrashDecision {
    if (this.stopped) {
      return 'stopped';
    }
    this.crashTimes.push(now);
    while (this.crashTimes.length > 0 && now - this.crashTimes[0] > this.windowMs) {
      this.crashTimes.shift();
    }
    if (this.crashTimes.length <= this.maxRestarts) {
      return 'restart';
    }
    this.stopped = true;
    return 'stop';
  }
}
