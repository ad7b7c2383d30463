import * as assert from 'node:assert/strict';
import { CLOUDS, resolveEndpoints } from '../../src/runner/clouds';
import { ConcurrencyLimiter } from '../../src/runner/limiter';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('concurrency limiter', () => {
  it('runs five at once and queues the sixth', async () => {
    const limiter = new ConcurrencyLimiter(5);
    const gates = Array.from({ length: 7 }, () => deferred());
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      limiter.run(async () => {
        started.push(index);
        await gate.promise;
      }),
    );
    await Promise.resolve();
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    assert.equal(limiter.queued, 2);

    gates[0].resolve();
    await runs[0];
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    assert.equal(limiter.active, 5);

    for (const gate of gates) {
      gate.resolve();
    }
    await Promise.all(runs);
    assert.equal(limiter.active, 0);
    assert.deepEqual([...started].sort(), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('drops a queued task when its signal aborts', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const second = limiter.run(() => {
      ran = true;
      return Promise.resolve();
    }, controller.signal);
    controller.abort(new Error('cancelled'));
    await assert.rejects(second, /cancelled/);
    gate.resolve();
    await first;
    assert.equal(ran, false);
    assert.equal(limiter.active, 0);
  });
});

describe('cloud endpoints', () => {
  it('moves every endpoint with the cloud', () => {
    const { endpoints } = resolveEndpoints('usGovernment', { logAnalytics: undefined, graph: undefined, resourceManager: undefined });
    assert.equal(endpoints.authority, 'https://login.microsoftonline.us');
    assert.equal(endpoints.logAnalytics, 'https://api.loganalytics.us/v1');
    assert.equal(endpoints.logAnalyticsScope, 'https://api.loganalytics.us/.default');
    assert.equal(endpoints.resourceManager, 'https://management.usgovcloudapi.net');
    assert.equal(endpoints.graph, 'https://graph.microsoft.us');
    assert.equal(CLOUDS.china.logAnalytics, 'https://api.loganalytics.azure.cn/v1');
  });

  it('takes an override from user settings', () => {
    const { endpoints, ignored } = resolveEndpoints('public', {
      logAnalytics: { globalValue: 'https://127.0.0.1:8443/v1/' },
      graph: undefined,
      resourceManager: undefined,
    });
    assert.equal(endpoints.logAnalytics, 'https://127.0.0.1:8443/v1');
    assert.deepEqual(ignored, []);
  });

  it('ignores an override from workspace settings', () => {
    const { endpoints, ignored } = resolveEndpoints('public', {
      logAnalytics: { workspaceValue: 'https://attacker.example/v1' },
      graph: { workspaceFolderValue: 'https://attacker.example' },
      resourceManager: undefined,
    });
    assert.equal(endpoints.logAnalytics, 'https://api.loganalytics.io/v1');
    assert.equal(endpoints.graph, 'https://graph.microsoft.com');
    assert.deepEqual(ignored, ['huntLens.endpoints.logAnalytics', 'huntLens.endpoints.graph']);
  });

  it('rejects an http override', () => {
    assert.throws(
      () => resolveEndpoints('public', { logAnalytics: { globalValue: 'http://127.0.0.1:8080/v1' }, graph: undefined, resourceManager: undefined }),
      /huntLens\.endpoints\.logAnalytics setting must be an https URL, but it is "http:\/\/127\.0\.0\.1:8080\/v1"/,
    );
  });
});
