import * as assert from 'node:assert/strict';
import { findBlocks } from '../../src/extension/blocks';
import { planBlockInsertion } from '../../src/extension/insertion';

/** Applies a plan to the lines the way the editor edit does. */
function apply(lines: string[], plan: ReturnType<typeof planBlockInsertion>): string[] {
  if (plan.replaceAll) {
    return plan.text.split('\n');
  }
  const text = lines.join('\n');
  const offset = lines.slice(0, plan.line + 1).join('\n').length;
  return (text.slice(0, offset) + plan.text + text.slice(offset)).split('\n');
}

const HUNT = '// hunt: x\nSigninLogs\n| take 1\n';

describe('block insertion', () => {
  it('fills an empty document', () => {
    const plan = planBlockInsertion([''], 0, HUNT);
    assert.deepEqual(apply([''], plan), ['// hunt: x', 'SigninLogs', '| take 1', '']);
    assert.equal(plan.firstLine, 0);
  });

  it('goes after the block under the cursor', () => {
    const lines = ['print 1', '| take 1', '', 'print 2'];
    const plan = planBlockInsertion(lines, 0, HUNT);
    const result = apply(lines, plan);
    assert.deepEqual(result, ['print 1', '| take 1', '', '// hunt: x', 'SigninLogs', '| take 1', '', 'print 2']);
    assert.equal(result[plan.firstLine], '// hunt: x');
  });

  it('keeps a blank line after when inserted on a blank line', () => {
    const lines = ['print 1', '', 'print 2'];
    const plan = planBlockInsertion(lines, 1, HUNT);
    const result = apply(lines, plan);
    assert.deepEqual(findBlocks(result).length, 3, result.join('\n'));
    assert.equal(result[plan.firstLine], '// hunt: x');
    assert.deepEqual(result.slice(-2), ['', 'print 2']);
  });

  it('appends at the end of the document', () => {
    const lines = ['print 1'];
    const plan = planBlockInsertion(lines, 0, HUNT);
    const result = apply(lines, plan);
    assert.deepEqual(result, ['print 1', '', '// hunt: x', 'SigninLogs', '| take 1', '']);
  });

  it('ends with a line break on a last blank line', () => {
    const lines = ['print 1', ''];
    const result = apply(lines, planBlockInsertion(lines, 1, HUNT));
    assert.deepEqual(result, ['print 1', '', '// hunt: x', 'SigninLogs', '| take 1', '']);
  });

  it('leaves every existing line unchanged', () => {
    const lines = ['a', 'b', '', '', 'c', '', 'd'];
    for (let cursor = 0; cursor < lines.length; cursor++) {
      const result = apply(lines, planBlockInsertion(lines, cursor, HUNT));
      const kept = result.filter((line) => !['// hunt: x', 'SigninLogs', '| take 1'].includes(line));
      assert.deepEqual(kept.filter((line) => line !== ''), ['a', 'b', 'c', 'd'], `cursor ${cursor}`);
      assert.equal(findBlocks(result).length, 4, `cursor ${cursor}: ${JSON.stringify(result)}`);
    }
  });
});
