import * as assert from 'node:assert/strict';
import { encodeChunk } from '../../../src/webview/core/columnar';
import { describeDropped, parseHostMessage, parseViewState, parseWebviewMessage } from '../../../src/webview/protocol';
import { TABLE } from './fixtures';

describe('webview protocol', () => {
  it('accepts valid webview messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.ok(parseWebviewMessage({ type: 'export', tableIndex: 0, format: 'csv' }));
    assert.ok(parseWebviewMessage({ type: 'rendered', report: { tableIndex: 0, visibleRowCount: 3, firstRowText: ['a'] } }));
  });

  it('drops unknown and malformed webview messages', () => {
    for (const message of [null, 'ready', { type: 'eval', code: '1' }, { type: 'export', tableIndex: 0, format: 'html' }, { type: 'copy', text: 1 }]) {
      assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
    }
  });

  it('accepts a chunk with typed arrays', () => {
    const chunk = encodeChunk(TABLE, 0, 0, 2);
    assert.ok(parseHostMessage({ type: 'chunk', chunk }));
  });

  it('drops a chunk whose arrays are plain', () => {
    const chunk = { tableIndex: 0, rowStart: 0, rowCount: 1, columns: [{ kind: 'number', values: [1], nulls: [0] }] };
    assert.equal(parseHostMessage({ type: 'chunk', chunk }), undefined);
  });

  it('validates view state', () => {
    const state = { resultId: 'r', tableIndex: 0, sort: null, filter: { all: '', columns: {} }, widths: { a: 10 }, hidden: [], scrollTop: 0, scrollLeft: 0 };
    assert.deepEqual(parseViewState(state), state);
    assert.equal(parseViewState({ ...state, sort: { column: 'a', direction: 'up' } }), undefined);
  });

  it('describes dropped messages without content', () => {
    assert.equal(describeDropped({ type: 'x', secret: 'token' }), 'Dropped an invalid or unknown message (type "x").');
  });
});
