#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests spawns. It takes the same
// Electron-style flags and runs the suite in a real VS Code: code-server (from .tools/) with the web workbench
// in Debian's Chromium, driven by playwright-core. code-server refuses --extensionDevelopmentPath, so the dev
// path and tests path travel in the workbench URL's `payload`, read when the smoke-test driver is on; the
// suite's exit code comes back through window.codeAutomationExit.
//
// The suite cannot see the browser, so it asks this driver for what only the browser has (screenshots, the
// inspector's DOM inside the webview iframes): it logs a request line, the driver writes the answer to a file.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { isCodeServerInstalled, startCodeServer } from '../../scripts/code_server.mjs';
import { FIRST_EXAMPLE, openFilePayload, writeWorkbenchSettings } from '../../scripts/first_workbench.mjs';

const DRIVER_REQUEST_MARKER = JSON.parse(readFileSync(new URL('./driver_protocol.json', import.meta.url), 'utf8')).requestMarker;
// Workbench chatter unrelated to the suite (sign-in probes, chat, connection set-up); TAPESCOPE_E2E_VERBOSE=1 shows it.
const WORKBENCH_NOISE = /^\[(AgentHost[^\]]*|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)\]|^(Resolving|Resolved) connection token|^Creating a socket|^Creation of workbench contribution|^Updating additional builtin|authentication provider 'github'|workbench\.js:\d+/;
// Under the smoke-test driver the workbench answers every modal dialog with Cancel at once, logging this line.
const SMOKE_TEST_DIALOG = 'DialogService: Dialog requested during smoke test';
let dialogsRequested = 0;
const SUITE_TIMEOUT_MS = Number(process.env.TAPESCOPE_E2E_TIMEOUT_MS ?? 15 * 60 * 1000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function parseArgs(argv) {
  const flags = new Map();
  const positional = [];
  for (const arg of argv) {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    if (match) flags.set(match[1], match[2]);
    else if (!arg.startsWith('--')) positional.push(arg);
  }
  return { flags, positional };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const remote = (absolutePath) => `vscode-remote://remote${path.resolve(absolutePath)}`;

async function main() {
  const { flags, positional } = parseArgs(process.argv.slice(2));
  const developmentPath = flags.get('extensionDevelopmentPath');
  const testsPath = flags.get('extensionTestsPath');
  const workspace = path.resolve(positional[0] ?? process.cwd());
  if (!testsPath) throw new Error('code_server_launcher: --extensionTestsPath=… is required');
  if (!isCodeServerInstalled()) throw new Error('code-server is not installed: run `node scripts/code_server.mjs` first');

  // Chromium and VS Code put sockets in TMPDIR; a long path breaks them.
  const scratch = mkdtempSync('/tmp/tse-');
  const env = { ...process.env, TMPDIR: scratch };
  const driverDir = path.join(scratch, 'driver');
  mkdirSync(driverDir);
  const userDataDir = flags.get('user-data-dir') ?? path.join(scratch, 'user-data');
  const extensionsDir = flags.get('extensions-dir') ?? path.join(scratch, 'extensions');
  const screenshotDir = path.resolve(process.env.TAPESCOPE_SCREENSHOT_DIR ?? 'test-results');
  mkdirSync(screenshotDir, { recursive: true });

  // Started as `npm start` starts it: its settings, and the first example open when the workspace has it.
  writeWorkbenchSettings(userDataDir);
  const port = await freePort();
  const server = await startCodeServer({
    port, userDataDir, extensionsDir, workspace, env, smokeTestDriver: true,
    onOutput: (text) => { if (process.env.TAPESCOPE_E2E_VERBOSE) process.stderr.write(`[code-server] ${text}`); },
  });
  let browser;
  let exitCode = 1;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const finished = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))));
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const line = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      if (line.includes(SMOKE_TEST_DIALOG)) dialogsRequested++;
      const at = line.indexOf(DRIVER_REQUEST_MARKER);
      if (at >= 0) {
        void answer(page, JSON.parse(line.slice(at + DRIVER_REQUEST_MARKER.length)), driverDir, screenshotDir);
        return;
      }
      // Judged by its first line: a failing test's message carries a stack that may run through the workbench's code.
      if (!process.env.TAPESCOPE_E2E_VERBOSE && WORKBENCH_NOISE.test(line.split('\n')[0])) return;
      (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });

    const extensionEnvironment = { TAPESCOPE_E2E_DRIVER_DIR: driverDir };
    for (const [key, value] of Object.entries(process.env)) if (key.startsWith('TAPESCOPE_')) extensionEnvironment[key] = value;
    const payload = [['extensionTestsPath', remote(testsPath)], ['extensionEnvironment', JSON.stringify(extensionEnvironment)]];
    if (developmentPath) payload.unshift(['extensionDevelopmentPath', remote(developmentPath)]);
    if (existsSync(path.join(workspace, FIRST_EXAMPLE))) payload.push(openFilePayload(path.join(workspace, FIRST_EXAMPLE), server.url));
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);

    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS); });
    const outcome = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      console.error(`code_server_launcher: the suite did not finish within ${SUITE_TIMEOUT_MS} ms`);
      await page.screenshot({ path: path.join(screenshotDir, 'timeout.png') }).catch(() => {});
    } else {
      exitCode = outcome;
    }
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return exitCode;
}

/** Answers one request from the suite; the answer file appears atomically (written, then renamed). */
async function answer(page, request, driverDir, screenshotDir) {
  let result;
  try {
    if (request.kind === 'screenshot') {
      const file = path.join(screenshotDir, `${request.name}.png`);
      await page.screenshot({ path: file });
      if (request.copyTo) await page.screenshot({ path: request.copyTo });
      result = { ok: true, file };
    } else if (request.kind === 'click') {
      result = { ok: true, count: await clickInWebviews(page, request.selector) };
    } else if (request.kind === 'workbench') {
      result = { ok: true, ...(await queryWorkbench(page, request.selector)) };
    } else if (request.kind === 'webview') {
      result = { ok: true, ...(await queryWebviews(page, request.selector)) };
    } else if (request.kind === 'boxes') {
      result = { ok: true, boxes: await boxesOf(page, request.scope, request.selector) };
    } else if (request.kind === 'dialogs') {
      result = { ok: true, count: dialogsRequested };
    } else if (request.kind === 'viewport') {
      await page.setViewportSize({ width: request.width, height: request.height });
      result = { ok: true };
    } else if (request.kind === 'workbenchClick') {
      const target = page.locator(request.selector).first();
      const count = await target.count();
      if (count) await target.click();
      result = { ok: true, count };
    } else {
      result = { ok: false, error: `unknown request ${request.kind}` };
    }
  } catch (err) {
    result = { ok: false, error: String(err?.stack ?? err) };
  }
  const file = path.join(driverDir, `${request.id}.json`);
  if (!existsSync(driverDir)) return;
  writeFileSync(`${file}.tmp`, JSON.stringify(result));
  renameSync(`${file}.tmp`, file);
}

/** Matches of `selector` inside webview content frames (two iframes deep in the workbench). */
async function queryWebviews(page, selector) {
  const texts = [];
  let count = 0;
  for (const frame of webviewContentFrames(page)) {
    const found = await frame.$$eval(selector, (nodes) => nodes.slice(0, 200).map((n) => n.textContent ?? '')).catch(() => []);
    count += await frame.$$eval(selector, (nodes) => nodes.length).catch(() => 0);
    texts.push(...found);
  }
  return { count, texts };
}

/** The visible elements matching `selector` in the workbench page itself (not its webviews), and their text. */
async function queryWorkbench(page, selector) {
  const texts = await page.$$eval(selector, (nodes) => nodes
    .filter((n) => n.getClientRects().length > 0 && getComputedStyle(n).visibility !== 'hidden')
    .slice(0, 200).map((n) => n.textContent ?? ''));
  return { count: texts.length, texts };
}

/** Where the visible elements matching `selector` are on the page (CSS px of the workbench page, frames included). */
async function boxesOf(page, scope, selector) {
  const frames = scope === 'workbench' ? [page.mainFrame()] : webviewContentFrames(page);
  const boxes = [];
  for (const frame of frames) {
    const found = frame.locator(selector);
    const count = Math.min(await found.count(), 200);
    for (let i = 0; i < count; i++) {
      const item = found.nth(i);
      const box = await item.boundingBox();
      if (box && box.width > 0 && box.height > 0) boxes.push({ ...box, text: (await item.textContent()) ?? '' });
    }
  }
  return boxes;
}

/** The webviews' content frames: two iframes deep in the workbench. */
function webviewContentFrames(page) {
  return page.frames().filter((frame) => frame !== page.mainFrame() && frame.parentFrame() !== page.mainFrame());
}

/** Clicks the first element matching `selector` inside the webview frames, as a user would; returns how many it clicked. */
async function clickInWebviews(page, selector) {
  for (const frame of webviewContentFrames(page)) {
    const target = frame.locator(selector).first();
    if (await target.count()) {
      await target.click();
      return 1;
    }
  }
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});
