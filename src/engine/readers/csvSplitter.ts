/**
 * Splitting CSV text (RFC 4180, comma-separated) into records of fields, with
 * exact physical line numbers for LF and CRLF files. After an unbalanced
 * quote, the line where the quote opens is reported and skipped, and reading
 * goes on with the next line.
 */

/**
 * Maximum number of lines one quoted field may span. A field that stays open
 * longer is taken for a stray quote. The limit is an estimate: real multi-line
 * cells, such as pasted text, are expected to span a few lines.
 */
export const MAX_QUOTED_FIELD_LINES = 100;

/** One record split into fields, with the line it starts on. */
export interface SplitRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A record that was skipped, with the line it starts on. */
export interface SplitProblem {
  readonly line: number;
  readonly message: string;
}

/** One physical line, without its line break. */
interface PhysicalLine {
  readonly number: number;
  readonly text: string;
  /** "\r\n", "\n", or "" for the last line of a file without a final line break. */
  readonly lineBreak: string;
}

/**
 * Splits CSV text pushed in chunks into records. The first record is the
 * header, and records whose field count differs from the header's are
 * reported, not emitted. A quote opens a quoted field only at the start of a
 * field, so a quote inside unquoted text is kept as a character.
 *
 * NOTE: a genuine multi-line cell in a record with the wrong field count is
 * taken for a stray quote, so its later lines are read again as records and
 * mostly reported too. Lines that end in a lone CR (classic Mac OS) are not
 * split.
 */
export class CsvSplitter {
  private headerLength: number | undefined;
  private partial = '';
  private nextLineNumber = 1;
  private readonly queue: PhysicalLine[] = [];
  /** Lines of the record in progress while one of its quoted fields is still open. */
  private pendingLines: PhysicalLine[] = [];
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** Whether text followed a closing quote before the next comma (`"a"b`). */
  private textAfterQuote = false;

  constructor(
    private readonly onRecord: (record: SplitRecord) => void,
    private readonly onProblem: (problem: SplitProblem) => void,
  ) {}

  /** Adds a chunk of text. A UTF-8 byte order mark at the start of the file is dropped. */
  push(chunk: string): void {
    let text = this.partial + chunk;
    if (this.nextLineNumber === 1 && this.partial === '' && text.startsWith('\uFEFF')) {
      text = text.slice(1);
    }
    let start = 0;
    for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
      const crlf = end > start && text.charCodeAt(end - 1) === 13;
      this.take({ number: this.nextLineNumber++, text: text.slice(start, crlf ? end - 1 : end), lineBreak: crlf ? '\r\n' : '\n' });
      start = end + 1;
    }
    this.partial = text.slice(start);
  }

  /** Ends the input: reads the last line and recovers from a quoted field that is never closed. */
  end(): void {
    if (this.partial !== '') {
      this.take({ number: this.nextLineNumber++, text: this.partial, lineBreak: '' });
      this.partial = '';
    }
    while (this.inQuotes) {
      const start = this.pendingLines[0].number;
      this.resync(`a quoted field opened on this line is never closed, so line ${start} is skipped and reading goes on with line ${start + 1}`);
      this.drain();
    }
  }

  private take(line: PhysicalLine): void {
    this.queue.push(line);
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0) {
      this.parseLine(this.queue.shift() as PhysicalLine);
    }
  }

  private parseLine(line: PhysicalLine): void {
    if (!this.inQuotes && line.text.indexOf('"') < 0) {
      this.completeRecord(line.number, line.text.split(','), line.number);
      return;
    }
    if (!this.inQuotes) {
      this.pendingLines = [];
    }
    this.pendingLines.push(line);
    if (this.scanLine(line)) {
      const startLine = this.pendingLines[0].number;
      const multiLine = this.pendingLines.length > 1;
      const fields = this.fields;
      const textAfterQuote = this.textAfterQuote;
      this.fields = [];
      this.textAfterQuote = false;
      if (multiLine && (textAfterQuote || (this.headerLength !== undefined && fields.length !== this.headerLength))) {
        // A quoted field that spans lines and leaves a malformed record is most likely a stray quote
        // that a later quote happened to close.
        this.resync(
          `a quoted field opened on this line closes only on line ${line.number} and leaves a malformed record, so line ${startLine} is skipped and reading goes on with line ${startLine + 1}`,
        );
        return;
      }
      this.pendingLines = [];
      this.completeRecord(startLine, fields, line.number);
      return;
    }
    if (this.pendingLines.length > MAX_QUOTED_FIELD_LINES) {
      const start = this.pendingLines[0].number;
      this.resync(
        `a quoted field opened on this line is not closed within ${MAX_QUOTED_FIELD_LINES} lines, so line ${start} is skipped and reading goes on with line ${start + 1}`,
      );
    }
  }

  /**
   * Scans one line into the record in progress. Returns true when the record
   * is complete, false when a quoted field is still open at the line's end.
   */
  private scanLine(line: PhysicalLine): boolean {
    const text = line.text;
    let index = 0;
    let atFieldStart = !this.inQuotes;
    for (;;) {
      if (atFieldStart && text.charCodeAt(index) === 34) {
        this.inQuotes = true;
        index += 1;
      }
      atFieldStart = false;
      if (this.inQuotes) {
        const quote = text.indexOf('"', index);
        if (quote < 0) {
          this.field += text.slice(index) + line.lineBreak;
          return false;
        }
        this.field += text.slice(index, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          this.field += '"';
          index = quote + 2;
          continue;
        }
        this.inQuotes = false;
        index = quote + 1;
        if (index < text.length && text.charCodeAt(index) !== 44) {
          this.textAfterQuote = true;
        }
      }
      const comma = text.indexOf(',', index);
      if (comma < 0) {
        this.fields.push(this.field + text.slice(index));
        this.field = '';
        return true;
      }
      this.fields.push(this.field + text.slice(index, comma));
      this.field = '';
      index = comma + 1;
      atFieldStart = true;
    }
  }

  /** Reports the record in progress at its first line, drops that line and queues the lines after it to be read again. */
  private resync(message: string): void {
    const [first, ...rest] = this.pendingLines;
    this.onProblem({ line: first.number, message });
    this.pendingLines = [];
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
    this.textAfterQuote = false;
    this.queue.unshift(...rest);
  }

  private completeRecord(startLine: number, fields: string[], endLine: number): void {
    if (fields.length === 1 && fields[0] === '' && startLine === endLine) {
      return;
    }
    if (this.headerLength === undefined) {
      this.headerLength = fields.length;
    } else if (fields.length !== this.headerLength) {
      this.onProblem({
        line: startLine,
        message: `the record has ${fields.length} fields but the header has ${this.headerLength}, so it is skipped`,
      });
      return;
    }
    this.onRecord({ line: startLine, fields });
  }
}
