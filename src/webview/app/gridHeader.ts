/**
 * The grid's two header rows: column names (sort, hide, resize, move) and
 * per-column filters. A column moves by dragging its name onto another
 * header, or with Alt+Shift+Left/Right while its name has focus.
 */
import { revealControls } from '../core/format';
import { element } from './dom';
import type { GridView } from './grid';

/** Drag data type of a column header, so drops of other data (files, text) are ignored. The page keeps the dragged position itself. */
const COLUMN_DRAG_TYPE = 'application/x-hunt-lens-column';
export const MIN_COLUMN_WIDTH = 40;

export type MovePlace = 'before' | 'after';

export interface HeaderCallbacks {
  sort(column: number): void;
  filterColumn(column: number, text: string): void;
  hide(column: number): void;
  /** Sets a column's width once a resize drag ends. */
  resize(column: number, width: number): void;
  /** Moves the column at display position `from` before or after the one at `target`. */
  moveColumn(from: number, target: number, place: MovePlace): void;
}

/** Grid services the header uses: cell placement, and a width preview while a resize drag is under way. */
export interface HeaderLayout {
  place<T extends HTMLElement>(cell: T, position: number): T;
  previewWidth(position: number, width: number): void;
  width(position: number): number;
}

export class GridHeader {
  /** Table column whose name gets focus after the next render, set by a keyboard move. */
  private focusAfterRender: number | undefined;
  /** Display position of the header being dragged in this page; a drag from another page has none. */
  private dragged: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly callbacks: HeaderCallbacks,
    private readonly layout: HeaderLayout,
  ) {}

  render(view: GridView): void {
    const names = element('div', { className: 'grid-row header-row', attributes: { role: 'row', 'aria-rowindex': '1' } });
    const filters = element('div', { className: 'grid-row filter-row', attributes: { role: 'row', 'aria-rowindex': '2' } });
    view.columns.forEach((column, position) => {
      names.append(this.headerCell(view, column, position));
      filters.append(this.filterCell(view, column, position));
    });
    this.root.replaceChildren(names, filters);
    const focusColumn = this.focusAfterRender;
    this.focusAfterRender = undefined;
    if (focusColumn !== undefined) {
      this.root.querySelector<HTMLElement>(`.header-label[data-column="${focusColumn}"]`)?.focus();
    }
  }

  /** Places every header cell again after a width change. */
  relayout(): void {
    for (const cell of this.root.querySelectorAll<HTMLElement>('.cell')) {
      this.layout.place(cell, Number(cell.dataset.position));
    }
  }

  private headerCell(view: GridView, column: number, position: number): HTMLElement {
    const info = view.table.columns[column];
    const sorted = view.sort?.column === column ? view.sort.direction : 'none';
    const cell = this.layout.place(element('div', { className: 'cell header-cell', attributes: { role: 'columnheader', 'aria-sort': sorted } }), position);
    cell.dataset.position = String(position);
    const marker = sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : '';
    const label = element('button', {
      className: 'header-label',
      text: revealControls(info.name) + marker,
      attributes: { type: 'button', draggable: 'true', title: `Sort by ${info.name} (${info.type}). Drag, or press Alt+Shift+Left or Right, to move the column.` },
    });
    label.dataset.column = String(column);
    label.addEventListener('click', () => this.callbacks.sort(column));
    label.addEventListener('keydown', (event) => this.onLabelKey(event, view, column, position));
    label.addEventListener('dragstart', (event) => {
      this.dragged = position;
      event.dataTransfer?.setData(COLUMN_DRAG_TYPE, String(position));
      if (event.dataTransfer) {
        event.dataTransfer.effectAllowed = 'move';
      }
    });
    label.addEventListener('dragend', () => {
      this.dragged = undefined;
    });
    this.acceptDrops(cell, position);
    const hide = element('button', { className: 'header-hide', text: '×', attributes: { type: 'button', title: `Hide column ${info.name}`, 'aria-label': `Hide column ${info.name}` } });
    hide.addEventListener('click', () => this.callbacks.hide(column));
    const handle = element('div', { className: 'resize-handle', attributes: { 'aria-hidden': 'true' } });
    handle.addEventListener('pointerdown', (event) => this.startResize(event, handle, column, position));
    cell.append(label, hide, handle);
    return cell;
  }

  private onLabelKey(event: KeyboardEvent, view: GridView, column: number, position: number): void {
    if (!event.altKey || !event.shiftKey || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) {
      return;
    }
    event.preventDefault();
    // The grid's own arrow keys move the active cell; this key belongs to the header.
    event.stopPropagation();
    const left = event.key === 'ArrowLeft';
    const target = left ? position - 1 : position + 1;
    if (target < 0 || target >= view.columns.length) {
      return;
    }
    this.focusAfterRender = column;
    this.callbacks.moveColumn(position, target, left ? 'before' : 'after');
  }

  /** Lets a dragged header drop on this cell: on its left half before it, on its right half after it. */
  private acceptDrops(cell: HTMLElement, position: number): void {
    const placeAt = (event: DragEvent): MovePlace => {
      const box = cell.getBoundingClientRect();
      return event.clientX < box.left + box.width / 2 ? 'before' : 'after';
    };
    const clearMarks = (): void => cell.classList.remove('drop-before', 'drop-after');
    cell.addEventListener('dragover', (event) => {
      if (this.dragged === undefined || !event.dataTransfer?.types.includes(COLUMN_DRAG_TYPE)) {
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      const place = placeAt(event);
      cell.classList.toggle('drop-before', place === 'before');
      cell.classList.toggle('drop-after', place === 'after');
    });
    cell.addEventListener('dragleave', clearMarks);
    cell.addEventListener('drop', (event) => {
      clearMarks();
      const from = this.dragged;
      this.dragged = undefined;
      if (from !== undefined && event.dataTransfer?.types.includes(COLUMN_DRAG_TYPE)) {
        event.preventDefault();
        this.callbacks.moveColumn(from, position, placeAt(event));
      }
    });
  }

  private filterCell(view: GridView, column: number, position: number): HTMLElement {
    const name = view.table.columns[column].name;
    const cell = this.layout.place(element('div', { className: 'cell filter-cell', attributes: { role: 'gridcell' } }), position);
    cell.dataset.position = String(position);
    const input = element('input', { className: 'column-filter', attributes: { type: 'search', placeholder: 'filter', 'aria-label': `Filter ${name}` } });
    input.value = view.columnFilters[column] ?? '';
    input.addEventListener('input', () => this.callbacks.filterColumn(column, input.value));
    cell.append(input);
    return cell;
  }

  /**
   * Resizes while the pointer moves, so the column's right edge stays under
   * the pointer, and stores the width when the pointer is released. The
   * header is not rebuilt during the drag, so the handle keeps its pointer capture.
   */
  private startResize(event: PointerEvent, handle: HTMLElement, column: number, position: number): void {
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = this.layout.width(position);
    let width = startWidth;
    handle.setPointerCapture(event.pointerId);
    const move = (moveEvent: PointerEvent): void => {
      width = Math.max(MIN_COLUMN_WIDTH, Math.round(startWidth + moveEvent.clientX - startX));
      this.layout.previewWidth(position, width);
    };
    const end = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('lostpointercapture', end);
      if (width !== startWidth) {
        this.callbacks.resize(column, width);
      }
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('lostpointercapture', end);
  }
}
