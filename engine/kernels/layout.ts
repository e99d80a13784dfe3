// Kernels that move data without arithmetic: transpose, broadcast, strided slice, pad, concat, gather, one-hot.
import type { TypedArray } from '../tensor/dtype';

export function transposeKernel(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) { inStrides[i] = s; s *= shape[i]; }
  if (rank === 2 && perm[0] === 1) {
    const [r, c] = shape;
    const B = 32; // cache blocking
    for (let i0 = 0; i0 < r; i0 += B) for (let j0 = 0; j0 < c; j0 += B) {
      const iMax = Math.min(i0 + B, r), jMax = Math.min(j0 + B, c);
      for (let i = i0; i < iMax; i++) for (let j = j0; j < jMax; j++) out[j * r + i] = x[i * c + j];
    }
    return;
  }
  stridedCopy(x, perm.map((p) => shape[p]), perm.map((p) => inStrides[p]), out);
}

/** Repeats x (shape `shape`) along the axes it is broadcast on, to fill out (shape `outShape`). */
export function broadcastKernel(x: TypedArray, shape: readonly number[], outShape: readonly number[], out: TypedArray): void {
  if (x.length === 1) { out.fill(x[0]); return; }
  const rank = outShape.length;
  const lead = rank - shape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { strides[i + lead] = shape[i] === 1 ? 0 : s; s *= shape[i]; }
  stridedCopy(x, outShape, strides, out);
}

/** Walks out (shape `outShape`) with an odometer, reading x at offsets that step by `strides` per output axis. */
function stridedCopy(x: TypedArray, outShape: readonly number[], strides: readonly number[], out: TypedArray): void {
  const rank = outShape.length;
  const counter = new Array<number>(rank).fill(0);
  let off = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[off];
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]++;
      off += strides[axis];
      if (counter[axis] < outShape[axis]) break;
      off -= strides[axis] * outShape[axis];
      counter[axis] = 0;
    }
  }
}

/** One-hot rows: out[i, k] = on where indices[i] = k (in range), off elsewhere. */
export function oneHotKernel(indices: ArrayLike<number>, depth: number, onValue: number, offValue: number, out: TypedArray): void {
  out.fill(offValue);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (k >= 0 && k < depth) out[i * depth + k] = onValue;
  }
}

/** Copies the box [begin, begin+size) of x (shape `shape`) into out, row-major. */
export function sliceKernel(x: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  if (rank === 0) { out[0] = x[0]; return; }
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
  const inner = size[rank - 1];
  const counter = new Array<number>(rank).fill(0);
  let o = 0;
  const total = out.length;
  while (o < total) {
    let off = begin[rank - 1];
    for (let a = 0; a < rank - 1; a++) off += (begin[a] + counter[a]) * strides[a];
    for (let j = 0; j < inner; j++) out[o + j] = x[off + j];
    o += inner;
    for (let axis = rank - 2; axis >= 0; axis--) {
      counter[axis]++;
      if (counter[axis] < size[axis]) break;
      counter[axis] = 0;
    }
  }
}

/** Writes x (shape `size`) into a zero-filled out of shape `outShape` at offset `begin` (the gradient of slice). */
export function padKernel(x: TypedArray, size: readonly number[], outShape: readonly number[], begin: readonly number[], out: TypedArray): void {
  const rank = outShape.length;
  out.fill(0);
  if (rank === 0) { out[0] = x[0]; return; }
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) { strides[i] = s; s *= outShape[i]; }
  const inner = size[rank - 1];
  const counter = new Array<number>(rank).fill(0);
  for (let i = 0; i < x.length; i += inner) {
    let off = begin[rank - 1];
    for (let a = 0; a < rank - 1; a++) off += (begin[a] + counter[a]) * strides[a];
    for (let j = 0; j < inner; j++) out[off + j] = x[i + j];
    for (let axis = rank - 2; axis >= 0; axis--) {
      counter[axis]++;
      if (counter[axis] < size[axis]) break;
      counter[axis] = 0;
    }
  }
}

/** Concatenates blocks viewed as [outer, width_k] along the middle axis. */
export function concatKernel(parts: readonly TypedArray[], widths: readonly number[], outer: number, out: TypedArray): void {
  const total = widths.reduce((a, b) => a + b, 0);
  let col = 0;
  parts.forEach((p, k) => {
    const w = widths[k];
    for (let o = 0; o < outer; o++) {
      const dst = o * total + col;
      const src = o * w;
      for (let j = 0; j < w; j++) out[dst + j] = p[src + j];
    }
    col += w;
  });
}

/** out[o, i, in] = x[o, indices[i], in] for x viewed as [outer, axisLen, inner]. */
export function gatherKernel(x: TypedArray, outer: number, axisLen: number, inner: number, indices: ArrayLike<number>, out: TypedArray): void {
  const n = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const src = (o * axisLen + indices[i]) * inner;
      const dst = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) out[dst + j] = x[src + j];
    }
  }
}

/** Adds dy[o, i, in] into out[o, indices[i], in] (the gradient of gather). */
export function scatterAddKernel(dy: TypedArray, outer: number, axisLen: number, inner: number, indices: ArrayLike<number>, out: TypedArray): void {
  out.fill(0);
  const n = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const dst = (o * axisLen + indices[i]) * inner;
      const src = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) out[dst + j] += dy[src + j];
    }
  }
}
