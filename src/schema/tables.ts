/**
 * Column schemas of the tables that Hunt Lens hunts read, grouped by the
 * service that hosts them. The hunt tests, the language server and the local
 * engine all bind queries against these schemas, so they list every
 * documented column, not only the ones the hunts use. The column lists and
 * their sources are in the files imported below.
 */
import type { HuntTarget } from '../hunts/types';
import { DEFENDER_XDR_TABLES } from './defenderXdr';
import { LOG_ANALYTICS_TABLES } from './logAnalytics';
import type { TableSchema } from './schemaTypes';

export type { ColumnSchema, KustoColumnType, TableSchema } from './schemaTypes';

/** Every bundled table schema, keyed by the service whose flavour of the table it describes. */
export const TABLE_SCHEMAS: Readonly<Record<HuntTarget, readonly TableSchema[]>> = {
  logAnalytics: LOG_ANALYTICS_TABLES,
  defenderXdr: DEFENDER_XDR_TABLES,
};

/** Returns the schema of a table as the given service defines it, or undefined when it is not bundled. */
export function findTableSchema(target: HuntTarget, tableName: string): TableSchema | undefined {
  return TABLE_SCHEMAS[target].find((table) => table.name === tableName);
}
