import * as assert from 'node:assert/strict';
import { RestartBudget } from '../../src/client/restartBudget';

describe('language server restart budget', () => {
  it('restarts up to the limit', () => {
    const budget = new RestartBudget(3, 60_000);
    assert.equal(budget.recordCrash(0), 'restart');
    assert.equal(budget.recordCrash(1_000), 'restart');
    assert.equal(budget.recordCrash(2_000), 'restart');
    assert.equal(budget.recentCrashes, 3);
  });

  it('stops once past the limit', () => {
    const budget = new RestartBudget(3, 60_000);
    for (const time of [0, 1_000, 2_000]) {
      budget.recordCrash(time);
    }
    assert.equal(budget.recordCrash(3_000), 'stop');
    assert.equal(budget.recordCrash(4_000), 'stopped');
    assert.equal(budget.recordCrash(500_000), 'stopped');
  });

  it('forgets crashes outside the window', () => {
    const budget = new RestartBudget(3, 60_000);
    for (const time of [0, 1_000, 2_000]) {
      budget.recordCrash(time);
    }
    assert.equal(budget.recordCrash(61_500), 'restart');
    assert.equal(budget.recentCrashes, 2);
  });
});
