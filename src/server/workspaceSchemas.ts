/**
 * The table schemas each document binds against. Defender XDR blocks always
 * use the bundled tables. Log Analytics blocks use the schema of the
 * workspace the document runs on when the client has sent one, and the
 * bundled tables otherwise.
 */
import type { HuntTarget } from '../hunts/types';
import type { DocumentWorkspaceParams, WorkspaceSchemaParams } from '../protocol/languageServer';
import { TABLE_SCHEMAS, type KustoColumnType, type TableSchema } from '../schema/tables';

const COLUMN_TYPES: ReadonlySet<string> = new Set<KustoColumnType>(['string', 'long', 'int', 'real', 'bool', 'datetime', 'timespan', 'dynamic', 'guid']);

/** The tables a block binds against, and a key that changes whenever they do (for the block cache). */
export interface BoundSchema {
  readonly key: string;
  readonly tables: readonly TableSchema[];
}

interface WorkspaceSchema {
  readonly generation: number;
  readonly tables: readonly TableSchema[];
}

const schemasByWorkspace = new Map<string, WorkspaceSchema>();
const workspaceByDocument = new Map<string, string>();
let generation = 0;

/**
 * Stores a workspace's schema. Returns the number of tables without a valid
 * name and columns of a type the binder does not define, which are left out.
 */
export function setWorkspaceSchema(params: WorkspaceSchemaParams): number {
  let dropped = 0;
  const tables: TableSchema[] = [];
  for (const table of params.tables) {
    const columnsValue: unknown = table.columns;
    if (typeof table.name !== 'string' || table.name === '' || !Array.isArray(columnsValue)) {
      dropped++;
      continue;
    }
    const columns = (columnsValue as unknown[]).filter(isColumn);
    dropped += columnsValue.length - columns.length;
    tables.push({ name: table.name, columns });
  }
  schemasByWorkspace.set(params.workspaceId, { generation: ++generation, tables });
  return dropped;
}

function isColumn(value: unknown): value is { name: string; type: KustoColumnType } {
  const column = value as { name?: unknown; type?: unknown } | null;
  return typeof column === 'object' && column !== null && typeof column.name === 'string' && typeof column.type === 'string' && COLUMN_TYPES.has(column.type);
}

/** Records the workspace a document runs on; null means none. */
export function setDocumentWorkspace(params: DocumentWorkspaceParams): void {
  if (params.workspaceId === null) {
    workspaceByDocument.delete(params.uri);
  } else {
    workspaceByDocument.set(params.uri, params.workspaceId);
  }
}

export function forgetDocument(uri: string): void {
  workspaceByDocument.delete(uri);
}

/** Returns the URIs of the documents that run on a workspace. */
export function documentsOnWorkspace(workspaceId: string): string[] {
  return [...workspaceByDocument].filter(([, workspace]) => workspace === workspaceId).map(([uri]) => uri);
}

/** Returns the tables a block of the document with the given target binds against. */
export function schemaFor(uri: string, target: HuntTarget): BoundSchema {
  const workspaceId = target === 'logAnalytics' ? workspaceByDocument.get(uri) : undefined;
  const workspace = workspaceId === undefined ? undefined : schemasByWorkspace.get(workspaceId);
  if (!workspace) {
    return { key: target, tables: TABLE_SCHEMAS[target] };
  }
  return { key: `${target}@${workspaceId}#${workspace.generation}`, tables: workspace.tables };
}
