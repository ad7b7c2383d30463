// Placeholder with the agreed engine contract; replaced by the evaluator.
import type { ColumnSchema } from '../schema/tables';
import type { ResultTable, Visualization } from '../results/model';
export interface Table { readonly name: string; readonly columns: readonly ColumnSchema[]; readonly rowCount: number }
export class TableBuilder {
  constructor(readonly name: string, readonly columns: readonly ColumnSchema[]) {}
  appendBatch(rows: unknown[][]): void { void rows; }
  finish(): Table { return { name: this.name, columns: this.columns, rowCount: 0 }; }
}
export class Database {
  constructor(readonly tables: readonly Table[]) {}
  newestTime(): number | undefined { return undefined; }
}
export interface RunOptions { now?: number; isCancelled?: () => boolean; maxRows?: number; maxCells?: number }
export interface EngineResult { tables: ResultTable[]; visualization?: Visualization }
export class EngineError extends Error {
  constructor(message: string, readonly code: 'unsupported' | 'semantic' | 'syntax' | 'limit' | 'cancelled' | 'runtime', readonly line?: number, readonly column?: number) { super(message); }
}
export function runQuery(db: Database, query: string, options?: RunOptions): EngineResult { void db; void query; void options; return { tables: [] }; }
