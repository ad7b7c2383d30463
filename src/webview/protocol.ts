/**
 * Messages between the extension host and the results webview. Both sides
 * import this file. Each side checks every message it receives with the
 * parse functions below, and drops and logs anything that does not match.
 */
import type { QueryTarget, ResultColumn, ResultStatus, ServiceError, Visualization } from '../results/model';
import type { EncodedChunk } from './core/columnar';
import type { TimeZoneMode } from './core/format';

/** Everything about a run except its rows, sent once before the chunks. */
export interface ResultHeader {
  title: string;
  status: ResultStatus;
  error?: ServiceError;
  target: QueryTarget;
  query: string;
  startedAt: string;
  durationMs: number;
  timeRange?: { start: string; end: string };
  requestId?: string;
  truncated: boolean;
  warnings: string[];
  statistics?: Record<string, unknown>;
  visualization?: Visualization;
  tables: Array<{ name: string; columns: ResultColumn[]; rowCount: number }>;
  /** Columns of the first table that a library hunt declares as entities; their cells offer pivots. */
  entityColumns?: string[];
}

export interface ViewSettings {
  timeZone: TimeZoneMode;
}

/** Extension host to webview. */
export type HostMessage =
  /** Starts a result; the webview drops any earlier one. Sent only after the webview's `ready`. */
  | { type: 'result'; header: ResultHeader; settings: ViewSettings; view?: ViewState }
  /** Rows of one table; chunks of a table arrive in row order. */
  | { type: 'chunk'; chunk: EncodedChunk }
  /** All chunks of the result were sent. */
  | { type: 'complete' }
  /** A setting that affects display changed. */
  | { type: 'settings'; settings: ViewSettings }
  /** Applies a sort and a filter, as the user would from the grid (used by tests and commands). */
  | { type: 'applyView'; sort: ViewState['sort']; filter: ViewState['filter'] }
  /** Asks the webview for its table and selected rows; it answers with `saveEvidence`. */
  | { type: 'requestEvidence' };

/** Summary of what the webview painted, so the extension and the tests can observe rendering. */
export interface RenderReport {
  tableIndex: number;
  /** Rows after the filter. */
  visibleRowCount: number;
  /** Text of the first painted data row, cell by cell, as the grid shows it. */
  firstRowText: string[];
}

/** What the chart pane drew, or why it drew nothing, so the tests can observe charts. */
export type ChartReport =
  | {
      tableIndex: number;
      kind: string;
      title: string;
      xAxis: 'time' | 'number' | 'category';
      /** Series names as the legend shows them before control characters are marked. */
      seriesNames: string[];
      /** Positions on the x axis. */
      pointCount: number;
      notes: string[];
    }
  | { tableIndex: number; error: string };

/** Webview to extension host. */
export type WebviewMessage =
  /** The webview listens for messages; the extension may post the result. */
  | { type: 'ready' }
  /** The grid painted rows (after the first chunk, a sort or a filter). */
  | { type: 'rendered'; report: RenderReport }
  /** Writes text to the clipboard through the extension, which the webview cannot always do itself. */
  | { type: 'copy'; text: string; description: string }
  /** Asks for a save dialog and writes a whole table. */
  | { type: 'export'; tableIndex: number; format: 'csv' | 'json' }
  /**
   * The view state after a change, so the extension can store it beside the
   * result: the web workbench may not have written its copy of the webview
   * state when the window reloads.
   */
  | { type: 'viewState'; state: ViewState }
  /** The chart pane drew a chart or showed why it could not. */
  | { type: 'chartRendered'; report: ChartReport }
  /**
   * Saves rows of a table as evidence. `selectedRows` are table row indexes
   * (the active row when nothing else is selected); the extension asks
   * whether to save those or the whole table.
   */
  | { type: 'saveEvidence'; tableIndex: number; selectedRows: number[] }
  /** A problem the webview caught, for the extension's log. */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** Asks the extension to offer the pivots of one row of the first table, by its index in the table. */
  | { type: 'pivot'; row: number };

/** Webview state kept by VS Code across hide, show and reload (through setState). */
export interface ViewState {
  /** Key of the stored result this panel shows, used by the serializer after a reload. */
  resultId: string;
  tableIndex: number;
  sort: { column: string; direction: 'ascending' | 'descending' } | null;
  filter: { all: string; columns: Record<string, string> };
  /** Column widths in CSS pixels, by column name. */
  widths: Record<string, number>;
  /** Hidden columns, by name. */
  hidden: string[];
  /** Column names in the order the user arranged them; absent until a column is moved. */
  columnOrder?: string[];
  scrollTop: number;
  scrollLeft: number;
}

type Check = (value: unknown) => boolean;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isStringRecord: Check = (value) => isRecord(value) && Object.values(value).every(isString);

function hasFields(value: unknown, fields: Record<string, Check>): value is Record<string, unknown> {
  return isRecord(value) && Object.entries(fields).every(([name, check]) => check(value[name]));
}

const isStringArray: Check = (value) => Array.isArray(value) && value.every(isString);
const isChartReport: Check = (value) =>
  hasFields(value, { tableIndex: isNumber, error: isString }) ||
  hasFields(value, {
    tableIndex: isNumber,
    kind: isString,
    title: isString,
    xAxis: (axis) => axis === 'time' || axis === 'number' || axis === 'category',
    seriesNames: isStringArray,
    pointCount: isNumber,
    notes: isStringArray,
  });

const isSort: Check = (value) =>
  value === null || hasFields(value, { column: isString, direction: (direction) => direction === 'ascending' || direction === 'descending' });
const isFilter: Check = (value) => hasFields(value, { all: isString, columns: isStringRecord });

/** Returns the message when it is a valid WebviewMessage, otherwise undefined. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  if (!isRecord(data)) {
    return undefined;
  }
  switch (data.type) {
    case 'ready':
      return { type: 'ready' };
    case 'rendered':
      return hasFields(data.report, {
        tableIndex: isNumber,
        visibleRowCount: isNumber,
        firstRowText: (value) => Array.isArray(value) && value.every(isString),
      })
        ? (data as WebviewMessage)
        : undefined;
    case 'copy':
      return hasFields(data, { text: isString, description: isString }) ? (data as WebviewMessage) : undefined;
    case 'export':
      return hasFields(data, { tableIndex: isNumber, format: (value) => value === 'csv' || value === 'json' }) ? (data as WebviewMessage) : undefined;
    case 'viewState':
      return parseViewState(data.state) ? (data as WebviewMessage) : undefined;
    case 'chartRendered':
      return isChartReport(data.report) ? (data as WebviewMessage) : undefined;
    case 'saveEvidence':
      return hasFields(data, { tableIndex: isNumber, selectedRows: (rows) => Array.isArray(rows) && rows.every((row) => Number.isInteger(row) && (row as number) >= 0) })
        ? (data as WebviewMessage)
        : undefined;
    case 'pivot':
      return hasFields(data, { row: (row) => isNumber(row) && Number.isInteger(row) && (row as number) >= 0 }) ? { type: 'pivot', row: data.row as number } : undefined;
    case 'log':
      return hasFields(data, { level: (value) => value === 'info' || value === 'warn' || value === 'error', message: isString })
        ? (data as WebviewMessage)
        : undefined;
    default:
      return undefined;
  }
}

const isTypedColumn: Check = (value) => {
  if (!isRecord(value)) {
    return false;
  }
  const column = value;
  switch (column.kind) {
    case 'number':
      return column.values instanceof Float64Array && column.nulls instanceof Uint8Array;
    case 'datetime':
      return column.epochMs instanceof Float64Array && column.subMsTicks instanceof Uint16Array && column.nulls instanceof Uint8Array;
    case 'bool':
      return column.values instanceof Uint8Array;
    case 'text':
      return Array.isArray(column.dictionary) && column.dictionary.every(isString) && column.indexes instanceof Uint32Array;
    case 'json':
      return Array.isArray(column.values) && column.values.every((item) => item === null || isString(item));
    case 'cells':
      return Array.isArray(column.values);
    default:
      return false;
  }
};

const isChunk: Check = (value) =>
  hasFields(value, {
    tableIndex: isNumber,
    rowStart: isNumber,
    rowCount: isNumber,
    columns: (columns) => Array.isArray(columns) && columns.every(isTypedColumn),
  });

const isHeader: Check = (value) =>
  hasFields(value, {
    title: isString,
    status: (status) => status === 'Success' || status === 'PartialFailure' || status === 'Failure',
    query: isString,
    startedAt: isString,
    durationMs: isNumber,
    truncated: (truncated) => typeof truncated === 'boolean',
    warnings: (warnings) => Array.isArray(warnings) && warnings.every(isString),
    target: (target) => hasFields(target, { kind: isString, displayName: isString }),
    tables: (tables) =>
      Array.isArray(tables) &&
      tables.every((table) =>
        hasFields(table, {
          name: isString,
          rowCount: isNumber,
          columns: (columns) => Array.isArray(columns) && columns.every((column) => hasFields(column, { name: isString, type: isString })),
        }),
      ),
    entityColumns: (columns) => columns === undefined || (Array.isArray(columns) && columns.every(isString)),
  });

const isSettings: Check = (value) => hasFields(value, { timeZone: (zone) => zone === 'utc' || zone === 'local' });

/** Returns the message when it is a valid HostMessage, otherwise undefined. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (!isRecord(data)) {
    return undefined;
  }
  switch (data.type) {
    case 'result':
      return isHeader(data.header) && isSettings(data.settings) && (data.view === undefined || parseViewState(data.view)) ? (data as HostMessage) : undefined;
    case 'chunk':
      return isChunk(data.chunk) ? (data as HostMessage) : undefined;
    case 'complete':
      return { type: 'complete' };
    case 'settings':
      return isSettings(data.settings) ? (data as HostMessage) : undefined;
    case 'applyView':
      return isSort(data.sort) && isFilter(data.filter) ? (data as HostMessage) : undefined;
    case 'requestEvidence':
      return { type: 'requestEvidence' };
    default:
      return undefined;
  }
}

/** Returns the state when it has the ViewState shape, otherwise undefined (for example state from an older version). */
export function parseViewState(data: unknown): ViewState | undefined {
  return hasFields(data, {
    resultId: isString,
    tableIndex: isNumber,
    sort: isSort,
    filter: isFilter,
    widths: (widths) => isRecord(widths) && Object.values(widths).every(isNumber),
    hidden: (hidden) => Array.isArray(hidden) && hidden.every(isString),
    columnOrder: (order) => order === undefined || (Array.isArray(order) && order.every(isString)),
    scrollTop: isNumber,
    scrollLeft: isNumber,
  })
    ? (data as unknown as ViewState)
    : undefined;
}

/** Short description of a dropped message for the log: its type, never its content. */
export function describeDropped(data: unknown): string {
  const type = isRecord(data) && typeof data.type === 'string' ? JSON.stringify(data.type.slice(0, 40)) : typeof data;
  return `Dropped an invalid or unknown message (type ${type}).`;
}
