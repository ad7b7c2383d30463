/**
 * Cutting a large export into byte ranges that separate threads read at the
 * same time. Only Log Analytics JSON exports in a line-based layout, stored
 * as uncompressed UTF-8, are cut: each of their records is one line that
 * depends on no other, so any line start is a safe cut. Other formats keep
 * state across records (derived attempt keys in Graph files, quoted line
 * breaks in CSV) or need a sequential decoder (gzip, UTF-16).
 */
import { isUtf8 } from 'node:buffer';
import { open, stat } from 'node:fs/promises';
import { detectEncoding } from './encoding';
import type { ExportFormat } from './formats';
import type { ByteRange } from './source';

export interface SplitOptions {
  /** The maximum number of parts. */
  readonly parts: number;
  /** The minimum bytes per part, so a smaller file is cut into fewer parts, or none. */
  readonly minPartBytes: number;
  /** The first part's share of the file; the other parts share the rest equally. Without it, all parts are equal. */
  readonly firstShare?: number;
  /** Rows per message from a part's worker to the reading thread; 16,384 without it. */
  readonly chunkRows?: number;
}

/** The maximum number of parts, whatever the options ask, because more threads than this gain nothing here. */
const MAX_PARTS = 16;

/** How far past a planned cut the line end is looked for, so one huge line does not cost a long scan. */
const MAX_LINE_SEARCH_BYTES = 8 << 20;

const SEARCH_WINDOW_BYTES = 64 << 10;

/**
 * Returns the byte ranges to read a file in, each starting at a line start,
 * in file order and covering the whole file. Returns undefined when the file
 * is read whole, because of its format, its size or its lines.
 */
export async function planFileParts(file: string, format: ExportFormat, options: SplitOptions): Promise<ByteRange[] | undefined> {
  if (format.kind !== 'logAnalyticsJson' || !(options.parts >= 2)) {
    return undefined;
  }
  const { size } = await stat(file);
  const parts = Math.min(MAX_PARTS, options.parts, Math.floor(size / Math.max(1, options.minPartBytes)));
  if (parts < 2) {
    return undefined;
  }
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(SEARCH_WINDOW_BYTES);
    const { bytesRead } = await handle.read(head, 0, SEARCH_WINDOW_BYTES, 0);
    const gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    if (gzip || detectEncoding(head.subarray(0, bytesRead)) !== 'utf-8' || format.layout === 'tokens' || !isUtf8Lines(head.subarray(0, bytesRead))) {
      return undefined;
    }
    const firstShare = options.firstShare ?? 1 / parts;
    const starts = [0];
    for (let part = 1; part < parts; part++) {
      const share = firstShare + ((1 - firstShare) * (part - 1)) / (parts - 1);
      const target = Math.max(Math.floor(size * share), starts[starts.length - 1] + 1);
      const start = await nextLineStart(handle, target, size);
      if (start !== undefined && start < size && start > starts[starts.length - 1]) {
        starts.push(start);
      }
    }
    if (starts.length < 2) {
      return undefined;
    }
    return starts.map((start, index) => ({ start, end: index + 1 < starts.length ? starts[index + 1] : size }));
  } finally {
    await handle.close();
  }
}

/**
 * Returns whether the whole lines in `head` are valid UTF-8. A file that is
 * not (a Windows-1252 export, say) is read whole, by the reader that notices
 * and reports it.
 */
function isUtf8Lines(head: Buffer): boolean {
  return isUtf8(head.subarray(0, head.lastIndexOf(0x0a) + 1));
}

/** Returns the offset just after the first line feed at or after `from`, or undefined if none is near. */
async function nextLineStart(handle: Awaited<ReturnType<typeof open>>, from: number, size: number): Promise<number | undefined> {
  const window = Buffer.alloc(SEARCH_WINDOW_BYTES);
  const limit = Math.min(size, from + MAX_LINE_SEARCH_BYTES);
  for (let offset = from; offset < limit; offset += SEARCH_WINDOW_BYTES) {
    const { bytesRead } = await handle.read(window, 0, Math.min(SEARCH_WINDOW_BYTES, limit - offset), offset);
    const index = window.subarray(0, bytesRead).indexOf(0x0a);
    if (index >= 0) {
      return offset + index + 1;
    }
    if (bytesRead === 0) {
      return undefined;
    }
  }
  return undefined;
}
