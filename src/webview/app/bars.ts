/**
 * A uPlot path builder for grouped bars (see core/barLayout.ts). uPlot's own
 * bar builder centres every series on its x value, so several series would
 * overlap. Horizontal bar charts come from the x scale's orientation.
 */
import type uPlot from 'uplot';
import { barSpan, slotWidth } from '../core/barLayout';

/** Returns a paths function that draws series `seriesIndex` (0-based, without the x series) of `seriesCount`. */
export function groupedBars(seriesIndex: number, seriesCount: number): uPlot.Series.PathBuilder {
  return (plot, plotSeriesIndex, firstIndex, lastIndex) => {
    const path = new Path2D();
    const xs = plot.data[0] as number[];
    const ys = plot.data[plotSeriesIndex] as Array<number | null | undefined>;
    const slot = slotWidth(xs);
    const horizontal = plot.scales.x.ori === 1;
    const baseline = plot.valToPos(clampToScale(0, plot.scales.y), 'y', true);
    for (let index = firstIndex; index <= lastIndex; index++) {
      const value = ys[index];
      if (value === null || value === undefined) {
        continue;
      }
      const span = barSpan(xs[index], slot, seriesIndex, seriesCount);
      const from = plot.valToPos(span.start, 'x', true);
      const to = plot.valToPos(span.end, 'x', true);
      const level = plot.valToPos(value, 'y', true);
      const across = [Math.min(from, to), Math.abs(to - from)] as const;
      const along = [Math.min(baseline, level), Math.abs(level - baseline)] as const;
      if (horizontal) {
        path.rect(along[0], across[0], along[1], across[1]);
      } else {
        path.rect(across[0], along[0], across[1], along[1]);
      }
    }
    return { stroke: path, fill: path };
  };
}

/** Keeps the bars' baseline (zero) inside the y scale, so bars of a range above zero start at its bottom. */
function clampToScale(value: number, scale: uPlot.Scale): number {
  const min = scale.min ?? value;
  const max = scale.max ?? value;
  return Math.min(Math.max(value, min), max);
}
