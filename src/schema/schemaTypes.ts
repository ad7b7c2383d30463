/** The Kusto scalar types that bundled table columns use. */
export type KustoColumnType =
  | 'string'
  | 'long'
  | 'int'
  | 'real'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'dynamic'
  | 'guid';

export interface ColumnSchema {
  readonly name: string;
  readonly type: KustoColumnType;
}

export interface TableSchema {
  readonly name: string;
  /** Columns in the order the source reference lists them. */
  readonly columns: readonly ColumnSchema[];
}

/** Builds a table schema from a name-to-type map, keeping the map's key order. */
export function defineTable(name: string, columns: Readonly<Record<string, KustoColumnType>>): TableSchema {
  return {
    name,
    columns: Object.entries(columns).map(([columnName, type]) => ({ name: columnName, type })),
  };
}
