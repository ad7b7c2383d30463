/**
 * The local engine: evaluates KQL over in-memory columnar tables, with no
 * Azure service. It imports nothing from vscode, so it also runs in a worker
 * thread or a plain Node process.
 */
export { Database, TableBuilder } from './builder';
export type { Table } from './columns';
export { EngineError, type EngineErrorCode } from './errors';
export { runQuery, type EngineResult, type RunOptions } from './run';
