// esbuild's transform for cells, run by esbuild-wasm on the cell compiler's thread (transpiler_worker.ts): the
// extension ships no native binary, so one package serves every platform (see docs/ARCHITECTURE.md, Packaging).
// The thread starts on the first compile (compile_cell.ts's warm-up when a cell file is shown) and does not keep
// the process alive while idle.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TransformOptions } from 'esbuild-wasm';
import type { TransformFailure, TransformReply, TransformRequest, TranspilerWorkerData } from '../protocol/transpiler_messages';

export interface Transformed {
  code: string;
  /** esbuild's source map (JSON) from `code` back to the input. */
  map: string;
}

/** esbuild's `transform`: what compileCell calls (the bench passes native esbuild's to compare). */
export type Transform = (code: string, options: TransformOptions) => Promise<Transformed>;

/** A transform esbuild rejected; `errors` as esbuild reports them (1-based line, 0-based column). */
export class TransformError extends Error {
  constructor(message: string, readonly errors: TransformFailure[]) {
    super(message);
    this.name = 'TransformError';
  }
}

/** The thread's script and the compiler it loads. */
export interface TranspilerFiles {
  /** The worker's entry: a bundled script, or TypeScript sources loaded through tsx. */
  script: { file: string } | { source: string };
  wasmFile: string;
}

/**
 * Beside the running bundle (dist/transpiler.js, dist/esbuild.wasm: the installed extension's own folder); when
 * running from sources under tsx (unit tests, bench), the worker's TypeScript and esbuild-wasm's package.
 */
export function transpilerFiles(): TranspilerFiles {
  if (!__filename.endsWith('.ts')) {
    return { script: { file: path.join(__dirname, 'transpiler.js') }, wasmFile: path.join(__dirname, 'esbuild.wasm') };
  }
  const worker = path.join(__dirname, 'transpiler_worker.ts');
  return {
    script: { source: `require('tsx/cjs/api').register(); require(${JSON.stringify(worker)});` },
    wasmFile: createRequire(__filename).resolve('esbuild-wasm/esbuild.wasm'),
  };
}

export class CellTranspiler {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (t: Transformed) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(private readonly files: TranspilerFiles = transpilerFiles()) {}

  readonly transform: Transform = (code, options) => new Promise<Transformed>((resolve, reject) => {
    const worker = this.thread();
    const id = this.nextId++;
    this.pending.set(id, { resolve, reject });
    if (this.pending.size === 1) worker.ref();
    const request: TransformRequest = { id, code, options };
    worker.postMessage(request);
  });

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const workerData: TranspilerWorkerData = { wasmFile: this.files.wasmFile };
    const script = this.files.script;
    const worker = 'file' in script
      ? new Worker(script.file, { workerData })
      : new Worker(script.source, { eval: true, workerData });
    worker.unref();
    worker.on('message', (reply: TransformReply) => this.settle(reply));
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`the cell compiler stopped: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`the cell compiler exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: TransformReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.ok) waiting.resolve({ code: reply.code, map: reply.map });
    else waiting.reject(new TransformError(reply.message, reply.errors));
  }
}
