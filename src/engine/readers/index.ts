// Placeholder with the agreed readers contract; replaced by the readers.
import type { ReadProblem, ReadTable } from '../input';
export interface ReadOptions { onProblem(problem: ReadProblem): void; signal?: AbortSignal }
export function readExportFile(file: string, options: ReadOptions): Promise<ReadTable[]> { void file; void options; return Promise.resolve([]); }
export function readExportFolder(folder: string, options: ReadOptions): Promise<ReadTable[]> { void folder; void options; return Promise.resolve([]); }
