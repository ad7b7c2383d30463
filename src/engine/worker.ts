/**
 * The local engine's worker thread. It loads the Kusto language service and
 * the export files once, keeps them, and runs queries on request, so a long
 * query never blocks the extension host. Runs are handled one at a time.
 */
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { loadKustoLanguage } from '../kusto/bridge';
import { EngineError, runQuery } from './index';
import { watchCancelFlag } from './cancelFlag';
import { LoadedDataCache } from './dataCache';
import { loadData, type LoadedData } from './load';
import { summarizeTimes } from './tableTimes';
import type { DataSummary, EngineErrorCode, HostToWorker, RunFailed, RunMessage, WorkerToHost } from './workerProtocol';

const cache = new LoadedDataCache((paths, signal) => loadData(paths, { signal }));
let queue = Promise.resolve();

function post(message: WorkerToHost): void {
  parentPort?.postMessage(message);
}

function summary(data: LoadedData): DataSummary {
  const newestRecord = data.newestRecordMs === undefined ? undefined : new Date(data.newestRecordMs).toISOString();
  return {
    tables: data.tables,
    missingTables: data.missingTables,
    newestRecord,
    times: summarizeTimes(data.times),
    changedFiles: data.changedFiles,
    unfinishedFiles: data.unfinishedFiles,
    problems: data.problems,
    skipped: data.skipped,
    loadMs: data.loadMs,
  };
}

async function handle(message: RunMessage): Promise<void> {
  const cancelFlag = new Int32Array(message.cancelFlag);
  const isCancelled = (): boolean => Atomics.load(cancelFlag, 0) === 1;
  let data: LoadedData;
  let loaded: boolean;
  // A cancel stops the load itself, not only the query after it: on a large export the load takes most of the run.
  const cancel = watchCancelFlag(cancelFlag);
  try {
    ({ data, loaded } = await cache.get(message.paths, message.fingerprint, cancel.signal));
  } catch (error) {
    post(cancel.signal.aborted ? cancelledRun(message.id) : failure(message.id, 'data', error));
    return;
  } finally {
    cancel.stop();
  }
  if (isCancelled()) {
    // The load stays unreported, so the next run that is not cancelled reports its problems.
    post({ ...cancelledRun(message.id), data: summary(data) });
    return;
  }
  const now = referenceNow(message, data);
  const clockNow = message.referenceTime === 'now';
  try {
    const result = runQuery(data.database, message.query, { now, isCancelled, maxRows: message.maxRows });
    const reportLoad = cache.takeFirstReport(data);
    post({ type: 'result', id: message.id, result, data: summary(data), now: new Date(now).toISOString(), clockNow, loaded, reportLoad });
  } catch (error) {
    const code = error instanceof EngineError ? error.code : 'runtime';
    const reportLoad = code !== 'cancelled' && cache.takeFirstReport(data);
    post({ ...failure(message.id, code, error), data: summary(data), reportLoad });
  }
}

function cancelledRun(id: number): RunFailed {
  return { type: 'error', id, error: { code: 'cancelled', message: 'The query was cancelled.' } };
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
  queue = queue.then(() => (message.type === 'forget' ? cache.clear() : handle(message)));
});
