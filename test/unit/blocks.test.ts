import * as assert from 'node:assert/strict';
import { blockAtLine, findBlocks } from '../../src/extension/blocks';
import { huntIdOf, HUNT_TAG } from '../../src/hunts/document';

describe('statement blocks', () => {
  it('splits on blank lines', () => {
    const lines = ['SigninLogs', '| take 1', '', '  ', 'AuditLogs', '| take 2'];
    assert.deepEqual(findBlocks(lines), [
      { startLine: 0, endLine: 1 },
      { startLine: 4, endLine: 5 },
    ]);
  });

  it('returns no block for an empty document', () => {
    assert.deepEqual(findBlocks(['']), []);
    assert.deepEqual(findBlocks([]), []);
  });

  it('keeps blank lines inside a ``` string in the block', () => {
    const lines = ['print x = ```first', '', 'third```', '', 'print 2'];
    assert.deepEqual(findBlocks(lines), [
      { startLine: 0, endLine: 2 },
      { startLine: 4, endLine: 4 },
    ]);
  });

  it('ignores fences in comments', () => {
    const lines = ['// a ``` in a comment', 'print 1', '', 'print 2'];
    assert.equal(findBlocks(lines).length, 2);
  });

  it('finds the block under a line', () => {
    const lines = ['print 1', '', 'print 2', '| take 1'];
    assert.deepEqual(blockAtLine(lines, 3), { startLine: 2, endLine: 3 });
    assert.equal(blockAtLine(lines, 1), undefined);
  });
});

describe('hunt tag', () => {
  it('reads the id from the header', () => {
    assert.equal(huntIdOf(['// Title', `${HUNT_TAG} prompt-burst`, 'SigninLogs']), 'prompt-burst');
  });

  it('stops at the first line of code', () => {
    assert.equal(huntIdOf(['SigninLogs', `${HUNT_TAG} prompt-burst`]), undefined);
  });
});
