// Softmax and log-softmax over the last axis of [rows, cols], max-shifted for stability.
import type { TypedArray } from '../tensor/dtype';

/** Largest of row[base .. base+cols), or 0 when the row is empty or all -Infinity: the shift that keeps exp finite. */
export function rowShift(x: TypedArray, base: number, cols: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) if (x[base + j] > max) max = x[base + j];
  return max === -Infinity ? 0 : max;
}

/** A row's exponentials, kept in float64 so softmax computes each once and still rounds only its result. */
let rowExps = new Float64Array(64);

export function softmaxKernel(x: TypedArray, rows: number, cols: number, out: TypedArray, log: boolean): void {
  // long rows get a scratch of their own rather than one kept for good
  if (rowExps.length < cols && cols <= 4096) rowExps = new Float64Array(cols);
  const e = rowExps.length >= cols ? rowExps : new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const max = rowShift(x, base, cols);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = Math.exp(x[base + j] - max);
      e[j] = v;
      sum += v;
    }
    if (log) {
      const lse = Math.log(sum);
      for (let j = 0; j < cols; j++) out[base + j] = x[base + j] - max - lse;
    } else {
      const inv = 1 / sum;
      for (let j = 0; j < cols; j++) out[base + j] = e[j] * inv;
    }
  }
}
