import * as assert from 'node:assert/strict';
import { markLineBreaks } from '../../../src/webview/core/format';

describe('line break markers', () => {
  it('marks LF, CRLF and CR once each', () => {
    assert.equal(markLineBreaks('a\nb\r\nc\rd'), 'a⏎b⏎c⏎d');
  });

  it('keeps one-line text', () => {
    assert.equal(markLineBreaks('bob@contoso.com\t1'), 'bob@contoso.com\t1');
  });

  it('marks trailing and repeated breaks', () => {
    assert.equal(markLineBreaks('\n\nx\n'), '⏎⏎x⏎');
  });
});
