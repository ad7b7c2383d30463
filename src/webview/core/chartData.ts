/**
 * Chart data from a result table: which columns a chart plots, how rows split
 * into series, and the aligned x and y arrays a chart library draws.
 * Column choice follows the KQL `render` operator's defaults. The x axis is
 * `xcolumn` or the first column. The series are `series` or every string
 * column other than the x axis. The y axes are `ycolumns` or every numeric
 * column that is neither the x axis nor a series column.
 */
import type { ColumnType, Visualization } from '../../results/model';
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
  // The service sends null for an option the query does not set, so an empty list reads as unset too.
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
 * Returns the spec of the Chart button, or undefined when the table lacks a
 * datetime or a numeric column. It is a time chart over the first datetime
 * column, split into series by the first string column with at most
 * MAX_SERIES distinct values among the loaded rows, or not split at all. Raw
 * log rows would otherwise split by every string column, one series per row.
 */
export function defaultSpec(table: TableData): ChartSpec | undefined {
  const time = table.columns.find((column) => column.type === 'datetime');
  const hasNumber = table.columns.some((column) => NUMERIC_TYPES.has(column.type));
  if (!time || !hasNumber) {
    return undefined;
  }
  const seriesColumn = table.columns.find((column, index) => {
    const store = table.stores[index];
    return SERIES_TYPES.has(column.type) && store.kind === 'text' && store.dictionary.length <= MAX_SERIES;
  });
  return { kind: 'timechart', xColumn: time.name, series: seriesColumn ? [seriesColumn.name] : [] };
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
  // An empty series list means no split, unlike an absent one, which means every string column.
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

/** Returns the index of `value` in the ascending array `sorted`, which must contain it. */
function positionOf(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/** Copies sums to a plain array with null where a series has no point (NaN), as the chart library expects. */
function withNulls(sums: Float64Array): Array<number | null> {
  const values = new Array<number | null>(sums.length);
  for (let index = 0; index < sums.length; index++) {
    const value = sums[index];
    values[index] = Number.isNaN(value) ? null : value;
  }
  return values;
}

/** Returns the distinct values of `values`, ascending. */
function distinctSorted(values: Float64Array): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let count = 0;
  for (let index = 0; index < sorted.length; index++) {
    if (index === 0 || sorted[index] !== sorted[index - 1]) {
      sorted[count++] = sorted[index];
    }
  }
  return sorted.slice(0, count);
}

/**
 * Builds chart data from the rows in `rows` (table row indexes, such as the
 * grid's filtered order). Throws ChartError when the spec does not fit the table.
 * A chart library needs one value per series at each x position, so the y
 * values of rows that share a series and an x value are added up.
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

  // First pass: each row's x value and series group; a row without an x value gets group -1.
  const categories = new Map<string, number>();
  const groups = new Map<string, number>();
  const rowX = new Float64Array(rows.length);
  const rowGroup = new Int32Array(rows.length);
  const totals: number[] = [];
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
      rowGroup[position] = -1;
      continue;
    }
    rowX[position] = x;
    const key = seriesKeyOf(readSeries, row);
    let group = groups.get(key);
    if (group === undefined) {
      group = groups.size;
      groups.set(key, group);
      totals.push(...readY.map(() => 0));
    }
    rowGroup[position] = group;
    for (let index = 0; index < readY.length; index++) {
      totals[group * readY.length + index] += Math.abs(readY[index](row) ?? 0);
    }
  }

  // Series are numbered group * (y column count) + y column index, in order of first appearance.
  const names = [...groups.keys()].flatMap((key) => yNames.map((_name, index) => seriesName(key, yNames, index)));
  const notes: string[] = [];
  if (skipped > 0) {
    notes.push(`${skipped.toLocaleString('en')} rows without a value in "${xColumn.name}" are not drawn.`);
  }
  let kept = names.map((_name, index) => index);
  if (names.length > MAX_SERIES) {
    const largest = new Set([...kept].sort((a, b) => totals[b] - totals[a]).slice(0, MAX_SERIES));
    kept = kept.filter((index) => largest.has(index));
    notes.push(`Showing the ${MAX_SERIES} largest of ${names.length.toLocaleString('en')} series.`);
  }

  // Every x value counts, even one whose y values are all null, so a null shows as a gap rather than vanishing.
  const validX = new Float64Array(rows.length - skipped);
  let validCount = 0;
  for (let position = 0; position < rows.length; position++) {
    if (rowGroup[position] >= 0) {
      validX[validCount++] = rowX[position];
    }
  }
  const xSorted = readX ? distinctSorted(validX) : Float64Array.from(categories.values());
  const slot = new Int32Array(names.length).fill(-1);
  kept.forEach((series, index) => (slot[series] = index));
  const sums = kept.map(() => new Float64Array(xSorted.length).fill(Number.NaN));

  // Second pass: add each row's y values into its series at its x position.
  for (let position = 0; position < rows.length; position++) {
    const group = rowGroup[position];
    if (group < 0) {
      continue;
    }
    const at = readX ? positionOf(xSorted, rowX[position]) : rowX[position];
    for (let index = 0; index < readY.length; index++) {
      const target = slot[group * readY.length + index];
      const y = target < 0 ? null : readY[index](rows[position]);
      if (y !== null) {
        const values = sums[target];
        values[at] = Number.isNaN(values[at]) ? y : values[at] + y;
      }
    }
  }

  const series = kept.map((index, keptIndex) => ({ name: names[index], values: withNulls(sums[keptIndex]) }));
  const title = spec.title ?? (spec.kind === 'piechart' ? `${yNames[0]} by ${xColumn.name}` : `${yNames.join(', ')} by ${xColumn.name}`);
  return { kind: spec.kind, title, xLabel: xColumn.name, xAxis, x: Array.from(xSorted), categories: readX ? [] : [...categories.keys()], series, notes };
}

/** Returns the row's series values joined by commas, or an empty key when nothing splits the series. */
function seriesKeyOf(readSeries: Array<(row: number) => string | null>, row: number): string {
  if (readSeries.length === 1) {
    return readSeries[0](row) ?? 'null';
  }
  return readSeries.map((read) => read(row) ?? 'null').join(', ');
}

function seriesName(seriesKey: string, yNames: string[], index: number): string {
  if (seriesKey === '') {
    return yNames[index];
  }
  return yNames.length > 1 ? `${seriesKey}:${yNames[index]}` : seriesKey;
}
