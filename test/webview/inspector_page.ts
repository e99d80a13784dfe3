// Loads the real inspector page (our HTML with its Content-Security-Policy, the esbuild bundle of
// webview/main.ts, media/inspector.css) into headless Chromium. The only stand-in is VS Code's
// acquireVsCodeApi(): messages the page posts and the state it saves are collected here.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inspectorHtml } from '../../src/inspector/inspector_html';
import type { HostToInspectorMessage } from '../../src/protocol/inspector_messages';

export const REPO = resolve(__dirname, '../..');

/** A subset of VS Code's Dark Modern and Light Modern theme colours, as VS Code sets them on <html>. */
export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d', '--vscode-panel-border': '#2b2b2b',
      '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-border': '#454545',
      '--vscode-focusBorder': '#0078d4', '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c', '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc', '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-charts-blue': '#3794ff',
      '--vscode-errorForeground': '#f85149', '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171', '--vscode-panel-border': '#e5e5e5',
      '--vscode-editorWidget-background': '#f8f8f8', '--vscode-editorWidget-border': '#c8c8c8',
      '--vscode-focusBorder': '#005fb8', '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece', '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000', '--vscode-charts-green': '#388a34',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90', '--vscode-charts-blue': '#1a85ff',
      '--vscode-errorForeground': '#f85149', '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    },
  },
  highContrast: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff', '--vscode-panel-border': '#6fc3df', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-editorWidget-background': '#0c141f', '--vscode-editorWidget-border': '#6fc3df',
      '--vscode-focusBorder': '#f38518', '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df', '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff', '--vscode-list-activeSelectionBackground': '#000000',
      '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-charts-blue': '#3794ff',
      '--vscode-errorForeground': '#f48771', '--vscode-editorWarning-foreground': '#ffd700',
      '--vscode-editorLineNumber-foreground': '#ffffff', '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

export interface InspectorHarness {
  browser: Browser;
  origin: string;
  openPage(options?: { theme?: ThemeName; state?: unknown; width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

/** One of the page's bundles, as scripts/build.mjs makes it: the page (webview/main.ts) or its layout worker. */
export async function bundleWebview(entry = 'webview/main.ts'): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO, entry)],
    bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome114', minify: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

export interface HarnessOptions {
  /** Serve no layout worker script (the page then lays out on its own thread). */
  withoutWorker?: boolean;
}

export async function startInspectorHarness(harnessOptions: HarnessOptions = {}): Promise<InspectorHarness> {
  const [script, workerScript] = await Promise.all([bundleWebview(), bundleWebview('webview/graph/layout_worker.ts')]);
  const css = readFileSync(join(REPO, 'media/inspector.css'), 'utf8');
  let origin = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/webview.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(script); return; }
    if (req.url === '/layout_worker.js' && !harnessOptions.withoutWorker) { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(workerScript); return; }
    if (req.url === '/inspector.css') { res.writeHead(200, { 'content-type': 'text/css' }); res.end(css); return; }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(inspectorHtml({ cspSource: origin, scriptUri: `${origin}/webview.js`, layoutWorkerUri: `${origin}/layout_worker.js`, styleUri: `${origin}/inspector.css`, nonce: 'testnonce0123456789abcdefghijklm' }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  // Chromium puts sockets in TMPDIR; a long path there kills it.
  process.env.TMPDIR = mkdtempSync(join(tmpdir().length < 40 ? tmpdir() : '/tmp', 'tsw-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });

  return {
    browser,
    origin,
    async openPage(options = {}) {
      const theme = THEMES[options.theme ?? 'dark'];
      const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 760 } });
      page.on('pageerror', (error) => { (page as Page & { errors?: Error[] }).errors?.push(error); if (process.env.INSPECTOR_DEBUG) console.log('pageerror:', error); });
      (page as Page & { errors?: Error[] }).errors = [];
      // A string, not a function: tsx's transform would add helpers the page does not have.
      await page.addInitScript(`(() => {
        const state = ${JSON.stringify(options.state ?? null)};
        const vars = ${JSON.stringify(theme.vars)};
        window.__posted = [];
        window.__state = state === null ? undefined : state;
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
        let acquired = false;
        window.acquireVsCodeApi = () => {
          if (acquired) throw new Error('acquireVsCodeApi may only be called once');
          acquired = true;
          return {
            postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
            getState: () => window.__state,
            setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
          };
        };
        // VS Code sets the theme's colours on <html> and a theme class on <body>.
        const applyTheme = () => {
          for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
          if (document.body) document.body.classList.add(${JSON.stringify(theme.bodyClass)});
        };
        new MutationObserver((_, observer) => {
          if (document.body) { applyTheme(); observer.disconnect(); }
        }).observe(document, { childList: true, subtree: true });
      })();`);
      page.on("console", (m) => { if (process.env.INSPECTOR_DEBUG) console.log("page:", m.text()); });
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Delivers a message the way VS Code does: a MessageEvent on the page's window; then waits for the graph. */
export async function send(page: Page, message: HostToInspectorMessage | unknown): Promise<void> {
  // As a JSON string: Playwright serialises a string fast, an object of a 20,000-op trace in about a minute.
  await page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
  await graphDrawn(page);
}

/** Waits until no layout is pending (large graphs are placed by the layout worker, asynchronously). */
export async function graphDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.graph-pane')?.getAttribute('data-layout') !== 'pending', undefined, { timeout: 60_000 });
}

export async function posted(page: Page): Promise<Array<Record<string, unknown>>> {
  return page.evaluate(() => (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted);
}

export async function savedState(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __state: unknown }).__state);
}

export function pageErrors(page: Page): Error[] {
  return (page as Page & { errors?: Error[] }).errors ?? [];
}

/** Waits two animation frames: the chart redraws on a throttled frame. */
export async function settle(page: Page, ms = 120): Promise<void> {
  await page.waitForTimeout(ms);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

export interface Responsiveness {
  /** From posting the message to the graph drawn (its layout arrived and its boxes are in the DOM). */
  drawMs: number;
  /** From the layout asked for to its placement back (0 when it was ready at once: small or cached). */
  layoutMs: number;
  /** Where the layout ran, as the graph says ('worker' or 'page'). */
  site: string;
  /** A 5 ms timer re-armed all along: how often it fired while the layout ran, and the longest the page was busy
   * within that time (a click or a key would have waited that long). */
  ticksDuringLayout: number;
  maxDelayDuringLayoutMs: number;
  /** The longest the page was busy from the message to the graph drawn (validation, folding, drawing included). */
  maxDelayOverallMs: number;
}

/**
 * Posts `message` (a string of JSON, parsed in the page) and watches the page's thread until the graph is drawn:
 * a timer re-armed every 5 ms fires late by as much as the page is busy. The layout's time is what the graph's
 * performance marks say (graph_view.ts: LAYOUT_PENDING_MARK, LAYOUT_PLACED_MARK).
 */
export async function measureResponsiveness(page: Page, json: string): Promise<Responsiveness> {
  // A string, not a function: tsx's transform would add helpers (__name) the page does not have.
  return page.evaluate(`(${WATCH_THE_PAGE})(${JSON.stringify(json)})`) as Promise<Responsiveness>;
}

const WATCH_THE_PAGE = `async function (text) {
  const pane = document.querySelector('.graph-pane');
  const message = JSON.parse(text);
  performance.clearMarks('tapescope:layout-pending');
  performance.clearMarks('tapescope:layout-placed');
  const start = performance.now();
  const busy = [];
  let last = start, running = true;
  const drawn = new Promise((done) => pane.addEventListener('tapescope-graph-drawn', () => done(), { once: true }));
  function tick() {
    const now = performance.now();
    busy.push([last + 5, now]);
    last = now;
    if (running) setTimeout(tick, 5);
  }
  setTimeout(tick, 5);
  window.postMessage(message, '*');
  await drawn;
  const drawMs = performance.now() - start;
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  running = false;
  const mark = (name) => performance.getEntriesByName(name).map((e) => e.startTime).filter((t) => t >= start)[0];
  const from = mark('tapescope:layout-pending'), to = mark('tapescope:layout-placed');
  const during = from !== undefined && to !== undefined;
  let ticks = 0, worstDuring = 0, worst = 0;
  for (const [a, b] of busy) {
    worst = Math.max(worst, b - a);
    if (!during) continue;
    if (b >= from && b <= to) ticks++;
    worstDuring = Math.max(worstDuring, Math.min(b, to) - Math.max(a, from));
  }
  return {
    drawMs, layoutMs: during ? to - from : 0, site: pane.dataset.layoutSite || '',
    ticksDuringLayout: ticks, maxDelayDuringLayoutMs: worstDuring, maxDelayOverallMs: worst,
  };
}`;
