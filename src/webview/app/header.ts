/** The run summary above the grid: title, facts about the run, warnings and statistics. */
import { isCancelledRun } from '../../results/model';
import { revealControls } from '../core/format';
import type { ResultHeader } from '../protocol';
import { clear, element } from './dom';

export function renderSummary(container: HTMLElement, header: ResultHeader, loadedRows: number): void {
  clear(container);
  container.append(element('h1', { text: revealControls(header.title) }));

  const totalRows = header.tables.reduce((sum, table) => sum + table.rowCount, 0);
  const facts: Array<[string, string]> = [
    ['Rows', loadedRows < totalRows ? `${loadedRows.toLocaleString('en')} of ${totalRows.toLocaleString('en')} loaded` : totalRows.toLocaleString('en')],
    ['Duration', `${(header.durationMs / 1000).toFixed(2)} s`],
    ['Started', header.startedAt],
    ['Time range', timeRangeText(header)],
    ['Target', header.target.displayName],
    ['Request id', header.requestId ?? 'none'],
  ];
  const list = element('dl', { className: 'facts' });
  for (const [name, value] of facts) {
    list.append(element('div', {}, [element('dt', { text: name }), element('dd', { text: revealControls(value) })]));
  }
  container.append(list);

  if (isCancelledRun(header)) {
    const note = element('div', { className: 'banner info', attributes: { role: 'status' } });
    note.append(element('p', { text: 'The query was cancelled. The request was aborted, but the server may still finish running the query.' }));
    container.append(note);
  }
  const warnings = warningTexts(header);
  if (warnings.length > 0) {
    const banner = element('div', { className: header.status === 'Failure' ? 'banner error' : 'banner warning', attributes: { role: 'alert' } });
    for (const text of warnings) {
      banner.append(element('p', { text: revealControls(text) }));
    }
    container.append(banner);
  }

  if (header.statistics && Object.keys(header.statistics).length > 0) {
    const statistics = element('details', { className: 'statistics' }, [
      element('summary', { text: 'Statistics' }),
      element('pre', { text: revealControls(JSON.stringify(header.statistics, null, 2)) }),
    ]);
    container.append(statistics);
  }
}

/**
 * Describes the rows a run covered. A local run reads every loaded row, with
 * now() and ago() counted from the reference time in its statistics.
 */
function timeRangeText(header: ResultHeader): string {
  if (header.timeRange) {
    return `${header.timeRange.start} to ${header.timeRange.end}`;
  }
  if (header.target.kind === 'local') {
    const now = header.statistics?.now;
    return typeof now === 'string' ? `all loaded rows, with now() at ${now}` : 'all loaded rows';
  }
  return 'set by the query';
}

function warningTexts(header: ResultHeader): string[] {
  const texts: string[] = [];
  if (isCancelledRun(header)) {
    texts.push(...header.warnings);
    return texts;
  }
  if (header.status === 'PartialFailure') {
    texts.push('Partial results: the service reported an error after returning some rows, so rows may be missing.');
  } else if (header.status === 'Failure') {
    texts.push('The query failed.');
  }
  if (header.error) {
    // The runner writes the file position into most messages; add it only where the text lacks one.
    const hasPosition = /\bline \[?\d+/.test(header.error.message);
    const where =
      header.error.line !== undefined && !hasPosition
        ? ` (line ${header.error.line}${header.error.column !== undefined ? `, column ${header.error.column}` : ''})`
        : '';
    texts.push(`${header.error.code}: ${header.error.message}${where}`);
  }
  if (header.truncated) {
    texts.push('Truncated: the service cut the result at its row or size limit. Narrow the time range or add filters to see every row.');
  }
  texts.push(...header.warnings);
  return texts;
}
