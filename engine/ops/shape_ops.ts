// Shape ops: reshape, transpose, concat, stack, split, expandDims, squeeze, slice, gather, broadcastTo.
// Their gradients move the gradient back into the input's layout.
import { allocate } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { broadcastShapes, formatShape, normalizeAxis, shapesEqual, sizeOf } from '../shape/shape';
import { broadcastKernel, concatKernel, gatherKernel, padKernel, scatterAddKernel, sliceKernel, transposeKernel } from '../kernels/layout';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { toTensor } from './op_inputs';
import { sumToShape } from './arithmetic';

const RESHAPE_GRAD: GradFn = (dy, _needs, [t]) => [reshape(dy, t.shape)];
const TRANSPOSE_GRAD: GradFn<{ perm: number[] }> = (dy, _needs, _inputs, _out, { perm }) => {
  const inverse = new Array<number>(perm.length);
  perm.forEach((axis, i) => { inverse[axis] = i; });
  return [transpose(dy, inverse)];
};
const CONCAT_GRAD: GradFn<{ axis: number }> = (dy, needs, inputs, _out, { axis }) => {
  let start = 0;
  return inputs.map((t, i) => {
    const begin = new Array<number>(t.rank).fill(0);
    begin[axis] = start;
    start += t.shape[axis];
    return needs[i] ? slice(dy, begin, t.shape) : null;
  });
};
const SLICE_GRAD: GradFn<{ begin: number[] }> = (dy, _needs, [t], _out, { begin }) => [padInto(dy, begin, t.shape)];
const PAD_GRAD: GradFn<{ begin: number[] }> = (dy, _needs, [x], _out, { begin }) => [slice(dy, begin, x.shape)];
/** `indices` are the checked index values; they reach the gradient but not the trace (not JSON numbers). */
interface IndexAttrs { axis: number; indices: Int32Array }
const GATHER_GRAD: GradFn<IndexAttrs> = (dy, _needs, [t], _out, { axis, indices }) => [scatterAdd(dy, indices, t.shape, axis)];
const SCATTER_ADD_GRAD: GradFn<IndexAttrs> = (ddy, _needs, [dy], _out, { axis, indices }) => [reshape(gather(ddy, indices, axis), dy.shape)];
const BROADCAST_TO_GRAD: GradFn = (dy, _needs, [t]) => [sumToShape(dy, t.shape)];

/**
 * The same values in a new shape (tf.reshape); one entry may be -1 to infer it.
 * @throws Error naming both shapes when the sizes differ.
 * @example
 * ```ts
 * tf.reshape([1, 2, 3, 4, 5, 6], [2, -1]) // → [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('reshape', x);
  const target = [...shape];
  const unknown = target.indexOf(-1);
  if (target.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== unknown))) {
    throw new Error(`reshape: invalid shape ${formatShape(shape)} (at most one -1, others non-negative integers)`);
  }
  if (unknown >= 0) {
    const known = sizeOf(target.filter((_, i) => i !== unknown));
    if (known === 0 || t.size % known !== 0) {
      throw new Error(`reshape: cannot reshape a tensor of ${t.size} elements (shape ${formatShape(t.shape)}) into shape ${formatShape(shape)}`);
    }
    target[unknown] = t.size / known;
  }
  if (sizeOf(target) !== t.size) {
    throw new Error(`reshape: cannot reshape a tensor of ${t.size} elements (shape ${formatShape(t.shape)}) into shape ${formatShape(shape)}`);
  }
  if (shapesEqual(target, t.shape)) return t;
  // storage is shared: tensors are immutable
  return runOp('Reshape', [t], () => new Tensor(t.dataSync(), target, t.dtype), RESHAPE_GRAD, { shape: target });
}

/**
 * Permutes the axes (tf.transpose): output axis i is input axis perm[i]; default reverses them.
 * @throws Error when perm is not a permutation of the axes.
 * @example
 * ```ts
 * tf.transpose([[1, 2, 3]]) // → [[1], [2], [3]]
 * tf.transpose(tf.zeros([2, 3, 4]), [1, 0, 2]).shape // → [3, 2, 4]
 * ```
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor('transpose', x);
  const p = perm ? [...perm] : t.shape.map((_, i) => t.rank - 1 - i);
  if (p.length !== t.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new Error(`transpose: perm ${formatShape(p)} is not a permutation of the ${t.rank} axes of a tensor of shape ${formatShape(t.shape)}`);
  }
  return runOp('Transpose', [t], () => {
    const out = allocate(t.dtype, t.size);
    transposeKernel(t.dataSync(), t.shape, p, out);
    return new Tensor(out, p.map((a) => t.shape[a]), t.dtype);
  }, TRANSPOSE_GRAD, { perm: p });
}

/**
 * Joins tensors along an existing axis (tf.concat; default axis 0 here, TF requires it); the other axes must match.
 * @throws Error naming the shapes when they differ outside `axis`, or for an empty list.
 * @example
 * ```ts
 * tf.concat([[[1, 2]], [[3, 4]]], 0) // → [[1, 2], [3, 4]]
 * tf.concat([[[1, 2]], [[3, 4]]], 1) // → [[1, 2, 3, 4]]
 * ```
 */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('concat: expected a non-empty array of tensors');
  const ts = tensors.map((x) => toTensor('concat', x));
  const rank = ts[0].rank;
  if (rank === 0) throw new Error('concat: cannot concatenate scalars (use stack)');
  const a = normalizeAxis('concat', axis, rank);
  for (const t of ts) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== a && d !== ts[0].shape[i])) {
      throw new Error(`concat: shapes ${ts.map((s) => formatShape(s.shape)).join(', ')} differ outside axis ${a}`);
    }
    if (t.dtype !== ts[0].dtype) throw new Error(`concat: dtype mismatch: ${ts.map((s) => s.dtype).join(', ')}`);
  }
  const outShape = ts[0].shape.slice();
  outShape[a] = ts.reduce((s, t) => s + t.shape[a], 0);
  const outer = sizeOf(outShape.slice(0, a));
  return runOp('ConcatV2', ts, () => {
    const out = allocate(ts[0].dtype, sizeOf(outShape));
    concatKernel(ts.map((t) => t.dataSync()), ts.map((t) => sizeOf(t.shape.slice(a))), outer, out);
    return new Tensor(out, outShape, ts[0].dtype);
  }, CONCAT_GRAD, { axis: a });
}

/**
 * Inserts an axis of size 1 at `axis` (tf.expand_dims → tf.expandDims; default 0; negative counts from the end).
 * @throws Error when the axis is out of range.
 * @example
 * ```ts
 * tf.expandDims([1, 2], 1).shape // → [2, 1]
 * ```
 */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor('expandDims', x);
  const a = normalizeAxis('expandDims', axis, t.rank + 1);
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/**
 * Removes axes of size 1 (tf.squeeze): all of them, or those in `axis`.
 * @throws Error when a given axis does not have size 1.
 * @example
 * ```ts
 * tf.squeeze(tf.zeros([1, 3, 1])).shape // → [3]
 * ```
 */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor('squeeze', x);
  const axes = axis === undefined ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
    : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis('squeeze', a, t.rank));
  for (const a of axes) {
    if (t.shape[a] !== 1) throw new Error(`squeeze: cannot squeeze axis ${a} of size ${t.shape[a]} (shape ${formatShape(t.shape)})`);
  }
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/**
 * Stacks same-shaped tensors along a new axis (tf.stack; default 0).
 * @throws Error naming the shapes when they differ, or for an empty list.
 * @example
 * ```ts
 * tf.stack([[1, 2], [3, 4]], 1) // → [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error('stack: expected a non-empty array of tensors');
  const ts = tensors.map((x) => toTensor('stack', x));
  for (const t of ts) {
    if (!shapesEqual(t.shape, ts[0].shape)) throw new Error(`stack: all shapes must match, got ${ts.map((s) => formatShape(s.shape)).join(', ')}`);
  }
  const a = normalizeAxis('stack', axis, ts[0].rank + 1);
  return concat(ts.map((t) => expandDims(t, a)), a);
}

/**
 * Splits a tensor into the slices along `axis`, dropping it (tf.unstack; default 0).
 * @throws Error when the axis is out of range.
 * @example
 * ```ts
 * tf.unstack([[1, 2], [3, 4]]).map((t) => t.numpy()) // → [[1, 2], [3, 4]]
 * ```
 */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor('unstack', x);
  const a = normalizeAxis('unstack', axis, t.rank);
  const size = t.shape.slice();
  size[a] = 1;
  const rest = t.shape.filter((_, i) => i !== a);
  return Array.from({ length: t.shape[a] }, (_, i) => {
    const begin = new Array<number>(t.rank).fill(0);
    begin[a] = i;
    return reshape(slice(t, begin, size), rest);
  });
}

/**
 * Splits along `axis` (tf.split): into `numOrSizeSplits` equal parts, or parts of the given sizes (one may be -1).
 * @throws Error when the axis does not divide evenly or the sizes do not add up.
 * @example
 * ```ts
 * tf.split([1, 2, 3, 4, 5, 6], 3).map((t) => t.numpy()) // → [[1, 2], [3, 4], [5, 6]]
 * tf.split([1, 2, 3, 4, 5, 6], [1, -1]).map((t) => t.size) // → [1, 5]
 * ```
 */
export function split(x: TensorLike, numOrSizeSplits: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor('split', x);
  const a = normalizeAxis('split', axis, t.rank);
  const dim = t.shape[a];
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits <= 0 || dim % numOrSizeSplits !== 0) {
      throw new Error(`split: cannot split axis ${a} of size ${dim} into ${numOrSizeSplits} equal parts`);
    }
    sizes = new Array(numOrSizeSplits).fill(dim / numOrSizeSplits);
  } else {
    sizes = [...numOrSizeSplits];
    const free = sizes.indexOf(-1);
    if (free >= 0) sizes[free] = dim - sizes.reduce((s, v, i) => (i === free ? s : s + v), 0);
    if (sizes.reduce((s, v) => s + v, 0) !== dim || sizes.some((v) => v < 0)) {
      throw new Error(`split: sizes ${formatShape(numOrSizeSplits)} do not add up to ${dim}, the size of axis ${a}`);
    }
  }
  let start = 0;
  return sizes.map((n) => {
    const begin = new Array<number>(t.rank).fill(0);
    begin[a] = start;
    start += n;
    const size = t.shape.slice();
    size[a] = n;
    return slice(t, begin, size);
  });
}

/** Parses a Python-like slice spec ('1:3, :, 0', '..., -1') into begin/size and the axes to drop. */
function parseSliceSpec(spec: string, shape: readonly number[]): { begin: number[]; size: number[]; drop: number[] } {
  const parts = spec.split(',').map((p) => p.trim());
  const ellipsis = parts.indexOf('...');
  if (parts.filter((p) => p === '...').length > 1) throw new Error(`slice: '${spec}' has more than one '...'`);
  const explicit = parts.length - (ellipsis >= 0 ? 1 : 0);
  if (explicit > shape.length) throw new Error(`slice: '${spec}' indexes ${explicit} axes but the tensor has shape ${formatShape(shape)}`);
  const expanded: string[] = [];
  parts.forEach((p, i) => {
    if (i === ellipsis) for (let k = 0; k < shape.length - explicit; k++) expanded.push(':');
    else expanded.push(p);
  });
  while (expanded.length < shape.length) expanded.push(':');
  const begin: number[] = [];
  const size: number[] = [];
  const drop: number[] = [];
  const toIndex = (text: string, dim: number, axis: number, clamp: boolean): number => {
    if (!/^-?\d+$/.test(text)) throw new Error(`slice: '${text}' in '${spec}' is not an integer`);
    let v = Number(text);
    if (v < 0) v += dim;
    if (clamp) return Math.min(Math.max(v, 0), dim);
    if (v < 0 || v >= dim) throw new Error(`slice: index ${text} is out of range for axis ${axis} of size ${dim} (shape ${formatShape(shape)})`);
    return v;
  };
  expanded.forEach((p, axis) => {
    const dim = shape[axis];
    if (p.includes(':')) {
      const pieces = p.split(':');
      if (pieces.length > 3) throw new Error(`slice: '${p}' in '${spec}' is not a slice`);
      if (pieces.length === 3 && pieces[2] !== '' && pieces[2] !== '1') throw new Error(`slice: steps other than 1 are not supported ('${p}' in '${spec}')`);
      const start = pieces[0] === '' ? 0 : toIndex(pieces[0], dim, axis, true);
      const stop = pieces[1] === '' ? dim : toIndex(pieces[1], dim, axis, true);
      begin.push(start);
      size.push(Math.max(0, stop - start));
    } else {
      begin.push(toIndex(p, dim, axis, false));
      size.push(1);
      drop.push(axis);
    }
  });
  return { begin, size, drop };
}

/**
 * A slice of x (tf.slice): `slice(x, begin, size)` takes size[i] elements from begin[i] (size -1 means to the end), or `slice(x, '1:3, :, 0')` slices like Python's x[1:3, :, 0] (an integer index drops its axis).
 * @throws Error when the slice goes past the tensor's shape or the spec is malformed.
 * @example
 * ```ts
 * const x = tf.constant([[1, 2, 3], [4, 5, 6]]);
 * tf.slice(x, [0, 1], [2, 2]) // → [[2, 3], [5, 6]]
 * tf.slice(x, '1, :2') // → [4, 5]
 * ```
 */
export function slice(x: TensorLike, beginOrSpec: readonly number[] | number | string, size?: readonly number[] | number): Tensor {
  const t = toTensor('slice', x);
  if (typeof beginOrSpec === 'string') {
    const { begin, size: sz, drop } = parseSliceSpec(beginOrSpec, t.shape);
    const s = slice(t, begin, sz);
    return drop.length ? reshape(s, sz.filter((_, i) => !drop.includes(i))) : s;
  }
  const begin = typeof beginOrSpec === 'number' ? [beginOrSpec, ...new Array(Math.max(t.rank - 1, 0)).fill(0)] : [...beginOrSpec];
  while (begin.length < t.rank) begin.push(0);
  const sz = size === undefined ? t.shape.map((d, i) => d - begin[i])
    : typeof size === 'number' ? [size, ...t.shape.slice(1).map((d, i) => d - begin[i + 1])] : [...size];
  while (sz.length < t.rank) sz.push(t.shape[sz.length] - begin[sz.length]);
  if (begin.length !== t.rank || sz.length !== t.rank) {
    throw new Error(`slice: begin ${formatShape(begin)} and size ${formatShape(sz)} must have one entry per axis of shape ${formatShape(t.shape)}`);
  }
  for (let i = 0; i < t.rank; i++) {
    if (sz[i] === -1) sz[i] = t.shape[i] - begin[i];
    if (!Number.isInteger(begin[i]) || !Number.isInteger(sz[i]) || begin[i] < 0 || sz[i] < 0 || begin[i] + sz[i] > t.shape[i]) {
      throw new Error(`slice: begin ${formatShape(begin)} with size ${formatShape(sz)} is out of bounds for shape ${formatShape(t.shape)}`);
    }
  }
  if (shapesEqual(sz, t.shape)) return t;
  return runOp('Slice', [t], () => {
    const out = allocate(t.dtype, sizeOf(sz));
    sliceKernel(t.dataSync(), t.shape, begin, sz, out);
    return new Tensor(out, sz, t.dtype);
  }, SLICE_GRAD, { begin, size: sz });
}

/** Places x at `begin` inside zeros of `shape` (slice's gradient; its own gradient is a slice). */
export function padInto(x: Tensor, begin: readonly number[], shape: readonly number[]): Tensor {
  return runOp('Pad', [x], () => {
    const out = allocate(x.dtype, sizeOf(shape));
    padKernel(x.dataSync(), x.shape, shape, begin, out);
    return new Tensor(out, [...shape], x.dtype);
  }, PAD_GRAD, { begin: [...begin] });
}

function indexList(op: string, indices: TensorLike, axisLen: number): { values: Int32Array; shape: number[] } {
  const t = toTensor(op, indices, 'int32');
  const src = t.dataSync();
  const values = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (!Number.isInteger(v) || v < 0 || v >= axisLen) throw new Error(`${op}: index ${v} is out of range [0, ${axisLen})`);
    values[i] = v;
  }
  return { values, shape: t.shape.slice() };
}

/**
 * Slices of x along `axis` picked by integer indices (tf.gather): out.shape = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]; the gradient scatters back, summing repeats.
 * @throws Error for an index out of range or non-integer indices.
 * @example
 * ```ts
 * tf.gather([[1, 2], [3, 4], [5, 6]], [2, 0]) // → [[5, 6], [1, 2]]
 * ```
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = toTensor('gather', x);
  const a = normalizeAxis('gather', axis, t.rank);
  const { values: idx, shape: idxShape } = indexList('gather', indices, t.shape[a]);
  const outer = sizeOf(t.shape.slice(0, a));
  const inner = sizeOf(t.shape.slice(a + 1));
  const outShape = [...t.shape.slice(0, a), ...idxShape, ...t.shape.slice(a + 1)];
  return runOp('GatherV2', [t], () => {
    const out = allocate(t.dtype, sizeOf(outShape));
    gatherKernel(t.dataSync(), outer, t.shape[a], inner, idx, out);
    return new Tensor(out, outShape, t.dtype);
  }, GATHER_GRAD, { axis: a, indices: idx });
}

/** Gather's gradient: sums dy into the gathered rows of zeros(shape). Its own gradient is a gather. */
function scatterAdd(dy: Tensor, idx: Int32Array, shape: readonly number[], axis: number): Tensor {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  return runOp('UnsortedSegmentSum', [dy], () => {
    const out = allocate(dy.dtype, sizeOf(shape));
    scatterAddKernel(dy.dataSync(), outer, shape[axis], inner, idx, out);
    return new Tensor(out, [...shape], dy.dtype);
  }, SCATTER_ADD_GRAD, { axis, indices: idx });
}

/**
 * Repeats x to `shape` by NumPy broadcasting (tf.broadcast_to → tf.broadcastTo); the gradient sums back.
 * @throws Error naming both shapes when x does not broadcast to it.
 * @example
 * ```ts
 * tf.broadcastTo([1, 2], [2, 2]) // → [[1, 2], [1, 2]]
 * ```
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('broadcastTo', x);
  const target = broadcastShapes('broadcastTo', t.shape, shape);
  if (!shapesEqual(target, shape)) throw new Error(`broadcastTo: cannot broadcast shape ${formatShape(t.shape)} to ${formatShape(shape)}`);
  if (shapesEqual(t.shape, shape)) return t;
  return runOp('BroadcastTo', [t], () => {
    const out = allocate(t.dtype, sizeOf(shape));
    broadcastKernel(t.dataSync(), t.shape, shape, out);
    return new Tensor(out, [...shape], t.dtype);
  }, BROADCAST_TO_GRAD, { shape: [...shape] });
}

/**
 * Repeats x reps[i] times along each axis i (tf.tile).
 * @throws Error when reps does not have one entry per axis.
 * @example
 * ```ts
 * tf.tile([[1, 2]], [2, 2]) // → [[1, 2, 1, 2], [1, 2, 1, 2]]
 * ```
 */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor('tile', x);
  if (reps.length !== t.rank) throw new Error(`tile: reps ${formatShape(reps)} must have one entry per axis of shape ${formatShape(t.shape)}`);
  let out = t;
  reps.forEach((r, axis) => {
    if (r !== 1) out = concat(new Array(r).fill(out), axis);
  });
  return out;
}
