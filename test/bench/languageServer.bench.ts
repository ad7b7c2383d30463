// Measures the bundled language server over LSP, as `npm run bench` runs it:
//   1. server start (process spawn) to the first diagnostics of a 50-line hunt;
//   2. diagnostics after a one-character edit in a 50-line and a 500-line file;
//   3. completion latency right after such an edit, in both files.
// Edits and completions are measured with the block cache (the default) and
// with the whole document analyzed as one query on every change (the
// baseline). The debounce is 0 here, so the figures are analysis time; the
// editor waits the default 150 ms debounce on top of them. Prints a Markdown
// table for docs/benchmarks.md.
import { cpus, totalmem } from 'node:os';
import { huntBlock } from '../../src/hunts/document';
import { findHunt, HUNTS } from '../../src/hunts/library';
import { LspTestClient } from '../server/lspClient';

const WARM_UP_ROUNDS = 5;
const ROUNDS = Number(process.env.HUNT_LENS_BENCH_ROUNDS ?? 40);
const START_RUNS = 5;

interface Summary {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

function format(summary: Summary): string {
  return `${summary.median.toFixed(0)} / ${summary.p95.toFixed(0)} / ${summary.max.toFixed(0)}`;
}

const fiftyLineHunt = huntBlock(findHunt('wrong-number-then-approval')!);

/** Library hunts, one block each, until the file has at least `minLines` lines. */
function fileOfHunts(minLines: number): string {
  const blocks: string[] = [];
  let lines = 0;
  for (let index = 0; lines < minLines; index++) {
    const block = huntBlock(HUNTS[index % HUNTS.length]);
    blocks.push(block);
    lines += block.split('\n').length;
  }
  return blocks.join('\n');
}

async function measureStart(): Promise<Summary> {
  const samples: number[] = [];
  for (let run = 0; run < START_RUNS; run++) {
    const started = performance.now();
    const client = new LspTestClient();
    await client.initialize({ debounceMs: 0 });
    await client.open('file:///bench/start.kql', fiftyLineHunt);
    samples.push(performance.now() - started);
    await client.shutdown();
  }
  return summarize(samples);
}

interface EditFigures {
  readonly diagnostics: Summary;
  readonly completion: Summary;
}

/**
 * Types and deletes a space at the end of a `| where` line in the last block,
 * timing the diagnostics of each version, then asks for completion at the
 * start of that line's expression right after the next edit.
 */
async function measureEdits(text: string, scope: 'block' | 'document'): Promise<EditFigures> {
  const client = new LspTestClient();
  await client.initialize({ debounceMs: 0, analysisScope: scope });
  const uri = `file:///bench/${scope}-${text.length}.kql`;
  await client.open(uri, text);
  const lines = text.split('\n');
  let line = lines.length - 1;
  while (line > 0 && !lines[line].startsWith('| where ')) {
    line--;
  }
  const end = lines[line].length;
  const diagnostics: number[] = [];
  const completion: number[] = [];
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    const insert = round % 2 === 0;
    const range = insert
      ? { start: { line, character: end }, end: { line, character: end } }
      : { start: { line, character: end }, end: { line, character: end + 1 } };
    const started = performance.now();
    await client.edit(uri, range, insert ? ' ' : '');
    const published = performance.now();
    await client.completion(uri, line, 8);
    const completed = performance.now();
    if (round >= WARM_UP_ROUNDS) {
      diagnostics.push(published - started);
      completion.push(completed - published);
    }
  }
  await client.shutdown();
  return { diagnostics: summarize(diagnostics), completion: summarize(completion) };
}

async function main(): Promise<void> {
  const fiveHundredLines = fileOfHunts(500);
  const start = await measureStart();
  const rows: string[] = [];
  for (const [name, text] of [
    ['50-line file', fiftyLineHunt],
    [`${fiveHundredLines.split('\n').length}-line file`, fiveHundredLines],
  ] as const) {
    const block = await measureEdits(text, 'block');
    const whole = await measureEdits(text, 'document');
    rows.push(`| Diagnostics after a one-character edit, ${name} | < 100 ms (p95) | ${format(block.diagnostics)} | ${format(whole.diagnostics)} |`);
    rows.push(`| Completion right after an edit, ${name} | < 100 ms (p95) | ${format(block.completion)} | ${format(whole.completion)} |`);
  }

  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`Rounds: ${ROUNDS} measured after ${WARM_UP_ROUNDS} warm-up rounds; start measured ${START_RUNS} times.\n`);
  console.log('| Figure | Target | Block cache: median / p95 / max (ms) | Whole document: median / p95 / max (ms) |');
  console.log('|---|---|---|---|');
  console.log(`| Server start to first diagnostics, 50-line hunt | < 2000 ms | ${format(start)} | n/a |`);
  for (const row of rows) {
    console.log(row);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
