import * as assert from 'node:assert/strict';
import { LoadedDataCache } from '../../../src/engine/dataCache';
import { Database } from '../../../src/engine/index';
import type { LoadedData } from '../../../src/engine/load';

/** Returns a load with no tables, and the given files that changed while read or look like unfinished copies. */
function load(changedFiles: string[] = [], unfinishedFiles: string[] = []): LoadedData {
  return { database: new Database([]), tables: [], missingTables: [], newestRecordMs: undefined, times: [], changedFiles, unfinishedFiles, problems: [], skipped: 0, loadMs: 1 };
}

/** A cache over a loader that returns the queued loads in order and counts its calls. */
function cacheOf(...loads: LoadedData[]): { cache: LoadedDataCache; calls: () => number } {
  let calls = 0;
  const cache = new LoadedDataCache(() => {
    const next = loads[calls++];
    assert.ok(next, `the loader was called ${calls} times`);
    return Promise.resolve(next);
  });
  return { cache, calls: () => calls };
}

describe('loaded data cache', () => {
  it('keeps a load for the same fingerprint', async () => {
    const { cache, calls } = cacheOf(load(), load());
    const first = await cache.get(['/data'], 'a');
    const second = await cache.get(['/data'], 'a');
    assert.equal(first.loaded, true);
    assert.equal(second.loaded, false);
    assert.equal(second.data, first.data);
    assert.equal(calls(), 1);
    await cache.get(['/data'], 'b');
    assert.equal(calls(), 2);
  });

  it('does not keep a load during which a file changed', async () => {
    const partial = load(['/data/SigninLogs.json']);
    const { cache, calls } = cacheOf(partial, load());
    assert.equal((await cache.get(['/data'], 'a')).data, partial);
    const again = await cache.get(['/data'], 'a');
    assert.equal(again.loaded, true);
    assert.notEqual(again.data, partial);
    assert.equal(calls(), 2);
  });

  it('does not keep a load with an unfinished copy', async () => {
    const { cache, calls } = cacheOf(load([], ['/data/SigninLogs.json']), load());
    await cache.get(['/data'], 'a');
    assert.equal((await cache.get(['/data'], 'a')).loaded, true);
    assert.equal(calls(), 2);
  });

  it('reads the files again after clear', async () => {
    const { cache, calls } = cacheOf(load(), load());
    await cache.get(['/data'], 'a');
    cache.clear();
    assert.equal((await cache.get(['/data'], 'a')).loaded, true);
    assert.equal(calls(), 2);
  });

  it('reports a kept load once', async () => {
    // A cancelled run does not take the report, so the next run still logs the load's problems.
    const { cache } = cacheOf(load());
    const { data } = await cache.get(['/data'], 'a');
    const kept = await cache.get(['/data'], 'a');
    assert.equal(cache.takeFirstReport(kept.data), true);
    assert.equal(cache.takeFirstReport(data), false);
  });

  it('reports every load that was not kept', async () => {
    const partial = load(['/data/SigninLogs.json']);
    const { cache } = cacheOf(partial);
    await cache.get(['/data'], 'a');
    assert.equal(cache.takeFirstReport(partial), true);
    assert.equal(cache.takeFirstReport(partial), true);
  });
});
