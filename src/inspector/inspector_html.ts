// The inspector page's HTML: a strict Content-Security-Policy (scripts only with this load's nonce,
// styles and images only from the extension's own folders) and nothing but our bundle and stylesheet.
// The layout worker's script is fetched from the extension's folder (connect-src) and started from a
// blob: URL (worker-src): a webview cannot start a worker from the resource origin, which is not its own.
// No vscode import, so the Chromium tests load exactly this page.

export interface InspectorPageResources {
  /** webview.cspSource: the origin VS Code serves asWebviewUri resources from. */
  cspSource: string;
  scriptUri: string;
  /** dist/layout_worker.js, which the page fetches and starts as its layout worker. */
  layoutWorkerUri: string;
  styleUri: string;
  nonce: string;
}

export function inspectorHtml(r: InspectorPageResources): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${r.nonce}'`,
    `style-src ${r.cspSource}`,
    // data: for the PNG export (the chart's SVG is drawn into a canvas through an <img>).
    `img-src ${r.cspSource} data:`,
    `font-src ${r.cspSource}`,
    `connect-src ${r.cspSource}`,
    'worker-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${r.styleUri}">
<title>Tapescope Inspector</title>
</head>
<body>
<div id="inspector" data-layout-worker="${r.layoutWorkerUri}"></div>
<script nonce="${r.nonce}" src="${r.scriptUri}"></script>
</body>
</html>`;
}

/** 32 random alphanumerics from a cryptographic source. */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('');
}
