import * as assert from 'node:assert/strict';
import { displayOrder, moveColumn } from '../../../src/webview/core/columnOrder';

const NAMES = ['TimeGenerated', 'User', 'IPAddress', 'Result'];

describe('column display order', () => {
  it('follows the result without a saved order', () => {
    assert.deepEqual(displayOrder(NAMES, undefined), [0, 1, 2, 3]);
  });

  it('follows the saved order', () => {
    assert.deepEqual(displayOrder(NAMES, ['Result', 'User', 'TimeGenerated', 'IPAddress']), [3, 1, 0, 2]);
  });

  it('appends columns the saved order lacks', () => {
    assert.deepEqual(displayOrder(NAMES, ['IPAddress', 'User']), [2, 1, 0, 3]);
  });

  it('ignores names the table lacks', () => {
    assert.deepEqual(displayOrder(NAMES, ['Country', 'Result', '__proto__']), [3, 0, 1, 2]);
  });

  it('matches repeated names in turn', () => {
    assert.deepEqual(displayOrder(['a', 'b', 'a'], ['a', 'a', 'b']), [0, 2, 1]);
  });

  it('lists each column once', () => {
    assert.deepEqual(displayOrder(NAMES, ['User', 'User', 'User']), [1, 0, 2, 3]);
  });
});

describe('moving a column', () => {
  it('moves right after the target', () => {
    assert.deepEqual(moveColumn(NAMES, 0, 2, 'after'), ['User', 'IPAddress', 'TimeGenerated', 'Result']);
  });

  it('moves right before the target', () => {
    assert.deepEqual(moveColumn(NAMES, 0, 2, 'before'), ['User', 'TimeGenerated', 'IPAddress', 'Result']);
  });

  it('moves left before the target', () => {
    assert.deepEqual(moveColumn(NAMES, 3, 0, 'before'), ['Result', 'TimeGenerated', 'User', 'IPAddress']);
  });

  it('moves left after the target', () => {
    assert.deepEqual(moveColumn(NAMES, 3, 0, 'after'), ['TimeGenerated', 'Result', 'User', 'IPAddress']);
  });

  it('moves to the end', () => {
    assert.deepEqual(moveColumn(NAMES, 1, 3, 'after'), ['TimeGenerated', 'IPAddress', 'Result', 'User']);
  });

  it('keeps the order onto itself', () => {
    assert.deepEqual(moveColumn(NAMES, 2, 2, 'after'), NAMES);
  });

  it('keeps the order out of range', () => {
    assert.deepEqual(moveColumn(NAMES, 4, 0, 'before'), NAMES);
    assert.deepEqual(moveColumn(NAMES, 0, -1, 'before'), NAMES);
  });

  it('returns a new array', () => {
    const moved = moveColumn(NAMES, 0, 1, 'after');
    assert.notEqual(moved, NAMES);
    assert.deepEqual(NAMES, ['TimeGenerated', 'User', 'IPAddress', 'Result']);
  });
});
