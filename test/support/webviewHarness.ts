// Loads the real results webview bundle (dist/webview/results.js and .css) in
// headless Chromium, in a page with the same HTML and Content Security Policy
// that the extension serves, and stands in for VS Code's webview API. Every
// request the page makes is recorded; only the page, the script and the
// stylesheet are answered, so nothing leaves the browser.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { renderPage } from '../../src/webview/html';
import type { HostMessage, WebviewMessage } from '../../src/webview/protocol';
import { launchBrowser, type Browser } from './testHost';

const repoRoot = resolve(__dirname, '..', '..', '..');
const ORIGIN = 'https://webview.test';
export const PAGE_URL = `${ORIGIN}/index.html`;
const SCRIPT_URL = `${ORIGIN}/results.js`;
const STYLE_URL = `${ORIGIN}/results.css`;
export const ALLOWED_URLS: ReadonlySet<string> = new Set([PAGE_URL, SCRIPT_URL, STYLE_URL]);

/** Stands in for acquireVsCodeApi and reports CSP violations; runs with the page's nonce before the bundle. */
const STUB_SCRIPT = `
window.acquireVsCodeApi = () => {
  let state;
  return {
    postMessage: (message) => window.__hostReceive(JSON.stringify(message)),
    getState: () => state,
    setState: (value) => { state = value; },
  };
};
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolation(event.violatedDirective + ' ' + event.blockedURI);
});
`;

export interface Harness {
  browser: Browser;
  page: Page;
  /** Ids passed to window.__xssHit by any payload that ran. */
  hits: unknown[];
  /** Messages of alert, confirm and prompt dialogs. */
  dialogs: string[];
  /** Content Security Policy violations: directive and blocked URI. */
  violations: string[];
  /** Every URL the page tried to load, including loads its Content Security Policy blocked. */
  requests: string[];
  /** URLs that got past the page's Content Security Policy to the network layer, where the harness answers or aborts them. */
  networkRequests: string[];
  /** Messages the webview posted, in order. */
  received: WebviewMessage[];
  /** Resolves with the next message that `accept` takes; call it before the action that causes the message. */
  waitForMessage(accept: (message: WebviewMessage) => boolean): Promise<WebviewMessage>;
  send(message: HostMessage): Promise<void>;
  /** Resolves with the next Content Security Policy violation. */
  nextViolation(): Promise<string>;
  close(): Promise<void>;
}

/** Serializes a message for page.evaluate; typed arrays become tagged plain arrays that the page turns back. */
function encodeForPage(message: HostMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? { $typed: value.constructor.name, values: Array.from(value as unknown as ArrayLike<number>) } : value,
  );
}

export async function openHarness(options: { viewport?: { width: number; height: number }; nonce?: string } = {}): Promise<Harness> {
  const nonce = options.nonce ?? 'harnessNonce0123456789';
  const html = renderPage({ cspSource: ORIGIN, scriptUri: SCRIPT_URL, styleUri: STYLE_URL, nonce, resultId: 'harness', title: 'Results' }).replace(
    '<script nonce=',
    `<script nonce="${nonce}">${STUB_SCRIPT}</script>\n<script nonce=`,
  );
  const script = readFileSync(join(repoRoot, 'dist', 'webview', 'results.js'), 'utf8');
  const style = readFileSync(join(repoRoot, 'dist', 'webview', 'results.css'), 'utf8');

  const hits: unknown[] = [];
  const dialogs: string[] = [];
  const violations: string[] = [];
  const requests: string[] = [];
  const networkRequests: string[] = [];
  const received: WebviewMessage[] = [];
  const violationWaiters: Array<(text: string) => void> = [];
  const waiters: Array<{ accept: (message: WebviewMessage) => boolean; resolve: (message: WebviewMessage) => void }> = [];

  const onMessage = (text: string): void => {
    const message = JSON.parse(text) as WebviewMessage;
    received.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.accept(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  };

  const browser = await launchBrowser({
    viewport: options.viewport ?? { width: 1600, height: 1000 },
    beforeNavigate: async (page) => {
      await page.exposeFunction('__xssHit', (id: unknown) => hits.push(id));
      await page.exposeFunction('__cspViolation', (text: string) => {
        violations.push(text);
        for (const resolveViolation of violationWaiters.splice(0)) {
          resolveViolation(text);
        }
      });
      await page.exposeFunction('__hostReceive', onMessage);
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      page.on('request', (request: Request) => requests.push(request.url()));
      await page.context().route('**/*', async (route) => {
        const url = route.request().url();
        networkRequests.push(url);
        const bodies: Record<string, [string, string]> = {
          [PAGE_URL]: [html, 'text/html; charset=utf-8'],
          [SCRIPT_URL]: [script, 'text/javascript; charset=utf-8'],
          [STYLE_URL]: [style, 'text/css; charset=utf-8'],
        };
        const body = bodies[url];
        await (body ? route.fulfill({ status: 200, body: body[0], contentType: body[1] }) : route.abort('blockedbyclient'));
      });
    },
  });

  const page = browser.page;
  const ready = new Promise<WebviewMessage>((resolvePromise) => waiters.push({ accept: (message) => message.type === 'ready', resolve: resolvePromise }));
  await page.goto(PAGE_URL);
  await ready;

  return {
    browser,
    page,
    hits,
    dialogs,
    violations,
    requests,
    networkRequests,
    received,
    waitForMessage: (accept) => new Promise((resolvePromise) => waiters.push({ accept, resolve: resolvePromise })),
    send: async (message) => {
      await page.evaluate((text) => {
        const revived: unknown = JSON.parse(text, (_key, value: unknown) => {
          const tagged = value as { $typed?: string; values?: number[] } | null;
          if (tagged && typeof tagged === 'object' && typeof tagged.$typed === 'string' && Array.isArray(tagged.values)) {
            const constructor = (globalThis as unknown as Record<string, new (values: number[]) => unknown>)[tagged.$typed];
            return new constructor(tagged.values);
          }
          return value;
        });
        (globalThis as unknown as { postMessage(message: unknown, targetOrigin: string): void }).postMessage(revived, '*');
      }, encodeForPage(message));
    },
    nextViolation: () => new Promise((resolvePromise) => violationWaiters.push(resolvePromise)),
    close: () => browser.close(),
  };
}
