// Pure-TypeScript matmul: the float64 path and the fallback when WebAssembly SIMD is unavailable.
// A transposed B is first copied into a reused [k, n] scratch buffer so the inner loop always runs over
// contiguous rows of B and out; four rows of out are updated per pass to reuse each loaded B value.
export type FloatArray = Float32Array | Float64Array;

const scratchByType = new Map<Function, FloatArray>();

function scratchLike(template: FloatArray, length: number): FloatArray {
  const ctor = template.constructor as Float32ArrayConstructor | Float64ArrayConstructor;
  let buffer = scratchByType.get(ctor);
  if (buffer === undefined || buffer.length < length) {
    buffer = new ctor(Math.max(length, buffer ? buffer.length * 2 : 0));
    scratchByType.set(ctor, buffer);
  }
  return buffer;
}

export function matmulTypeScript(
  a: FloatArray, b: FloatArray, out: FloatArray,
  m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): void {
  // Matrix-vector products read the matrix once, in storage order, with no scratch copy.
  if (n === 1) {
    matvec(a, b, out, transposeA ? k : m, transposeA ? m : k, !transposeA);
    return;
  }
  if (m === 1) {
    matvec(b, a, out, transposeB ? n : k, transposeB ? k : n, transposeB);
    return;
  }
  let rowsOfB = b;
  if (transposeB) {
    rowsOfB = scratchLike(b, k * n);
    for (let j = 0; j < n; j++) {
      const from = j * k;
      for (let p = 0; p < k; p++) rowsOfB[p * n + j] = b[from + p];
    }
  }
  // op(A)[i, p] = a[i * aRowStride + p * aDepthStride], whichever way A is stored.
  const aRowStride = transposeA ? 1 : k;
  const aDepthStride = transposeA ? m : 1;
  out.fill(0, 0, m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    for (let p = 0; p < k; p++) {
      const at = i * aRowStride + p * aDepthStride;
      const a0 = a[at], a1 = a[at + aRowStride], a2 = a[at + 2 * aRowStride], a3 = a[at + 3 * aRowStride];
      const bBase = p * n;
      for (let j = 0; j < n; j++) {
        const bv = rowsOfB[bBase + j];
        out[o0 + j] += a0 * bv;
        out[o1 + j] += a1 * bv;
        out[o2 + j] += a2 * bv;
        out[o3 + j] += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const o = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * aRowStride + p * aDepthStride];
      const bBase = p * n;
      for (let j = 0; j < n; j++) out[o + j] += av * rowsOfB[bBase + j];
    }
  }
}

/** y = S·x (byRows) or Sᵀ·x, with S stored row-major [rows, cols]. */
function matvec(s: FloatArray, x: FloatArray, y: FloatArray, rows: number, cols: number, byRows: boolean): void {
  if (byRows) {
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      let sum0 = 0, sum1 = 0;
      let j = 0;
      for (; j + 2 <= cols; j += 2) {
        sum0 += s[base + j] * x[j];
        sum1 += s[base + j + 1] * x[j + 1];
      }
      if (j < cols) sum0 += s[base + j] * x[j];
      y[i] = sum0 + sum1;
    }
    return;
  }
  y.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    const xi = x[i];
    for (let j = 0; j < cols; j++) y[j] += xi * s[base + j];
  }
}
