/** Turning a detected export file into lazy tables of input-form rows. */
import { AUDIT_LOGS } from '../../schema/logAnalytics';
import { AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, SIGNIN_LOGS } from '../../schema/signInTables';
import type { TableSchema } from '../../schema/tables';
import type { ReadProblem, ReadTable } from '../input';
import type { CsvSkip } from './csvRecords';
import { readCsvTableRecords } from './csvTableRecords';
import { diagnosticTable, mapDiagnosticRecord } from './diagnostic';
import type { AuthDetailsIndex } from './entraCsv';
import { AttemptKeys } from './attemptKeys';
import type { ExportFormat } from './formats';
import { graphSignInTable, mapGraphSignIn } from './graphSignIns';
import { readJsonRecords, type FilePart } from './jsonRecords';
import { PowerShellDepthCuts } from './powerShellDepth';
import { BATCH_SIZE, buildRow, rowLayout } from './rows';
import { jsonRowPosition, UnreadableDatetimes, type RowPosition, type UnreadableDatetimeSink } from './unreadableDatetimes';

/** One row, the table it belongs to, and where it is in its file (see RowSource.position). */
export interface TableRow {
  readonly table: TableSchema;
  readonly row: unknown[];
  readonly line: number;
}

/** What a row source needs besides the file. */
export interface SourceContext {
  readonly onProblem: (problem: ReadProblem) => void;
  readonly signal?: AbortSignal;
  /** Authentication steps by Request ID, joined into Entra CSV sign-ins. */
  readonly authDetails?: AuthDetailsIndex;
  /** The part of the file to read, for a format that can be read in parts (see fileParts.ts). */
  readonly part?: FilePart;
}

/**
 * Returns the tables of one export file. Their batches read the file when
 * iterated. A Graph or diagnostic file can hold several tables, so it yields
 * every table its format can hold, some possibly empty. Datetime text that
 * no form matches stays in the rows as it is. loadData reports such text
 * when its table builder rejects it, but this reader does not.
 */
export function exportTables(file: string, format: ExportFormat, context: SourceContext): ReadTable[] {
  const source = exportRowSource(file, format, context);
  if (!source) {
    return [];
  }
  const rows = () => readReportingUnreadable(source, context.onProblem);
  return source.schemas.length === 1 ? [singleTable(source.schemas[0], rows)] : demultiplex(source.schemas, rows);
}

/** Reads a source's rows with a report of their unreadable datetime values that is finished at the end of the file. */
async function* readReportingUnreadable(source: RowSource, onProblem: (problem: ReadProblem) => void): AsyncGenerator<TableRow[]> {
  const unreadable = new UnreadableDatetimes(source.file, source.position, onProblem);
  for await (const batch of source.rows(unreadable)) {
    unreadable.flush();
    yield batch;
  }
  unreadable.finish();
}

/** One read of an export file: the tables its rows may belong to, and the rows of all of them in file order. */
export interface RowSource {
  readonly file: string;
  readonly format: ExportFormat;
  readonly schemas: readonly TableSchema[];
  /** Unit of TableRow.line in this file. */
  readonly position: RowPosition;
  /**
   * Reads the file once per call, in batches of rows tagged with their table.
   * Datetime values of a JSON file that are not text go to `unreadable`
   * (which the caller finishes) and are null in the rows.
   */
  readonly rows: (unreadable: UnreadableDatetimeSink) => AsyncIterable<TableRow[]>;
}

/**
 * Returns the row source of one export file, or undefined for a format that
 * has no rows of its own (an Entra auth-details CSV). Unlike exportTables,
 * a reader of this source gets the rows of every table in one pass, so no
 * table's rows wait in memory while another table is read.
 */
export function exportRowSource(file: string, format: ExportFormat, context: SourceContext): RowSource | undefined {
  const schemas = formatSchemas(format);
  if (schemas.length === 0) {
    return undefined;
  }
  const position = 'layout' in format ? jsonRowPosition(format.layout) : 'line';
  return { file, format, schemas, position, rows: (unreadable) => readRows(file, format, context, unreadable) };
}

/** The tables that a file of this format can fill. */
function formatSchemas(format: ExportFormat): TableSchema[] {
  switch (format.kind) {
    case 'logAnalyticsCsv':
    case 'logAnalyticsJson':
    case 'entraCsv':
      return [format.table];
    case 'graphJson':
      return [SIGNIN_LOGS, AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS];
    case 'diagnosticJson':
      return [SIGNIN_LOGS, AAD_NON_INTERACTIVE_USER_SIGNIN_LOGS, AUDIT_LOGS];
    case 'entraAuthDetailsCsv':
      return [];
  }
}

/** Returns true when a record has fields but none of them is a column of the table, as when a file is named after the wrong table. */
function isForeignRecord(row: readonly unknown[], record: Readonly<Record<string, unknown>>): boolean {
  return row.every((value) => value === null) && Object.keys(record).length > 0;
}

function foreignRecordMessage(record: Readonly<Record<string, unknown>>, table: string): string {
  const fields = Object.keys(record).slice(0, 5).map((field) => JSON.stringify(field)).join(', ');
  return `none of the record's fields (${fields}) is a column of ${table}, so it is skipped. Check that the file holds ${table} rows, or rename it after its table`;
}

/** Reads the rows of a file in its format, in batches, reporting skipped lines with the file name. */
async function* readRows(
  file: string,
  format: ExportFormat,
  context: SourceContext,
  unreadable: UnreadableDatetimeSink,
): AsyncGenerator<TableRow[]> {
  const report = (skip: CsvSkip) => context.onProblem({ file, ...skip });

  if (format.kind === 'logAnalyticsCsv' || format.kind === 'entraCsv') {
    const layout = rowLayout(format.table);
    let batch: TableRow[] = [];
    for await (const record of readCsvTableRecords(file, format, report, context)) {
      const values = record.values;
      const row = buildRow(layout, values);
      if (format.kind === 'logAnalyticsCsv' && isForeignRecord(row, values)) {
        report({ line: record.line, message: foreignRecordMessage(values, format.table.name) });
        continue;
      }
      batch.push({ table: format.table, row, line: record.line });
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) {
      yield batch;
    }
    return;
  }
  if (format.kind === 'entraAuthDetailsCsv') {
    return;
  }

  let unknownCategories = 0;
  const attempts = new AttemptKeys();
  const depthCuts = new PowerShellDepthCuts(report);
  if (context.part && format.kind !== 'logAnalyticsJson') {
    throw new Error(`${file} is a ${format.kind} export, which is read whole, not in parts.`);
  }
  for await (const records of readJsonRecords(file, report, context.signal, format.layout, context.part)) {
    const batch: TableRow[] = [];
    for (const record of records) {
      const line = record.line;
      if (format.kind === 'logAnalyticsJson') {
        const row = buildRow(rowLayout(format.table), record.value, unreadable, line);
        if (isForeignRecord(row, record.value)) {
          report({ line, message: foreignRecordMessage(record.value, format.table.name) });
          continue;
        }
        batch.push({ table: format.table, row, line });
      } else if (format.kind === 'graphJson') {
        const table = graphSignInTable(record.value, format.table);
        const restored = depthCuts.restore(record.value, line);
        batch.push({ table, row: buildRow(rowLayout(table), mapGraphSignIn(restored, table, attempts), unreadable, line), line });
      } else if (format.kind === 'diagnosticJson') {
        const table = diagnosticTable(record.value);
        if (table === undefined) {
          // Report the first record of an unsupported category, not every one.
          if (unknownCategories === 0) {
            report({
              line: record.line,
              message: `diagnostic category "${String(record.value.category)}" has no table here; its records are skipped`,
            });
          }
          unknownCategories += 1;
          continue;
        }
        batch.push({ table, row: buildRow(rowLayout(table), mapDiagnosticRecord(record.value, table), unreadable, line), line });
      }
    }
    yield batch;
  }
  depthCuts.finish();
}

function singleTable(schema: TableSchema, rows: () => AsyncIterable<TableRow[]>): ReadTable {
  return {
    table: schema.name,
    columns: schema.columns,
    batches: {
      async *[Symbol.asyncIterator]() {
        let batch: unknown[][] = [];
        for await (const tableRows of rows()) {
          for (const { row } of tableRows) {
            batch.push(row);
            if (batch.length === BATCH_SIZE) {
              yield batch;
              batch = [];
            }
          }
        }
        if (batch.length > 0) {
          yield batch;
        }
      },
    },
  };
}

/** One read of a file whose rows are shared out among several tables. */
interface SharedPass {
  readonly rows: AsyncIterator<TableRow[]>;
  readonly full: Map<TableSchema, unknown[][][]>;
  readonly filling: Map<TableSchema, unknown[][]>;
  readonly claimed: Set<TableSchema>;
  done: boolean;
}

/**
 * Splits one row stream into a table per schema with a single read of the
 * file. Rows of a table that is not being iterated wait in memory until it is.
 * Iterating a table a second time starts a new read.
 */
function demultiplex(schemas: readonly TableSchema[], rows: () => AsyncIterable<TableRow[]>): ReadTable[] {
  let pass: SharedPass | undefined;

  const startPass = (): SharedPass => ({
    rows: rows()[Symbol.asyncIterator](),
    full: new Map(schemas.map((schema) => [schema, []])),
    filling: new Map(schemas.map((schema) => [schema, []])),
    claimed: new Set(),
    done: false,
  });

  async function* iterate(schema: TableSchema): AsyncGenerator<unknown[][]> {
    if (!pass || pass.claimed.has(schema)) {
      pass = startPass();
    }
    const current = pass;
    current.claimed.add(schema);
    const full = current.full.get(schema) ?? [];
    while (true) {
      const batch = full.shift();
      if (batch) {
        yield batch;
        continue;
      }
      if (current.done) {
        const rest = current.filling.get(schema) ?? [];
        current.filling.set(schema, []);
        if (rest.length > 0) {
          yield rest;
        }
        return;
      }
      const next = await current.rows.next();
      if (next.done) {
        current.done = true;
        continue;
      }
      for (const { table, row } of next.value) {
        const filling = current.filling.get(table);
        if (filling === undefined) {
          continue;
        }
        filling.push(row);
        if (filling.length === BATCH_SIZE) {
          current.full.get(table)?.push(filling.splice(0));
        }
      }
    }
  }

  return schemas.map((schema) => ({
    table: schema.name,
    columns: schema.columns,
    batches: { [Symbol.asyncIterator]: () => iterate(schema) },
  }));
}
