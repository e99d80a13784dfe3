// Elementwise kernels: unary maps and binary ops with NumPy broadcasting.
// Fast paths for equal shapes, a scalar operand and trailing-dimension broadcast (bias rows) avoid
// per-element index arithmetic; the general case walks an odometer that only adds strides.
import type { DType, TypedArray } from '../tensor/dtype';

export type UnaryFn = (x: number) => number;
export type BinaryFn = (a: number, b: number) => number;

export function mapUnary(x: TypedArray, out: TypedArray, f: UnaryFn): void {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

/** Converts values into `out` of `dtype` the way tf.cast does: int32 truncates, bool is != 0, floats copy. */
export function castKernel(x: ArrayLike<number>, out: TypedArray, dtype: DType): void {
  if (dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = Math.trunc(x[i]);
  else if (dtype === 'bool') for (let i = 0; i < out.length; i++) out[i] = x[i] ? 1 : 0;
  else out.set(x);
}

/** Clamps each value to [lo, hi]. */
export function clipKernel(x: TypedArray, out: TypedArray, lo: number, hi: number): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
}

/** Strides of `shape` aligned to `outShape` (0 on broadcast axes). */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = i + rank - shape.length;
    strides[axis] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/** True when `small` equals the trailing dims of `big` exactly (e.g. a bias [n] against [m, n]). */
function isTrailing(small: readonly number[], big: readonly number[]): boolean {
  if (small.length > big.length) return false;
  for (let i = 1; i <= small.length; i++) if (small[small.length - i] !== big[big.length - i]) return false;
  return true;
}

export function mapBinary(
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  out: TypedArray, outShape: readonly number[],
  f: BinaryFn,
): void {
  const n = out.length;
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
    return;
  }
  if (b.length === 1 && a.length === n) {
    const bv = b[0];
    for (let i = 0; i < n; i++) out[i] = f(a[i], bv);
    return;
  }
  if (a.length === 1 && b.length === n) {
    const av = a[0];
    for (let i = 0; i < n; i++) out[i] = f(av, b[i]);
    return;
  }
  if (a.length === n && b.length > 0 && isTrailing(bShape, outShape)) {
    const m = b.length;
    for (let base = 0; base < n; base += m) for (let j = 0; j < m; j++) out[base + j] = f(a[base + j], b[j]);
    return;
  }
  if (b.length === n && a.length > 0 && isTrailing(aShape, outShape)) {
    const m = a.length;
    for (let base = 0; base < n; base += m) for (let j = 0; j < m; j++) out[base + j] = f(a[j], b[base + j]);
    return;
  }
  if (n === 0) return;
  // general broadcast: odometer over the output, innermost axis as a tight loop
  const rank = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const last = rank - 1;
  const inner = outShape[last];
  const ia = sa[last];
  const ib = sb[last];
  const counter = new Array<number>(rank).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < n; o += inner) {
    for (let j = 0, pa = offA, pb = offB; j < inner; j++, pa += ia, pb += ib) out[o + j] = f(a[pa], b[pb]);
    for (let axis = last - 1; axis >= 0; axis--) {
      counter[axis]++;
      offA += sa[axis];
      offB += sb[axis];
      if (counter[axis] < outShape[axis]) break;
      offA -= sa[axis] * outShape[axis];
      offB -= sb[axis] * outShape[axis];
      counter[axis] = 0;
    }
  }
}

/** where(cond, a, b) with all three broadcast to outShape. */
export function select(
  cond: TypedArray, cShape: readonly number[],
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  const rank = outShape.length;
  const sc = broadcastStrides(cShape, outShape);
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const counter = new Array<number>(rank).fill(0);
  let oc = 0, oa = 0, ob = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = cond[oc] ? a[oa] : b[ob];
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]++;
      oc += sc[axis]; oa += sa[axis]; ob += sb[axis];
      if (counter[axis] < outShape[axis]) break;
      oc -= sc[axis] * outShape[axis]; oa -= sa[axis] * outShape[axis]; ob -= sb[axis] * outShape[axis];
      counter[axis] = 0;
    }
  }
}
