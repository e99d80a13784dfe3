// Messages between the extension host and the cell compiler's thread (src/repl/transpiler_worker.ts), declared
// once. Both ends are Tapescope's own code in one bundle set; a reply names the request it answers.
import type { TransformOptions } from 'esbuild-wasm';

/** What the host hands the thread when it starts it. */
export interface TranspilerWorkerData {
  /** Absolute path of esbuild.wasm (in the installed extension: <extension>/dist/esbuild.wasm). */
  wasmFile: string;
}

export interface TransformRequest {
  id: number;
  code: string;
  options: TransformOptions;
}

/** One of esbuild's messages, as much of it as a diagnostic needs (1-based line, 0-based column). */
export interface TransformFailure {
  text: string;
  location?: { line: number; column: number };
}

export type TransformReply =
  | { id: number; ok: true; code: string; map: string }
  | { id: number; ok: false; errors: TransformFailure[]; message: string };
