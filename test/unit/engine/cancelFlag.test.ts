import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { watchCancelFlag } from '../../../src/engine/cancelFlag';

describe('cancel flag of a local run', () => {
  it('aborts its signal once the flag is set', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const watch = watchCancelFlag(flag);
    try {
      assert.equal(watch.signal.aborted, false);
      Atomics.store(flag, 0, 1);
      await once(watch.signal, 'abort');
      assert.equal(watch.signal.aborted, true);
    } finally {
      watch.stop();
    }
  });
});
