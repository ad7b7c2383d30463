/** The parts of a QueryResult that the webview shows above the grid. */
import { huntIdOf } from '../hunts/document';
import { findHunt } from '../hunts/library';
import type { QueryResult } from '../results/model';
import type { ResultHeader } from './protocol';

const TITLE_LENGTH = 60;

/**
 * Returns the panel title: a library hunt's title, else the query's first
 * line that is not a comment, and the target.
 */
export function resultTitle(result: QueryResult): string {
  const lines = result.query.split(/\r?\n/);
  const huntId = huntIdOf(lines);
  const hunt = huntId === undefined ? undefined : findHunt(huntId);
  const line = hunt?.title ?? lines.map((text) => text.trim()).find((text) => text !== '' && !text.startsWith('//'));
  const query = line === undefined ? 'Query' : line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
  return `${query} · ${result.target.displayName}`;
}

/** Returns `title`, or `title (2)`, `title (3)`… when open panels already use it, so the panels of repeated runs of one query differ. */
export function distinctTitle(title: string, openTitles: readonly string[]): string {
  if (!openTitles.includes(title)) {
    return title;
  }
  let number = 2;
  while (openTitles.includes(`${title} (${number})`)) {
    number++;
  }
  return `${title} (${number})`;
}

export function resultHeader(result: QueryResult): ResultHeader {
  return {
    title: resultTitle(result),
    status: result.status,
    error: result.error,
    target: result.target,
    query: result.query,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    timeRange: result.timeRange,
    requestId: result.requestId,
    truncated: result.truncated ?? false,
    warnings: result.warnings ?? [],
    statistics: result.statistics,
    visualization: result.visualization,
    tables: result.tables.map((table) => ({ name: table.name, columns: table.columns, rowCount: table.rows.length })),
    entityColumns: entityColumnsOf(result),
  };
}

/** Entity columns of the first table, when the query is a library hunt tagged `// hunt: <id>`. */
function entityColumnsOf(result: QueryResult): string[] {
  const huntId = huntIdOf(result.query.split(/\r?\n/));
  const hunt = huntId === undefined ? undefined : findHunt(huntId);
  const names = new Set(result.tables[0]?.columns.map((column) => column.name));
  return (hunt?.entities ?? []).map((entity) => entity.column).filter((column) => names.has(column));
}

