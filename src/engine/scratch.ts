/**
 * Typed arrays for the intermediate results of one query run (row selections,
 * gathered columns, group ids), cut from buffers that are kept between runs.
 *
 * Every new ArrayBuffer counts as external memory for V8, and a run over a
 * million rows can allocate tens of MiB of them. Without reuse that pressure
 * forces young-generation collections in every run and, now and then, a full
 * collection over the loaded data that takes longer than the query. A run
 * returns its buffers when it ends, and the next run takes them again.
 *
 * Only arrays that die with the run may come from here: runQuery converts its
 * results into plain rows before it ends the run, so no column outlives it.
 */

/** Arrays shorter than this many bytes are allocated as usual. */
const MIN_POOLED_BYTES = 64 * 1024;
/** Bytes of free buffers kept between runs. Buffers returned past this limit are dropped. */
const MAX_KEPT_BYTES = 256 * 1024 * 1024;

class ScratchPool {
  /** Free buffers by byte length, which is a power of two. */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private freeBytes = 0;
  private lent: ArrayBuffer[] = [];
  private depth = 0;

  /** Starts a run. Arrays taken before the matching end() return to the pool then. */
  begin(): void {
    this.depth++;
  }

  /** Ends a run. After the outermost end(), arrays taken during the run must no longer be used. */
  end(): void {
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth > 0) {
      return;
    }
    for (const buffer of this.lent) {
      if (this.freeBytes + buffer.byteLength > MAX_KEPT_BYTES) {
        continue;
      }
      const list = this.free.get(buffer.byteLength);
      if (list) {
        list.push(buffer);
      } else {
        this.free.set(buffer.byteLength, [buffer]);
      }
      this.freeBytes += buffer.byteLength;
    }
    this.lent = [];
  }

  /** Returns a zero-filled Int32Array of `length` elements. */
  int32(length: number): Int32Array {
    const buffer = this.take(length * 4);
    return buffer ? new Int32Array(buffer, 0, length).fill(0) : new Int32Array(length);
  }

  /** Returns a zero-filled Float64Array of `length` elements. */
  float64(length: number): Float64Array {
    const buffer = this.take(length * 8);
    return buffer ? new Float64Array(buffer, 0, length).fill(0) : new Float64Array(length);
  }

  /** Returns a zero-filled Uint8Array of `length` elements. */
  uint8(length: number): Uint8Array {
    const buffer = this.take(length);
    return buffer ? new Uint8Array(buffer, 0, length).fill(0) : new Uint8Array(length);
  }

  /** Returns a buffer of at least `bytes` bytes lent to the current run, or undefined outside a run and for small arrays. */
  private take(bytes: number): ArrayBuffer | undefined {
    if (this.depth === 0 || bytes < MIN_POOLED_BYTES) {
      return undefined;
    }
    const size = 2 ** Math.ceil(Math.log2(bytes));
    const list = this.free.get(size);
    let buffer = list?.pop();
    if (buffer) {
      this.freeBytes -= size;
    } else {
      buffer = new ArrayBuffer(size);
    }
    this.lent.push(buffer);
    return buffer;
  }
}

/** The pool of this thread. The engine runs one query at a time per thread. */
export const scratch = new ScratchPool();
