// Softmax and log-softmax over the last axis of [rows, cols], max-shifted for stability.
import type { TypedArray } from '../tensor/dtype';

/** Largest of row[base .. base+cols), or 0 when the row is empty or all -Infinity: the shift that keeps exp finite. */
export function rowShift(x: TypedArray, base: number, cols: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) if (x[base + j] > max) max = x[base + j];
  return max === -Infinity ? 0 : max;
}

/** Each row's shift (rowShift), its exponentials exp(x - shift) in float64, and their sum. */
export interface RowExponentials {
  shift: Float64Array;
  exps: Float64Array;
  sum: Float64Array;
}

/** Up to this many values the exponentials of immutable logits are kept for the next kernel on them. */
const CACHED_MAX_SIZE = 1 << 16;
const cache = new WeakMap<TypedArray, RowExponentials>();

/**
 * The row exponentials of x, summed in column order (so every kernel built on them rounds as if it had computed
 * them itself). `immutable` promises x is tensor storage that is never written again: then they are computed
 * once per x (up to 65,536 values) and shared, e.g. by softmax, softmax cross-entropy and its gradient on the
 * same logits; null when x is larger or mutable (the caller computes them row by row).
 */
export function cachedRowExponentials(x: TypedArray, rows: number, cols: number, immutable: boolean): RowExponentials | null {
  if (!immutable || rows * cols > CACHED_MAX_SIZE || x.length !== rows * cols) return null;
  let found = cache.get(x);
  if (found === undefined) {
    found = { shift: new Float64Array(rows), exps: new Float64Array(rows * cols), sum: new Float64Array(rows) };
    const { shift, exps, sum } = found;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const max = rowShift(x, base, cols);
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const e = Math.exp(x[base + c] - max);
        exps[base + c] = e;
        s += e;
      }
      shift[r] = max;
      sum[r] = s;
    }
    cache.set(x, found);
  }
  return found;
}

/** A row's exponentials, kept in float64 so softmax computes each once and still rounds only its result. */
let rowExps = new Float64Array(64);

export function softmaxKernel(x: TypedArray, rows: number, cols: number, out: TypedArray, log: boolean, immutable = false): void {
  const cached = cachedRowExponentials(x, rows, cols, immutable);
  if (cached !== null) {
    const { shift, exps, sum } = cached;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      if (log) {
        const max = shift[r];
        const lse = Math.log(sum[r]);
        for (let j = 0; j < cols; j++) out[base + j] = x[base + j] - max - lse;
      } else {
        const inv = 1 / sum[r];
        for (let j = 0; j < cols; j++) out[base + j] = exps[base + j] * inv;
      }
    }
    return;
  }
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
