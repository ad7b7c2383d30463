/**
 * Chart colours from the VS Code theme. A canvas cannot read CSS variables,
 * so the stylesheet maps the --vscode-charts-* variables onto the chart pane
 * and this module reads their computed values.
 */

export interface ThemeColours {
  foreground: string;
  grid: string;
  background: string;
  /** Series colours in order; series beyond the list reuse it from the start. */
  series: string[];
  /** Returns a colour from this object (an `rgb()` value) at 30 % opacity, for area and bar fills. */
  translucent(colour: string): string;
}

/** Custom properties set on .chart-pane in chart.css, each from one --vscode-* variable. */
const SERIES_PROPERTIES = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6', '--chart-7'];

/** Resolves any CSS colour to `rgb(r, g, b)` through the browser, so an alpha can be added. */
function resolveColour(probe: HTMLElement, colour: string): string {
  probe.style.color = colour;
  return getComputedStyle(probe).color;
}

export function themeColours(pane: HTMLElement): ThemeColours {
  const style = getComputedStyle(pane);
  const read = (property: string): string => style.getPropertyValue(property).trim();
  const probe = document.createElement('span');
  pane.append(probe);
  const series = SERIES_PROPERTIES.map((property) => resolveColour(probe, read(property))).filter((colour) => colour !== '');
  const colours: ThemeColours = {
    foreground: resolveColour(probe, read('--chart-foreground')),
    grid: resolveColour(probe, read('--chart-grid')),
    background: resolveColour(probe, read('--chart-background')),
    series,
    translucent: (colour) => {
      const match = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
      return match ? `rgba(${match[1]}, ${match[2]}, ${match[3]}, 0.3)` : colour;
    },
  };
  probe.remove();
  return colours;
}
