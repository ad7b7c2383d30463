/**
 * Transcoding of UTF-16 exports to UTF-8. Windows PowerShell 5.1 writes
 * `Out-File` and `>` output as UTF-16 LE with a byte order mark, so sign-in
 * logs saved by `ConvertTo-Json | Out-File` arrive in that encoding.
 */
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

/** The text encoding of an export, from its first bytes. */
export type ExportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Returns the encoding that the first bytes show: a UTF-16 byte order mark,
 * or, without one, an ASCII character followed by a zero byte (the first
 * character of a JSON or CSV file in UTF-16 LE). Everything else is UTF-8.
 */
export function detectEncoding(head: Uint8Array): ExportEncoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    return 'utf-16le';
  }
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
    return 'utf-16be';
  }
  if (head.length >= 4 && head[0] !== 0 && head[0] < 0x80 && head[1] === 0 && head[2] !== 0 && head[3] === 0) {
    return 'utf-16le';
  }
  return 'utf-8';
}

/**
 * Passes a UTF-8 byte stream through and converts a UTF-16 one to UTF-8, with
 * its byte order mark removed. A character split between chunks is decoded
 * whole, because the decoder keeps the unfinished bytes until the next chunk.
 */
export function toUtf8Stream(input: Readable): Readable {
  return Readable.from(transcode(input), { objectMode: false });
}

async function* transcode(input: Readable): AsyncGenerator<Buffer> {
  let decoder: TextDecoder | undefined;
  let decided = false;
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of input) {
      const bytes = chunk as Buffer;
      if (!decided) {
        pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
        if (pending.length < 4) {
          continue;
        }
        decided = true;
        const encoding = detectEncoding(pending);
        decoder = encoding === 'utf-8' ? undefined : new TextDecoder(encoding);
        yield decoder ? Buffer.from(decoder.decode(pending, { stream: true }), 'utf8') : pending;
        continue;
      }
      yield decoder ? Buffer.from(decoder.decode(bytes, { stream: true }), 'utf8') : bytes;
    }
    if (!decided && pending.length > 0) {
      const encoding = detectEncoding(pending);
      yield encoding === 'utf-8' ? pending : Buffer.from(new TextDecoder(encoding).decode(pending), 'utf8');
    } else if (decoder) {
      const rest = decoder.decode();
      if (rest.length > 0) {
        yield Buffer.from(rest, 'utf8');
      }
    }
  } finally {
    input.destroy();
  }
}
