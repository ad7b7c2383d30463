/**
 * The extension host's side of the local engine: starts the worker thread on
 * the first local query, sends it runs, relays cancellation through shared
 * memory and restarts it after a crash. Free of `vscode`, so it is unit-tested.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { identityOf, identityText } from '../engine/fileIdentity';
import { isWorkerMessage, type HostToWorker, type ReferenceTime, type WorkerToHost } from '../engine/workerProtocol';

export interface LocalRunRequest {
  paths: string[];
  query: string;
  referenceTime: ReferenceTime;
  maxRows: number;
}

export class LocalEngine {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(message: WorkerToHost): void; reject(error: Error): void }>();

  /**
   * @param workerFile the bundled worker script (dist/engineWorker.js)
   * @param memoryMb the worker's heap limit, so a runaway join ends the worker and not the editor
   */
  constructor(
    private readonly workerFile: string,
    private readonly memoryMb: () => number,
  ) {}

  async run(request: LocalRunRequest, signal: AbortSignal): Promise<WorkerToHost> {
    const fingerprint = await dataFingerprint(request.paths);
    const cancelFlag = new SharedArrayBuffer(4);
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<WorkerToHost>((resolve, reject) => {
      const onAbort = (): void => {
        Atomics.store(new Int32Array(cancelFlag), 0, 1);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) {
        onAbort();
      }
      this.pending.set(id, {
        resolve: (message) => {
          signal.removeEventListener('abort', onAbort);
          resolve(message);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      worker.postMessage({ type: 'run', id, paths: request.paths, fingerprint, query: request.query, referenceTime: request.referenceTime, maxRows: request.maxRows, cancelFlag });
    });
  }

  /**
   * Drops the data the worker keeps between runs, after the runs already
   * sent. Returns false when no worker is running, so no data is kept.
   */
  forget(): boolean {
    if (!this.worker) {
      return false;
    }
    const message: HostToWorker = { type: 'forget' };
    this.worker.postMessage(message);
    return true;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.failPending(new Error('The local engine was stopped.'));
  }

  private ensureWorker(): Worker {
    if (this.worker) {
      return this.worker;
    }
    const memoryMb = this.memoryMb();
    const worker = new Worker(this.workerFile, { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) {
        return;
      }
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      waiting?.resolve(message);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.stopped(
        worker,
        outOfMemory
          ? new Error(
              `The local engine ran out of memory (its limit is ${memoryMb} MB) and stopped. It starts again on the next query: narrow the query (a time filter, fewer join keys), or raise huntLens.localData.maxMemoryMb.`,
            )
          : new Error(`The local engine stopped: ${error.message}. It starts again on the next query.`),
      );
    });
    worker.on('exit', (code) => {
      this.stopped(worker, new Error(`The local engine exited with code ${code}. It starts again on the next query.`));
    });
    this.worker = worker;
    return worker;
  }

  private stopped(worker: Worker, error: Error): void {
    if (this.worker === worker) {
      this.worker = undefined;
    }
    this.failPending(error);
  }

  private failPending(error: Error): void {
    for (const waiting of this.pending.values()) {
      waiting.reject(error);
    }
    this.pending.clear();
  }
}

/**
 * Returns the names and identities (size, modification and status-change
 * times, device and inode) of the files under the given paths, one level
 * deep. The status-change time and the inode change when a file is replaced
 * by `cp -p` or `rsync -a`, which keep its size and modification time.
 */
export async function dataFingerprint(paths: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      parts.push(`${path}:missing`);
      continue;
    }
    if (!info.isDirectory()) {
      parts.push(`${path}:${identityText(identityOf(info))}`);
      continue;
    }
    const names = (await readdir(path)).sort();
    for (const name of names) {
      const file = await stat(join(path, name)).catch(() => undefined);
      parts.push(`${join(path, name)}:${file ? identityText(identityOf(file)) : 'missing'}`);
    }
  }
  return parts.join('\n');
}
