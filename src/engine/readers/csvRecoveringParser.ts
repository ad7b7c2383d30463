/**
 * csv-parse with recovery from stray quotes: the line where a bad quote opens
 * is reported and skipped, and a fresh csv-parse reads on from the next line.
 */
import { parse, type CsvError, type InfoRecord, type Options, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { LineWindow, type LinePosition } from './csvLineWindow';

/** The field separators a CSV export may use: comma, semicolon (Excel in locales with a decimal comma) or tab. */
export type CsvDelimiter = ',' | ';' | '\t';

/**
 * Returns the separator of a CSV file from its first line: the candidate
 * that occurs most often outside quotes, with comma on a tie or when none
 * occurs. Excel writes semicolons where the decimal separator is a comma, and
 * tabs in its "Unicode Text" format.
 */
export function detectCsvDelimiter(head: string): CsvDelimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const character of head) {
    if (character === '"') {
      quoted = !quoted;
    } else if (!quoted && (character === '\n' || character === '\r')) {
      break;
    } else if (!quoted && character in counts) {
      counts[character as CsvDelimiter] += 1;
    }
  }
  let best: CsvDelimiter = ',';
  for (const candidate of [';', '\t'] as const) {
    if (counts[candidate] > counts[best]) {
      best = candidate;
    }
  }
  return best;
}

/**
 * Maximum number of physical lines one record may span. Only a quoted field
 * with line breaks makes a record span lines, so a record still open after
 * this many lines is taken for a stray quote. The limit is an estimate: real
 * multi-line cells, such as pasted text, are expected to span a few lines.
 */
export const MAX_QUOTED_FIELD_LINES = 100;

/**
 * Bytes at the end of a write that csv-parse may keep unparsed until more
 * data arrives. With the options used here, csv-parse 7.0.3 looks ahead at
 * most 3 bytes (a quote and a CRLF).
 */
const PARSER_LOOKAHEAD_BYTES = 8;

/**
 * Size of each write to csv-parse. The check for a record open over too many
 * lines runs between writes, so smaller writes find a stray quote with less
 * parsing thrown away.
 */
const WRITE_SLICE_BYTES = 64 * 1024;

/**
 * Thrown from the csv-parse callbacks to stop it at a resync point, because
 * a fresh instance parses the rest of its input again.
 */
class ResyncStop extends Error {}

/** LF or CRLF, in any mix. A lone CR (classic Mac OS) does not end a record. */
const RECORD_DELIMITERS = ['\r\n', '\n'];

/** One record split into fields, with the line it starts on. */
export interface ParsedRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A record that was skipped, with the line it starts on. */
export interface ParseProblem {
  readonly line: number;
  readonly message: string;
}

/** A decision to skip the first line of the record in progress and parse again from the next line. */
interface Resync {
  readonly start: LinePosition;
  readonly message: string;
}

/**
 * Parses CSV bytes pushed in chunks with csv-parse. The first record is the
 * header, and records whose field count differs from the header's are
 * reported, not emitted. Three faults of a quoted field make a resync: it is
 * never closed, it stays open for more than MAX_QUOTED_FIELD_LINES lines, or
 * it spans lines and then leaves a malformed record (a wrong field count or
 * text after a closing quote). A resync reports and drops the first line of
 * the record, and a fresh csv-parse reads on from the next line. Every
 * restart drops at least one line, so restarts are bounded by the line count.
 *
 * NOTE: a genuine multi-line cell in a record with the wrong field count is
 * taken for a stray quote, so its later lines are read again as records and
 * mostly reported too.
 */
export class RecoveringCsvParser {
  private readonly window = new LineWindow();
  private parser: Parser;
  /** Offset of the window's first byte in the input of the current csv-parse instance. */
  private parserOffset = 0;
  /** Number of bytes written to the current csv-parse instance. */
  private parserInput = 0;
  private headerLength: number | undefined;
  private resync: Resync | undefined;

  constructor(
    private readonly onRecord: (record: ParsedRecord) => void,
    private readonly onProblem: (problem: ParseProblem) => void,
    private readonly delimiter: CsvDelimiter = ',',
  ) {
    this.parser = this.createParser(true);
  }

  /** Parses a chunk. Records are passed to `onRecord` before the returned promise settles. */
  async push(chunk: Buffer): Promise<void> {
    this.window.append(chunk);
    await this.drain(false);
  }

  /** Ends the input and reads the last record. */
  async end(): Promise<void> {
    await this.drain(true);
  }

  /** Stops parsing without reading the rest. */
  destroy(): void {
    this.parser.destroy();
  }

  private createParser(first: boolean): Parser {
    const options: Options = {
      bom: first,
      delimiter: this.delimiter,
      record_delimiter: RECORD_DELIMITERS,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // Records go to `acceptRecord` and none is pushed, so the stream never
      // holds back a write for want of a reader.
      on_record: (fields: string[], info: InfoRecord) => {
        this.acceptRecord(fields, info);
        this.stopAtResync();
        return null;
      },
      on_skip: (error: CsvError | undefined) => {
        this.rejectRecord(error);
        this.stopAtResync();
        return undefined;
      },
    };
    this.parserOffset = 0;
    this.parserInput = 0;
    const parser = parse(options);
    // Every other error also rejects the pending write or end, see `write` and `finish`.
    parser.on('error', () => undefined);
    return parser;
  }

  private stopAtResync(): void {
    if (this.resync !== undefined) {
      throw new ResyncStop('stopped at a resync point');
    }
  }

  /**
   * Writes the window's unparsed bytes to csv-parse in slices and, at the end
   * of the input, ends it. After each resync, csv-parse restarts on the line
   * after the resync point and parses the window again from there.
   */
  private async drain(end: boolean): Promise<void> {
    for (;;) {
      if (this.resync !== undefined) {
        this.restart(this.resync);
        continue;
      }
      const parsedEnd = this.parserInput - this.parserOffset;
      if (parsedEnd < this.window.length) {
        const slice = this.window.bytes.subarray(parsedEnd, parsedEnd + WRITE_SLICE_BYTES);
        this.parserInput += slice.length;
        await write(this.parser, slice);
        this.checkOpenRecord();
        continue;
      }
      if (!end) {
        return;
      }
      await finish(this.parser);
      if (this.resync === undefined) {
        return;
      }
    }
  }

  /** Reports the resync, drops the first line of the record in progress and starts a fresh csv-parse on the next line. */
  private restart({ start, message }: Resync): void {
    this.resync = undefined;
    this.onProblem({ line: start.line, message });
    this.parser.destroy();

    const lineBreak = this.window.findLineBreak(start.offset, 1);
    if (lineBreak < 0) {
      this.window.dropTo(this.window.length, start.line);
    } else {
      this.window.dropTo(lineBreak + 1, start.line + 1);
    }
    this.parser = this.createParser(false);
  }

  private acceptRecord(fields: string[], info: InfoRecord): void {
    const end = info.bytes - this.parserOffset;
    const start = this.window.recordStart();
    const lineBreaks = this.window.countLineBreaks(start.offset, end);
    const endLine = start.line + lineBreaks - (this.window.endsWithLineBreak(end) ? 1 : 0);
    const lineCount = endLine - start.line + 1;

    if (lineCount > MAX_QUOTED_FIELD_LINES) {
      this.resync = { start, message: notClosedWithinLimit(start.line) };
      return;
    }
    const wrongLength = this.headerLength !== undefined && fields.length !== this.headerLength;
    if (lineCount > 1 && (wrongLength || hasTextAfterClosingQuote(this.window.bytes.subarray(start.offset, end), this.delimiter))) {
      this.resync = {
        start,
        message: `a quoted field opened on this line closes only on line ${endLine} and leaves a malformed record, so line ${start.line} is skipped and reading goes on with line ${start.line + 1}`,
      };
      return;
    }

    this.window.dropTo(end, start.line + lineBreaks);
    this.parserOffset = info.bytes;
    this.emit(start.line, fields, lineCount);
  }

  /** Sets a resync for an error that made csv-parse skip a record. With the relax options set, only an unclosed quote at the end is expected. */
  private rejectRecord(error: CsvError | undefined): void {
    const start = this.window.recordStart();
    if (error?.code !== 'CSV_QUOTE_NOT_CLOSED') {
      const reason = error?.message ?? 'csv-parse rejected the record';
      this.resync = { start, message: `${reason}, so line ${start.line} is skipped and reading goes on with line ${start.line + 1}` };
      return;
    }
    const lineBreaks = this.window.countLineBreaks(start.offset, this.window.length);
    const lineCount = lineBreaks + (this.window.endsWithLineBreak(this.window.length) ? 0 : 1);
    this.resync = {
      start,
      message:
        lineCount > MAX_QUOTED_FIELD_LINES
          ? notClosedWithinLimit(start.line)
          : `a quoted field opened on this line is never closed, so line ${start.line} is skipped and reading goes on with line ${start.line + 1}`,
    };
  }

  /**
   * Sets a resync when the record in progress has been open for more than
   * MAX_QUOTED_FIELD_LINES lines. Without this check one stray quote would
   * keep the rest of the file in memory until the end of the input.
   */
  private checkOpenRecord(): void {
    if (this.resync !== undefined) {
      return;
    }
    const start = this.window.recordStart();
    const lastLineBreak = this.window.findLineBreak(start.offset, MAX_QUOTED_FIELD_LINES);
    const parsedEnd = this.parserInput - this.parserOffset;
    // csv-parse has read that line break, with no record ending on it, only if enough bytes follow it.
    if (lastLineBreak >= 0 && lastLineBreak < parsedEnd - PARSER_LOOKAHEAD_BYTES) {
      this.resync = { start, message: notClosedWithinLimit(start.line) };
    }
  }

  private emit(line: number, fields: string[], lineCount: number): void {
    // A quoted empty field alone on a line is taken for an empty line.
    if (fields.length === 1 && fields[0] === '' && lineCount === 1) {
      return;
    }
    if (this.headerLength === undefined) {
      this.headerLength = fields.length;
    } else if (fields.length !== this.headerLength) {
      this.onProblem({ line, message: `the record has ${fields.length} fields but the header has ${this.headerLength}, so it is skipped` });
      return;
    }
    this.onRecord({ line, fields });
  }
}

function notClosedWithinLimit(line: number): string {
  return `a quoted field opened on this line is not closed within ${MAX_QUOTED_FIELD_LINES} lines, so line ${line} is skipped and reading goes on with line ${line + 1}`;
}

/**
 * Whether a closing quote in the record's text is followed by something
 * other than a delimiter or line break (`"a"b`). csv-parse with
 * `relax_quotes` reads such a quote as text, so the record is parsed again
 * with strict quotes to find it. Both modes agree up to that quote.
 */
function hasTextAfterClosingQuote(text: Buffer, delimiter: CsvDelimiter): boolean {
  let found = false;
  parseSync(text, {
    delimiter,
    record_delimiter: RECORD_DELIMITERS,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      found ||= error?.code === 'CSV_INVALID_CLOSING_QUOTE';
      return undefined;
    },
  });
  return found;
}

function write(parser: Parser, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.write(chunk, (error) => (error && !(error instanceof ResyncStop) ? reject(error) : resolve()));
  });
}

function finish(parser: Parser): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.end((error?: Error | null) => (error && !(error instanceof ResyncStop) ? reject(error) : resolve()));
  });
}
