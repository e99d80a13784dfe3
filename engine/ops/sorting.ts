// sort, argsort and topK along the last axis (or any axis for sort/argsort). The order comes from a kernel;
// the values are a gather of x in that order, so gradients flow back through the values to their positions.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { normalizeAxis, sizeOf } from '../shape/shape';
import { argsortRows } from '../kernels/sorting';
import { runOp } from '../tape/op_runner';
import { toTensor } from './op_inputs';
import { gather, reshape, transpose } from './shape_ops';

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

/** x's entries along the last axis picked by per-row indices (a gather on the flattened rows). */
function takeAlongLast(x: Tensor, indices: Tensor): Tensor {
  const n = x.shape[x.rank - 1];
  const k = indices.shape[indices.rank - 1];
  const idx = indices.dataSync();
  const flatIndex = Array.from(idx, (v, i) => Math.floor(i / k) * n + v);
  return reshape(gather(reshape(x, [-1]), flatIndex), indices.shape);
}

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
 * tf.sort([3, 1, 2]); // [1, 2, 3]
 */
export function sort(x: TensorLike, axis = -1, dir: Direction = 'ASCENDING'): Tensor {
  return alongAxis('sort', x, axis, dir, true);
}

/**
 * The int32 indices that sort x along `axis` (tf.argsort; stable).
 * @example
 * tf.argsort([3, 1, 2]); // [1, 2, 0]
 */
export function argsort(x: TensorLike, axis = -1, dir: Direction = 'ASCENDING'): Tensor {
  return alongAxis('argsort', x, axis, dir, false);
}

/** tf.math.top_k's result: destructure as `[values, indices]` (TF) or read `.values` / `.indices` (TF.js). */
export type TopK = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

/**
 * The k largest entries along the last axis and their indices, largest first (tf.math.top_k).
 * @param k default 1; must be ≤ the last axis' length
 * @param _sorted accepted for TF's signature; the values always come largest first
 * @example
 * const { values, indices } = tf.topk([1, 5, 3], 2); // [5, 3], [1, 2]
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
