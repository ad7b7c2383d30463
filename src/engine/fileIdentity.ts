/**
 * A file's identity as stat reports it, for telling whether a file changed
 * while it was read and whether the data kept from an earlier load is still
 * current. Size and modification time alone miss a file replaced by
 * `cp -p` or `rsync -a`, which copy the size and set the old modification
 * time. The inode and the status-change time (ctime) catch that, because
 * writing a file or renaming a new one into place always sets the ctime to
 * the current time, and no copy tool can set it back.
 */
import { stat } from 'node:fs/promises';
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
