/**
 * A worker thread that reads one part of a large export (see loadParts.ts)
 * and sends its rows, as columns, to the thread that started it in chunks,
 * so that thread can encode one chunk while this one reads the next.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TableBuilder } from './builder';
import type { ReadProblem } from './input';
import { columnBuffers, type PartMessage, type PartRequest } from './loadParts';
import { exportRowSource } from './readers/tableSources';
import { UnreadableDatetimeCells } from './readers/unreadableDatetimes';

function send(message: PartMessage): void {
  parentPort?.postMessage(message, message.type === 'rows' ? columnBuffers(message.columns) : []);
}

async function readPart(request: PartRequest): Promise<void> {
  const problems: ReadProblem[] = [];
  let skipped = 0;
  let lines = 0;
  const source = exportRowSource(request.file, request.format, {
    onProblem: (problem) => {
      skipped += 1;
      if (problems.length < request.maxProblems) {
        problems.push(problem);
      }
    },
    part: { range: request.range, onLineCount: (count) => (lines = count) },
  });
  const table = request.format.table;
  let builder = new TableBuilder(table.name, table.columns);
  let rows = 0;
  const flush = (): void => {
    send({ type: 'rows', ...builder.finishColumns() });
    builder = new TableBuilder(table.name, table.columns);
    rows = 0;
  };
  const unreadable = new UnreadableDatetimeCells();
  for await (const batch of source?.rows(unreadable) ?? []) {
    const rejected = builder.appendBatch(batch.map((tableRow) => tableRow.row));
    for (const cell of rejected) {
      unreadable.add(batch[cell.row].line, cell.column, cell.value);
    }
    unreadable.flush();
    rows += batch.length;
    if (rows >= request.chunkRows) {
      flush();
    }
  }
  if (rows > 0) {
    flush();
  }
  send({ type: 'done', problems, skipped, unreadable: { quoted: unreadable.quoted, count: unreadable.count }, lines });
}

readPart(workerData as PartRequest).catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
