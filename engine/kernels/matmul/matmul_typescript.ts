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
  const mBlocked = m - (m % 4);
  const nBlocked = n - (n % 4);
  // 4x4 blocks of out held in 16 locals (registers) while the depth loop streams A and B.
  for (let i = 0; i < mBlocked; i += 4) {
    for (let j = 0; j < nBlocked; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      let at = i * aRowStride;
      let bt = j;
      for (let p = 0; p < k; p++) {
        const a0 = a[at], a1 = a[at + aRowStride], a2 = a[at + 2 * aRowStride], a3 = a[at + 3 * aRowStride];
        const b0 = rowsOfB[bt], b1 = rowsOfB[bt + 1], b2 = rowsOfB[bt + 2], b3 = rowsOfB[bt + 3];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
        at += aDepthStride;
        bt += n;
      }
      let o = i * n + j;
      out[o] = s00; out[o + 1] = s01; out[o + 2] = s02; out[o + 3] = s03;
      o += n;
      out[o] = s10; out[o + 1] = s11; out[o + 2] = s12; out[o + 3] = s13;
      o += n;
      out[o] = s20; out[o + 1] = s21; out[o + 2] = s22; out[o + 3] = s23;
      o += n;
      out[o] = s30; out[o + 1] = s31; out[o + 2] = s32; out[o + 3] = s33;
    }
  }
  // Edges: the last m % 4 rows (all columns) and the last n % 4 columns of the blocked rows.
  for (let i = 0; i < m; i++) {
    for (let j = i < mBlocked ? nBlocked : 0; j < n; j++) {
      let sum = 0;
      let at = i * aRowStride;
      let bt = j;
      for (let p = 0; p < k; p++) {
        sum += a[at] * rowsOfB[bt];
        at += aDepthStride;
        bt += n;
      }
      out[i * n + j] = sum;
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
