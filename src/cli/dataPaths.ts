/** De-duplication of the CLI's --data paths, so that no export file is read twice. */
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isExportFileName } from '../engine/readers/index';

/** The paths to read, and the given paths left out because another path already reads the same file or folder. */
export interface DataPaths {
  readonly paths: string[];
  readonly dropped: string[];
}

/**
 * Drops a path that resolves (through symbolic links) to a file or folder
 * named before it, and a file that a named folder reads anyway (an export
 * file directly in it). Paths that do not exist are kept for the loader to
 * report.
 */
export async function dedupeDataPaths(paths: readonly string[]): Promise<DataPaths> {
  const resolved = await Promise.all(
    paths.map(async (given) => {
      const real = await realpath(given).catch(() => path.resolve(given));
      const isFolder = await stat(real).then((info) => info.isDirectory(), () => false);
      return { given, real, isFolder };
    }),
  );
  const folders = new Set(resolved.filter((entry) => entry.isFolder).map((entry) => entry.real));
  const seen = new Set<string>();
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const { given, real, isFolder } of resolved) {
    const insideNamedFolder = !isFolder && folders.has(path.dirname(real)) && isExportFileName(path.basename(real));
    if (seen.has(real) || insideNamedFolder) {
      dropped.push(given);
      continue;
    }
    seen.add(real);
    kept.push(given);
  }
  return { paths: kept, dropped };
}
