import * as assert from 'node:assert/strict';
import { timeRangeStatus } from '../../src/runner/timeRangeStatus';

describe('time range status item', () => {
  it('shows the default timespan for services', () => {
    const status = timeRangeStatus(false, 'P1D', 'now');
    assert.equal(status.text, '$(clock) P1D');
    assert.equal(status.setting, 'huntLens.defaultTimespan');
  });

  it('shows all loaded rows for local data', () => {
    const status = timeRangeStatus(true, 'P1D', 'newestRecord');
    assert.equal(status.text, '$(clock) All loaded rows');
    assert.doesNotMatch(status.text, /P1D/);
    assert.match(status.tooltip, /read every loaded row/);
    assert.match(status.tooltip, /newest record/);
    assert.equal(status.setting, 'huntLens.localData.referenceTime');
  });

  it('names the clock as the local reference time', () => {
    assert.match(timeRangeStatus(true, 'P1D', 'now').tooltip, /from the current time/);
  });
});
