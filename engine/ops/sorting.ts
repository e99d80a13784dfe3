// sort, argsort and topK along the last axis (or any axis for sort/argsort). The order comes from a kernel;
// the values are taken from x in that order when the op runs (so a traced graph replays each call's order), and
// gradients flow back through the values to their positions.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { normalizeAxis, sizeOf } from '../shape/shape';
import { argsortRows } from '../kernels/sorting';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { allocate } from '../tensor/dtype';
import { toTensor } from './op_inputs';
import { transpose } from './shape_ops';

export type Direction = 'ASCENDING' | 'DESCENDING';

/** Moves `axis` last, returning the permutation that does it (its own inverse, being a swap). */
function axisLastPerm(rank: number, axis: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[axis], perm[rank - 1]] = [perm[rank - 1], perm[axis]];
  return perm;
}

/** Sorted order along the last axis: int32 indices, shape of x (rows independent). */
function orderLast(op: string, x: Tensor, descending: boolean, keep: number): Tensor {
  const n = x.shape[x.rank - 1];
  const rows = sizeOf(x.shape.slice(0, -1));
  return runOp(op, [x], () => {
    const full = new Int32Array(rows * n);
    argsortRows(x.dataSync(), rows, n, descending, full);
    if (keep === n) return new Tensor(full, x.shape.slice(), 'int32');
    const out = new Int32Array(rows * keep);
    for (let r = 0; r < rows; r++) out.set(full.subarray(r * n, r * n + keep), r * keep);
    return new Tensor(out, [...x.shape.slice(0, -1), keep], 'int32');
  }, null, { descending, k: keep });
}

/**
 * x's entries along the last axis at per-row indices (TF's take_along_axis on the last axis). The indices are read
 * when the op runs, so a traced graph replays it with each call's order; its gradient scatters dy back.
 */
function takeAlongLast(x: Tensor, indices: Tensor): Tensor {
  return runOp('TakeAlongAxis', [x, indices], () => {
    const n = x.shape[x.rank - 1];
    const k = indices.shape[indices.rank - 1];
    const src = x.dataSync(), idx = indices.dataSync();
    const out = allocate(x.dtype, indices.size);
    for (let i = 0; i < out.length; i++) out[i] = src[Math.floor(i / k) * n + idx[i]];
    return new Tensor(out, indices.shape.slice(), x.dtype);
  }, TAKE_GRAD, { width: x.shape[x.rank - 1] });
}

/** takeAlongLast's gradient: dy added into zeros of width `width` at the indices (its own gradient is a take). */
function scatterAlongLast(dy: Tensor, indices: Tensor, width: number): Tensor {
  return runOp('ScatterAlongAxis', [dy, indices], () => {
    const k = indices.shape[indices.rank - 1];
    const src = dy.dataSync(), idx = indices.dataSync();
    const out = allocate(dy.dtype, (dy.size / Math.max(k, 1)) * width);
    for (let i = 0; i < src.length; i++) out[Math.floor(i / k) * width + idx[i]] += src[i];
    return new Tensor(out, [...dy.shape.slice(0, -1), width], dy.dtype);
  }, SCATTER_GRAD, { width });
}

const TAKE_GRAD: GradFn<{ width: number }> = (dy, _needs, [, indices], _out, { width }) => [scatterAlongLast(dy, indices, width), null];
const SCATTER_GRAD: GradFn<{ width: number }> = (ddy, _needs, [, indices]) => [takeAlongLast(ddy, indices), null];

function direction(op: string, d: string): boolean {
  const up = d.toUpperCase();
  if (up !== 'ASCENDING' && up !== 'DESCENDING') throw new Error(`${op}: direction must be 'ASCENDING' or 'DESCENDING', got '${d}'`);
  return up === 'DESCENDING';
}

function alongAxis(op: string, x: TensorLike, axis: number, dir: string, values: boolean): Tensor {
  const t = toTensor(op, x);
  if (t.rank === 0) throw new Error(`${op}: expected a tensor of rank ≥ 1, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  const perm = axisLastPerm(t.rank, a);
  const moved = a === t.rank - 1 ? t : transpose(t, perm);
  const order = orderLast(values ? 'Sort' : 'ArgSort', moved, direction(op, dir), moved.shape[moved.rank - 1]);
  const result = values ? takeAlongLast(moved, order) : order;
  return a === t.rank - 1 ? result : transpose(result, perm);
}

/**
 * x sorted along `axis` (tf.sort); the gradient flows to each value's original position.
 * @param axis default -1.
 * @param dir 'ASCENDING' (default) or 'DESCENDING'.
 * @example
 * tf.sort([3, 1, 2]) // → [1, 2, 3]
 */
export function sort(x: TensorLike, axis = -1, dir: Direction = 'ASCENDING'): Tensor {
  return alongAxis('sort', x, axis, dir, true);
}

/**
 * The int32 indices that sort x along `axis` (tf.argsort; stable).
 * @example
 * tf.argsort([3, 1, 2]) // → [1, 2, 0]
 */
export function argsort(x: TensorLike, axis = -1, dir: Direction = 'ASCENDING'): Tensor {
  return alongAxis('argsort', x, axis, dir, false);
}

/** tf.math.top_k's result: destructure as `[values, indices]` (TF) or read `.values` / `.indices` (TF.js). */
export type TopK = [Tensor, Tensor] & {
  /** The k largest entries of each row, largest first. */
  values: Tensor;
  /** Their int32 positions along the last axis. */
  indices: Tensor;
};

/**
 * The k largest entries along the last axis and their indices, largest first (tf.math.top_k).
 * @param k default 1; must be ≤ the last axis' length
 * @param _sorted accepted for TF's signature; the values always come largest first
 * @example
 * const { values, indices } = tf.topk([1, 5, 3], 2);
 * values // → [5, 3]
 * indices // → [1, 2]
 */
export function topk(x: TensorLike, k = 1, _sorted = true): TopK {
  const t = toTensor('topk', x);
  if (t.rank === 0) throw new Error('topk: expected a tensor of rank ≥ 1, got a scalar');
  const n = t.shape[t.rank - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`topk: k must be an integer in [0, ${n}] for last axis of length ${n}, got ${k}`);
  const indices = orderLast('TopKV2', t, true, k);
  const values = takeAlongLast(t, indices);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}
