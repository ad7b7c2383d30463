// Runs inside the benchmark page next to the real webview bundle: generates
// the rows, posts them as the extension would (columnar chunks through
// postMessage, which clones typed arrays as VS Code's webview transport
// does), and times the webview's work. Bundled by test/bench/results.bench.ts.
import { encodeChunks } from '../../src/webview/core/columnar';
import type { HostMessage } from '../../src/webview/protocol';
import { resultHeader } from '../../src/webview/resultHeader';
import { signInResult } from '../fixtures/signInResults';

interface PageGlobals {
  postMessage(message: unknown, targetOrigin: string): void;
  requestAnimationFrame(callback: (time: number) => void): number;
  __hostReceive(text: string): unknown;
  document: { querySelector(selector: string): { scrollTop: number; scrollHeight: number; clientHeight: number; getBoundingClientRect(): unknown } | null; body: { offsetHeight: number } };
  __bench: unknown;
}

const page = globalThis as unknown as PageGlobals;

/** Resolves at the next `rendered` report the webview posts, with the time it was posted. */
function nextReport(): Promise<number> {
  return new Promise((resolve) => {
    const original = page.__hostReceive.bind(page);
    page.__hostReceive = (text: string): unknown => {
      if (text.includes('"type":"rendered"')) {
        page.__hostReceive = original;
        resolve(performance.now());
      }
      return original(text);
    };
  });
}

/** Resolves at the next `chartRendered` report, with the time it was posted and the report's JSON text. */
function nextChartReport(): Promise<{ time: number; text: string }> {
  return new Promise((resolve) => {
    const original = page.__hostReceive.bind(page);
    page.__hostReceive = (text: string): unknown => {
      if (text.includes('"type":"chartRendered"')) {
        page.__hostReceive = original;
        resolve({ time: performance.now(), text });
      }
      return original(text);
    };
  });
}

/** Clicks the Chart button and returns the milliseconds until the chart pane reports its chart, with the report. */
async function timeChart(): Promise<{ ms: number; report: string }> {
  const chartButton = (page.document as unknown as { querySelector(selector: string): { click(): void } | null }).querySelector('.chart-toggle');
  if (!chartButton) {
    throw new Error('The Chart button is not in the page.');
  }
  const drawn = nextChartReport();
  const start = performance.now();
  chartButton.click();
  const { time, text } = await drawn;
  return { ms: time - start, report: text };
}

function post(message: HostMessage): void {
  page.postMessage(message, '*');
}

let jsonBytes = 0;

async function load(rowCount: number, extraColumns: number): Promise<{ firstPaintMs: number; jsonParseMs: number; jsonBytes: number; chunkCount: number }> {
  const result = signInResult(rowCount, extraColumns);
  const table = result.tables[0];
  const json = JSON.stringify(table.rows);
  jsonBytes = json.length;
  const parseStart = performance.now();
  JSON.parse(json);
  const jsonParseMs = performance.now() - parseStart;

  const chunks = [...encodeChunks(table, 0)];
  post({ type: 'result', header: resultHeader(result), settings: { timeZone: 'utc' } });
  const painted = nextReport();
  const start = performance.now();
  for (const chunk of chunks) {
    post({ type: 'chunk', chunk });
  }
  post({ type: 'complete' });
  const firstPaintMs = (await painted) - start;
  // The webview reports again once the last chunk is in; sorting and filtering are timed after that.
  await nextReport();
  return { firstPaintMs, jsonParseMs, jsonBytes, chunkCount: chunks.length };
}

/** Posts a view change and returns the milliseconds until the webview reports the repainted grid. */
async function timeView(message: Extract<HostMessage, { type: 'applyView' }>): Promise<number> {
  const reported = nextReport();
  const start = performance.now();
  post(message);
  return (await reported) - start;
}

/**
 * Scrolls the grid one screen per frame and times each frame's script and
 * layout work: every requestAnimationFrame callback (the grid repaints in
 * one) plus a forced layout after it.
 */
async function scrollFrames(frames: number): Promise<number[]> {
  const grid = page.document.querySelector('.grid');
  if (!grid) {
    throw new Error('The grid is not in the page.');
  }
  const durations: number[] = [];
  const originalRaf = page.requestAnimationFrame.bind(globalThis);
  page.requestAnimationFrame = (callback) =>
    originalRaf((time) => {
      const start = performance.now();
      callback(time);
      void page.document.body.offsetHeight;
      durations.push(performance.now() - start);
    });
  try {
    for (let frame = 0; frame < frames; frame++) {
      await new Promise<void>((resolve) => {
        originalRaf(() => {
          grid.scrollTop = ((frame * 7919) % 997) * (grid.scrollHeight / 1000);
          resolve();
        });
      });
    }
    await new Promise<void>((resolve) => originalRaf(() => originalRaf(() => resolve())));
  } finally {
    page.requestAnimationFrame = originalRaf;
  }
  return durations;
}

page.__bench = { load, timeView, scrollFrames, timeChart };
