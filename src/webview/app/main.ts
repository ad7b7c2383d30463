/**
 * Entry point of the results webview. It posts `ready`, then builds one
 * TableData per table from the chunks the extension posts, and keeps sort,
 * filter, column widths, hidden columns, column order and scroll position
 * in the webview state so they survive hiding the panel and reloading the window.
 */
import { displayOrder, moveColumn } from '../core/columnOrder';
import { toMarkdown, toTsv } from '../core/export';
import { revealControls } from '../core/format';
import { filterRows, isFilterEmpty, type FilterSpec } from '../core/filter';
import { identity, sortRows, type SortSpec } from '../core/sort';
import { TableData } from '../core/tableData';
import { describeDropped, parseHostMessage, parseViewState, type HostMessage, type ResultHeader, type ViewSettings, type ViewState, type WebviewMessage } from '../protocol';
import { ChartPane } from './chart';
import { DetailsPane } from './details';
import { button, clear, element } from './dom';
import { DEFAULT_COLUMN_WIDTH, Grid, type GridView } from './grid';
import type { MovePlace } from './gridHeader';
import { renderSummary } from './header';
import { ownEntry, setOwnEntry } from './ownEntry';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: WebviewMessage): void => vscode.postMessage(message);

/** Delay after the last view change before the state is sent to the extension, in milliseconds. */
const VIEW_STATE_DELAY_MS = 300;

const EMPTY_STATE: ViewState = { resultId: '', tableIndex: 0, sort: null, filter: { all: '', columns: {} }, widths: {}, hidden: [], scrollTop: 0, scrollLeft: 0 };

class ResultsView {
  private header: ResultHeader | undefined;
  private settings: ViewSettings = { timeZone: 'utc' };
  private tables: TableData[] = [];
  private complete = false;
  private state: ViewState;
  private order: Uint32Array = new Uint32Array(0);
  /** Set when the next paint must be reported to the extension. */
  private reportPending = false;
  private restoreScroll = true;
  private viewStateTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly summary = element('header', { className: 'summary' });
  private readonly tabs = element('div', { className: 'tabs', attributes: { role: 'tablist' } });
  private readonly filterInput = element('input', { className: 'filter', attributes: { type: 'search', placeholder: 'Filter all columns', 'aria-label': 'Filter all columns' } });
  private readonly status = element('span', { className: 'status', attributes: { role: 'status' } });
  private readonly grid: Grid;
  private readonly details: DetailsPane;
  private readonly chart = new ChartPane((report) => post({ type: 'chartRendered', report }));

  constructor(private readonly resultId: string) {
    const saved = parseViewState(vscode.getState());
    this.state = saved && saved.resultId === resultId ? saved : { ...EMPTY_STATE, resultId };
    this.grid = new Grid({
      sort: (column) => this.toggleSort(column),
      filterColumn: (column, text) => this.setColumnFilter(column, text),
      resize: (column, width) => this.resize(column, width),
      moveColumn: (from, target, place) => this.moveColumn(from, target, place),
      hide: (column) => this.hideColumn(column),
      scrolled: (top, left) => this.saveScroll(top, left),
      openDetails: (row) => this.openDetails(row),
      copyCell: (row, column) => this.copyCell(row, column),
      painted: () => this.reportPaint(),
    });
    this.details = new DetailsPane(() => this.details.hide());
    this.filterInput.value = this.state.filter.all;
    this.filterInput.addEventListener('input', () => {
      this.state.filter.all = this.filterInput.value;
      this.reportPending = true;
      this.refresh();
    });
  }

  mount(parent: HTMLElement): void {
    const toolbar = element('div', { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Results actions' } }, [
      this.filterInput,
      button('Copy rows (TSV)', 'Copy the selected rows as tab-separated text', () => this.copyRows('tsv')),
      button('Copy rows (Markdown)', 'Copy the selected rows as a Markdown table', () => this.copyRows('markdown')),
      button('Copy column', 'Copy the active column of every visible row', () => this.copyColumn()),
      button('Show all columns', 'Show hidden columns again', () => this.showAllColumns()),
      button('Export CSV…', 'Save the whole table as CSV', () => post({ type: 'export', tableIndex: this.state.tableIndex, format: 'csv' })),
      button('Export JSON…', 'Save the whole table as JSON', () => post({ type: 'export', tableIndex: this.state.tableIndex, format: 'json' })),
      button('Save as Evidence…', 'Save the selected rows or the whole table, with the query and a SHA-256, to the case folder', () => this.saveEvidence()),
      this.chart.button,
      this.status,
    ]);
    const main = element('div', { className: 'main' }, [this.grid.root, this.details.root]);
    parent.append(this.summary, this.tabs, toolbar, this.chart.root, main);
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'result':
        if (message.view && message.view.resultId === this.resultId) {
          this.adoptState(message.view);
        }
        this.header = message.header;
        this.settings = message.settings;
        this.tables = message.header.tables.map((table) => new TableData(table.name, table.columns, table.rowCount));
        this.complete = false;
        this.state.tableIndex = Math.min(this.state.tableIndex, Math.max(0, this.tables.length - 1));
        this.renderTabs();
        this.renderSummary();
        this.reportPending = true;
        this.refresh();
        break;
      case 'chunk':
        this.appendChunk(message);
        break;
      case 'complete':
        this.complete = true;
        this.renderSummary();
        this.reportPending = true;
        this.refresh();
        break;
      case 'settings':
        this.settings = message.settings;
        this.reportPending = true;
        this.refresh();
        break;
      case 'applyView':
        this.state.sort = message.sort;
        this.state.filter = { all: message.filter.all, columns: { ...message.filter.columns } };
        this.filterInput.value = message.filter.all;
        this.reportPending = true;
        this.refresh();
        break;
      case 'requestEvidence':
        this.saveEvidence();
        break;
    }
  }

  private saveEvidence(): void {
    post({ type: 'saveEvidence', tableIndex: this.state.tableIndex, selectedRows: this.grid.selectedRows() });
  }

  private appendChunk(message: Extract<HostMessage, { type: 'chunk' }>): void {
    const table = this.tables[message.chunk.tableIndex];
    if (!table) {
      post({ type: 'log', level: 'warn', message: `Dropped a chunk for table ${message.chunk.tableIndex}, which the result does not have.` });
      return;
    }
    const firstChunk = table.loadedRows === 0;
    table.append(message.chunk);
    if (message.chunk.tableIndex !== this.state.tableIndex) {
      return;
    }
    this.reportPending ||= firstChunk;
    // Sorting and filtering wait for the last chunk so a large result is ordered once, not once per chunk.
    if (this.viewIsPlain() || this.complete) {
      this.refresh();
    } else {
      this.status.textContent = `Loading ${table.loadedRows.toLocaleString('en')} of ${table.rowCount.toLocaleString('en')} rows…`;
    }
  }

  private get table(): TableData | undefined {
    return this.tables[this.state.tableIndex];
  }

  private viewIsPlain(): boolean {
    return this.state.sort === null && isFilterEmpty(this.filterSpec());
  }

  private filterSpec(): FilterSpec {
    const table = this.table;
    const columns: Record<number, string> = {};
    for (const [name, text] of Object.entries(this.state.filter.columns)) {
      const index = table?.columns.findIndex((column) => column.name === name) ?? -1;
      if (index >= 0) {
        columns[index] = text;
      }
    }
    return { all: this.state.filter.all, columns };
  }

  private sortSpec(): SortSpec | undefined {
    const sort = this.state.sort;
    const index = sort ? (this.table?.columns.findIndex((column) => column.name === sort.column) ?? -1) : -1;
    return sort && index >= 0 ? { column: index, direction: sort.direction } : undefined;
  }

  /** Recomputes the row order from sort and filter and shows it. */
  private refresh(): void {
    const table = this.table;
    if (!table) {
      this.status.textContent = this.header ? 'The result has no tables.' : 'Waiting for results…';
      return;
    }
    const sort = this.sortSpec();
    const filter = this.filterSpec();
    let order = sort ? sortRows(table, sort) : identity(table.loadedRows);
    order = filterRows(table, filter, order);
    this.order = order;
    this.status.textContent = this.statusText(table, order.length);
    this.showGrid(table);
    if (this.header) {
      const filterKey = JSON.stringify(this.state.filter);
      this.chart.update({ header: this.header, tableIndex: this.state.tableIndex, table, order, filterKey, timeZone: this.settings.timeZone, complete: this.complete });
    }
    if (this.restoreScroll && this.complete) {
      this.restoreScroll = false;
      this.grid.scrollTo(this.state.scrollTop, this.state.scrollLeft);
    }
  }

  /** Shows the rows of the last refresh with the current columns, widths and order; a column change needs no new sort or filter. */
  private showGrid(table: TableData): void {
    const sort = this.sortSpec();
    const columns = this.columnsInOrder(table).filter((index) => !this.state.hidden.includes(table.columns[index].name));
    const widths = columns.map((index) => ownEntry(this.state.widths, table.columns[index].name) ?? DEFAULT_COLUMN_WIDTH);
    this.saveState();
    const pivot = this.pivotColumns(table);
    const columnFilters: Record<number, string> = this.filterSpec().columns;
    this.grid.show({ table, order: this.order, columns, widths, sort: sort ?? null, columnFilters, timeZone: this.settings.timeZone, ...(pivot ? { pivot } : {}) });
  }

  /** Returns every table column, hidden ones included, in display order. */
  private columnsInOrder(table: TableData): number[] {
    return displayOrder(
      table.columns.map((column) => column.name),
      this.state.columnOrder,
    );
  }

  private statusText(table: TableData, visible: number): string {
    const loading = table.loadedRows < table.rowCount ? ` (loading ${table.loadedRows.toLocaleString('en')} of ${table.rowCount.toLocaleString('en')})` : '';
    const rows = table.loadedRows === 1 ? 'row' : 'rows';
    const shown =
      visible === table.loadedRows
        ? `${visible.toLocaleString('en')} ${rows}`
        : `${visible.toLocaleString('en')} of ${table.loadedRows.toLocaleString('en')} ${rows} match`;
    return shown + loading;
  }

  private reportPaint(): void {
    if (!this.reportPending || !this.table || (this.table.loadedRows === 0 && !this.complete)) {
      return;
    }
    this.reportPending = false;
    const firstRow = this.grid.root.querySelector('.data-row');
    const firstRowText = firstRow ? Array.from(firstRow.querySelectorAll('.data-cell'), (cell) => cell.textContent ?? '') : [];
    post({ type: 'rendered', report: { tableIndex: this.state.tableIndex, visibleRowCount: this.order.length, firstRowText } });
  }

  private toggleSort(column: number): void {
    const name = this.table?.columns[column]?.name;
    if (name === undefined) {
      return;
    }
    const current = this.state.sort;
    this.state.sort =
      current?.column !== name ? { column: name, direction: 'ascending' } : current.direction === 'ascending' ? { column: name, direction: 'descending' } : null;
    this.reportPending = true;
    this.refresh();
  }

  private setColumnFilter(column: number, text: string): void {
    const name = this.table?.columns[column]?.name;
    if (name !== undefined) {
      setOwnEntry(this.state.filter.columns, name, text);
      this.reportPending = true;
      this.refresh();
    }
  }

  private resize(column: number, width: number): void {
    const table = this.table;
    const name = table?.columns[column]?.name;
    if (table && name !== undefined) {
      setOwnEntry(this.state.widths, name, width);
      this.showGrid(table);
    }
  }

  /** Moves a shown column, by display positions among the shown columns, within the order of all columns. */
  private moveColumn(from: number, target: number, place: MovePlace): void {
    const table = this.table;
    if (!table) {
      return;
    }
    const all = this.columnsInOrder(table);
    const shown = all.filter((index) => !this.state.hidden.includes(table.columns[index].name));
    const fromColumn = shown[from];
    const targetColumn = shown[target];
    if (fromColumn === undefined || targetColumn === undefined) {
      return;
    }
    const moved = moveColumn(all, all.indexOf(fromColumn), all.indexOf(targetColumn), place);
    this.state.columnOrder = moved.map((index) => table.columns[index].name);
    this.showGrid(table);
  }

  private hideColumn(column: number): void {
    const table = this.table;
    const name = table?.columns[column]?.name;
    if (table && name !== undefined && !this.state.hidden.includes(name)) {
      this.state.hidden.push(name);
      this.showGrid(table);
    }
  }

  private showAllColumns(): void {
    this.state.hidden = [];
    if (this.table) {
      this.showGrid(this.table);
    }
  }

  private saveScroll(top: number, left: number): void {
    this.state.scrollTop = top;
    this.state.scrollLeft = left;
    this.saveState();
  }

  /** Saves the state in the webview and, a moment after the last change, in the extension. */
  private saveState(): void {
    vscode.setState(this.state);
    clearTimeout(this.viewStateTimer);
    this.viewStateTimer = setTimeout(() => post({ type: 'viewState', state: this.state }), VIEW_STATE_DELAY_MS);
  }

  private adoptState(state: ViewState): void {
    this.state = {
      ...state,
      filter: { all: state.filter.all, columns: { ...state.filter.columns } },
      widths: { ...state.widths },
      hidden: [...state.hidden],
      ...(state.columnOrder ? { columnOrder: [...state.columnOrder] } : {}),
    };
    this.filterInput.value = state.filter.all;
    this.restoreScroll = true;
  }

  private openDetails(row: number): void {
    const table = this.table;
    if (table) {
      const onPivot = this.pivotColumns(table) ? () => post({ type: 'pivot', row }) : undefined;
      this.details.show(table.columns, table.row(row), row, this.settings.timeZone, onPivot);
    }
  }

  /** Returns the entity columns of the shown table when it is the first table of a library hunt's result. */
  private pivotColumns(table: TableData): GridView['pivot'] {
    const names = this.header?.entityColumns ?? [];
    if (this.state.tableIndex !== 0 || names.length === 0) {
      return undefined;
    }
    const entityColumns = new Set(table.columns.map((column, index) => (names.includes(column.name) ? index : -1)).filter((index) => index >= 0));
    return { resultId: this.resultId, entityColumns };
  }

  private copyCell(row: number, column: number): void {
    const table = this.table;
    if (table) {
      post({ type: 'copy', text: toTsv(undefined, [[table.cell(row, column)]]), description: 'cell' });
    }
  }

  private copyRows(format: 'tsv' | 'markdown'): void {
    const table = this.table;
    if (!table) {
      return;
    }
    // Copies follow the columns as arranged on screen, hidden ones included; exports and evidence keep the result's order.
    const columns = this.columnsInOrder(table);
    const rows = this.grid.selectedRows().map((row) => columns.map((column) => table.cell(row, column)));
    const header = columns.map((column) => table.columns[column]);
    const text = format === 'tsv' ? toTsv(header, rows) : toMarkdown(header, rows);
    post({ type: 'copy', text, description: `${rows.length} rows as ${format === 'tsv' ? 'tab-separated text' : 'Markdown'}` });
  }

  private copyColumn(): void {
    const table = this.table;
    const active = this.grid.activeCell();
    if (!table || !active) {
      return;
    }
    const column = table.columns[active.column];
    const rows = Array.from(this.order, (row) => [table.cell(row, active.column)]);
    post({ type: 'copy', text: toTsv([column], rows), description: `column ${column.name}` });
  }

  private renderSummary(): void {
    if (this.header) {
      const loaded = this.tables.reduce((sum, table) => sum + table.loadedRows, 0);
      renderSummary(this.summary, this.header, loaded);
    }
  }

  private renderTabs(): void {
    clear(this.tabs);
    this.tabs.hidden = this.tables.length < 2;
    this.tables.forEach((table, index) => {
      const tab = element('button', {
        className: 'tab',
        text: revealControls(table.name),
        attributes: { type: 'button', role: 'tab', 'aria-selected': String(index === this.state.tableIndex) },
      });
      tab.addEventListener('click', () => this.selectTable(index));
      this.tabs.append(tab);
    });
  }

  private selectTable(index: number): void {
    this.state = { ...EMPTY_STATE, resultId: this.resultId, tableIndex: index, filter: { all: '', columns: {} }, widths: {}, hidden: [] };
    this.filterInput.value = '';
    this.details.hide();
    this.renderTabs();
    this.reportPending = true;
    this.refresh();
  }
}

function start(): void {
  const resultId = document.body.dataset.resultId ?? '';
  const view = new ResultsView(resultId);
  view.mount(document.body);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseHostMessage(event.data);
    if (message) {
      view.receive(message);
    } else {
      post({ type: 'log', level: 'warn', message: describeDropped(event.data) });
    }
  });
  post({ type: 'ready' });
}

start();
