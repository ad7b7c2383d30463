// Benchmark of the local engine: `npm run bench`. Generates the seeded
// sample tenant at 1,000,000 sign-in rows (HUNT_LENS_BENCH_ENGINE_ROWS sets
// another size). Then it measures load throughput per export format next to
// Node's own JSON.parse per line, and four library hunts next to DuckDB
// running equivalent SQL on the same data. Each side's peak memory is
// measured in its own child process. Writes its section of docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGunzip } from 'node:zlib';
import { loadKustoLanguage } from '../../src/kusto/bridge';
import { Database, runQuery, TableBuilder } from '../../src/engine/index';
import { loadData } from '../../src/engine/load';
import { defaultSplit } from '../../src/engine/loadParts';
import { isExportFileName } from '../../src/engine/readers/index';
import { detectExportFormat } from '../../src/engine/readers/formats';
import { findHunt } from '../../src/hunts/library';
import { renderHunt } from '../../src/hunts/render';
import { generateSample, parseSampleArguments } from '../../src/sample/generate';
import { loadDuckDb, runSql } from './engineDuckDb';
import { huntSql } from './engineHuntSql';
import type { MemoryReport } from './engineMemory';
import { writeSection } from './sections';

const repoRoot = resolve(__dirname, '..', '..', '..');
const ROWS = Number(process.env.HUNT_LENS_BENCH_ENGINE_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.HUNT_LENS_BENCH_ENGINE_ROUNDS ?? 5);
const HUNT_IDS = ['mfa-failures-and-denials', 'success-after-failures', 'activity-after-approval', 'mfa-prompt-burst'];
const MIB = 1024 * 1024;
const HEADING = '## Local engine';
const ALL_PARTS = ['load', 'hunts', 'memory'] as const;
type Part = (typeof ALL_PARTS)[number];

/**
 * Parts to run, from HUNT_LENS_BENCH_ENGINE_PARTS (comma-separated, default all).
 * Only a run of every part rewrites docs/benchmarks.md; a partial run prints its figures.
 */
function selectedParts(): Set<Part> {
  const names = (process.env.HUNT_LENS_BENCH_ENGINE_PARTS ?? ALL_PARTS.join(',')).split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(ALL_PARTS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`HUNT_LENS_BENCH_ENGINE_PARTS has unknown parts: ${unknown.join(', ')}. Use a comma-separated subset of ${ALL_PARTS.join(', ')}.`);
  }
  return new Set(names as Part[]);
}

interface LoadFigure {
  file: string;
  format: string;
  /** Uncompressed bytes. */
  bytes: number;
  gzip: boolean;
  rows: number;
  ms: number;
}

interface HuntFigure {
  id: string;
  engineMs: number;
  /** Engine time of the warm-up run, the first of the query on this database, which parses and binds it. */
  firstMs: number;
  /** Engine time on tables with the same columns and no rows: parsing, binding and setup. */
  emptyMs: number;
  duckMs: number;
  engineRows: number;
  duckRows: number;
  difference: string;
}

/** Generates the sample once per size into the temp folder; the generator is seeded, so a kept folder equals a new one. */
async function prepareSample(rows: number): Promise<string> {
  const folder = join(tmpdir(), `hunt-lens-bench-engine-${rows}`);
  if (existsSync(join(folder, 'storylines.json'))) {
    console.log(`Reusing the sample in ${folder}.`);
    return folder;
  }
  console.log(`Generating ${rows} sign-in rows into ${folder}…`);
  await generateSample(parseSampleArguments(['--out', folder, '--rows', String(rows)]));
  return folder;
}

/** Rewrites the SigninLogs JSON array export as JSON lines, one Log Analytics record per line, outside the sample folder. */
async function writeJsonLines(sample: string): Promise<string> {
  const folder = `${sample}-jsonl`;
  const target = join(folder, 'SigninLogs.jsonl');
  if (existsSync(target)) {
    return target;
  }
  await mkdir(folder, { recursive: true });
  const output = createWriteStream(`${target}.partial`);
  const lines = createInterface({ input: createReadStream(join(sample, 'SigninLogs.json.gz')).pipe(createGunzip()), crlfDelay: Infinity });
  // The generator writes the array as "[", one record per line with a trailing comma, and "]".
  for await (const line of lines) {
    if (line.startsWith('{')) {
      const record = line.endsWith(',') ? line.slice(0, -1) : line;
      if (!output.write(`${record}\n`)) {
        await once(output, 'drain');
      }
    }
  }
  output.end();
  await once(output, 'close');
  renameSync(`${target}.partial`, target);
  return target;
}

async function uncompressedBytes(file: string): Promise<number> {
  if (!file.endsWith('.gz')) {
    return statSync(file).size;
  }
  let bytes = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip())) {
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

setFlagsFromString('--expose-gc');
/** A full garbage collection, so each timed load starts without the garbage of the one before. */
const collectGarbage = runInNewContext('gc') as () => void;

/** Loads one file alone with loadData, which reads it in one pass and builds its tables; with `oneThread`, in this thread only. */
async function timeLoad(file: string, oneThread = false): Promise<LoadFigure> {
  const detection = await detectExportFormat(file);
  const format = 'format' in detection ? detection.format.kind : 'unreadable';
  collectGarbage();
  const started = performance.now();
  const loaded = await loadData([file], oneThread ? { split: { parts: 1, minPartBytes: 1 } } : {});
  const rows = loaded.tables.reduce((sum, table) => sum + table.rows, 0);
  const ms = performance.now() - started;
  const formatLabel = oneThread ? `${format}, one thread` : format;
  return { file: basename(file), format: formatLabel, bytes: await uncompressedBytes(file), gzip: file.endsWith('.gz'), rows, ms };
}

/** Node's baseline: read the file as UTF-8 text, split it into lines and JSON.parse each line. */
async function timeJsonParse(file: string): Promise<LoadFigure> {
  collectGarbage();
  const started = performance.now();
  let rest = '';
  let rows = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.length > 0) {
        JSON.parse(line);
        rows += 1;
      }
    }
  }
  if (rest.length > 0) {
    JSON.parse(rest);
    rows += 1;
  }
  const ms = performance.now() - started;
  return { file: basename(file), format: 'JSON.parse per line', bytes: statSync(file).size, gzip: false, rows, ms };
}

/** Loads of the JSON-lines file per measure; the load ratio compares their medians. */
const LOAD_ROUNDS = 3;

/** Returns the load with the median time. */
function medianLoad(loads: readonly LoadFigure[]): LoadFigure {
  const sorted = [...loads].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Times each hunt on the engine and its SQL on DuckDB, alternating, after one warm-up run of each. */
async function timeHunts(database: Database, sample: string): Promise<HuntFigure[]> {
  const now = database.newestTime();
  if (now === undefined) {
    throw new Error(`The sample in ${sample} has no TimeGenerated values; delete the folder and run the benchmark again.`);
  }
  const nowText = new Date(now).toISOString().replace('T', ' ').replace('Z', '');
  const duck = await loadDuckDb(sample);
  const empty = new Database(database.tables.map((table) => new TableBuilder(table.name, table.columns).finish()));
  const figures: HuntFigure[] = [];
  try {
    for (const id of HUNT_IDS) {
      const hunt = findHunt(id);
      if (!hunt) {
        throw new Error(`Hunt ${id} is not in the library; update HUNT_IDS in test/bench/engine.bench.ts.`);
      }
      const { sql, difference } = huntSql(hunt);
      const kql = renderHunt(hunt);
      const engineTimes: number[] = [];
      const emptyTimes: number[] = [];
      const duckTimes: number[] = [];
      let engineRows = 0;
      let duckRows = 0;
      let firstMs = 0;
      for (let round = 0; round <= ROUNDS; round++) {
        let started = performance.now();
        engineRows = runQuery(database, kql, { now }).tables[0]?.rows.length ?? 0;
        const engineMs = performance.now() - started;
        started = performance.now();
        duckRows = (await runSql(duck.connection, sql(nowText))).length;
        const duckMs = performance.now() - started;
        started = performance.now();
        runQuery(empty, kql, { now });
        const emptyMs = performance.now() - started;
        if (round === 0) {
          firstMs = engineMs;
        } else {
          engineTimes.push(engineMs);
          duckTimes.push(duckMs);
          emptyTimes.push(emptyMs);
        }
      }
      figures.push({ id, engineMs: median(engineTimes), firstMs, emptyMs: median(emptyTimes), duckMs: median(duckTimes), engineRows, duckRows, difference });
      console.log(`${id}: engine ${median(engineTimes).toFixed(0)} ms, ${engineRows} rows; DuckDB ${median(duckTimes).toFixed(0)} ms, ${duckRows} rows`);
    }
  } finally {
    duck.close();
  }
  return figures;
}

/** Runs engineMemory.js for one side in a child process and returns its report. */
function measureMemory(side: 'engine' | 'duckdb', sample: string): MemoryReport {
  const child = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'engineMemory.js'), side, sample], { encoding: 'utf8', maxBuffer: 16 * MIB });
  if (child.status !== 0) {
    throw new Error(`The ${side} memory child failed (exit ${String(child.status)}): ${child.stderr}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as MemoryReport;
}

async function main(): Promise<void> {
  const parts = selectedParts();
  const loadBefore = loadavg()[0];
  loadKustoLanguage();
  const sample = await prepareSample(ROWS);
  const jsonLines = await writeJsonLines(sample);

  const loads: LoadFigure[] = [];
  let readerJsonLines: LoadFigure | undefined;
  let readerOneThread: LoadFigure | undefined;
  let nodeJsonLines: LoadFigure | undefined;
  if (parts.has('load')) {
    const files = readdirSync(sample).filter((name) => isExportFileName(name)).sort();
    for (const name of files) {
      const figure = await timeLoad(join(sample, name));
      if (figure.rows > 0) {
        loads.push(figure);
        console.log(`${name}: ${figure.rows} rows in ${figure.ms.toFixed(0)} ms`);
      }
    }
    // The three JSON-lines figures make the load ratio, so each is the median of LOAD_ROUNDS loads, alternated.
    const parts: LoadFigure[] = [];
    const oneThread: LoadFigure[] = [];
    const baseline: LoadFigure[] = [];
    for (let round = 0; round < LOAD_ROUNDS; round++) {
      parts.push(await timeLoad(jsonLines));
      oneThread.push(await timeLoad(jsonLines, true));
      baseline.push(await timeJsonParse(jsonLines));
    }
    readerJsonLines = medianLoad(parts);
    readerOneThread = medianLoad(oneThread);
    nodeJsonLines = medianLoad(baseline);
    console.log(loadTable(loads, { readerJsonLines, readerOneThread, nodeJsonLines }).join('\n'));
  }

  let hunts: HuntFigure[] = [];
  let signInRows = 0;
  let loadMs = 0;
  if (parts.has('hunts')) {
    const loaded = await loadData([sample]);
    signInRows = loaded.tables.filter((table) => /signin/i.test(table.name)).reduce((sum, table) => sum + table.rows, 0);
    loadMs = loaded.loadMs;
    hunts = await timeHunts(loaded.database, sample);
    console.log([...HUNT_TABLE_HEADER, ...hunts.map(huntRow)].join('\n'));
  }

  let engineMemory: MemoryReport | undefined;
  let duckMemory: MemoryReport | undefined;
  if (parts.has('memory')) {
    engineMemory = measureMemory('engine', sample);
    duckMemory = measureMemory('duckdb', sample);
    console.log(memoryTable(engineMemory, duckMemory).join('\n'));
  }

  const loadAverages = [loadBefore, loadavg()[0]];
  console.log(`One-minute load average: ${loadAverages.map((value) => value.toFixed(1)).join(' at the start, ')} at the end.`);
  if (!readerJsonLines || !readerOneThread || !nodeJsonLines || !engineMemory || !duckMemory || !parts.has('hunts')) {
    console.log('A partial run (HUNT_LENS_BENCH_ENGINE_PARTS) leaves docs/benchmarks.md unchanged.');
    return;
  }
  const section = renderSection({ loads, readerJsonLines, readerOneThread, nodeJsonLines, hunts, engineMemory, duckMemory, signInRows, loadMs, loadAverages });
  writeSection(join(repoRoot, 'docs', 'benchmarks.md'), HEADING, section);
  console.log(section);
}

interface Figures {
  loads: LoadFigure[];
  readerJsonLines: LoadFigure;
  readerOneThread: LoadFigure;
  nodeJsonLines: LoadFigure;
  hunts: HuntFigure[];
  engineMemory: MemoryReport;
  duckMemory: MemoryReport;
  signInRows: number;
  loadMs: number;
  /** One-minute load averages at the start and at the end of the run. */
  loadAverages: number[];
}

const mibPerSecond = (figure: LoadFigure): number => figure.bytes / MIB / (figure.ms / 1000);

/** The JSON-lines file loaded by the readers, with and without worker threads, and by Node's baseline. */
interface JsonLinesFigures {
  readerJsonLines: LoadFigure;
  readerOneThread: LoadFigure;
  nodeJsonLines: LoadFigure;
}

/** The load table and its target line. */
function loadTable(loads: readonly LoadFigure[], { readerJsonLines, readerOneThread, nodeJsonLines }: JsonLinesFigures): string[] {
  const loadRatio = mibPerSecond(readerJsonLines) / mibPerSecond(nodeJsonLines);
  const oneThreadRatio = mibPerSecond(readerOneThread) / mibPerSecond(nodeJsonLines);
  const loadRow = (figure: LoadFigure): string =>
    `| ${figure.file} | ${figure.format} | ${(figure.bytes / MIB).toFixed(1)}${figure.gzip ? ' (gzip, uncompressed)' : ''} | ${figure.rows.toLocaleString('en')} | ${(figure.ms / 1000).toFixed(2)} | ${mibPerSecond(figure).toFixed(1)} |`;
  return [
    '| File | Format | MiB | Rows | Seconds | MiB/s |',
    '|---|---|---|---|---|---|',
    ...loads.map(loadRow),
    loadRow(readerJsonLines),
    loadRow(readerOneThread),
    loadRow(nodeJsonLines),
    '',
    `Target: the readers at 0.8× or more of Node's throughput on the same JSON-lines file. Measured: ${loadRatio.toFixed(2)}× (${loadRatio >= 0.8 ? 'met' : 'missed'}),`,
    `with the file read in ${defaultSplit().parts} parts at once; ${oneThreadRatio.toFixed(2)}× when one thread reads it all.`,
  ];
}

/** The memory table and its target line. */
function memoryTable(engineMemory: MemoryReport, duckMemory: MemoryReport): string[] {
  const memoryRatio = engineMemory.maxRssBytes / duckMemory.maxRssBytes;
  const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  return [
    '| Side | Rows | Peak RSS | Held RSS |',
    '|---|---|---|---|',
    `| Engine | ${engineMemory.rows.toLocaleString('en')} | ${gib(engineMemory.maxRssBytes)} | ${gib(engineMemory.heldRssBytes)} |`,
    `| DuckDB | ${duckMemory.rows.toLocaleString('en')} | ${gib(duckMemory.maxRssBytes)} | ${gib(duckMemory.heldRssBytes)} |`,
    '',
    `Target: the engine's peak no more than DuckDB's. Measured: ${memoryRatio.toFixed(2)}× (${memoryRatio <= 1 ? 'met' : 'missed'}).`,
  ];
}

const HUNT_TABLE_HEADER = [
  '| Hunt | Engine ms | Engine ms, first run | Engine ms, empty tables | DuckDB ms | Ratio | Rows (engine / DuckDB) | Met |',
  '|---|---|---|---|---|---|---|---|',
];

function huntRow(figure: HuntFigure): string {
  const ratio = (figure.engineMs / figure.duckMs).toFixed(2);
  const rows = `${figure.engineRows} / ${figure.duckRows}${figure.engineRows === figure.duckRows ? '' : ' (differ)'}`;
  return `| ${figure.id} | ${figure.engineMs.toFixed(0)} | ${figure.firstMs.toFixed(0)} | ${figure.emptyMs.toFixed(0)} | ${figure.duckMs.toFixed(0)} | ${ratio}× | ${rows} | ${figure.engineMs <= figure.duckMs ? 'yes' : 'no'} |`;
}

function renderSection(figures: Figures): string {
  const { engineMemory, duckMemory } = figures;
  const differences = figures.hunts.filter((figure) => figure.difference !== '').map((figure) => `- ${figure.id}: ${figure.difference}`);
  return [
    HEADING,
    '',
    'Command: `npm run bench` (`test/bench/engine.bench.ts`). `HUNT_LENS_BENCH_ENGINE_ROWS` sets the sample size',
    `(default 1,000,000) and \`HUNT_LENS_BENCH_ENGINE_ROUNDS\` the measured rounds per hunt (default 5, after one warm-up).`,
    'The seeded sample generator writes the tenant into a folder under the temp directory, which later runs reuse.',
    '`HUNT_LENS_BENCH_ENGINE_PARTS` runs only some parts (a comma-separated subset of `load`, `hunts`, `memory`); such a',
    'run prints its tables and leaves this page unchanged.',
    `This run: ${figures.signInRows.toLocaleString('en')} sign-in rows in all sign-in tables, loaded by \`loadData\` in ${(figures.loadMs / 1000).toFixed(1)} s.`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical CPUs, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}; ${new Date().toISOString().slice(0, 10)}.`,
    'DuckDB is @duckdb/node-api 1.5.6-r.1 with its default thread count (one per logical CPU); the engine runs each query on one thread.',
    `Other builds and test runs shared the machine: the one-minute load average was ${figures.loadAverages.map((value) => value.toFixed(1)).join(' at the start and ')} at the end,`,
    `on ${cpus().length} logical CPUs, so every time here is longer, and varies more, than on an idle machine.`,
    '',
    '### Load',
    '',
    'Each export file is loaded alone with `loadData`, which reads it once and builds its tables as the rows arrive.',
    'Each load, and the baseline, starts after a full garbage collection, so the garbage of one load does not slow the next.',
    'Throughput is in MiB of the file\'s bytes per second; for a .gz file the bytes are the uncompressed bytes, and the time',
    'includes decompressing. The JSON-lines file holds the SigninLogs records of `SigninLogs.json.gz`, one per line,',
    'and Node\'s baseline reads it as UTF-8, splits it into lines and calls `JSON.parse` on each, keeping nothing.',
    'An uncompressed Log Analytics JSON export of 64 MiB or more is read in parts at once, one per logical CPU up to 4.',
    'This thread reads the first part and worker threads the others, and their rows are appended in file order. The',
    '"one thread" row loads the same file with the parts switched off. Every other file here is read by one thread.',
    `Each of the three JSON-lines rows is the median of ${LOAD_ROUNDS} loads, taken in turn with the other two; every other`,
    'file is loaded once.',
    '',
    ...loadTable(figures.loads, figures),
    '',
    '### Hunts',
    '',
    'Default parameters, with now() at the newest record. Engine time is `runQuery` on the rendered KQL; DuckDB time is',
    '`runAndReadAll` on the SQL in `test/bench/engineHuntSql.ts` plus `getRowsJS()`.',
    `Median of ${ROUNDS} rounds in milliseconds; the ratio is engine time over DuckDB time. Target: ratio at or below 1.`,
    'The engine keeps the parsed and bound query per database, so only the first run of a query, the warm-up round',
    '("first run"), pays the parsing and binding by the Kusto language service. It also pays for making the dictionary of',
    'each column of ids that the hunt reads unique (see Reading). "Empty tables" runs the same KQL on tables',
    'with the same columns and no rows, which times the setup that every run pays whatever the data size.',
    '',
    ...HUNT_TABLE_HEADER,
    ...figures.hunts.map(huntRow),
    '',
    ...(differences.length > 0 ? ['Where the SQL differs from the KQL:', '', ...differences, ''] : []),
    '### Memory',
    '',
    'Each side loads every export of the sample in its own Node process (`test/bench/engineMemory.ts`): the engine with',
    '`loadData`, DuckDB by appending the readers\' rows to an in-memory database. The figure is the process\'s peak RSS',
    '(`process.resourceUsage().maxRSS`), Node and the readers included on both sides. "Held" is the RSS after loading',
    'and a full garbage collection, with the data still referenced: what the data costs once loading is over.',
    '',
    ...memoryTable(engineMemory, duckMemory),
    '',
    ...READING,
  ].join('\n');
}

/**
 * Causes behind the figures, from CPU profiles (`node --cpu-prof`) taken on
 * 2026-12-05, the load and memory notes after the loader changes. This text does not change with the figures, so check it with a
 * new profile after changing the engine or the readers.
 */
const READING = [
  '### Reading',
  '',
  '- Load, JSON: a CPU profile (`node --cpu-prof`) of `loadData` on the 666,443-row JSON-lines file, read by one thread,',
  '  split as follows before the changes below. `JSON.parse` took 34% of the samples and dictionary encoding of text',
  '  columns about 25% (`TextAppender.codeOfValue`, `add` and `addToDictionary`: one `Map` lookup per cell, in maps',
  '  that grow to one entry per row for ids). UTF-8 decoding took 9% and line splitting 8%.',
  '- Lines are now found in the bytes and each is decoded on its own. `JSON.parse` reads such a flat string faster than a',
  '  slice of a decoded 1 MiB chunk: splitting and parsing 200,000 lines took 860 ms this way against 1,300 ms before,',
  '  alternating on an idle machine. One thread then loads at about 0.55× of the baseline.',
  '- A large uncompressed Log Analytics JSON export is read in parts at once (`src/engine/loadParts.ts`). Each worker',
  '  thread sends its rows in chunks of 16,384 as columns, and this thread encodes their text into its own',
  '  dictionaries between batches of its own part. Every other format is read by one thread: Graph files derive attempt',
  '  keys across rows, CSV can quote line breaks, and gzip and UTF-16 need one decoder from the start.',
  '- Lookups for columns of ids (text whose first 4,096 values are mostly distinct) took about 30% of this thread in a',
  '  parts load. Every text column now probes its first 4,096 rows in every thread, and a column of ids adds later texts',
  '  without a lookup, so its dictionary may repeat entries. The table makes such a dictionary unique the first time a',
  '  query reads the column (`settleText` in `src/engine/columns.ts`), so columns that no hunt reads never pay, and the',
  '  first run of a hunt that reads one pays once. One thread then loads about 25% faster. Taking in a worker\'s rows',
  '  costs this thread about 0.15 of reading them, so with 2 cores it reads the first 43% of the file. It reserves the',
  '  workers\' rows in one allocation per column instead of doubling each column while they are appended.',
  '- Spread: five full runs on 2026-12-05, on a machine with a load average of 1.4 to 2.7 from the benchmark itself and',
  '  ending jobs. The first three timed one load each and gave a load ratio of 0.80×, 0.90× and 0.80× (0.796× and',
  '  0.798× missed the target by rounding). The last two took the median of three alternated loads and gave 0.90× and',
  '  0.84×. success-after-failures ran at 0.60× to 0.78× of DuckDB. mfa-prompt-burst ran at 0.63× to 0.99× in the first',
  '  four runs, with the engine at 70 to 94 ms and DuckDB at 95 to 110 ms. The fifth run, after `tostring()` of a text',
  '  column was read as the column itself, gave 0.62×. Peak memory was 0.48× to 0.51× of DuckDB\'s. Earlier runs that',
  '  day, on an idle machine of the same size with an Intel Xeon CPU, gave a load ratio of 0.74× to 0.88× and',
  '  success-after-failures 1.00× to 1.16×.',
  '- Batches of 256 rows instead of 2,000 let most parsed records die young: the garbage collector\'s share of a',
  '  50,000-line profile fell from 13% to 6%. Writing each column of a batch straight into its typed array, without',
  '  `convertInput` and a generic writer per cell, and parsing ISO datetimes without a regular expression, removed most',
  '  of the rest of the builder\'s time.',
  '- Graph pages written with one record per line, such as `GraphSignIns_interactive.json`, now take the',
  '  array-per-line path of `SigninLogs.json.gz` instead of stream-json\'s tokenizer. Graph files still pay for mapping each',
  '  record to Log Analytics names and for writing objects as JSON text into the text columns of',
  '  AADNonInteractiveUserSignInLogs.',
  '- Load, CSV: csv-parse takes about 60% of a profile of `OfficeActivity.csv`; the builder\'s share is small. A faster CSV',
  '  path needs another parser.',
  '- Hunts: profiles (the inspector\'s CPU profiler around 5 runs of each hunt, 1,000,000 sample rows) found the',
  '  parsing and binding by the Kusto language service at 17 to 114 ms of every run. The engine now keeps the bound tree',
  '  per database and query text (the last 16 queries), so only a query\'s first run pays it. Text columns derived from one',
  '  dictionary column, summarize keys, `take_any` and `arg_min`/`arg_max` are built once per dictionary code or copied',
  '  from the source column instead of a `Map` lookup per row. `dcount` and `dcountif` of a dictionary column record',
  '  (group, code) pairs and count them with a counting sort instead of a `Set`. Two summarize keys are combined in a',
  '  hash table of typed arrays, and `min`/`max` of a datetime column read its `Float64Array` without boxing each value.',
  '  String predicates on one dictionary column were already evaluated once per dictionary code.',
  '- After those changes the garbage collector was the largest single item: 18% of the engine\'s time in',
  '  `mfa-prompt-burst` and 25% in `success-after-failures`. Most collections were scavenges forced by the external',
  '  memory of each run\'s typed arrays (a row-index array per filter, a copied code array per column read). Now and',
  '  then a full mark-compact over the loaded data made the slowest rounds. Row selections, gathered columns and group',
  '  ids now come from buffers that runs lend and return (`src/engine/scratch.ts`), so a run adds no external memory',
  '  once the pool holds its sizes. The common aggregates take blocks of 4,096 rows in loops of their own instead of one',
  '  call per row and aggregate. A condition over one dictionary column (`ResultType == "0"` in `dcountif` and',
  '  `maxif`) is tested once per row into a mask that the aggregates with the same condition share. In profiles under',
  '  load from other jobs, `success-after-failures` went from 57 to 35 ms a run. The rest of `mfa-prompt-burst` is per-row work on dynamic values:',
  '  reading `Status.additionalDetails` and lower-casing it for `!has`. An ASCII case-folding search in place of',
  '  `toLowerCase` was 3 times slower than `toLowerCase` plus `indexOf` once warm in a micro-benchmark, so it is not used.',
  '- Expressions of one dynamic column are cached per object while rows share objects. In the profiled build every row had',
  '  its own object, so the cache turned itself off after 4,096 rows. The loader now shares one object per distinct value',
  '  (see Memory), which is what the cache needs.',
  '- Memory: rows with the same JSON text in a dynamic column (`Status`, `LocationDetails`, `DeviceDetail` and others)',
  '  now share one frozen value, and a column whose first 4,096 values are mostly distinct stops interning. `loadData`',
  '  reads a Graph file once for both sign-in tables, where the rows of AADNonInteractiveUserSignInLogs used to wait in',
  '  memory while SigninLogs was built. Together these took the engine\'s peak from 3.89 to 1.16 GiB at 989,140 rows.',
  '',
];

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
