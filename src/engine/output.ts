/**
 * Converts engine tables into the results model shared by every target
 * (src/results/model.ts).
 */
import type { CellValue, ResultTable } from '../results/model';
import { columnReader, type ColumnarTable } from './columns';
import { epochMsOfTicks, formatDatetime, formatTimespan, type Value } from './values';
import type { KustoColumnType } from '../schema/tables';

function toCell(value: Value, type: KustoColumnType): CellValue {
  if (value === null || value === undefined) {
    return type === 'string' ? '' : null;
  }
  switch (type) {
    case 'datetime': {
      const ticks = value as number;
      const { epochMs, subMsTicks } = epochMsOfTicks(ticks);
      return { kind: 'datetime', epochMs, subMsTicks, iso: formatDatetime(ticks) };
    }
    case 'timespan':
      return formatTimespan(value as number);
    case 'dynamic':
      return { kind: 'dynamic', value };
    case 'long':
    case 'int':
      // The results model stores longs past 2^53 as decimal text.
      return Number.isSafeInteger(value) ? (value as number) : BigInt(Math.trunc(value as number)).toString();
    default:
      return value as CellValue;
  }
}

export function toResultTable(table: ColumnarTable, name: string): ResultTable {
  const readers = table.data.map((column) => columnReader(column));
  const types = table.columns.map((column) => column.type);
  const rows: CellValue[][] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const cells = new Array<CellValue>(readers.length);
    for (let index = 0; index < readers.length; index++) {
      cells[index] = toCell(readers[index](row), types[index]);
    }
    rows.push(cells);
  }
  return { name, columns: table.columns.map((column) => ({ name: column.name, type: column.type })), rows };
}
