// Small result tables shared by the webview core tests.
import type { CellValue, ResultColumn, ResultTable } from '../../../src/results/model';
import { dateTime, encodeChunks } from '../../../src/webview/core/columnar';
import { TableData } from '../../../src/webview/core/tableData';

export const COLUMNS: ResultColumn[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'UserPrincipalName', type: 'string' },
  { name: 'Attempts', type: 'long' },
  { name: 'IsRisky', type: 'bool' },
  { name: 'LocationDetails', type: 'dynamic' },
];

export const ROWS: CellValue[][] = [
  [dateTime(Date.UTC(2024, 4, 1, 8, 0, 0, 123), 4567), 'bob@contoso.com', 12, true, { kind: 'dynamic', value: { countryOrRegion: 'NL' } }],
  [dateTime(Date.UTC(2024, 4, 1, 7, 0, 0), 0), 'alice@contoso.com', 3, false, { kind: 'dynamic', value: { countryOrRegion: 'US' } }],
  [null, '', null, null, null],
  [dateTime(Date.UTC(2024, 4, 1, 8, 0, 0, 123), 4566), null, 100, true, { kind: 'dynamic', value: [1, 2] }],
  [dateTime(Date.UTC(2023, 11, 31, 23, 59, 59), 1), 'Zoë@contoso.com', -1, false, { kind: 'dynamic', value: 'text' }],
];

export const TABLE: ResultTable = { name: 'PrimaryResult', columns: COLUMNS, rows: ROWS };

/** Builds the webview's TableData from a table, through the columnar encoding, in chunks of `chunkRows`. */
export function loadTable(table: ResultTable = TABLE, chunkRows = 2): TableData {
  const data = new TableData(table.name, table.columns, table.rows.length);
  for (const chunk of encodeChunks(table, 0, chunkRows)) {
    data.append(chunk);
  }
  return data;
}
