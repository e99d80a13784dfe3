// Public matmul kernel: out[m×n] = op(A)·op(B). A is row-major [m,k] ([k,m] when transposeA), B is [k,n]
// ([n,k] when transposeB). `out` is overwritten. All three arrays share one dtype. Synchronous.
import { matmulPureTs, type FloatArray } from './reference_matmul';

export function matmul(
  a: FloatArray, b: FloatArray, out: FloatArray,
  m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): void {
  matmulPureTs(a, b, out, m, k, n, transposeA, transposeB);
}
