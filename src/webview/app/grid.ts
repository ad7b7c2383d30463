/**
 * The virtualized results grid. Only the rows and columns inside the
 * viewport (plus a few rows of overscan) exist in the DOM, so 500,000 rows
 * cost the same per frame as 50. Rows are addressed by their position in
 * the current view order, and `order[position]` is the table row.
 */
import type { ColumnType } from '../../results/model';
import { displayText, markLineBreaksAndTabs, revealControls, type TimeZoneMode } from '../core/format';
import type { TableData } from '../core/tableData';
import { clear, element } from './dom';
import { GridHeader, type HeaderCallbacks } from './gridHeader';

export const ROW_HEIGHT = 22;
export const DEFAULT_COLUMN_WIDTH = 160;
const OVERSCAN_ROWS = 4;
/** Cells show at most this many characters; the row-details pane shows the whole value. */
const MAX_CELL_CHARACTERS = 500;
/** The column-header row and the filter row. */
const HEADER_ROWS = 2;

const NUMERIC: ReadonlySet<ColumnType> = new Set(['int', 'long', 'real', 'decimal']);

export interface GridCallbacks extends HeaderCallbacks {
  scrolled(top: number, left: number): void;
  openDetails(row: number): void;
  copyCell(row: number, column: number): void;
  painted(): void;
}

export interface GridView {
  table: TableData;
  order: Uint32Array;
  /** Table column indexes shown, in display order. */
  columns: number[];
  widths: number[];
  sort: { column: number; direction: 'ascending' | 'descending' } | null;
  columnFilters: Record<number, string>;
  timeZone: TimeZoneMode;
  /** Set when the rows offer pivots: the stored result's id and the table indexes of its entity columns. */
  pivot?: { resultId: string; entityColumns: ReadonlySet<number> };
}

/**
 * Returns the `data-vscode-context` value that VS Code merges into the context of a
 * right-click, so the `webview/context` menu offers *Pivot to…* and passes
 * the result and row to the command.
 */
function pivotContext(pivot: NonNullable<GridView['pivot']>, section: 'huntLensRow' | 'huntLensEntityCell', tableRow: number): string {
  return JSON.stringify({ webviewSection: section, huntLensResultId: pivot.resultId, huntLensRow: tableRow });
}

export class Grid {
  readonly root: HTMLElement;
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly headerRows: GridHeader;
  private view: GridView | undefined;
  private offsets: number[] = [];
  private frame = 0;
  /** Columns, widths and sort the header was built for; the header is rebuilt only when they change, so a filter input keeps focus. */
  private headerKey = '';
  /** Active cell: row position in the view order and column position in view.columns. */
  private active = { row: 0, column: 0 };
  /** Selected rows as a range of positions, inclusive. */
  private selection: { anchor: number; focus: number } | undefined;

  constructor(private readonly callbacks: GridCallbacks) {
    this.root = element('div', { className: 'grid', attributes: { role: 'grid', tabindex: '0', 'aria-label': 'Query results' } });
    this.header = element('div', { className: 'grid-header', attributes: { role: 'rowgroup' } });
    this.body = element('div', { className: 'grid-body', attributes: { role: 'rowgroup' } });
    this.root.append(this.header, this.body);
    this.headerRows = new GridHeader(this.header, callbacks, {
      place: (cell, position) => this.place(cell, position),
      previewWidth: (position, width) => this.previewWidth(position, width),
      width: (position) => this.view?.widths[position] ?? DEFAULT_COLUMN_WIDTH,
    });
    this.root.addEventListener('scroll', () => {
      this.schedule();
      this.callbacks.scrolled(this.root.scrollTop, this.root.scrollLeft);
    });
    this.root.addEventListener('keydown', (event) => this.onKey(event));
    // One listener each on the body instead of one per cell, because rows are rebuilt every frame while scrolling.
    this.body.addEventListener('mousedown', (event) => {
      const cell = event.target instanceof Element ? event.target.closest<HTMLElement>('.data-cell') : null;
      if (cell) {
        this.onCellClick(event, Number(cell.dataset.row), Number(cell.dataset.column));
      }
    });
    this.body.addEventListener('dblclick', (event) => {
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('.data-row') : null;
      if (row) {
        this.callbacks.openDetails(Number(row.dataset.tableRow));
      }
    });
    new ResizeObserver(() => this.schedule()).observe(this.root);
  }

  /** Shows a new view: rebuilds the header and repaints the visible rows. */
  show(view: GridView): void {
    this.view = view;
    this.layoutColumns(view);
    this.body.style.height = `${view.order.length * ROW_HEIGHT}px`;
    this.root.setAttribute('aria-rowcount', String(view.order.length + HEADER_ROWS));
    this.root.setAttribute('aria-colcount', String(view.columns.length));
    this.active.row = Math.min(this.active.row, Math.max(0, view.order.length - 1));
    this.active.column = Math.min(this.active.column, Math.max(0, view.columns.length - 1));
    const headerKey = JSON.stringify([view.table.columns, view.columns, view.widths, view.sort]);
    if (headerKey !== this.headerKey) {
      this.headerKey = headerKey;
      this.headerRows.render(view);
    }
    this.paint();
  }

  scrollTo(top: number, left: number): void {
    this.root.scrollTop = top;
    this.root.scrollLeft = left;
  }

  /** Returns the table rows of the selection (or of the active cell), in view order. */
  selectedRows(): number[] {
    const view = this.view;
    if (!view || view.order.length === 0) {
      return [];
    }
    const range = this.selection ?? { anchor: this.active.row, focus: this.active.row };
    const start = Math.min(range.anchor, range.focus);
    const end = Math.max(range.anchor, range.focus);
    return Array.from(view.order.subarray(start, end + 1));
  }

  /** Returns the active cell as table row and table column, or undefined when the view has no rows. */
  activeCell(): { row: number; column: number } | undefined {
    const view = this.view;
    const row = view?.order[this.active.row];
    const column = view?.columns[this.active.column];
    return row === undefined || column === undefined ? undefined : { row, column };
  }

  private schedule(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.paint();
      });
    }
  }

  /** Shows a new width for one column while a resize drag is under way; the view's owner stores it when the drag ends. */
  private previewWidth(position: number, width: number): void {
    const view = this.view;
    if (!view) {
      return;
    }
    view.widths[position] = width;
    this.layoutColumns(view);
    this.headerRows.relayout();
    this.schedule();
  }

  /** Computes each column's left offset and sizes the header and body to the total width. */
  private layoutColumns(view: GridView): void {
    this.offsets = [];
    let offset = 0;
    for (const width of view.widths) {
      this.offsets.push(offset);
      offset += width;
    }
    this.header.style.width = `${offset}px`;
    this.body.style.width = `${offset}px`;
  }

  private place<T extends HTMLElement>(cell: T, position: number): T {
    cell.style.left = `${this.offsets[position]}px`;
    cell.style.width = `${this.view?.widths[position] ?? DEFAULT_COLUMN_WIDTH}px`;
    cell.setAttribute('aria-colindex', String(position + 1));
    return cell;
  }

  /** Replaces the body's rows with the rows and columns now in the viewport. */
  private paint(): void {
    const view = this.view;
    if (!view) {
      return;
    }
    const headerHeight = HEADER_ROWS * ROW_HEIGHT;
    const top = this.root.scrollTop;
    const height = Math.max(0, this.root.clientHeight - headerHeight);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN_ROWS);
    const last = Math.min(view.order.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN_ROWS);
    const positions = this.visibleColumnPositions();

    const fragment = document.createDocumentFragment();
    for (let rowPosition = first; rowPosition < last; rowPosition++) {
      fragment.append(this.renderRow(view, rowPosition, positions));
    }
    clear(this.body);
    this.body.append(fragment);
    this.updateActiveDescendant();
    this.callbacks.painted();
  }

  private visibleColumnPositions(): number[] {
    const view = this.view;
    if (!view) {
      return [];
    }
    const left = this.root.scrollLeft;
    const right = left + this.root.clientWidth;
    const positions: number[] = [];
    view.columns.forEach((_column, position) => {
      const start = this.offsets[position];
      if (start < right && start + view.widths[position] > left) {
        positions.push(position);
      }
    });
    return positions;
  }

  private renderRow(view: GridView, rowPosition: number, positions: number[]): HTMLElement {
    const tableRow = view.order[rowPosition];
    const selected = this.isSelected(rowPosition);
    const row = element('div', {
      className: selected ? 'grid-row data-row selected' : 'grid-row data-row',
      attributes: { role: 'row', 'aria-rowindex': String(rowPosition + HEADER_ROWS + 1), 'aria-selected': String(selected) },
    });
    row.style.transform = `translateY(${rowPosition * ROW_HEIGHT}px)`;
    for (const position of positions) {
      const column = view.columns[position];
      row.append(this.renderCell(view, tableRow, column, rowPosition, position));
    }
    row.dataset.tableRow = String(tableRow);
    if (view.pivot) {
      row.dataset.vscodeContext = pivotContext(view.pivot, 'huntLensRow', tableRow);
    }
    return row;
  }

  private renderCell(view: GridView, tableRow: number, column: number, rowPosition: number, position: number): HTMLElement {
    const { text, isNull } = displayText(view.table.cell(tableRow, column), view.timeZone);
    const classes = ['cell', 'data-cell'];
    if (isNull) classes.push('null');
    if (NUMERIC.has(view.table.columns[column].type)) classes.push('number');
    if (rowPosition === this.active.row && position === this.active.column) classes.push('active');
    const shown = text.length > MAX_CELL_CHARACTERS ? `${text.slice(0, MAX_CELL_CHARACTERS)}…` : text;
    const cell = this.place(
      element('div', { className: classes.join(' '), text: revealControls(markLineBreaksAndTabs(shown)), attributes: { role: 'gridcell', id: `cell-${rowPosition}-${position}` } }),
      position,
    );
    cell.dataset.row = String(rowPosition);
    cell.dataset.column = String(position);
    if (view.pivot?.entityColumns.has(column)) {
      cell.classList.add('entity');
      cell.dataset.vscodeContext = pivotContext(view.pivot, 'huntLensEntityCell', tableRow);
    }
    return cell;
  }

  private isSelected(rowPosition: number): boolean {
    if (!this.selection) {
      return false;
    }
    const { anchor, focus } = this.selection;
    return rowPosition >= Math.min(anchor, focus) && rowPosition <= Math.max(anchor, focus);
  }

  private onCellClick(event: MouseEvent, rowPosition: number, position: number): void {
    if (event.shiftKey && this.selection) {
      this.selection.focus = rowPosition;
    } else {
      this.selection = { anchor: rowPosition, focus: rowPosition };
    }
    this.active = { row: rowPosition, column: position };
    this.root.focus({ preventScroll: true });
    this.schedule();
  }

  private updateActiveDescendant(): void {
    const id = `cell-${this.active.row}-${this.active.column}`;
    if (this.root.querySelector(`#${id}`)) {
      this.root.setAttribute('aria-activedescendant', id);
    } else {
      this.root.removeAttribute('aria-activedescendant');
    }
  }

  private onKey(event: KeyboardEvent): void {
    const view = this.view;
    if (!view || event.target !== this.root || view.order.length === 0) {
      return;
    }
    const page = Math.max(1, Math.floor((this.root.clientHeight - HEADER_ROWS * ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const lastRow = view.order.length - 1;
    const lastColumn = view.columns.length - 1;
    const moves: Record<string, () => void> = {
      ArrowDown: () => (this.active.row = Math.min(lastRow, this.active.row + 1)),
      ArrowUp: () => (this.active.row = Math.max(0, this.active.row - 1)),
      ArrowRight: () => (this.active.column = Math.min(lastColumn, this.active.column + 1)),
      ArrowLeft: () => (this.active.column = Math.max(0, this.active.column - 1)),
      PageDown: () => (this.active.row = Math.min(lastRow, this.active.row + page)),
      PageUp: () => (this.active.row = Math.max(0, this.active.row - page)),
      Home: () => (event.ctrlKey ? (this.active.row = 0) : (this.active.column = 0)),
      End: () => (event.ctrlKey ? (this.active.row = lastRow) : (this.active.column = lastColumn)),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const before = this.active.row;
      move();
      this.updateSelection(event.shiftKey, before);
      this.ensureActiveVisible();
      this.schedule();
      return;
    }
    const cell = this.activeCell();
    if (event.key === 'Enter' && cell) {
      event.preventDefault();
      this.callbacks.openDetails(cell.row);
    } else if (event.key.toLowerCase() === 'c' && (event.ctrlKey || event.metaKey) && !event.shiftKey && cell) {
      event.preventDefault();
      this.callbacks.copyCell(cell.row, cell.column);
    }
  }

  private updateSelection(extend: boolean, before: number): void {
    if (extend) {
      this.selection = { anchor: this.selection?.anchor ?? before, focus: this.active.row };
    } else {
      this.selection = { anchor: this.active.row, focus: this.active.row };
    }
  }

  private ensureActiveVisible(): void {
    const view = this.view;
    if (!view) {
      return;
    }
    const headerHeight = HEADER_ROWS * ROW_HEIGHT;
    const rowTop = this.active.row * ROW_HEIGHT;
    const viewportHeight = this.root.clientHeight - headerHeight;
    if (rowTop < this.root.scrollTop) {
      this.root.scrollTop = rowTop;
    } else if (rowTop + ROW_HEIGHT > this.root.scrollTop + viewportHeight) {
      this.root.scrollTop = rowTop + ROW_HEIGHT - viewportHeight;
    }
    const left = this.offsets[this.active.column] ?? 0;
    const width = view.widths[this.active.column] ?? DEFAULT_COLUMN_WIDTH;
    if (left < this.root.scrollLeft) {
      this.root.scrollLeft = left;
    } else if (left + width > this.root.scrollLeft + this.root.clientWidth) {
      this.root.scrollLeft = left + width - this.root.clientWidth;
    }
  }
}
