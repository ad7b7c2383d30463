/**
 * Chart data from a result table: which columns a chart plots, how rows split
 * into series, and the aligned x and y arrays a chart library draws.
 * Column choice follows the KQL `render` operator's defaults. The x axis is
 * `xcolumn` or the first column. The series are `series` or every string
 * column other than the x axis. The y axes are `ycolumns` or every numeric
 * column that is neither the x axis nor a series column.
 */
import type { ColumnType, ResultColumn, Visualization } from '../../results/model';
import { cellText } from './format';
import { storeCell, type ColumnStore, type TableData } from './tableData';

export const CHART_KINDS = ['timechart', 'linechart', 'areachart', 'columnchart', 'barchart', 'piechart', 'scatterchart'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** Chart kind and the `render` options that pick its columns. */
export interface ChartSpec {
  kind: ChartKind;
  title?: string;
  xColumn?: string;
  yColumns?: string[];
  series?: string[];
}

export interface ChartSeries {
  /** Series value, y column name, or both as `value:column`. Log text, so display it as text only. */
  name: string;
  /** One value per x position; null where the series has no point. */
  values: Array<number | null>;
}

/** Meaning of the x values: epoch milliseconds, plain numbers, or indexes into `categories`. */
export type ChartAxis = 'time' | 'number' | 'category';

export interface ChartData {
  kind: ChartKind;
  title: string;
  xLabel: string;
  xAxis: ChartAxis;
  /** Ascending x values for time and number axes; 0 to n - 1 for a category axis. */
  x: number[];
  /** Category labels, one per x position, on a category axis; empty otherwise. */
  categories: string[];
  series: ChartSeries[];
  /** Things the chart leaves out (rows without an x value, series beyond the limit), for display under the chart. */
  notes: string[];
}

/** Series drawn at most; the rest are dropped, smallest total first, with a note. */
export const MAX_SERIES = 20;

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['int', 'long', 'real', 'decimal']);
const SERIES_TYPES: ReadonlySet<ColumnType> = new Set(['string', 'guid']);

export function isChartKind(value: unknown): value is ChartKind {
  return typeof value === 'string' && (CHART_KINDS as readonly string[]).includes(value);
}

/** Reads a `render` option that the service sends as a list, as one comma-separated string, or as null. */
function nameList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const names = value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
    return names.length > 0 ? names : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }
  return undefined;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Converts the service's visualization to a chart spec. Returns undefined for
 * `render table` and for no visualization, and an error for a kind that Hunt
 * Lens does not draw.
 */
export function specFromVisualization(visualization: Visualization | undefined): { spec: ChartSpec } | { error: string } | undefined {
  if (!visualization || visualization.visualization === 'table') {
    return undefined;
  }
  const kind = visualization.visualization;
  if (!isChartKind(kind)) {
    return { error: `The query asks for "render ${kind}", which Hunt Lens does not draw. It draws ${CHART_KINDS.join(', ')}.` };
  }
  return {
    spec: {
      kind,
      title: optionalText(visualization.title),
      xColumn: optionalText(visualization.xColumn),
      yColumns: nameList(visualization.yColumns),
      series: nameList(visualization.series),
    },
  };
}

/**
 * Returns the spec of the Chart button: a time chart over the first datetime
 * column, or undefined when the table lacks a datetime or a numeric column.
 */
export function defaultSpec(columns: readonly ResultColumn[]): ChartSpec | undefined {
  const time = columns.find((column) => column.type === 'datetime');
  const hasNumber = columns.some((column) => NUMERIC_TYPES.has(column.type));
  return time && hasNumber ? { kind: 'timechart', xColumn: time.name } : undefined;
}

interface ResolvedColumns {
  x: number;
  y: number[];
  series: number[];
}

function findColumn(table: TableData, name: string, option: string): number {
  const index = table.columns.findIndex((column) => column.name === name);
  if (index < 0) {
    throw new ChartError(`The render option ${option} names column "${name}", which table "${table.name}" does not have.`);
  }
  return index;
}

/** Raised for a spec that does not fit the table; its message names the column and the fix. */
export class ChartError extends Error {}

function resolveColumns(table: TableData, spec: ChartSpec): ResolvedColumns {
  if (table.columns.length === 0) {
    throw new ChartError(`Table "${table.name}" has no columns to chart.`);
  }
  const x = spec.xColumn === undefined ? 0 : findColumn(table, spec.xColumn, 'xcolumn');
  const explicitY = spec.yColumns?.map((name) => findColumn(table, name, 'ycolumns'));
  for (const index of explicitY ?? []) {
    if (!NUMERIC_TYPES.has(table.columns[index].type)) {
      const column = table.columns[index];
      throw new ChartError(`The render option ycolumns names "${column.name}", a ${column.type} column; a y axis needs an int, long, real or decimal column.`);
    }
  }
  const series =
    spec.kind === 'piechart'
      ? []
      : (spec.series?.map((name) => findColumn(table, name, 'series')) ??
        table.columns.flatMap((column, index) => (index !== x && !explicitY?.includes(index) && SERIES_TYPES.has(column.type) ? [index] : [])));
  const y = explicitY ?? table.columns.flatMap((column, index) => (index !== x && !series.includes(index) && NUMERIC_TYPES.has(column.type) ? [index] : []));
  if (y.length === 0) {
    throw new ChartError(`Table "${table.name}" has no numeric column to plot besides the x axis "${table.columns[x].name}". Add one, or name it with ycolumns.`);
  }
  return { x, y: spec.kind === 'piechart' ? y.slice(0, 1) : y, series };
}

function chartAxis(kind: ChartKind, type: ColumnType): ChartAxis {
  if (kind === 'piechart') {
    return 'category';
  }
  if (type === 'datetime') {
    return 'time';
  }
  const numeric = NUMERIC_TYPES.has(type);
  return numeric && (kind === 'linechart' || kind === 'areachart' || kind === 'scatterchart' || kind === 'timechart') ? 'number' : 'category';
}

/** Returns a reader of one column as numbers: datetimes as epoch milliseconds, numeric text parsed, anything else null. */
function numberReader(store: ColumnStore): (row: number) => number | null {
  switch (store.kind) {
    case 'number':
      return (row) => (store.nulls[row] ? null : store.values[row]);
    case 'datetime':
      return (row) => (store.nulls[row] ? null : store.epochMs[row]);
    default:
      return (row) => {
        const cell = storeCell(store, row);
        if (typeof cell === 'number') {
          return Number.isFinite(cell) ? cell : null;
        }
        if (typeof cell === 'string' && cell.trim() !== '') {
          const parsed = Number(cell);
          return Number.isFinite(parsed) ? parsed : null;
        }
        return cell !== null && typeof cell === 'object' && cell.kind === 'datetime' ? cell.epochMs : null;
      };
  }
}

/** Returns a reader of one column as label text; null stays null. */
function labelReader(store: ColumnStore): (row: number) => string | null {
  if (store.kind === 'text') {
    return (row) => {
      const index = store.indexes[row];
      return index === 0 ? null : store.dictionary[index - 1];
    };
  }
  return (row) => {
    const cell = storeCell(store, row);
    return cell === null ? null : cellText(cell);
  };
}

/**
 * Adds up the y values per series and x value. A chart library needs one
 * value per series at each x position, so rows that share both are summed.
 */
class SeriesAccumulator {
  readonly sums = new Map<string, Map<number, number>>();
  readonly totals = new Map<string, number>();

  add(name: string, x: number, y: number | null): void {
    let points = this.sums.get(name);
    if (!points) {
      points = new Map();
      this.sums.set(name, points);
      this.totals.set(name, 0);
    }
    if (y !== null) {
      points.set(x, (points.get(x) ?? 0) + y);
      this.totals.set(name, (this.totals.get(name) ?? 0) + Math.abs(y));
    }
  }
}

/**
 * Builds chart data from the rows in `rows` (table row indexes, such as the
 * grid's filtered order). Throws ChartError when the spec does not fit the table.
 */
export function extractChart(table: TableData, spec: ChartSpec, rows: ArrayLike<number>): ChartData {
  const columns = resolveColumns(table, spec);
  const xColumn = table.columns[columns.x];
  const xAxis = chartAxis(spec.kind, xColumn.type);
  const readX = xAxis === 'category' ? undefined : numberReader(table.stores[columns.x]);
  const readCategory = labelReader(table.stores[columns.x]);
  const readY = columns.y.map((index) => numberReader(table.stores[index]));
  const readSeries = columns.series.map((index) => labelReader(table.stores[index]));
  const yNames = columns.y.map((index) => table.columns[index].name);

  const categories = new Map<string, number>();
  // Every x value counts, even one whose y values are all null, so a null shows as a gap rather than vanishing.
  const xValues = new Set<number>();
  const accumulator = new SeriesAccumulator();
  let skipped = 0;
  for (let position = 0; position < rows.length; position++) {
    const row = rows[position];
    let x: number | null;
    if (readX) {
      x = readX(row);
    } else {
      const label = readCategory(row);
      x = label === null ? null : (categories.get(label) ?? categories.set(label, categories.size).size - 1);
    }
    if (x === null) {
      skipped++;
      continue;
    }
    xValues.add(x);
    const seriesKey = readSeries.map((read) => read(row) ?? 'null').join(', ');
    readY.forEach((read, index) => {
      accumulator.add(seriesName(seriesKey, yNames, index), x, read(row));
    });
  }

  const notes: string[] = [];
  if (skipped > 0) {
    notes.push(`${skipped.toLocaleString('en')} rows without a value in "${xColumn.name}" are not drawn.`);
  }
  const names = [...accumulator.sums.keys()];
  let kept = names;
  if (names.length > MAX_SERIES) {
    kept = [...names].sort((a, b) => (accumulator.totals.get(b) ?? 0) - (accumulator.totals.get(a) ?? 0)).slice(0, MAX_SERIES);
    const keptSet = new Set(kept);
    kept = names.filter((name) => keptSet.has(name));
    notes.push(`Showing the ${MAX_SERIES} largest of ${names.length.toLocaleString('en')} series.`);
  }

  const x = readX ? Array.from(Float64Array.from(xValues).sort()) : [...categories.values()];
  const series = kept.map((name) => {
    const points = accumulator.sums.get(name) ?? new Map<number, number>();
    return { name, values: x.map((value) => points.get(value) ?? null) };
  });
  const title = spec.title ?? (spec.kind === 'piechart' ? `${yNames[0]} by ${xColumn.name}` : `${yNames.join(', ')} by ${xColumn.name}`);
  return { kind: spec.kind, title, xLabel: xColumn.name, xAxis, x, categories: readX ? [] : [...categories.keys()], series, notes };
}

function seriesName(seriesKey: string, yNames: string[], index: number): string {
  if (seriesKey === '') {
    return yNames[index];
  }
  return yNames.length > 1 ? `${seriesKey}:${yNames[index]}` : seriesKey;
}
