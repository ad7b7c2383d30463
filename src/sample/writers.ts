/** Writers of the sample's export files, one per format, with backpressure and optional gzip. */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { mapGraphSignIn } from '../engine/readers/graphSignIns';
import { buildRow, rowLayout, scalarText } from '../engine/readers/rows';
import { SIGNIN_LOGS } from '../schema/signInTables';
import type { TableSchema } from '../schema/tables';
import type { GraphSignIn } from './signIns';
import { TENANT_ID } from './tenant';

/** A text file written in order, gzip-compressed when its name ends in `.gz`. */
export class TextFile {
  private readonly file: WriteStream;
  private readonly gzip: Gzip | undefined;

  constructor(readonly path: string) {
    this.file = createWriteStream(path);
    if (path.endsWith('.gz')) {
      this.gzip = createGzip({ level: 9 });
      this.gzip.pipe(this.file);
    }
  }

  async write(text: string): Promise<void> {
    const target = this.gzip ?? this.file;
    if (!target.write(text)) {
      await once(target, 'drain');
    }
  }

  async close(): Promise<void> {
    (this.gzip ?? this.file).end();
    await finished(this.file);
  }
}

/** A JSON array with one element per line, as a Log Analytics query export writes it. */
export class JsonArrayFile {
  private count = 0;
  private readonly text: TextFile;

  constructor(path: string) {
    this.text = new TextFile(path);
  }

  async add(value: unknown): Promise<void> {
    await this.text.write(`${this.count === 0 ? '[\n' : ',\n'}${JSON.stringify(value)}`);
    this.count += 1;
  }

  async close(): Promise<void> {
    await this.text.write(this.count === 0 ? '[]\n' : '\n]\n');
    await this.text.close();
  }
}

/** JSON lines: one object per line. */
export class JsonLinesFile {
  private readonly text: TextFile;

  constructor(path: string) {
    this.text = new TextFile(path);
  }

  async add(value: unknown): Promise<void> {
    await this.text.write(`${JSON.stringify(value)}\n`);
  }

  close(): Promise<void> {
    return this.text.close();
  }
}

/** Microsoft Graph `{ "value": [...] }` pages of `pageSize` records, written one after another. */
export class GraphPagesFile {
  private page: unknown[] = [];
  private readonly text: TextFile;

  constructor(
    path: string,
    private readonly pageSize = 500,
  ) {
    this.text = new TextFile(path);
  }

  async add(value: unknown): Promise<void> {
    this.page.push(value);
    if (this.page.length === this.pageSize) {
      await this.flush();
    }
  }

  private async flush(): Promise<void> {
    const records = this.page.map((record) => JSON.stringify(record)).join(',\n');
    await this.text.write(`{"@odata.context":"$metadata#auditLogs/signIns","value":[\n${records}\n]}\n`);
    this.page = [];
  }

  async close(): Promise<void> {
    if (this.page.length > 0) {
      await this.flush();
    }
    await this.text.close();
  }
}

/** A CSV file with a fixed header row. */
export class CsvFile {
  private readonly text: TextFile;
  private started = false;

  constructor(
    path: string,
    private readonly headers: readonly string[],
  ) {
    this.text = new TextFile(path);
  }

  async add(values: readonly unknown[]): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.text.write(stringify([this.headers]));
    }
    await this.text.write(stringify([values.map(csvCell)]));
  }

  async close(): Promise<void> {
    if (!this.started) {
      await this.text.write(stringify([this.headers]));
    }
    await this.text.close();
  }
}

function csvCell(value: unknown): string {
  return scalarText(value) ?? '';
}

/**
 * Returns a row of a Log Analytics table as the object a query export writes:
 * column name to value, with null columns left out.
 */
export function logAnalyticsObject(table: TableSchema, values: Record<string, unknown>): Record<string, unknown> {
  const row = buildRow(rowLayout(table), { TenantId: TENANT_ID, SourceSystem: 'Azure AD', Type: table.name, ...values });
  const result: Record<string, unknown> = {};
  table.columns.forEach((column, index) => {
    if (row[index] !== null && row[index] !== '') {
      result[column.name] = row[index];
    }
  });
  return result;
}

/** Returns a Graph signIn as the SigninLogs row of a Log Analytics export. */
export function signInLogsObject(record: GraphSignIn): Record<string, unknown> {
  return logAnalyticsObject(SIGNIN_LOGS, mapGraphSignIn(record, SIGNIN_LOGS));
}

/** Joins a folder and a file name. */
export function outputPath(folder: string, name: string): string {
  return join(folder, name);
}
