/**
 * The local engine's worker thread. It loads the Kusto language service and
 * the export files once, keeps them, and runs queries on request, so a long
 * query never blocks the extension host. Runs are handled one at a time.
 */
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { loadKustoLanguage } from '../kusto/bridge';
import { EngineError, runQuery } from './index';
import { loadData, type LoadedData } from './load';
import type { DataSummary, EngineErrorCode, HostToWorker, RunFailed, RunMessage, WorkerToHost } from './workerProtocol';

let loaded: { fingerprint: string; data: LoadedData } | undefined;
let queue = Promise.resolve();

function post(message: WorkerToHost): void {
  parentPort?.postMessage(message);
}

function summary(data: LoadedData): DataSummary {
  const newestRecord = data.newestRecordMs === undefined ? undefined : new Date(data.newestRecordMs).toISOString();
  return { tables: data.tables, missingTables: data.missingTables, newestRecord, problems: data.problems, skipped: data.skipped, loadMs: data.loadMs };
}

async function handle(message: RunMessage): Promise<void> {
  const cancelled = new Int32Array(message.cancelFlag);
  const isCancelled = (): boolean => Atomics.load(cancelled, 0) === 1;
  let reloaded = false;
  if (!loaded || loaded.fingerprint !== message.fingerprint) {
    loaded = undefined;
    try {
      loaded = { fingerprint: message.fingerprint, data: await loadData(message.paths) };
      reloaded = true;
    } catch (error) {
      post(failure(message.id, 'data', error));
      return;
    }
  }
  const data = loaded.data;
  if (isCancelled()) {
    post({ type: 'error', id: message.id, error: { code: 'cancelled', message: 'The query was cancelled.' }, data: summary(data) });
    return;
  }
  const now = referenceNow(message, data);
  const clockNow = message.referenceTime === 'now';
  try {
    const result = runQuery(data.database, message.query, { now, isCancelled, maxRows: message.maxRows });
    post({ type: 'result', id: message.id, result, data: summary(data), now: new Date(now).toISOString(), clockNow, loaded: reloaded });
  } catch (error) {
    post({ ...failure(message.id, error instanceof EngineError ? error.code : 'runtime', error), data: summary(data) });
  }
}

/** Returns the instant that now() is set to; without times in the data, the newest record falls back to the clock. */
function referenceNow(message: RunMessage, data: LoadedData): number {
  if (typeof message.referenceTime === 'number') {
    return message.referenceTime;
  }
  if (message.referenceTime === 'newestRecord') {
    return data.newestRecordMs ?? Date.now();
  }
  return Date.now();
}

function failure(id: number, code: EngineErrorCode, error: unknown): RunFailed {
  if (error instanceof EngineError) {
    return { type: 'error', id, error: { code, message: error.message, line: error.line, column: error.column } };
  }
  return { type: 'error', id, error: { code, message: error instanceof Error ? error.message : String(error) } };
}

loadKustoLanguage(path.join(__dirname, 'kusto'));
parentPort?.on('message', (message: HostToWorker) => {
  queue = queue.then(() => handle(message));
});
