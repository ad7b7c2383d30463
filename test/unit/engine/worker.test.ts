import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** Worker code: loads the compiled engine, runs one query and posts the result. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const engine = require(workerData.engine);
const builder = new engine.TableBuilder('Events', [{ name: 'User', type: 'string' }]);
builder.appendBatch([['alice'], ['bob'], ['alice']]);
const result = engine.runQuery(new engine.Database([builder.finish()]), 'Events | summarize n = count() by User | order by User asc');
parentPort.postMessage(result.tables[0].rows);
`;

describe('local engine in a worker thread', function () {
  this.timeout(60_000);

  it('runs a query off the main thread', async () => {
    const engine = path.resolve(__dirname, '../../../src/engine/index.js');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { engine } });
    try {
      const [rows] = (await once(worker, 'message')) as [unknown];
      assert.deepEqual(rows, [
        ['alice', 2],
        ['bob', 1],
      ]);
    } finally {
      await worker.terminate();
    }
  });
});
