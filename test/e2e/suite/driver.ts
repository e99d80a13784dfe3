// Asks the browser driver (test/e2e/code_server_launcher.mjs) for what only the browser sees: a screenshot of
// the workbench, or the elements inside the inspector's webview frames. The request is a console line; the
// answer is a file the driver writes into TAPESCOPE_E2E_DRIVER_DIR.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import driverProtocol from '../driver_protocol.json';

const DRIVER_REQUEST_MARKER = driverProtocol.requestMarker;

let nextId = 0;

/** Where an element is drawn, in CSS px of the workbench page (webview frames included), and its text. */
export interface Box { x: number; y: number; width: number; height: number; text: string }

interface Answer { ok: boolean; error?: string; file?: string; count?: number; texts?: string[]; boxes?: Box[] }

async function ask(request: Record<string, unknown>, timeoutMs = 30_000): Promise<Answer> {
  const dir = process.env.TAPESCOPE_E2E_DRIVER_DIR;
  if (!dir) throw new Error('TAPESCOPE_E2E_DRIVER_DIR is not set: the suite must run through code_server_launcher.mjs');
  const id = `${process.pid}-${nextId++}`;
  console.log(`${DRIVER_REQUEST_MARKER}${JSON.stringify({ ...request, id })}`);
  const file = path.join(dir, `${id}.json`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the browser driver did not answer ${JSON.stringify(request)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const answer = JSON.parse(readFileSync(file, 'utf8')) as Answer;
  if (!answer.ok) throw new Error(`the browser driver failed: ${answer.error}`);
  return answer;
}

/** Saves a PNG of the whole workbench as test-results/<name>.png (and at copyTo, when given). */
export async function screenshot(name: string, copyTo?: string): Promise<void> {
  await ask({ kind: 'screenshot', name, copyTo });
}

/** How many elements match `selector` inside webview frames, and their text. */
export async function webviewElements(selector: string): Promise<{ count: number; texts: string[] }> {
  const answer = await ask({ kind: 'webview', selector });
  return { count: answer.count ?? 0, texts: answer.texts ?? [] };
}

/** Clicks the first element matching `selector` inside a webview; fails when there is none. */
export async function clickInWebview(selector: string): Promise<void> {
  const answer = await ask({ kind: 'click', selector });
  if (!answer.count) throw new Error(`nothing matches ${selector} in the webviews`);
}

/** How many elements of the workbench page itself (notifications, status bar) match `selector`, and their text. */
export async function workbenchElements(selector: string): Promise<{ count: number; texts: string[] }> {
  const answer = await ask({ kind: 'workbench', selector });
  return { count: answer.count ?? 0, texts: answer.texts ?? [] };
}

/** Clicks the first element of the workbench page matching `selector`; fails when there is none. */
export async function clickInWorkbench(selector: string): Promise<void> {
  const answer = await ask({ kind: 'workbenchClick', selector });
  if (!answer.count) throw new Error(`nothing matches ${selector} in the workbench`);
}

/** The boxes of the visible elements matching `selector` in the webviews' frames or in the workbench page itself. */
export async function boxesOf(scope: 'webview' | 'workbench', selector: string): Promise<Box[]> {
  return (await ask({ kind: 'boxes', scope, selector })).boxes ?? [];
}

/** Resizes the browser window's page, as a user resizing the window would; the workbench lays itself out anew. */
export async function setWindowSize(width: number, height: number): Promise<void> {
  await ask({ kind: 'viewport', width, height });
}

/**
 * How many modal dialogs the workbench was asked to show so far. Under the smoke-test driver (how the suite runs
 * in code-server) the workbench answers each with Cancel at once instead of showing it.
 */
export async function modalDialogsRequested(): Promise<number> {
  return (await ask({ kind: 'dialogs' })).count ?? 0;
}

/** Polls `probe` until it returns a value that is not undefined; fails with `what` after the timeout. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

