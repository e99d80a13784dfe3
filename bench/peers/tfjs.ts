// TensorFlow.js as a bench peer: one tfjs-core engine with both the WASM and the plain-JS (cpu) backend
// registered. The WASM binaries are loaded from the package's own dist folder in node_modules.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type TfjsBackend = 'wasm' | 'cpu';

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

/** Switches tfjs to `backend` (initialising it on first use) and returns the tfjs-core namespace. */
export async function useTfjsBackend(backend: TfjsBackend): Promise<typeof tf> {
  if (backend === 'wasm' && !wasmPathsSet) {
    const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(distDir + path.sep);
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend '${backend}' failed to initialise`);
  await tf.ready();
  return tf;
}

/** Peer column names used in the bench table. */
export const TFJS_PEER_NAME: Record<TfjsBackend, string> = { wasm: 'TF.js WASM', cpu: 'TF.js CPU' };

/** Versions shown in docs/PERFORMANCE.md. */
export function tfjsVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  return versions;
}
