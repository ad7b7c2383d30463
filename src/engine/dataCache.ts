/**
 * The loaded data that the worker keeps between runs, keyed by the host's
 * fingerprint of the files. A load during which a file changed, or that read
 * a file that looks like an unfinished copy, is used for its run but not
 * kept, so the next run reads the files again. Each load is reported to the
 * host once, with the first run on it that is not cancelled, so a cancelled
 * first run does not hide the files' problems. A run cancelled during its
 * load stops the load, so the next run reads the files again.
 */
import type { LoadedData } from './load';

export class LoadedDataCache {
  private kept: { fingerprint: string; data: LoadedData; reported: boolean } | undefined;

  constructor(private readonly load: (paths: readonly string[], signal?: AbortSignal) => Promise<LoadedData>) {}

  /**
   * Returns the kept data when `fingerprint` matches the one it was loaded
   * under, else loads the paths. `loaded` is true when the files were read
   * for this call. A load that `signal` stops rejects and keeps nothing.
   */
  async get(paths: readonly string[], fingerprint: string, signal?: AbortSignal): Promise<{ data: LoadedData; loaded: boolean }> {
    if (this.kept?.fingerprint === fingerprint) {
      return { data: this.kept.data, loaded: false };
    }
    this.kept = undefined;
    const data = await this.load(paths, signal);
    if (data.changedFiles.length === 0 && data.unfinishedFiles.length === 0) {
      this.kept = { fingerprint, data, reported: false };
    }
    return { data, loaded: true };
  }

  /** Returns true the first time it is called for a load, and always for a load that was not kept. */
  takeFirstReport(data: LoadedData): boolean {
    if (this.kept?.data !== data) {
      return true;
    }
    const first = !this.kept.reported;
    this.kept.reported = true;
    return first;
  }

  /** Drops the kept data, so the next run reads every file again. */
  clear(): void {
    this.kept = undefined;
  }
}
