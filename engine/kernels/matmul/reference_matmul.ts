// Plain triple-loop matmul: the pure-TypeScript path. Loop order i-p-j keeps the inner loop on contiguous
// rows of B and out when B is not transposed; the transposed-B form uses a dot product over contiguous rows.
export type FloatArray = Float32Array | Float64Array;

export function matmulPureTs(
  a: FloatArray, b: FloatArray, out: FloatArray,
  m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): void {
  // Strides for op(A)[i, p] and op(B)[p, j] without materialising any transpose.
  const aRow = transposeA ? 1 : k;
  const aCol = transposeA ? m : 1;
  if (transposeB) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        const bBase = j * k;
        for (let p = 0; p < k; p++) sum += a[i * aRow + p * aCol] * b[bBase + p];
        out[i * n + j] = sum;
      }
    }
    return;
  }
  out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const outBase = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * aRow + p * aCol];
      if (aip === 0) continue;
      const bBase = p * n;
      for (let j = 0; j < n; j++) out[outBase + j] += aip * b[bBase + j];
    }
  }
}
