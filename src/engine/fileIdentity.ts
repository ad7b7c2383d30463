/**
 * A file's identity as stat reports it, for telling whether a file changed
 * while it was read and whether the data kept from an earlier load is still
 * current. Size and modification time alone miss a file replaced by
 * `cp -p` or `rsync -a`, which copy the size and set the old modification
 * time. The inode and the status-change time (ctime) catch that: a file
 * renamed into place has a new inode, and writing a file sets its ctime to
 * the current time, which utimes() cannot set back.
 */
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

/** The stat fields that change when a file's content is written or the file is replaced. */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

/** Returns the identity fields of a stat result. */
export function identityOf(info: Stats): FileIdentity {
  return { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev };
}

/** Returns the file's identity, or undefined when the file cannot be read (it was removed, say). */
export async function fileIdentity(file: string): Promise<FileIdentity | undefined> {
  const info = await stat(file).catch(() => undefined);
  return info ? identityOf(info) : undefined;
}

/** Returns the identity as one line of text, for fingerprints that compare as strings. */
export function identityText(identity: FileIdentity): string {
  return `${identity.size}:${identity.mtimeMs}:${identity.ctimeMs}:${identity.dev}:${identity.ino}`;
}

/** Returns true when both identities exist and are equal. */
export function sameIdentity(before: FileIdentity | undefined, after: FileIdentity | undefined): boolean {
  return before !== undefined && after !== undefined && identityText(before) === identityText(after);
}

/** How long after its last write a file may still be in the middle of a copy, in ms. An estimate: a copy that pauses for longer is not caught. */
export const RECENT_WRITE_MS = 60_000;

/** The bytes that end a complete export: a line break, or the end of a JSON object or array. */
const COMPLETE_ENDINGS = new Set([0x0a, 0x0d, 0x5d, 0x7d]);

/**
 * Returns true when the file was written less than RECENT_WRITE_MS before
 * `nowMs` and its last byte ends no line or JSON value: the signs of a copy
 * still being written that paused while the file was read.
 */
export async function endsLikeUnfinishedCopy(file: string, identity: FileIdentity, nowMs: number): Promise<boolean> {
  if (identity.size === 0 || nowMs - identity.mtimeMs > RECENT_WRITE_MS) {
    return false;
  }
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) {
    return false;
  }
  try {
    const last = Buffer.alloc(1);
    const { bytesRead } = await handle.read(last, 0, 1, identity.size - 1);
    return bytesRead === 1 && !COMPLETE_ENDINGS.has(last[0]);
  } finally {
    await handle.close();
  }
}
