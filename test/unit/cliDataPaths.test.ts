import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedupeDataPaths } from '../../src/cli/dataPaths';
import { main } from '../../src/cli/huntlens';

describe('huntlens --data paths', function () {
  // The first run loads the Kusto language service.
  this.timeout(60_000);
  let folder: string;
  let file: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'hunt-lens-cli-data-'));
    file = join(folder, 'OfficeActivity.csv');
    writeFileSync(file, 'TimeGenerated,UserId,Operation\n2026-12-02T00:20:00Z,a@x,New-InboxRule\n2026-12-02T00:21:00Z,b@x,Set-InboxRule\n');
    symlinkSync(file, join(folder, 'link.csv.txt'));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  async function count(paths: readonly string[]): Promise<{ out: string; err: string }> {
    let out = '';
    let err = '';
    // now() is the newest record, so the warning about data older than the clock stays out of stderr.
    const args = ['query', ...paths.flatMap((path) => ['--data', path]), '--now', 'newest', '--format', 'csv', 'OfficeActivity | count'];
    const code = await main(args, (text) => (out += text), (text) => (err += text));
    assert.equal(code, 0, err);
    return { out, err };
  }

  it('reads a file named twice once', async () => {
    const { out, err } = await count([file, file]);
    assert.equal(out.trim(), 'Count\r\n2');
    assert.match(err, /each file is read once/);
    assert.match(err, /OfficeActivity\.csv/);
  });

  it('reads a file inside a named folder once', async () => {
    const { out, err } = await count([folder, file]);
    assert.equal(out.trim(), 'Count\r\n2');
    assert.match(err, /left out/);
  });

  it('marks bidirectional characters on stderr', async () => {
    const other = mkdtempSync(join(tmpdir(), 'hunt-lens-cli-bidi-'));
    try {
      writeFileSync(join(other, 'OfficeActivity.csv'), 'TimeGenerated,UserId,Operation\n2026-12-02T00:20:00Z,a@x,New-InboxRule\n');
      writeFileSync(join(other, 'invoice\u202Egnp.jsonl'), '{"broken\n');
      const { err } = await count([other]);
      assert.match(err, /invoice⟨U\+202E⟩gnp\.jsonl, line 1:/);
      assert.doesNotMatch(err, /\u202E/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('says nothing when no path repeats', async () => {
    const { out, err } = await count([file]);
    assert.equal(out.trim(), 'Count\r\n2');
    assert.equal(err, '');
  });

  it('drops a symbolic link to a file already named', async () => {
    const link = join(folder, 'link.csv.txt');
    assert.deepEqual(await dedupeDataPaths([file, link]), { paths: [file], dropped: [link] });
  });

  it('keeps a file that the named folder does not read', async () => {
    const other = mkdtempSync(join(tmpdir(), 'hunt-lens-cli-other-'));
    try {
      assert.deepEqual(await dedupeDataPaths([other, file]), { paths: [other, file], dropped: [] });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
