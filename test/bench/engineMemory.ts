// Child process of the local engine benchmark: `node engineMemory.js
// engine|duckdb <folder>` loads every export in the folder into one side
// only. It then prints one JSON line with the process's peak resident set
// size, so each side is measured without the other's data in the process.
import { loadData } from '../../src/engine/load';
import { loadDuckDb } from './engineDuckDb';

export interface MemoryReport {
  side: 'engine' | 'duckdb';
  rows: number;
  /** Peak resident set size of the whole process, in bytes. */
  maxRssBytes: number;
  /** Resident set size after loading and a full garbage collection, with the data still held, in bytes. */
  heldRssBytes: number;
}

async function main(): Promise<void> {
  const [side, folder] = process.argv.slice(2);
  if ((side !== 'engine' && side !== 'duckdb') || !folder) {
    throw new Error(`Usage: node engineMemory.js engine|duckdb <folder>; got "${process.argv.slice(2).join(' ')}".`);
  }
  let rows: number;
  if (side === 'engine') {
    const loaded = await loadData([folder]);
    rows = loaded.tables.reduce((sum, table) => sum + table.rows, 0);
  } else {
    const duck = await loadDuckDb(folder);
    rows = [...duck.rows.values()].reduce((sum, count) => sum + count, 0);
  }
  // maxRSS is in kibibytes on Linux and macOS.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  // The parent starts this process with --expose-gc.
  (globalThis as { gc?: () => void }).gc?.();
  const report: MemoryReport = { side, rows, maxRssBytes, heldRssBytes: process.memoryUsage().rss };
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
