// The cell compiler's thread: esbuild compiled to WebAssembly (esbuild-wasm), run in this worker thread, so
// one .vsix compiles cells on every platform VS Code runs on and the extension host's thread never waits on
// it. esbuild-wasm's in-thread service (its browser API with `worker: false`) is used rather than its Node API,
// which would spawn a `node` found on PATH (absent on many desktops, where the host is Electron).
import { parentPort, workerData } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import * as esbuild from 'esbuild-wasm/lib/browser.js';
import type { TransformFailure, TransformReply, TransformRequest, TranspilerWorkerData } from '../protocol/transpiler_messages';

// The service looks for a browser's `self`, and passes each message with setTimeout(…, 0), which Node rounds up
// to 1 ms a hop (2 ms a compile). This thread runs nothing else, so it gets both shims.
const globals = globalThis as unknown as Record<string, unknown>;
globals.self = globalThis;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const immediates = new WeakSet<object>();
globals.setTimeout = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  if (ms !== undefined && ms > 0) return realSetTimeout(callback, ms, ...args);
  const immediate = setImmediate(callback, ...args);
  immediates.add(immediate);
  return immediate;
};
globals.clearTimeout = (handle: unknown) => {
  if (handle && typeof handle === 'object' && immediates.has(handle)) clearImmediate(handle as NodeJS.Immediate);
  else realClearTimeout(handle as NodeJS.Timeout);
};

const { wasmFile } = workerData as TranspilerWorkerData;
const ready = readFile(wasmFile)
  .then((bytes) => WebAssembly.compile(bytes))
  .then((wasmModule) => esbuild.initialize({ wasmModule, worker: false }));

function failureOf(err: unknown): TransformReply & { ok: false } {
  const errors = (err as { errors?: esbuild.Message[] }).errors;
  const failures: TransformFailure[] = (errors ?? []).map((m) => ({
    text: m.text,
    location: m.location ? { line: m.location.line, column: m.location.column } : undefined,
  }));
  return { id: -1, ok: false, errors: failures, message: err instanceof Error ? err.message : String(err) };
}

parentPort!.on('message', async ({ id, code, options }: TransformRequest) => {
  let reply: TransformReply;
  try {
    await ready;
    const result = await esbuild.transform(code, options);
    reply = { id, ok: true, code: result.code, map: result.map };
  } catch (err) {
    reply = { ...failureOf(err), id };
  }
  parentPort!.postMessage(reply);
});
