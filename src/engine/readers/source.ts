/** Opening export files as text streams, with gzip detected by its magic bytes rather than the file name. */
import { createReadStream, read } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { toUtf8Stream } from './encoding';

/** The first two bytes of every gzip member (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether the file starts with the gzip magic bytes. */
export async function isGzipFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * A gzip file that ends early or is damaged, with the 1-based line where its
 * data stops, or, with kind 'fileNote', a file read in another encoding.
 */
export interface CutOff {
  readonly line: number;
  readonly message: string;
  readonly kind?: 'fileNote';
}

/** Bytes [start, end) of an uncompressed UTF-8 file, starting at a line start; never empty. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
  /**
   * An open descriptor of the file, shared by the threads that read its parts,
   * so all of them read the same file even if its path is renamed, replaced or
   * deleted meanwhile. The opener closes it.
   */
  readonly fd?: number;
}

/**
 * Opens a file as a stream of UTF-8 bytes, decompressed when it is gzip and
 * converted when it is UTF-16 or not valid UTF-8. The stream is destroyed when the signal aborts. With `onCutOff`, a gzip file whose data
 * ends early or is damaged ends the stream after its last good bytes and is
 * reported, so the rows before the damage are kept, and a file read as
 * Windows-1252 is reported once. With `range`, only those
 * bytes of an uncompressed UTF-8 file are read.
 */
export async function openExportStream(
  file: string,
  signal?: AbortSignal,
  onCutOff?: (cutOff: CutOff) => void,
  range?: ByteRange,
): Promise<Readable> {
  if (range) {
    // NOTE: a part is not checked for UTF-8: planFileParts checks only the file's first 64 KiB.
    if (range.fd !== undefined) {
      return Readable.from(readShared(range.fd, range, signal), { objectMode: false });
    }
    return createReadStream(file, { highWaterMark: 1 << 20, signal, start: range.start, end: range.end - 1 });
  }
  const gzip = await isGzipFile(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20, signal });
  if (!gzip) {
    return toUtf8Stream(raw, onCutOff);
  }
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  const decompressed = raw.pipe(gunzip);
  return toUtf8Stream(onCutOff ? Readable.from(untilDamaged(decompressed, onCutOff, signal), { objectMode: false }) : decompressed, onCutOff);
}

const readAt = promisify(read);

/**
 * Reads a range through a descriptor that other threads share, 1 MiB at a
 * time. A read stream would close the descriptor when it is destroyed.
 */
async function* readShared(fd: number, range: ByteRange, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let position = range.start;
  while (position < range.end) {
    signal?.throwIfAborted();
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, range.end - position));
    const { bytesRead } = await readAt(fd, buffer, 0, buffer.length, position);
    if (bytesRead === 0) {
      return;
    }
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Passes the bytes through until the gzip data fails, then reports the line it stopped at and ends. */
async function* untilDamaged(input: Readable, onCutOff: (cutOff: CutOff) => void, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let lineBreaks = 0;
  try {
    for await (const chunk of input) {
      const buffer = chunk as Buffer;
      for (let index = buffer.indexOf(0x0a); index >= 0; index = buffer.indexOf(0x0a, index + 1)) {
        lineBreaks += 1;
      }
      yield buffer;
    }
  } catch (error) {
    if (signal?.aborted) {
      throw error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    onCutOff({ line: lineBreaks + 1, message: `the gzip data ends early or is damaged here (${reason}); the rows before this line were kept` });
  } finally {
    input.destroy();
  }
}

/** Reads up to `maxBytes` decompressed bytes from the start of a file, as UTF-8 text without a byte order mark. */
export async function readExportHead(file: string, maxBytes = 64 * 1024): Promise<string> {
  const stream = await openExportStream(file);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      length += buffer.length;
      if (length >= maxBytes) {
        break;
      }
    }
  } catch (error) {
    // A gzip file cut off after its first blocks still has a readable head.
    if (length === 0) {
      throw error;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8').replace(/^\uFEFF/, '');
}

/** Strips the compression and export extensions from a file name: `SigninLogs.json.gz` becomes `SigninLogs`. */
export function fileStem(fileName: string): string {
  return fileName.replace(/(\.gz)$/i, '').replace(/\.(csv|json|jsonl|ndjson|txt)$/i, '');
}
