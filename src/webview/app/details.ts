/**
 * The row-details pane: every column of one row, with dynamic values shown
 * as a collapsible JSON tree built from <details> elements.
 */
import type { CellValue, ResultColumn } from '../../results/model';
import { displayText, revealControls, type TimeZoneMode } from '../core/format';
import { button, clear, element } from './dom';

/** Nesting below this depth is shown as JSON text instead of a tree. */
const MAX_TREE_DEPTH = 20;
/** Arrays and objects show at most this many members in the tree. */
const MAX_TREE_MEMBERS = 1000;

export class DetailsPane {
  readonly root: HTMLElement;
  private readonly content: HTMLElement;

  constructor(onClose: () => void) {
    this.root = element('aside', { className: 'details', attributes: { 'aria-label': 'Row details', hidden: '' } });
    const heading = element('div', { className: 'details-heading' }, [element('h2', { text: 'Row details' }), button('Close', 'Close the row details', onClose)]);
    this.content = element('div', { className: 'details-content' });
    this.root.append(heading, this.content);
  }

  /** Shows one row; with `onPivot`, a *Pivot to…* button offers the pivots of its entities. */
  show(columns: readonly ResultColumn[], cells: readonly CellValue[], rowNumber: number, timeZone: TimeZoneMode, onPivot?: () => void): void {
    clear(this.content);
    this.content.append(element('p', { className: 'details-row', text: `Row ${rowNumber + 1}` }));
    if (onPivot) {
      this.content.append(button('Pivot to…', 'Open a pivot query for the user, IP address or session of this row', onPivot));
    }
    const list = element('dl');
    columns.forEach((column, index) => {
      list.append(element('dt', { text: `${revealControls(column.name)} (${column.type})` }), element('dd', {}, [valueNode(cells[index] ?? null, timeZone)]));
    });
    this.content.append(list);
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }
}

function valueNode(cell: CellValue, timeZone: TimeZoneMode): Node {
  if (typeof cell === 'object' && cell !== null && cell.kind === 'dynamic') {
    return jsonNode(cell.value, 0);
  }
  const { text, isNull } = displayText(cell, timeZone);
  return element('span', { className: isNull ? 'null' : 'value', text: revealControls(text) });
}

function jsonNode(value: unknown, depth: number): Node {
  if (value === null || typeof value !== 'object') {
    const kind = value === null ? 'null' : typeof value;
    return element('span', { className: `json-${kind}`, text: revealControls(JSON.stringify(value) ?? 'undefined') });
  }
  if (depth >= MAX_TREE_DEPTH) {
    return element('span', { className: 'json-string', text: revealControls(JSON.stringify(value)) });
  }
  const entries = Array.isArray(value) ? value.map((item, index): [string, unknown] => [String(index), item]) : Object.entries(value);
  const summaryText = Array.isArray(value) ? `[ ${countOf(entries.length, 'item')} ]` : `{ ${countOf(entries.length, 'key')} }`;
  const details = element('details', {}, [element('summary', { text: summaryText })]);
  details.open = depth < 2;
  const list = element('ul', { className: 'json-members' });
  for (const [key, member] of entries.slice(0, MAX_TREE_MEMBERS)) {
    list.append(element('li', {}, [element('span', { className: 'json-key', text: `${revealControls(key)}: ` }), jsonNode(member, depth + 1)]));
  }
  if (entries.length > MAX_TREE_MEMBERS) {
    list.append(element('li', { text: `… ${entries.length - MAX_TREE_MEMBERS} more` }));
  }
  details.append(list);
  return details;
}

/** Returns "1 key", "2 keys": the count with the noun in singular or plural. */
function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
