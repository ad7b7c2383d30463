/**
 * Layout of grouped bars for column and bar charts. Each x value owns a slot
 * as wide as the smallest gap between neighbouring x values. The series stand
 * side by side inside it, in series order, with a gap between slots.
 */

/** Share of a slot that its group of bars fills. The rest is the gap between groups. */
export const GROUP_FRACTION = 0.8;

/** A bar's extent along the x scale, in x-scale units (epoch ms, numbers or category indexes). */
export interface BarSpan {
  start: number;
  end: number;
}

/** Returns the smallest positive gap between neighbouring values of ascending `xs`, or 1 when there is none. */
export function slotWidth(xs: ArrayLike<number>): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let index = 1; index < xs.length; index++) {
    const gap = xs[index] - xs[index - 1];
    if (gap > 0 && gap < smallest) {
      smallest = gap;
    }
  }
  return Number.isFinite(smallest) ? smallest : 1;
}

/** Returns the extent of series `seriesIndex`'s bar at `x`, for `seriesCount` series in slots of width `slot`. */
export function barSpan(x: number, slot: number, seriesIndex: number, seriesCount: number): BarSpan {
  const groupWidth = slot * GROUP_FRACTION;
  const barWidth = groupWidth / Math.max(1, seriesCount);
  const start = x - groupWidth / 2 + seriesIndex * barWidth;
  return { start, end: start + barWidth };
}

/** Returns the x-scale range that shows every slot whole: half a slot beyond the first and last x value. */
export function barRange(min: number, max: number, slot: number): [number, number] {
  return [min - slot / 2, max + slot / 2];
}
