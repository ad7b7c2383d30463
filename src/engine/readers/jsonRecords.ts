/**
 * Streaming JSON records. Three layouts are read:
 * - JSON lines: the first line is a complete JSON value. Each line is parsed
 *   on its own, so a malformed line is reported and the next one is read.
 * - An array with one element per line (`[`, `{...},`, ..., `]`), a common
 *   way for scripts to write large arrays, also inside a page whose first
 *   line is `{"@odata.context":"...","value":[`: read like JSON lines, with
 *   the brackets, page edges and the commas at line ends dropped.
 * - Anything else (a pretty-printed array, `{ "value": [...] }` pages, several
 *   arrays or pages written one after another) goes through stream-json's
 *   tokenizer, so a file larger than the longest V8 string still loads. A
 *   syntax error there ends the file, because the tokenizer cannot resume.
 * In every layout an array yields its elements, an object with a `value` or
 * `records` array (a Microsoft Graph page, an Azure Monitor blob) yields
 * that array's elements, and any other object is itself a record.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ReadProblemKind } from '../input';
import { openExportStream, readExportHead, type ByteRange } from './source';

/** One JSON record with its 1-based line (line-based layouts) or record number (tokenizer). */
export interface JsonRecord {
  readonly line: number;
  readonly value: Record<string, unknown>;
}

/** A line or record that could not be read, with `line` as in JsonRecord. */
export interface JsonSkip {
  readonly line: number;
  readonly message: string;
  /** Set to 'fileNote' for a note about the whole file, such as its encoding. */
  readonly kind?: ReadProblemKind;
}

/** Records per batch that the readers yield, so that async iteration costs little per record. */
export const RECORD_BATCH_SIZE = 256;

/** Keys of a wrapper object whose array contains the records. */
const WRAPPER_KEYS = new Set(['value', 'records']);

/**
 * Layout of a JSON file's records: one JSON value per line, an array with one
 * element per line, or any other (read by the tokenizer). JsonRecord.line is
 * a line number in the first two layouts and a record number in 'tokens'.
 */
export type JsonLayout = 'lines' | 'arrayLines' | 'tokens';

/**
 * One part of a line-based JSON file read on its own. Its line numbers count
 * from the part's first line, and `onLineCount` receives how many lines it
 * held, so that the reader of the next part can add them.
 */
export interface FilePart {
  readonly range: ByteRange;
  readonly onLineCount?: (lines: number) => void;
}

/**
 * Reads the records of a JSON file in its layout, in batches of up to
 * RECORD_BATCH_SIZE. Without `layout`, the layout is detected from the head
 * of the file. With `part`, only that part of a file in a line-based layout is read.
 */
export async function* readJsonRecords(
  file: string,
  onSkip: (skip: JsonSkip) => void,
  signal?: AbortSignal,
  layout?: JsonLayout,
  part?: FilePart,
): AsyncGenerator<JsonRecord[]> {
  const known = layout ?? jsonLayoutOfHead(await readExportHead(file));
  if (known === 'tokens') {
    if (part) {
      throw new Error(`${file} is not in a line-based JSON layout, so it cannot be read in parts.`);
    }
    yield* readJsonTokens(file, onSkip, signal);
  } else {
    yield* readJsonLines(file, known === 'arrayLines', onSkip, signal, part);
  }
}

/**
 * Returns the layout of a JSON file from its first lines (see readExportHead).
 * A line cut off at the end of the head does not parse, so a long
 * single-line document goes to the tokenizer.
 */
export function jsonLayoutOfHead(head: string): JsonLayout {
  const lines = head.split('\n').filter((line) => line.trim() !== '');
  if (lines.length > 0 && parsesAsJson(lines[0])) {
    return 'lines';
  }
  if (lines.length > 1 && isArrayEdgeLine(lines[0].trim()) && parsesAsJson(stripLineEnd(lines[1]))) {
    return 'arrayLines';
  }
  return 'tokens';
}

/** Drops the comma that separates array elements at the end of a line. */
function stripLineEnd(line: string): string {
  const trimmed = line.trim();
  return trimmed.endsWith(',') ? trimmed.slice(0, -1) : trimmed;
}

/** Lines of brackets between and around arrays. */
const BRACKET_LINE = /^[[\]]+$/;

/** The first line of a page whose records follow one per line: `{"@odata.context":"...","value":[`. */
const PAGE_HEADER = /^\{.*"(?:value|records)"\s*:\s*\[$/;

/**
 * Whether a trimmed line of the array-per-line layout contains no element: a
 * bracket line, a page header, or the end of an array and of its page
 * (`]}`, `],"@odata.nextLink":"..."}`). No record line starts with `]` or
 * ends with `[`, so most lines are told apart by their first and last
 * characters alone.
 */
function isArrayEdgeLine(line: string): boolean {
  if (line.charCodeAt(0) === 0x5d) {
    return true;
  }
  return line.charCodeAt(line.length - 1) === 0x5b && (BRACKET_LINE.test(line) || PAGE_HEADER.test(line));
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function* readJsonLines(
  file: string,
  insideArray: boolean,
  onSkip: (skip: JsonSkip) => void,
  signal?: AbortSignal,
  part?: FilePart,
): AsyncGenerator<JsonRecord[]> {
  const input = await openExportStream(file, signal, onSkip, part?.range);
  try {
    if (!part) {
      yield* parseLines(splitLines(input), insideArray, onSkip);
      return;
    }
    const read = { bytes: 0 };
    const lines = yield* parseLines(splitLines(countBytes(input, read)), insideArray, onSkip);
    if (read.bytes < part.range.end - part.range.start) {
      onSkip({
        line: lines + 1,
        message: 'the file became shorter while it was read (it was truncated or rewritten), so the rows from here to the end of this part are missing. Load it again once it is complete',
      });
    }
    part.onLineCount?.(lines);
  } finally {
    input.destroy();
  }
}

/** Passes a byte stream through, adding the length of each chunk to `read.bytes`. */
async function* countBytes(input: AsyncIterable<Buffer>, read: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    read.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * Splits a byte stream into UTF-8 lines, one array per chunk read, without a
 * leading byte order mark. A line ends at LF, CRLF or a lone CR, as with
 * readline's crlfDelay: Infinity. Each line is found in the bytes and decoded
 * on its own: JSON.parse reads such a string faster than a slice of a decoded
 * chunk, and no chunk-sized string is built. A line feed byte never occurs
 * inside a multi-byte UTF-8 character, so every cut is between characters.
 */
async function* splitLines(input: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  // The start of a line that continues in the next chunk, in pieces, so a long line is joined once.
  let pending: Buffer[] = [];
  let first = true;
  for await (const chunk of input) {
    let start = 0;
    let end = chunk.indexOf(0x0a);
    if (end < 0) {
      pending.push(chunk);
      continue;
    }
    // The line that ends here may have begun in earlier chunks, which are not searched for CR below.
    let joined: string | string[] = [];
    if (pending.length > 0) {
      pending.push(chunk.subarray(0, end));
      joined = splitCarriageReturns(Buffer.concat(pending).toString('utf8'));
      pending = [];
      start = end + 1;
      end = chunk.indexOf(0x0a, start);
    }
    let lines: string[] = [];
    while (end >= 0) {
      lines.push(chunk.toString('utf8', start, end));
      start = end + 1;
      end = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
    }
    // One search of the chunk spares a search of each line in files without CR.
    if (chunk.includes(0x0d)) {
      lines = lines.flatMap(splitCarriageReturns);
    }
    lines = ([] as string[]).concat(joined, lines);
    if (first && lines.length > 0) {
      lines[0] = withoutByteOrderMark(lines[0]);
      first = false;
    }
    yield lines;
  }
  if (pending.length > 0) {
    const last = Buffer.concat(pending).toString('utf8');
    yield [first ? withoutByteOrderMark(last) : last].flatMap(splitCarriageReturns);
  }
}

function withoutByteOrderMark(line: string): string {
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/** Drops the CR of a CRLF line end, and splits a line at the lone CRs left inside it. */
function splitCarriageReturns(line: string): string | string[] {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  return text.includes('\r') ? text.split('\r') : text;
}

/** Parses lines into records, and returns how many lines there were. */
async function* parseLines(
  lineBatches: AsyncIterable<string[]>,
  insideArray: boolean,
  onSkip: (skip: JsonSkip) => void,
): AsyncGenerator<JsonRecord[], number> {
  let lineNumber = 0;
  let batch: JsonRecord[] = [];
  for await (const lines of lineBatches) {
    for (const rawLine of lines) {
      lineNumber += 1;
      const line = insideArray ? stripLineEnd(rawLine) : rawLine;
      if (line.trim() === '' || (insideArray && isArrayEdgeLine(line))) {
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        onSkip({ line: lineNumber, message: `invalid JSON: ${(error as Error).message}` });
        continue;
      }
      for (const value of unwrapRecords(parsed)) {
        if (isObject(value)) {
          batch.push({ line: lineNumber, value });
        } else {
          onSkip({ line: lineNumber, message: `expected a JSON object, found ${describeJson(value)}` });
        }
      }
      if (batch.length >= RECORD_BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) {
    yield batch;
  }
  return lineNumber;
}

/** Returns the records inside one parsed JSON value. */
function unwrapRecords(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  if (isObject(value)) {
    for (const key of WRAPPER_KEYS) {
      const inner = value[key];
      if (Array.isArray(inner)) {
        return inner;
      }
    }
  }
  return [value];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) {
    return 'an array';
  }
  return value === null ? 'null' : `a ${typeof value}`;
}

/** A token of stream-json's parser with packed values (no string chunks). */
interface Token {
  readonly name: string;
  readonly value?: unknown;
}

/** The kind of value open at one nesting level. */
type Frame =
  /** An array whose elements are records. */
  | { kind: 'list' }
  /** An object whose `value` or `records` array contains the records. Its other values are skipped. */
  | { kind: 'wrapper'; key: string | undefined }
  /** A value that is skipped, with its nesting depth so far. */
  | { kind: 'skip'; depth: number };

/** Maximum length of the text handed to the tokenizer at once. */
const MAX_PIECE_LENGTH = 64 * 1024;

/**
 * Feeds the file to stream-json's tokenizer one line (or 64 KiB) at a time.
 * The tokenizer throws away the tokens of a piece that fails, so small
 * pieces keep every record that ends before the line with the error.
 */
async function* readJsonTokens(
  file: string,
  onSkip: (skip: JsonSkip) => void,
  signal?: AbortSignal,
): AsyncGenerator<JsonRecord[]> {
  // stream-json is an ES module, so this CommonJS build loads it with import().
  const { jsonParser } = await import('stream-json/core/parser.js');
  const { Assembler } = await import('stream-json/assembler.js');
  const tokenize = jsonParser({ packValues: true, streamValues: false, jsonStreaming: true }) as (
    text: string | symbol,
  ) => { values: Token[] } | symbol;
  const records = new RecordAssembler(() => new Assembler(), onSkip);
  const input = await openExportStream(file, signal, onSkip);
  const decoder = new StringDecoder('utf8');
  let batch: JsonRecord[] = [];
  const emit = (text: string | symbol): void => {
    const result = tokenize(text);
    if (typeof result === 'symbol') {
      return;
    }
    for (const token of result.values) {
      const record = records.push(token);
      if (record) {
        batch.push(record);
      }
    }
  };

  let first = true;
  try {
    for await (const chunk of input) {
      let text = decoder.write(chunk as Buffer);
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      for (const piece of slicePieces(text)) {
        emit(piece);
      }
      if (batch.length >= RECORD_BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    emit(decoder.end());
    // The "none" symbol of stream-chain marks the end of the input for the tokenizer.
    emit(Symbol.for('object-stream.none'));
    if (batch.length > 0) {
      yield batch;
    }
  } catch (error) {
    if (signal?.aborted) {
      throw error;
    }
    if (batch.length > 0) {
      yield batch;
    }
    onSkip({
      line: records.count + 1,
      message: `invalid JSON after record ${records.count}, the rest of the file was not read: ${(error as Error).message}`,
    });
  } finally {
    input.destroy();
  }
}

/** Splits text after each line break, and lines longer than MAX_PIECE_LENGTH into pieces of that length. */
function* slicePieces(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    const lineEnd = text.indexOf('\n', start);
    const end = lineEnd < 0 ? text.length : lineEnd + 1;
    const pieceEnd = Math.min(end, start + MAX_PIECE_LENGTH);
    yield text.slice(start, pieceEnd);
    start = pieceEnd;
  }
}

/** The part of stream-json's Assembler this reader uses. */
interface TokenAssembler {
  consume(token: never): unknown;
  readonly depth: number;
  readonly done: boolean;
  readonly current: unknown;
}

/** Turns a token stream into records, following the layouts in the file comment. */
class RecordAssembler {
  count = 0;
  private readonly frames: Frame[] = [];
  private assembler: TokenAssembler | undefined;
  /** A top-level object is assembled as a record until one of its keys turns out to hold the records. */
  private topLevelObject = false;
  private pendingWrapperKey = false;

  constructor(
    private readonly createAssembler: () => TokenAssembler,
    private readonly onSkip: (skip: JsonSkip) => void,
  ) {}

  /** Takes one token and returns the record it completes, if any. */
  push(token: Token): JsonRecord | undefined {
    if (this.assembler) {
      return this.assemble(token, this.assembler);
    }
    const frame = this.frames.at(-1);
    if (frame === undefined) {
      this.startTopLevel(token);
    } else if (frame.kind === 'skip') {
      this.skip(token, frame);
    } else if (frame.kind === 'wrapper') {
      this.inWrapper(token, frame);
    } else {
      this.inList(token);
    }
    return undefined;
  }

  private assemble(token: Token, assembler: TokenAssembler): JsonRecord | undefined {
    if (this.topLevelObject && this.pendingWrapperKey && token.name === 'startArray') {
      // `{ "value": [` : the object is a page, not a record.
      this.assembler = undefined;
      this.topLevelObject = false;
      this.pendingWrapperKey = false;
      this.frames.push({ kind: 'wrapper', key: undefined }, { kind: 'list' });
      return undefined;
    }
    this.pendingWrapperKey =
      this.topLevelObject && token.name === 'keyValue' && assembler.depth === 1 && WRAPPER_KEYS.has(String(token.value));
    assembler.consume(token as never);
    if (!assembler.done) {
      return undefined;
    }
    this.count += 1;
    this.assembler = undefined;
    this.topLevelObject = false;
    const value = assembler.current;
    return isObject(value) ? { line: this.count, value } : undefined;
  }

  private startAssembling(token: Token, topLevel: boolean): void {
    this.assembler = this.createAssembler();
    this.assembler.consume(token as never);
    this.topLevelObject = topLevel;
  }

  private startTopLevel(token: Token): void {
    if (token.name === 'startArray') {
      this.frames.push({ kind: 'list' });
    } else if (token.name === 'startObject') {
      this.startAssembling(token, true);
    } else {
      this.count += 1;
      this.onSkip({ line: this.count, message: `expected a JSON object or array, found ${token.name}` });
    }
  }

  private skip(token: Token, frame: { kind: 'skip'; depth: number }): void {
    if (token.name === 'startObject' || token.name === 'startArray') {
      frame.depth += 1;
    } else if (token.name === 'endObject' || token.name === 'endArray') {
      frame.depth -= 1;
    }
    if (frame.depth === 0) {
      this.frames.pop();
    }
  }

  private inWrapper(token: Token, frame: { kind: 'wrapper'; key: string | undefined }): void {
    if (token.name === 'endObject') {
      this.frames.pop();
    } else if (token.name === 'keyValue') {
      frame.key = String(token.value);
    } else if (token.name === 'startArray' && WRAPPER_KEYS.has(frame.key ?? '')) {
      this.frames.push({ kind: 'list' });
    } else if (token.name === 'startObject' || token.name === 'startArray') {
      this.frames.push({ kind: 'skip', depth: 1 });
    }
  }

  private inList(token: Token): void {
    if (token.name === 'endArray') {
      this.frames.pop();
    } else if (token.name === 'startObject') {
      this.startAssembling(token, false);
    } else {
      this.count += 1;
      this.onSkip({ line: this.count, message: `expected a JSON object, found ${token.name}` });
      if (token.name === 'startArray') {
        this.frames.push({ kind: 'skip', depth: 1 });
      }
    }
  }
}
