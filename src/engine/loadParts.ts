/**
 * Reading one large export in parts at the same time. The calling thread
 * reads the first part into the table's builder while a worker thread reads
 * each later part and sends it in chunks of columns. Each chunk goes into a
 * sibling builder: numbers as they are, text encoded again against the
 * table's dictionaries once per entry of the chunk's dictionary. The
 * siblings are appended in file order at the end. Line numbers in the
 * workers' problems count from their part and are moved to file lines here.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { TableBuilder } from './builder';
import type { Column } from './columns';
import type { ReadProblem } from './input';
import type { SplitOptions } from './readers/fileParts';
import type { ExportFormat } from './readers/formats';
import type { ByteRange } from './readers/source';
import type { UnreadableDatetimeCells, UnreadableDatetimes } from './readers/unreadableDatetimes';

/** Rows per message from a part's worker: enough that a chunk's dictionaries are much smaller than its rows, few enough to keep both threads busy. */
export const CHUNK_ROWS = 16_384;

/**
 * Costs per byte of the file, relative to the calling thread's cost to read a
 * byte itself. A worker reads a little faster, because nothing interrupts it.
 * The calling thread then pays again to take in the worker's rows: it looks
 * up each dictionary entry of a text column other than ids, and copies the
 * codes and values. Both are estimates from timing the benchmark's 1,000,000-row
 * SigninLogs file.
 */
const WORKER_READ_COST = 0.92;
const MERGE_COST = 0.15;

/**
 * Up to one part per core, at most 4, each at least 32 MiB: smaller parts gain
 * less than a worker costs to start. The first part, read by the calling
 * thread, is sized so that thread ends with the workers: its own part plus
 * taking in theirs costs what one worker's part costs.
 */
export function defaultSplit(): SplitOptions {
  const parts = Math.min(4, availableParallelism());
  const perWorker = WORKER_READ_COST / Math.max(1, parts - 1);
  const firstShare = Math.max(0.05, (perWorker - MERGE_COST) / (1 - MERGE_COST + perWorker));
  return { parts, minPartBytes: 32 << 20, firstShare };
}

/** The request to a part worker: the file, its part and the limits. */
export interface PartRequest {
  readonly file: string;
  readonly format: Extract<ExportFormat, { kind: 'logAnalyticsJson' }>;
  readonly range: ByteRange;
  /** Problems kept with their text; the rest are only counted. */
  readonly maxProblems: number;
  /** Rows per chunk message. */
  readonly chunkRows: number;
}

/** Rows of a part, sent in chunks as the worker reads them, as columns in the file's column order. */
export interface PartChunk {
  readonly type: 'rows';
  readonly columns: Column[];
  readonly rowCount: number;
}

/** The end of a part: what it skipped and could not read, with line numbers counted from the part's first line. */
export interface PartEnd {
  readonly type: 'done';
  readonly problems: ReadProblem[];
  readonly skipped: number;
  readonly unreadable: Pick<UnreadableDatetimeCells, 'quoted' | 'count'>;
  readonly lines: number;
}

export type PartMessage = PartChunk | PartEnd | { readonly type: 'failed'; readonly message: string };

/** The destination of a file's rows and problems. */
export interface PartSink {
  readonly builder: TableBuilder;
  /** Maps the table's columns to the file's, as for TableBuilder.appendColumns. */
  readonly order: readonly number[] | undefined;
  report(problem: ReadProblem): void;
  /** Counts problems that were skipped without their text. */
  count(skipped: number): void;
  /** The file's unreadable datetime values, which the caller reports once every part is in. */
  readonly unreadable: UnreadableDatetimes;
}

/** The worker script, next to this module both in the compiled tree and in the bundle. */
const PART_WORKER_FILE = join(__dirname, 'loadWorker.js');

/**
 * Reads parts 1 and later of a file in worker threads while `readFirst`
 * reads part 0 into the sink's builder and returns its line count. The
 * workers' chunks are encoded into sibling builders as they arrive, between
 * the batches of part 0, one chunk per turn of the event loop, and appended
 * in file order at the end. Every worker
 * is stopped when any part fails or the signal aborts.
 */
export async function readLaterParts(
  request: Omit<PartRequest, 'range'>,
  ranges: readonly ByteRange[],
  readFirst: () => Promise<number>,
  sink: PartSink,
  signal?: AbortSignal,
): Promise<void> {
  const workers = ranges.slice(1).map((range) => startPartWorker({ ...request, range }, sink.builder.sibling(), sink.order, signal));
  try {
    let lines = await readFirst();
    const ends = await Promise.all(workers.map((worker) => worker.end));
    // One allocation per column for all the workers' rows, instead of doubling while they are appended.
    sink.builder.reserveRows(workers.reduce((sum, worker) => sum + worker.rows.rows, 0));
    for (let index = 0; index < workers.length; index++) {
      sink.builder.appendBuilder(workers[index].rows);
      reportPartProblems(ends[index], lines, sink);
      lines += ends[index].lines;
    }
  } finally {
    for (const worker of workers) {
      worker.stop();
    }
  }
}

/**
 * Reports a later part's problems and quoted datetime values in line order,
 * with `lineOffset` added to their lines, and counts the rest.
 */
function reportPartProblems(end: PartEnd, lineOffset: number, sink: PartSink): void {
  const cells = end.unreadable.quoted;
  let next = 0;
  const addCellsBefore = (line: number): void => {
    while (next < cells.length && cells[next].line < line) {
      const cell = cells[next++];
      sink.unreadable.add(cell.line + lineOffset, cell.column, cell.value);
    }
    sink.unreadable.flush();
  };
  for (const problem of end.problems) {
    addCellsBefore(problem.line);
    sink.report({ ...problem, line: problem.line + lineOffset });
  }
  addCellsBefore(Infinity);
  sink.count(end.skipped - end.problems.length);
  sink.unreadable.addUnquoted(end.unreadable.count - cells.length);
}

interface PartWorker {
  /** The part's rows so far; all of them once `end` resolves. */
  readonly rows: TableBuilder;
  readonly end: Promise<PartEnd>;
  stop(): void;
}

/**
 * The maximum heap of a part worker, in MB. It keeps one chunk of rows at a
 * time, so it needs far less than the thread that keeps the whole table.
 */
const PART_WORKER_HEAP_MB = 2048;

function startPartWorker(request: PartRequest, rows: TableBuilder, order: readonly number[] | undefined, signal?: AbortSignal): PartWorker {
  const heapMb = Math.min(PART_WORKER_HEAP_MB, Math.ceil(getHeapStatistics().heap_size_limit / (1 << 20)));
  const worker = new Worker(PART_WORKER_FILE, { workerData: request, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  const where = `bytes ${request.range.start} to ${request.range.end} of ${request.file}`;
  const end = new Promise<PartEnd>((resolve, reject) => {
    let settled = false;
    let received: PartEnd | undefined;
    const fail = (error: Error): void => {
      if (settled) {
        return;
      }
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(error);
      void worker.terminate();
    };
    const onAbort = (): void => fail(signal?.reason instanceof Error ? signal.reason : new Error('The load was cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });

    // Chunks are taken in one at a time, with a turn of the event loop between
    // them, so chunks that queued up never hold this thread for long.
    const queue: PartMessage[] = [];
    let draining = false;
    const drain = async (): Promise<void> => {
      draining = true;
      while (queue.length > 0 && !settled) {
        const message = queue.shift() as PartMessage;
        if (message.type === 'rows') {
          try {
            rows.appendColumns(message.columns, message.rowCount, order);
          } catch (error) {
            fail(error instanceof Error ? error : new Error(String(error)));
          }
          await nextTurn();
        } else if (message.type === 'done') {
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(message);
        } else {
          fail(new Error(`Reading ${where} failed: ${message.message}`));
        }
      }
      draining = false;
    };
    worker.on('message', (message: PartMessage) => {
      if (message.type === 'done') {
        received = message;
      }
      queue.push(message);
      if (!draining) {
        void drain();
      }
    });
    worker.once('error', (error: Error & { code?: string }) => {
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`Reading ${where} ran out of memory (the limit is ${heapMb} MB). Load fewer or smaller files, or raise huntLens.localData.maxMemoryMb.`)
          : new Error(`Reading ${where} failed: ${error.message}`),
      );
    });
    worker.once('exit', (code) => {
      // A worker that sent its end exits normally while its last chunks may still wait in the queue.
      if (received === undefined) {
        fail(new Error(`Reading ${where} stopped with exit code ${code} before it sent all its rows.`));
      }
    });
  });
  // The caller awaits the parts in order; a later part that fails first must not go unhandled meanwhile.
  end.catch(() => undefined);
  return { rows, end, stop: () => void worker.terminate() };
}

/** Returns the array buffers behind a part's columns, which postMessage moves instead of copying. */
export function columnBuffers(columns: readonly Column[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of columns) {
    if (column.kind === 'dictionary') {
      buffers.add(column.codes.buffer as ArrayBuffer);
    } else if (column.kind !== 'dynamic') {
      buffers.add(column.values.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}
