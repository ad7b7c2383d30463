/** The unread tail of a CSV input, with physical line numbers counted from its bytes. */

const LF = 0x0a;
const CR = 0x0d;

/** A byte offset into the window and the 1-based physical line it lies on. */
export interface LinePosition {
  readonly offset: number;
  readonly line: number;
}

/**
 * The input bytes after the last record that was read, up to the last byte
 * received. Only LF ends a line, so LF and CRLF files count the same and a
 * CRLF inside a quoted cell counts once.
 */
export class LineWindow {
  private buffer: Buffer = Buffer.alloc(0);
  /** Physical line of `buffer[0]`. */
  private firstLine = 1;

  get length(): number {
    return this.buffer.length;
  }

  get bytes(): Buffer {
    return this.buffer;
  }

  append(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** Returns where the next record starts: the first byte after any empty lines at the start of the window. */
  recordStart(): LinePosition {
    let offset = 0;
    let line = this.firstLine;
    for (;;) {
      if (this.buffer[offset] === LF) {
        offset += 1;
      } else if (this.buffer[offset] === CR && this.buffer[offset + 1] === LF) {
        offset += 2;
      } else {
        return { offset, line };
      }
      line += 1;
    }
  }

  /** Counts the LF bytes in `[from, to)`. */
  countLineBreaks(from: number, to: number): number {
    let count = 0;
    for (let index = this.buffer.indexOf(LF, from); index >= 0 && index < to; index = this.buffer.indexOf(LF, index + 1)) {
      count += 1;
    }
    return count;
  }

  /** Returns the offset of the `count`-th LF at or after `from`, or -1 when the window has fewer. */
  findLineBreak(from: number, count: number): number {
    let index = from - 1;
    for (let found = 0; found < count; found += 1) {
      index = this.buffer.indexOf(LF, index + 1);
      if (index < 0) {
        return -1;
      }
    }
    return index;
  }

  /** Returns whether the byte before `end` is an LF, so whether a record ending at `end` includes its line break. */
  endsWithLineBreak(end: number): boolean {
    return end > 0 && this.buffer[end - 1] === LF;
  }

  /** Drops the bytes before `offset`. The byte at `offset` must lie on line `line`. */
  dropTo(offset: number, line: number): void {
    this.buffer = this.buffer.subarray(offset);
    this.firstLine = line;
  }
}
