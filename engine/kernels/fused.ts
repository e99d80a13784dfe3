// Fused kernels for the training hot path: bias-add + activation in one pass, the activation's backward step
// from its output, and softmax cross-entropy from logits. One loop per activation kind, no per-element closures;
// float32 linear/ReLU passes and column sums of more than a few thousand values run in the WASM SIMD kernels.
import type { FloatArray } from '../tensor/dtype';
import { cachedRowExponentials, rowShift } from './softmax';
import { float32Kernels } from './conv/conv_wasm';
import { tanhGradKernel, tanhKernel } from './elementwise/tanh';

/** Below this many values the copies in and out of WASM memory cost more than the SIMD pass saves. */
const WASM_MIN_LENGTH = 4096;

/** Activations whose derivative can be written from their output alone (so the backward pass needs no input). */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** out[r, c] = act(x[r, c] + bias[c]) over `rows` rows of `cols` values. */
export function biasActivationKernel(x: FloatArray, bias: FloatArray, out: FloatArray, rows: number, cols: number, kind: FusedActivation): void {
  const wasm = (kind === 'linear' || kind === 'relu') && rows * cols >= WASM_MIN_LENGTH ? float32Kernels(x, bias, out) : null;
  if (wasm?.biasActivation(x as Float32Array, bias as Float32Array, out as Float32Array, rows, cols, kind === 'relu')) return;
  let i = 0;
  switch (kind) {
    case 'linear':
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++, i++) out[i] = x[i] + bias[c];
      return;
    case 'relu':
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++, i++) {
          const v = x[i] + bias[c];
          out[i] = v > 0 ? v : 0;
        }
      }
      return;
    case 'sigmoid':
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++, i++) {
          const v = x[i] + bias[c];
          out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
        }
      }
      return;
    case 'tanh':
      if (out instanceof Float64Array) {
        // the sums, then tanh over them in one pass (WASM SIMD for large float64 arrays)
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++, i++) out[i] = x[i] + bias[c];
        tanhKernel(out, out);
        return;
      }
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++, i++) out[i] = Math.tanh(x[i] + bias[c]);
      return;
  }
}

/** dx = dy · act'(·), written from the activation's output y. */
export function activationGradKernel(dy: FloatArray, y: FloatArray, out: FloatArray, kind: FusedActivation): void {
  const n = out.length;
  const wasm = kind === 'relu' && n >= WASM_MIN_LENGTH ? float32Kernels(dy, y, out) : null;
  if (wasm?.reluGrad(dy as Float32Array, y as Float32Array, out as Float32Array)) return;
  switch (kind) {
    case 'linear':
      out.set(dy);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = y[i] > 0 ? dy[i] : 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = dy[i] * y[i] * (1 - y[i]);
      return;
    case 'tanh':
      tanhGradKernel(dy, y, out);
      return;
  }
}

/** Sums each column of a [rows, cols] matrix (the bias gradient). */
export function columnSumKernel(x: FloatArray, out: FloatArray, rows: number, cols: number): void {
  const wasm = rows * cols >= WASM_MIN_LENGTH ? float32Kernels(x, out) : null;
  if (wasm?.columnSum(x as Float32Array, out as Float32Array, rows, cols)) return;
  out.fill(0);
  let i = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++, i++) out[c] += x[i];
}

/**
 * loss[r] = -Σ_c labels[r, c] · logSoftmax(logits[r])[c], max-shifted for stability. `immutableLogits` (tensor
 * storage) lets it share the logits' exponentials with softmax and the gradient (cachedRowExponentials).
 */
export function softmaxCrossEntropyKernel(labels: FloatArray, logits: FloatArray, loss: FloatArray, rows: number, cols: number,
  immutableLogits = false): void {
  const cached = cachedRowExponentials(logits, rows, cols, immutableLogits);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max: number;
    let sum = 0;
    if (cached !== null) {
      max = cached.shift[r];
      sum = cached.sum[r];
    } else {
      max = rowShift(logits, base, cols);
      for (let c = 0; c < cols; c++) sum += Math.exp(logits[base + c] - max);
    }
    const lse = max + Math.log(sum);
    let total = 0;
    for (let c = 0; c < cols; c++) {
      const t = labels[base + c];
      if (t !== 0) total -= t * (logits[base + c] - lse);
    }
    loss[r] = total;
  }
}

/** dLogits[r, c] = dLoss[r] · (softmax(logits[r])[c] - labels[r, c]); `immutableLogits` as for the forward kernel. */
export function softmaxCrossEntropyGradKernel(dLoss: FloatArray, labels: FloatArray, logits: FloatArray, out: FloatArray, rows: number, cols: number,
  immutableLogits = false): void {
  const cached = cachedRowExponentials(logits, rows, cols, immutableLogits);
  if (cached !== null) {
    const { exps, sum } = cached;
    // rounded to out's precision first, as the loop below does by storing each exponential in out
    const round = out instanceof Float32Array ? Math.fround : (e: number) => e;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const scale = dLoss[r] / sum[r];
      const d = dLoss[r];
      for (let c = 0; c < cols; c++) out[base + c] = round(exps[base + c]) * scale - d * labels[base + c];
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const max = rowShift(logits, base, cols);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(logits[base + c] - max);
      out[base + c] = e;
      sum += e;
    }
    const scale = dLoss[r] / sum;
    const d = dLoss[r];
    for (let c = 0; c < cols; c++) out[base + c] = out[base + c] * scale - d * labels[base + c];
  }
}
