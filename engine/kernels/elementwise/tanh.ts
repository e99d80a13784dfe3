// tanh and its gradient from the output, elementwise. float64 arrays of at least WASM_MIN_LENGTH values run in
// the WASM SIMD kernel (two values per instruction, ~2x the Math.tanh loop, within 2 ulp of Math.tanh and
// closer than it to the exact value); smaller arrays, float32 and runtimes without WASM SIMD run the loop.
// A given size always takes the same path, so a gradient check's reruns see one tanh.
import type { FloatArray, TypedArray } from '../../tensor/dtype';
import { tanhF64Wasm, tanhGradF64Wasm } from './elementwise_f64_wasm';

/** Below this many values the call and the copies in and out of WASM memory cost more than the SIMD pass saves. */
export const WASM_MIN_LENGTH = 256;

/** out[i] = tanh(x[i]) (float32 outputs round as they store). */
export function tanhKernel(x: TypedArray, out: TypedArray): void {
  if (x.length >= WASM_MIN_LENGTH && x instanceof Float64Array && out instanceof Float64Array && tanhF64Wasm(x, out)) return;
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(x[i]);
}

/** out[i] = dy[i] · (1 - y[i]²), tanh's gradient from its output y (same rounding on both paths). */
export function tanhGradKernel(dy: FloatArray, y: FloatArray, out: FloatArray): void {
  const n = out.length;
  if (n >= WASM_MIN_LENGTH && dy instanceof Float64Array && y instanceof Float64Array && out instanceof Float64Array && tanhGradF64Wasm(dy, y, out)) return;
  // 1 - y² cancels near |y| = 1, so its rounding shows: in float32 round as TF's float32 TanhGrad does
  if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = dy[i] * Math.fround(1 - Math.fround(y[i] * y[i]));
  else for (let i = 0; i < n; i++) out[i] = dy[i] * (1 - y[i] * y[i]);
}
