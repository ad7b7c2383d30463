import * as assert from 'node:assert/strict';
import { barRange, barSpan, GROUP_FRACTION, slotWidth } from '../../../src/webview/core/barLayout';

describe('grouped bar layout', () => {
  it('slot is the smallest x gap', () => {
    assert.equal(slotWidth([0, 60_000, 120_000, 300_000]), 60_000);
  });

  it('slot ignores repeated x values', () => {
    assert.equal(slotWidth([0, 0, 5, 15]), 5);
  });

  it('slot of one x value is 1', () => {
    assert.equal(slotWidth([42]), 1);
  });

  it('series stand side by side', () => {
    const spans = [0, 1, 2].map((series) => barSpan(10, 1, series, 3));
    for (let series = 1; series < spans.length; series++) {
      assert.ok(Math.abs(spans[series].start - spans[series - 1].end) < 1e-9, `series ${series} does not start where ${series - 1} ends`);
    }
  });

  it('bars have equal widths', () => {
    const widths = [0, 1, 2, 3].map((series) => {
      const span = barSpan(100, 60, series, 4);
      return span.end - span.start;
    });
    for (const width of widths) {
      assert.ok(Math.abs(width - (60 * GROUP_FRACTION) / 4) < 1e-9, `width ${width}`);
    }
  });

  it('group is centred on x', () => {
    const first = barSpan(10, 2, 0, 5);
    const last = barSpan(10, 2, 4, 5);
    assert.ok(Math.abs((first.start + last.end) / 2 - 10) < 1e-9);
  });

  it('neighbouring groups do not touch', () => {
    const lastOfFirst = barSpan(0, 1, 2, 3);
    const firstOfNext = barSpan(1, 1, 0, 3);
    assert.ok(lastOfFirst.end < firstOfNext.start);
  });

  it('one series fills the group', () => {
    const span = barSpan(5, 1, 0, 1);
    assert.ok(Math.abs(span.end - span.start - GROUP_FRACTION) < 1e-9);
  });

  it('range shows the outer slots whole', () => {
    assert.deepEqual(barRange(0, 10, 2), [-1, 11]);
  });
});
