/**
 * The chart pane of the results webview. uPlot draws time, line, area,
 * scatter, column and bar charts on a canvas. Pie charts are drawn here on a
 * canvas of their own. Titles, legends and axis labels are log text, so they
 * reach the page only as textContent, attribute values or canvas text
 * (uPlot 1.6.32 sets its title and legend labels through textContent).
 */
import uPlot from 'uplot';
import { barRange, slotWidth } from '../core/barLayout';
import { defaultSpec, extractChart, specFromVisualization, ChartError, type ChartData, type ChartSpec } from '../core/chartData';
import { revealControls, type TimeZoneMode } from '../core/format';
import type { TableData } from '../core/tableData';
import type { ChartReport, ResultHeader } from '../protocol';
import { button, clear, element } from './dom';
import { groupedBars } from './bars';
import { drawPie } from './pie';
import { themeColours, type ThemeColours } from './theme';

const AVAILABLE_TITLE = 'Show or hide a chart of this table';
const UNAVAILABLE_TITLE = 'No chart: the Chart button needs a datetime column and a numeric column (int, long, real or decimal). Add one with extend or summarize ... by bin(TimeGenerated, 5m), or use render.';

/** Height of the plot area in CSS pixels; the width follows the pane. */
const CHART_HEIGHT = 280;
/** Characters of a category label shown on an axis; the legend keeps the whole text. */
const MAX_AXIS_LABEL = 24;

export interface ChartInput {
  header: ResultHeader;
  tableIndex: number;
  table: TableData;
  /** Table rows in the grid's filtered order. */
  order: Uint32Array;
  /** Text that changes whenever the filters change; a new sort alone leaves the chart as it is. */
  filterKey: string;
  timeZone: TimeZoneMode;
  /** True once every chunk has arrived, so the chart is drawn once rather than per chunk. */
  complete: boolean;
}

export class ChartPane {
  readonly root = element('section', { className: 'chart-pane', attributes: { 'aria-label': 'Chart' } });
  readonly button: HTMLButtonElement;
  private readonly plotArea = element('div', { className: 'chart-plot' });
  private readonly notes = element('p', { className: 'chart-notes', attributes: { role: 'status' } });
  private plot: uPlot | undefined;
  private open = false;
  /** Set by the user's Chart button; a `render` chart opens without it. */
  private userToggled = false;
  private input: ChartInput | undefined;
  /** The chart drawn last and what it was drawn from, so a resize or a sort does not read the rows again. */
  private drawn: { table: TableData; key: string; data: ChartData } | undefined;

  constructor(private readonly report: (report: ChartReport) => void) {
    this.button = button('Chart', AVAILABLE_TITLE, () => this.toggle());
    this.button.classList.add('chart-toggle');
    this.root.hidden = true;
    this.root.append(this.plotArea, this.notes);
    window.addEventListener('resize', () => this.resize());
  }

  /** Takes the table as the grid shows it, and redraws when the chart is open. */
  update(input: ChartInput): void {
    const tableChanged = this.input?.table !== input.table;
    this.input = input;
    const spec = this.spec();
    this.button.disabled = spec === undefined;
    // A disabled button still shows its title, so the title names what the table lacks.
    this.button.title = spec === undefined ? UNAVAILABLE_TITLE : AVAILABLE_TITLE;
    if (tableChanged) {
      this.userToggled = false;
    }
    if (!this.userToggled) {
      this.open = this.renderSpec() !== undefined;
    }
    const current = this.drawn?.table === input.table && this.drawn.key === this.drawKey();
    if (input.complete && (!this.open || !current)) {
      this.draw();
    }
  }

  toggle(): void {
    this.userToggled = true;
    this.open = !this.open;
    this.draw();
  }

  /** Returns the `render` spec of the first table, or an error for a `render` kind that is not drawn. */
  private renderSpec(): ChartSpec | { error: string } | undefined {
    const input = this.input;
    if (!input || input.tableIndex !== 0) {
      return undefined;
    }
    const fromRender = specFromVisualization(input.header.visualization);
    return fromRender && 'spec' in fromRender ? fromRender.spec : fromRender;
  }

  /** Returns what the drawn chart depends on besides its table: the loaded rows, the filters and the time zone. */
  private drawKey(): string {
    const input = this.input;
    return input ? JSON.stringify([input.tableIndex, input.table.loadedRows, input.filterKey, input.timeZone]) : '';
  }

  private resize(): void {
    const input = this.input;
    if (this.open && input && this.drawn) {
      this.render(this.drawn.data, input);
    }
  }

  /** Returns the `render` spec when the query has one, else the Chart button's spec. */
  private spec(): ChartSpec | { error: string } | undefined {
    return this.renderSpec() ?? (this.input ? defaultSpec(this.input.table) : undefined);
  }

  private draw(): void {
    this.drawn = undefined;
    this.plot?.destroy();
    this.plot = undefined;
    clear(this.plotArea);
    this.notes.textContent = '';
    this.root.hidden = !this.open;
    this.button.setAttribute('aria-pressed', String(this.open));
    const input = this.input;
    const spec = this.spec();
    if (!this.open || !input || !spec) {
      return;
    }
    if ('error' in spec) {
      this.showError(spec.error, input.tableIndex);
      return;
    }
    let data: ChartData;
    try {
      data = extractChart(input.table, spec, input.order);
    } catch (error) {
      if (error instanceof ChartError) {
        this.showError(error.message, input.tableIndex);
        return;
      }
      throw error;
    }
    this.drawn = { table: input.table, key: this.drawKey(), data };
    this.render(data, input);
  }

  /** Draws chart data into the plot area at the pane's current width. */
  private render(data: ChartData, input: ChartInput): void {
    this.plot?.destroy();
    this.plot = undefined;
    clear(this.plotArea);
    const width = Math.max(200, this.plotArea.clientWidth || this.root.clientWidth || 600);
    const colours = themeColours(this.root);
    const onDrawn = (notes: string[]): void => {
      this.notes.textContent = notes.join(' ');
      this.report({
        tableIndex: input.tableIndex,
        kind: data.kind,
        title: data.title,
        xAxis: data.xAxis,
        seriesNames: data.series.map((series) => series.name),
        pointCount: data.x.length,
        notes,
      });
    };
    if (data.kind === 'piechart') {
      onDrawn([...data.notes, ...drawPie(this.plotArea, data, colours, width, CHART_HEIGHT)]);
      return;
    }
    this.plot = new uPlot(plotOptions(data, colours, input.timeZone, width, () => onDrawn(data.notes)), [data.x, ...data.series.map((series) => series.values)], this.plotArea);
  }

  private showError(message: string, tableIndex: number): void {
    this.plotArea.append(element('p', { className: 'chart-error', text: revealControls(message) }));
    this.report({ tableIndex, error: message });
  }
}

function shorten(text: string): string {
  const visible = revealControls(text);
  return visible.length > MAX_AXIS_LABEL ? `${visible.slice(0, MAX_AXIS_LABEL - 1)}…` : visible;
}

function seriesStyle(data: ChartData, colours: ThemeColours, index: number): uPlot.Series {
  const colour = colours.series[index % colours.series.length];
  const base: uPlot.Series = { label: revealControls(data.series[index].name), stroke: colour, width: 2, spanGaps: false };
  switch (data.kind) {
    case 'areachart':
      return { ...base, fill: colours.translucent(colour) };
    case 'scatterchart':
      return { ...base, paths: () => null, points: { show: true, size: 6, fill: colour } };
    case 'columnchart':
    case 'barchart':
      // Grouped bars never overlap, so they are filled opaque.
      return { ...base, width: 0, fill: colour, paths: groupedBars(index, data.series.length), points: { show: false } };
    default:
      return { ...base, points: { show: data.x.length < 200 } };
  }
}

function plotOptions(data: ChartData, colours: ThemeColours, timeZone: TimeZoneMode, width: number, onDrawn: () => void): uPlot.Options {
  const horizontal = data.kind === 'barchart';
  const bars = horizontal || data.kind === 'columnchart';
  const category = data.xAxis === 'category';
  const slot = category ? 1 : slotWidth(data.x);
  const axisStyle = { stroke: colours.foreground, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid, width: 1 } };
  const xAxis: uPlot.Axis = {
    ...axisStyle,
    label: revealControls(data.xLabel),
    side: horizontal ? 3 : 2,
    ...(category ? { splits: () => data.x, values: (_plot: uPlot, splits: number[]) => splits.map((index) => shorten(data.categories[index] ?? '')) } : {}),
  };
  return {
    width,
    height: CHART_HEIGHT,
    title: revealControls(data.title),
    ms: 1,
    ...(timeZone === 'utc' ? { tzDate: (epochMs: number) => uPlot.tzDate(new Date(epochMs), 'Etc/UTC') } : {}),
    scales: {
      x: {
        time: data.xAxis === 'time',
        ...(horizontal ? { ori: 1, dir: -1 } : {}),
        ...(category || bars ? { range: (_plot: uPlot, min: number, max: number): uPlot.Range.MinMax => barRange(min, max, slot) } : {}),
      },
      y: horizontal ? { ori: 0, dir: 1 } : {},
    },
    axes: [xAxis, { ...axisStyle, side: horizontal ? 0 : 3 }],
    series: [
      {
        label: revealControls(data.xLabel),
        ...(category ? { value: (_plot: uPlot, index: number | null) => (index === null ? '' : revealControls(data.categories[index] ?? '')) } : {}),
      },
      ...data.series.map((_series, index) => seriesStyle(data, colours, index)),
    ],
    legend: { show: true },
    hooks: { draw: [onDrawn] },
  };
}
