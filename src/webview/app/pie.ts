/**
 * Draws a pie chart on a canvas, because uPlot has no pie chart. Slices are
 * the first series' values per category; the legend lists each category as
 * text with its value and share.
 */
import type { ChartData } from '../core/chartData';
import { revealControls } from '../core/format';
import { element } from './dom';
import type { ThemeColours } from './theme';

/** Draws the pie and its legend into `parent`; returns notes on the categories left out. */
export function drawPie(parent: HTMLElement, data: ChartData, colours: ThemeColours, width: number, height: number): string[] {
  const values = data.series[0]?.values ?? [];
  const slices = data.categories
    .map((label, index) => ({ label, value: values[index] ?? 0 }))
    .filter((slice) => slice.value > 0);
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const left = data.categories.length - slices.length;
  const notes = left > 0 ? [`${left.toLocaleString('en')} categories with a zero, negative or null value are not drawn.`] : [];

  parent.append(element('h3', { className: 'chart-title', text: revealControls(data.title) }));
  const size = Math.min(width, height);
  const ratio = window.devicePixelRatio || 1;
  const canvas = element('canvas', { className: 'chart-pie', attributes: { role: 'img', 'aria-label': revealControls(data.title), width: String(size * ratio), height: String(size * ratio) } });
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const context = canvas.getContext('2d');
  const legend = element('ul', { className: 'chart-legend' });
  let angle = -Math.PI / 2;
  slices.forEach((slice, index) => {
    const colour = colours.series[index % colours.series.length];
    const sweep = (slice.value / total) * Math.PI * 2;
    if (context) {
      context.beginPath();
      context.moveTo((size * ratio) / 2, (size * ratio) / 2);
      context.arc((size * ratio) / 2, (size * ratio) / 2, (size * ratio) / 2 - 2, angle, angle + sweep);
      context.closePath();
      context.fillStyle = colour;
      context.fill();
      context.strokeStyle = colours.background;
      context.stroke();
    }
    angle += sweep;
    const swatch = element('span', { className: 'chart-swatch' });
    swatch.style.background = colour;
    const share = ((slice.value / total) * 100).toFixed(1);
    legend.append(element('li', {}, [swatch, document.createTextNode(`${revealControls(slice.label)}: ${slice.value.toLocaleString('en')} (${share} %)`)]));
  });
  parent.append(element('div', { className: 'chart-pie-layout' }, [canvas, legend]));
  return notes;
}
