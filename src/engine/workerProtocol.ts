/**
 * Messages between the extension host and the local engine's worker thread.
 * The worker keeps the loaded data between runs and reloads it when the
 * files' fingerprint changes.
 */
import type { ReadProblem } from './input';
import type { EngineResult } from './index';
import type { TableTimesSummary } from './tableTimes';

export type { TableTimesSummary } from './tableTimes';

export type EngineErrorCode = 'unsupported' | 'semantic' | 'syntax' | 'limit' | 'cancelled' | 'runtime' | 'data';

/** The anchor of `now()` and `ago()`: the wall clock, the newest record in the data, or a fixed instant (ms). */
export type ReferenceTime = 'now' | 'newestRecord' | number;

export interface RunMessage {
  type: 'run';
  id: number;
  /** Folders or files to load. */
  paths: string[];
  /** Changes when a file is added, removed or rewritten; the worker reloads when it differs. */
  fingerprint: string;
  query: string;
  referenceTime: ReferenceTime;
  maxRows: number;
  /** An Int32Array over it contains 1 once the run is cancelled. */
  cancelFlag: SharedArrayBuffer;
}

/** Drops the data the worker keeps, so the next run reads every file again. */
export interface ForgetMessage {
  type: 'forget';
}

export type HostToWorker = RunMessage | ForgetMessage;


export interface DataSummary {
  /** Rows per table that a file provided. */
  tables: { name: string; rows: number }[];
  /** Bundled Log Analytics tables that no file provided; queries read them as empty tables. */
  missingTables: string[];
  /** ISO 8601 instant of the newest TimeGenerated or Timestamp in the data, when any row has one. */
  newestRecord?: string;
  /** Per table with a time column: its newest record and its rows without a time. */
  times: TableTimesSummary[];
  /** Files that changed while they were read, so only part of them may be loaded. */
  changedFiles: string[];
  /** Files written in the last minute that end in a cut line, so they may be copies still being written. */
  unfinishedFiles: string[];
  problems: ReadProblem[];
  skipped: number;
  loadMs: number;
}

export interface RunSucceeded {
  type: 'result';
  id: number;
  result: EngineResult;
  data: DataSummary;
  /** ISO 8601 instant that now() stood for. */
  now: string;
  /** True when now() was the wall clock, not the newest record or a fixed instant. */
  clockNow: boolean;
  /** True when the data was read for this run. */
  loaded: boolean;
  /** True for the first message about this load from a run that was not cancelled, so the host logs the load's problems. */
  reportLoad: boolean;
}

export interface RunFailed {
  type: 'error';
  id: number;
  error: { code: EngineErrorCode; message: string; line?: number; column?: number };
  data?: DataSummary;
  /** As RunSucceeded.reportLoad; absent when the run was cancelled or the data could not be loaded. */
  reportLoad?: boolean;
}

export type WorkerToHost = RunSucceeded | RunFailed;

/** Checks a message from the worker before the host trusts its shape. */
export function isWorkerMessage(value: unknown): value is WorkerToHost {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const message = value as Record<string, unknown>;
  return (message.type === 'result' || message.type === 'error') && typeof message.id === 'number';
}
