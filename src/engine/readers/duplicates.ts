/**
 * A cheap check for the same export loaded twice, such as a browser's second
 * download `… (1).csv` or a `.csv` beside its own `.csv.gz`. Reading both
 * counts every row twice, so the second file is reported. Both are still read,
 * because two different exports can start with the same rows.
 */
import { createHash } from 'node:crypto';
import type { ReadProblem } from '../input';
import { readExportHead } from './source';
import type { RowSource } from './tableSources';

/** Decoded bytes compared from the start of each file: what format detection reads too. */
const HEAD_BYTES = 64 * 1024;

/** Remembers the decoded head of every file of one load and reports a file whose head and tables match an earlier one. */
export class DuplicateExports {
  private readonly seen = new Map<string, string>();

  constructor(private readonly onProblem: (problem: ReadProblem) => void) {}

  async check(source: RowSource): Promise<void> {
    let head: string;
    try {
      head = await readExportHead(source.file, HEAD_BYTES);
    } catch {
      // The reader reports a file it cannot open.
      return;
    }
    if (head.trim() === '') {
      return;
    }
    const tables = source.schemas.map((schema) => schema.name).sort().join(',');
    const key = `${tables}\n${createHash('sha256').update(head).digest('hex')}`;
    const earlier = this.seen.get(key);
    if (earlier === undefined) {
      this.seen.set(key, source.file);
      return;
    }
    // readExportHead strips a byte order mark, so a short head is the whole decoded file.
    const whole = Buffer.byteLength(head) < HEAD_BYTES - 3;
    const match = whole ? `has the same content as ${earlier}` : `starts with the same ${HEAD_BYTES / 1024} KiB of data as ${earlier}`;
    this.onProblem({
      file: source.file,
      line: 1,
      kind: 'fileNote',
      message: `${match}, so it may be a copy of the same export and its rows may be counted twice. Both files were read; remove one copy if they hold the same export`,
    });
  }
}
