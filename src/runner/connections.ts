/**
 * Named connections and the `// connection:` directive that pins a file to one.
 * Pure, so it is unit-tested.
 */
import { isCloudName, type CloudName } from './clouds';

export interface Connection {
  name: string;
  workspaceId: string;
  cloud?: CloudName;
  tenant?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIRECTIVE = /^\s*\/\/\s*connection:\s*(.*?)\s*$/i;

/** Returns true for a Log Analytics workspace ID (a GUID). */
export function isWorkspaceId(text: string): boolean {
  return GUID.test(text.trim());
}

/** Reads the `huntLens.connections` value, dropping entries without a name or workspace ID. */
export function parseConnections(value: unknown): Connection[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const connections: Connection[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== 'object' || entry === null) {
      continue;
    }
    const record = entry as Record<string, unknown>;
    if (typeof record.name !== 'string' || typeof record.workspaceId !== 'string' || record.name.trim() === '') {
      continue;
    }
    const connection: Connection = { name: record.name.trim(), workspaceId: record.workspaceId.trim() };
    if (isCloudName(record.cloud)) {
      connection.cloud = record.cloud;
    }
    if (typeof record.tenant === 'string' && record.tenant.trim() !== '') {
      connection.tenant = record.tenant.trim();
    }
    connections.push(connection);
  }
  return connections;
}

/** Returns the connection name that a `// connection: <name>` comment line pins, or undefined. */
export function pinnedConnectionName(firstLine: string): string | undefined {
  const match = DIRECTIVE.exec(firstLine);
  const name = match?.[1];
  return name ? name : undefined;
}

/** True for the names a `// connection:` comment uses to pin a file to the local data folder. */
export function isLocalConnectionName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'local' || lower === 'local data';
}

/** Time filters that mean a query sets its own time range. */
const TIME_FILTER = /\bago\s*\(|\bbetween\s*\(|\bdatetime\s*\(|\b(TimeGenerated|Timestamp)\s*(>|<|>=|<=|==)/;

/** Returns true when the query filters on time, so no default timespan should be sent. */
export function filtersOnTime(query: string): boolean {
  const code = query
    .split(/\r?\n/)
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join('\n');
  return TIME_FILTER.test(code);
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses an ISO 8601 duration in days, hours, minutes and seconds (`P7D`, `PT12H`) to milliseconds. */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match || text.trim().length <= 1 || /T$/.test(text.trim())) {
    return undefined;
  }
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const total = ((((days ?? 0) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60 + (seconds ?? 0)) * 1000;
  return total > 0 ? total : undefined;
}
