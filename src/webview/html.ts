/**
 * The results webview's HTML page. It holds no data: results arrive by
 * postMessage. The Content Security Policy allows nothing by default,
 * scripts only with the page's nonce and styles and fonts only from the
 * extension's dist/webview folder (`cspSource` with `resourceRoot`).
 */

export interface WebviewPage {
  /** The webview's `cspSource`, the origin its local resources are served from. */
  cspSource: string;
  /** Webview URIs of dist/webview/results.js and results.css. */
  scriptUri: string;
  styleUri: string;
  /** A fresh random value for this page, base64 or hex, from a cryptographic generator. */
  nonce: string;
  /** Key of the stored result the page shows. */
  resultId: string;
  title: string;
}

export function contentSecurityPolicy(page: Pick<WebviewPage, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${page.nonce}'`,
    `style-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
    `img-src ${page.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function renderPage(page: WebviewPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body data-result-id="${escapeHtml(page.resultId)}">
<script nonce="${escapeHtml(page.nonce)}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}
