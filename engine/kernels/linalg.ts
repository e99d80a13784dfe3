// Dense linear algebra on a batch of n×n matrices stored row-major one after another: LU with partial
// pivoting, and from it determinants, inverses and solves. Plain loops; the matrices here are small.
import type { FloatArray } from '../tensor/dtype';

export interface LU {
  /** L (unit lower, below the diagonal) and U (on and above it), packed in one n×n array. */
  lu: Float64Array;
  /** Row i of the factored matrix is row pivot[i] of the original. */
  pivot: Int32Array;
  /** +1 or -1: the sign of the row permutation. */
  sign: number;
  /** False when a pivot is exactly zero (the matrix is singular). */
  invertible: boolean;
}

export function luDecompose(a: ArrayLike<number>, offset: number, n: number): LU {
  const lu = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) lu[i] = a[offset + i];
  const pivot = new Int32Array(n);
  for (let i = 0; i < n; i++) pivot[i] = i;
  let sign = 1;
  let invertible = true;
  for (let k = 0; k < n; k++) {
    let best = k;
    for (let r = k + 1; r < n; r++) if (Math.abs(lu[r * n + k]) > Math.abs(lu[best * n + k])) best = r;
    if (best !== k) {
      for (let c = 0; c < n; c++) { const t = lu[k * n + c]; lu[k * n + c] = lu[best * n + c]; lu[best * n + c] = t; }
      const p = pivot[k]; pivot[k] = pivot[best]; pivot[best] = p;
      sign = -sign;
    }
    const d = lu[k * n + k];
    if (d === 0) { invertible = false; continue; }
    for (let r = k + 1; r < n; r++) {
      const f = (lu[r * n + k] /= d);
      if (f !== 0) for (let c = k + 1; c < n; c++) lu[r * n + c] -= f * lu[k * n + c];
    }
  }
  return { lu, pivot, sign, invertible };
}

export function determinantOf(f: LU, n: number): number {
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i];
  return d;
}

/** Solves A X = B for one n×k right-hand side block, writing X into out at outOffset. */
export function luSolve(f: LU, n: number, b: ArrayLike<number>, bOffset: number, k: number, out: FloatArray, outOffset: number): void {
  const { lu, pivot } = f;
  const y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) y[i * k + c] = b[bOffset + pivot[i] * k + c];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const l = lu[i * n + j];
      if (l !== 0) for (let c = 0; c < k; c++) y[i * k + c] -= l * y[j * k + c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const u = lu[i * n + j];
      if (u !== 0) for (let c = 0; c < k; c++) y[i * k + c] -= u * y[j * k + c];
    }
    const d = lu[i * n + i];
    for (let c = 0; c < k; c++) y[i * k + c] /= d;
  }
  for (let i = 0; i < n * k; i++) out[outOffset + i] = y[i];
}
