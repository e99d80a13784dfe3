// Softmax and log-softmax over the last axis of [rows, cols], max-shifted for stability.
import type { TypedArray } from '../tensor/dtype';

/** Largest of row[base .. base+cols), or 0 when the row is empty or all -Infinity: the shift that keeps exp finite. */
export function rowShift(x: TypedArray, base: number, cols: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) if (x[base + j] > max) max = x[base + j];
  return max === -Infinity ? 0 : max;
}

export function softmaxKernel(x: TypedArray, rows: number, cols: number, out: TypedArray, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const max = rowShift(x, base, cols);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(x[base + j] - max);
    if (log) {
      const lse = Math.log(sum);
      for (let j = 0; j < cols; j++) out[base + j] = x[base + j] - max - lse;
    } else {
      const inv = 1 / sum;
      for (let j = 0; j < cols; j++) out[base + j] = Math.exp(x[base + j] - max) * inv;
    }
  }
}
