// The Adam update over all of a step's variables in one kernel call: float32 runs in WebAssembly SIMD (four
// weights per instruction, including the square root and the division that bound the scalar loop), with every
// variable laid end to end in one linear memory; float64, and runtimes without WASM SIMD, run the plain loop.
//   m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  w -= lrT · m / (√v + ε)
import type { FloatArray } from '../../tensor/dtype';
import { adamF32WasmBase64 } from './wasm/adam_wasm_bytes.generated';

/** One variable's share of an Adam step: its weights, gradient and moments, all updated in place but g. */
export interface AdamOperands {
  weights: FloatArray;
  gradient: FloatArray;
  m: FloatArray;
  v: FloatArray;
  /** Where the old weights are read when not from `weights` (the optimizer's copy on write); the new ones go to `weights`. */
  before?: FloatArray;
}

interface AdamExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  adam(w: number, g: number, m: number, v: number, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
}

/** Below this many weights in a step the copies into WASM memory cost more than the SIMD loop saves. */
const WASM_MIN_WEIGHTS = 1024;
const WASM_PAGE_BYTES = 65536;

function loadKernel(): AdamExports | null {
  if (typeof WebAssembly !== 'object' || !adamF32WasmBase64) return null;
  try {
    const binary = atob(adamF32WasmBase64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (!WebAssembly.validate(bytes)) return null;
    const abort = () => { throw new Error('Adam WASM kernel aborted'); };
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort } }).exports as unknown as AdamExports;
  } catch {
    return null;
  }
}

const kernel = loadKernel();

/** Which path float32 Adam steps take in this runtime. */
export function adamFloat32Path(): 'wasm-simd' | 'typescript' {
  return kernel === null ? 'typescript' : 'wasm-simd';
}

/**
 * Applies one Adam step to every variable of `operands` (lrT: the bias-corrected step size). `useWasm: false`
 * forces the plain loop (tests compare the two).
 */
export function adamUpdate(operands: readonly AdamOperands[], lrT: number, beta1: number, beta2: number, epsilon: number,
  useWasm = true): void {
  let total = 0;
  let float32 = true;
  for (const o of operands) {
    total += o.weights.length;
    float32 &&= o.weights instanceof Float32Array && o.gradient instanceof Float32Array && o.m instanceof Float32Array && o.v instanceof Float32Array;
  }
  if (useWasm && kernel !== null && float32 && total >= WASM_MIN_WEIGHTS) {
    adamWasm(kernel, operands, total, lrT, beta1, beta2, epsilon);
    return;
  }
  for (const o of operands) adamLoop(o.before ?? o.weights, o.weights, o.gradient, o.m, o.v, lrT, beta1, beta2, epsilon);
}

/** The plain loop: reads the old weights from `wIn`, writes the new ones to `wOut` (the same array or not). */
export function adamLoop(wIn: FloatArray, wOut: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  lrT: number, b1: number, b2: number, eps: number): void {
  const n = wOut.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    wOut[i] = wIn[i] - lrT * mi / (Math.sqrt(vi) + eps);
  }
}

/** Memory as [w | g | m | v], each region holding every variable end to end (16-byte aligned). */
function adamWasm(k: AdamExports, operands: readonly AdamOperands[], total: number,
  lrT: number, beta1: number, beta2: number, epsilon: number): void {
  const stride = Math.ceil(total / 4) * 4;
  const base = Math.ceil(k.heapBase() / 16) * 4;
  const needBytes = (base + 4 * stride) * 4;
  if (k.memory.buffer.byteLength < needBytes) k.memory.grow(Math.ceil((needBytes - k.memory.buffer.byteLength) / WASM_PAGE_BYTES));
  const floats = new Float32Array(k.memory.buffer);
  const [wAt, gAt, mAt, vAt] = [base, base + stride, base + 2 * stride, base + 3 * stride];
  let at = 0;
  for (const o of operands) {
    floats.set(o.before ?? o.weights, wAt + at);
    floats.set(o.gradient, gAt + at);
    floats.set(o.m, mAt + at);
    floats.set(o.v, vAt + at);
    at += o.weights.length;
  }
  k.adam(wAt * 4, gAt * 4, mAt * 4, vAt * 4, total, lrT, beta1, beta2, epsilon);
  at = 0;
  for (const o of operands) {
    const n = o.weights.length;
    o.weights.set(floats.subarray(wAt + at, wAt + at + n));
    o.m.set(floats.subarray(mAt + at, mAt + at + n));
    o.v.set(floats.subarray(vAt + at, vAt + at + n));
    at += n;
  }
}
