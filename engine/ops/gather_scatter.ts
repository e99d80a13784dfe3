// Index-based reads and writes: gatherNd, scatterNd, tensorScatterUpdate, booleanMask. Reads are gathers on
// a flattened view (gather's gradient scatters back); writes have kernels and gradients that gather.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { allocate } from '../tensor/dtype';
import { formatShape, shapesEqual, sizeOf } from '../shape/shape';
import { scatterAddSlices, scatterSetSlices } from '../kernels/scatter';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { toTensor } from './op_inputs';
import { gather, reshape } from './shape_ops';
import { zeros } from './creation';

/** The slice index into params' first K axes for each row of indices [..., K], range-checked. */
function linearIndices(op: string, indices: Tensor, shape: readonly number[]): { linear: Int32Array; batchShape: number[]; depth: number } {
  if (indices.rank < 1) throw new Error(`${op}: indices must have rank ≥ 1, got a scalar`);
  const depth = indices.shape[indices.rank - 1];
  if (depth > shape.length) throw new Error(`${op}: indices of depth ${depth} (shape ${formatShape(indices.shape)}) address more axes than shape ${formatShape(shape)} has`);
  const src = indices.dataSync();
  const linear = new Int32Array(src.length / Math.max(depth, 1));
  for (let r = 0; r < linear.length; r++) {
    let at = 0;
    for (let k = 0; k < depth; k++) {
      const v = src[r * depth + k];
      if (!Number.isInteger(v) || v < 0 || v >= shape[k]) throw new Error(`${op}: index [${Array.from(src.slice(r * depth, (r + 1) * depth))}] is out of range for shape ${formatShape(shape)}`);
      at = at * shape[k] + v;
    }
    linear[r] = at;
  }
  return { linear, batchShape: indices.shape.slice(0, -1), depth };
}

function intIndices(op: string, indices: TensorLike): Tensor {
  const t = toTensor(op, indices, 'int32');
  if (t.dtype !== 'int32') throw new Error(`${op}: indices must be int32, got ${t.dtype}`);
  return readsIndices(t);
}

/**
 * Marks a tensor whose values an op turns into a fixed gather (index tuples, a mask): the 'IndexRead' node tells
 * tf.function that arguments reaching it must key the trace by value, so new values retrace instead of
 * replaying the old positions.
 */
export function readsIndices(t: Tensor): Tensor {
  return runOp('IndexRead', [t], () => new Tensor(t.dataSync(), t.shape.slice(), t.dtype), null);
}

/**
 * Slices of params picked by index tuples (tf.gather_nd): indices [..., K] address params' first K axes;
 * the result has shape indices.shape[:-1] + params.shape[K:].
 * @throws when an index is out of range
 * @example
 * tf.gatherNd([[1, 2], [3, 4]], [[1, 0], [0, 1]]) // → [3, 2]
 */
export function gatherNd(params: TensorLike, indices: TensorLike): Tensor {
  const p = toTensor('gatherNd', params);
  const { linear, batchShape, depth } = linearIndices('gatherNd', intIndices('gatherNd', indices), p.shape);
  const rest = p.shape.slice(depth);
  const rows = reshape(p, [sizeOf(p.shape.slice(0, depth)), ...rest]);
  return reshape(gather(rows, linear, 0), [...batchShape, ...rest]);
}

/** The index tuples of a scatter (an int32 tensor: it reaches the gradient, not the trace's attributes). */
interface ScatterAttrs { indices: Tensor }

const SCATTER_ND_GRAD: GradFn<ScatterAttrs> = (dy, _needs, _inputs, _out, { indices }) => [gatherNd(dy, indices)];
const TENSOR_SCATTER_UPDATE_GRAD: GradFn<ScatterAttrs> = (dy, needs, [, u], _out, { indices }) => [
  needs[0] ? tensorScatterUpdate(dy, indices, zeros(u.shape, dy.dtype)) : null,
  needs[1] ? gatherNd(dy, indices) : null,
];

/**
 * Scatters updates into zeros of `shape` at index tuples, adding duplicates (tf.scatter_nd).
 * @param indices int32 [..., K]; @param updates indices.shape[:-1] + shape[K:]
 * @example
 * tf.scatterNd([[1], [3]], [9, 10], [5]) // → [0, 9, 0, 10, 0]
 */
export function scatterNd(indices: TensorLike, updates: TensorLike, shape: readonly number[]): Tensor {
  const idx = intIndices('scatterNd', indices);
  const u = toTensor('scatterNd', updates);
  const { linear, batchShape, depth } = linearIndices('scatterNd', idx, shape);
  checkUpdates('scatterNd', u, batchShape, shape.slice(depth));
  const sliceSize = sizeOf(shape.slice(depth));
  return runOp('ScatterNd', [u], () => {
    const out = allocate(u.dtype, sizeOf(shape));
    scatterAddSlices(u.dataSync(), linear, sliceSize, out);
    return new Tensor(out, [...shape], u.dtype);
  }, SCATTER_ND_GRAD, { indices: idx, shape: [...shape] });
}

function checkUpdates(op: string, u: Tensor, batchShape: readonly number[], sliceShape: readonly number[]): void {
  const expected = [...batchShape, ...sliceShape];
  if (!shapesEqual(u.shape, expected)) throw new Error(`${op}: updates must have shape ${formatShape(expected)}, got ${formatShape(u.shape)}`);
}

/**
 * A copy of tensor with the slices at index tuples replaced by updates (tf.tensor_scatter_nd_update).
 * Gradients: dy with zeros at the indices for tensor; dy gathered at the indices for updates.
 * @example
 * tf.tensorScatterUpdate([1, 2, 3, 4], [[0], [2]], [9, 8]) // → [9, 2, 8, 4]
 */
export function tensorScatterUpdate(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  const t = toTensor('tensorScatterUpdate', tensor);
  const idx = intIndices('tensorScatterUpdate', indices);
  const u = toTensor('tensorScatterUpdate', updates, t.dtype);
  if (u.dtype !== t.dtype) throw new Error(`tensorScatterUpdate: updates are ${u.dtype} but tensor is ${t.dtype}`);
  const { linear, batchShape, depth } = linearIndices('tensorScatterUpdate', idx, t.shape);
  checkUpdates('tensorScatterUpdate', u, batchShape, t.shape.slice(depth));
  const sliceSize = sizeOf(t.shape.slice(depth));
  return runOp('TensorScatterUpdate', [t, u], () => {
    const out = t.dataSync().slice();
    scatterSetSlices(u.dataSync(), linear, sliceSize, out);
    return new Tensor(out, t.shape.slice(), t.dtype);
  }, TENSOR_SCATTER_UPDATE_GRAD, { indices: idx });
}

/**
 * The entries of tensor where mask is true (tf.boolean_mask): mask covers axes [axis, axis + mask.rank) and
 * those axes collapse into one of length count(true).
 * @throws when the mask's shape does not match those axes
 * @example
 * tf.booleanMask([1, 2, 3], [true, false, true]) // → [1, 3]
 */
export function booleanMask(tensor: TensorLike, mask: TensorLike, axis = 0): Tensor {
  const t = toTensor('booleanMask', tensor);
  const m = readsIndices(toTensor('booleanMask', mask, 'bool'));
  if (m.dtype !== 'bool') throw new Error(`booleanMask: mask must be bool, got ${m.dtype}`);
  const a = axis < 0 ? axis + t.rank : axis;
  const covered = t.shape.slice(a, a + m.rank);
  if (m.rank === 0 || !shapesEqual(covered, m.shape)) throw new Error(`booleanMask: mask of shape ${formatShape(m.shape)} does not match axes ${a}..${a + m.rank - 1} of shape ${formatShape(t.shape)}`);
  const keep: number[] = [];
  m.dataSync().forEach((v, i) => { if (v) keep.push(i); });
  const flat = reshape(t, [...t.shape.slice(0, a), sizeOf(covered), ...t.shape.slice(a + m.rank)]);
  return gather(flat, keep, a);
}
