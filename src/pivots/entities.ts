/**
 * Flagged entities: the users, IP addresses, times and sessions a hunt's
 * result names, read from the columns the hunt declares. Pure, so it is
 * unit-tested without VS Code. Every value here comes from log data, which an
 * attacker controls: callers put it into KQL only through src/hunts/literals.ts
 * and show it only through displayValue().
 */
import type { CellValue, QueryResult, ResultTable } from '../results/model';
import type { EntityColumn, EntityKind } from '../hunts/types';

/** One flagged row, reduced to the entity values a pivot can start from. */
export interface FlaggedEntity {
  userPrincipalName?: string;
  userObjectId?: string;
  ipAddress?: string;
  /** ISO 8601 instant in UTC. */
  approvalTime?: string;
  /** ISO 8601 instant in UTC. */
  lastSeen?: string;
  sessionId?: string;
  correlationId?: string;
  /** Denied MFA attempts the row counts, when the result has such a column. */
  denials?: number;
  /** Index of the first row this entity was read from, in the result's first table. */
  rowIndex: number;
}

export interface Extraction {
  entities: FlaggedEntity[];
  /** Declared entity columns that the result does not have. */
  missingColumns: string[];
}

/**
 * Columns that count denied MFA attempts, in order of preference. The first
 * one present gives the count in lens titles.
 */
export const DENIAL_COUNT_COLUMNS: readonly string[] = [
  'FailedAttempts',
  'DenialsBeforeApproval',
  'Denials',
  'WrongNumberDenials',
  'UserFailedAttempts',
];

const TIME_KINDS: ReadonlySet<EntityKind> = new Set(['approvalTime', 'lastSeen']);

/**
 * Reads the flagged entities from the first table of a result. Rows with no
 * entity value are skipped, and rows that name the same user, IP address,
 * session and approval time as an earlier row are merged into it. Declared columns
 * that the table lacks are listed in `missingColumns` instead of failing.
 */
export function extractEntities(result: Pick<QueryResult, 'tables'>, declared: readonly EntityColumn[]): Extraction {
  const table = result.tables[0];
  if (!table) {
    return { entities: [], missingColumns: declared.map((entity) => entity.column) };
  }
  const indexes = columnIndexes(table);
  const present = declared.filter((entity) => indexes.has(entity.column));
  const missingColumns = declared.filter((entity) => !indexes.has(entity.column)).map((entity) => entity.column);
  const countColumn = DENIAL_COUNT_COLUMNS.find((column) => indexes.has(column));

  const entities: FlaggedEntity[] = [];
  const seen = new Set<string>();
  table.rows.forEach((row, rowIndex) => {
    const entity = readRow(row, present, indexes, rowIndex);
    if (!entity) {
      return;
    }
    const key = entityKey(entity);
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    const count = countColumn === undefined ? undefined : countOf(row[indexes.get(countColumn)!]);
    if (count !== undefined) {
      entity.denials = count;
    }
    entities.push(entity);
  });
  return { entities, missingColumns };
}

/** Reads one row; returns undefined when none of its declared entity cells has a value. */
export function readRow(
  row: readonly CellValue[],
  declared: readonly EntityColumn[],
  indexes: ReadonlyMap<string, number>,
  rowIndex: number,
): FlaggedEntity | undefined {
  const entity: FlaggedEntity = { rowIndex };
  let found = false;
  for (const { column, kind } of declared) {
    const index = indexes.get(column);
    const value = index === undefined ? undefined : entityValue(row[index], kind);
    // The first declared column of a kind wins when a hunt declares two.
    if (value !== undefined && entity[kind] === undefined) {
      entity[kind] = value;
      found = true;
    }
  }
  return found ? entity : undefined;
}

/** Maps column names to their index; a repeated name keeps its first column. */
export function columnIndexes(table: ResultTable): Map<string, number> {
  const indexes = new Map<string, number>();
  table.columns.forEach((column, index) => {
    if (!indexes.has(column.name)) {
      indexes.set(column.name, index);
    }
  });
  return indexes;
}

/** Converts a cell to an entity value; null, empty text and dynamic values give undefined. */
function entityValue(cell: CellValue | undefined, kind: EntityKind): string | undefined {
  if (cell === null || cell === undefined) {
    return undefined;
  }
  if (TIME_KINDS.has(kind)) {
    return instantOf(cell);
  }
  if (typeof cell === 'string') {
    return cell.trim() === '' ? undefined : cell;
  }
  if (typeof cell === 'number') {
    return String(cell);
  }
  return undefined;
}

/** Returns a datetime cell, or ISO text that Date can read, as an ISO 8601 instant in UTC. */
function instantOf(cell: CellValue): string | undefined {
  if (typeof cell === 'object' && cell !== null && cell.kind === 'datetime') {
    return new Date(cell.epochMs).toISOString();
  }
  if (typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(cell)) {
    const time = Date.parse(cell);
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  return undefined;
}

function countOf(cell: CellValue | undefined): number | undefined {
  if (typeof cell === 'number' && Number.isFinite(cell)) {
    return cell;
  }
  if (typeof cell === 'string' && /^\d+$/.test(cell)) {
    return Number(cell);
  }
  return undefined;
}

/**
 * Returns the identity of an entity for de-duplication. The time last seen is left
 * out, so the rows of one user, IP address and session merge into the first
 * of them, while separate approvals stay separate.
 */
function entityKey(entity: FlaggedEntity): string {
  return JSON.stringify([
    entity.userPrincipalName?.toLowerCase(),
    entity.userObjectId,
    entity.ipAddress,
    entity.approvalTime,
    entity.sessionId,
  ]);
}

/** Returns the start of the time range a pivot from this entity searches: the approval, else the time last seen. */
export function entityTime(entity: FlaggedEntity): string | undefined {
  return entity.approvalTime ?? entity.lastSeen;
}
