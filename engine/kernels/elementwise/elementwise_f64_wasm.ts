// Loader for the float64 elementwise WebAssembly SIMD kernels (wasm/elementwise_f64.as.ts, compiled by
// scripts/build_wasm.mjs and embedded as base64; 1.7 KB, so it compiles synchronously even on a browser's main
// thread). One private linear memory that only grows: each call copies its operands in, the kernel works in
// place, and the result is copied out. A call returns false (having done nothing) where the runtime lacks WASM
// SIMD, the path is switched off, or the memory cannot grow: the caller then runs its TypeScript loop.
import { elementwiseF64WasmBase64 } from './wasm/elementwise_wasm_bytes.generated';

interface ElementwiseExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  tanh(x: number, n: number): void;
  tanhGrad(dy: number, y: number, n: number): void;
}

const WASM_PAGE_BYTES = 65536;

function loadKernels(): ElementwiseExports | null {
  if (typeof WebAssembly !== 'object' || !elementwiseF64WasmBase64) return null;
  try {
    const binary = atob(elementwiseF64WasmBase64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (!WebAssembly.validate(bytes)) return null;
    const abort = () => { throw new Error('float64 elementwise WASM kernel aborted'); };
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort } }).exports as unknown as ElementwiseExports;
  } catch {
    return null;
  }
}

const kernels = loadKernels();
/** Whether float64 elementwise kernels may use WASM (benchmarks and tests turn it off to time or check the loops). */
let enabled = true;
/** Byte address of the first free 16-byte-aligned byte after the module's static data. */
const firstFreeByte = kernels === null ? 0 : Math.ceil(kernels.heapBase() / 16) * 16;

/** Routes float64 elementwise kernels to WASM SIMD (default, where the runtime has it) or to their TypeScript loops. */
export function setFloat64ElementwisePath(path: 'wasm-simd' | 'typescript'): void {
  enabled = path === 'wasm-simd';
}

/** Which path float64 elementwise kernels take (for the bench and diagnostics). */
export function elementwiseFloat64Path(): 'wasm-simd' | 'typescript' {
  return kernels === null || !enabled ? 'typescript' : 'wasm-simd';
}

/** Byte addresses of `regions` arrays of `length` doubles laid end to end (16-byte aligned), or null if memory cannot grow. */
function layout(k: ElementwiseExports, regions: number, length: number): number[] | null {
  const stride = Math.ceil(length / 2) * 16;
  const need = firstFreeByte + regions * stride;
  const have = k.memory.buffer.byteLength;
  if (have < need) {
    try {
      k.memory.grow(Math.ceil((need - have) / WASM_PAGE_BYTES));
    } catch {
      return null;
    }
  }
  return Array.from({ length: regions }, (_, i) => firstFreeByte + i * stride);
}

/** out[i] = tanh(x[i]) in WASM SIMD; false when that path is unavailable (nothing written). */
export function tanhF64Wasm(x: Float64Array, out: Float64Array): boolean {
  if (kernels === null || !enabled) return false;
  const n = x.length;
  const at = layout(kernels, 1, n);
  if (at === null) return false;
  const memory = new Float64Array(kernels.memory.buffer, at[0], n);
  memory.set(x);
  kernels.tanh(at[0], n);
  out.set(memory);
  return true;
}

/** out[i] = dy[i] · (1 - y[i]²) in WASM SIMD; false when that path is unavailable (nothing written). */
export function tanhGradF64Wasm(dy: Float64Array, y: Float64Array, out: Float64Array): boolean {
  if (kernels === null || !enabled) return false;
  const n = dy.length;
  const at = layout(kernels, 2, n);
  if (at === null) return false;
  const buffer = kernels.memory.buffer;
  const dyMemory = new Float64Array(buffer, at[0], n);
  dyMemory.set(dy);
  new Float64Array(buffer, at[1], n).set(y);
  kernels.tanhGrad(at[0], at[1], n);
  out.set(dyMemory);
  return true;
}
