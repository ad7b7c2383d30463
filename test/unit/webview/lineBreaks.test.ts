import * as assert from 'node:assert/strict';
import { markLineBreaksAndTabs } from '../../../src/webview/core/format';

describe('line break and tab markers', () => {
  it('marks LF, CRLF and CR once each', () => {
    assert.equal(markLineBreaksAndTabs('a\nb\r\nc\rd'), 'a⏎b⏎c⏎d');
  });

  it('keeps one-line text', () => {
    assert.equal(markLineBreaksAndTabs('bob@contoso.com 1'), 'bob@contoso.com 1');
  });

  it('marks trailing and repeated breaks', () => {
    assert.equal(markLineBreaksAndTabs('\n\nx\n'), '⏎⏎x⏎');
  });

  it('marks tabs, leading ones too', () => {
    assert.equal(markLineBreaksAndTabs('\t=1+1'), '⇥=1+1');
    assert.equal(markLineBreaksAndTabs('bob@contoso.com\t1\t\t2'), 'bob@contoso.com⇥1⇥⇥2');
  });
});
