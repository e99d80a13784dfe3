// Reductions (reduceSum, reduceMean, reduceMax, reduceMin, argmax, argmin) over any set of axes.
import { allocate } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape/shape';
import { argReduce, divideByCount, reduceContiguous, type ReduceKind } from '../kernels/reduce';
import { transposeKernel } from '../kernels/layout';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { toTensor } from './op_inputs';
import { broadcastTo, reshape } from './shape_ops';
import { cast, equal } from './comparison';
import { div, mul } from './arithmetic';

/** The shape with reduced axes kept as 1 (keepdims) or dropped. */
function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/** Runs a reduction kernel: contiguous axes directly, scattered ones after moving them last. */
function reduceForward(x: Tensor, axes: number[], keepdims: boolean, kind: ReduceKind): Tensor {
  const shape = x.shape;
  const outShape = reducedShape(shape, axes, keepdims);
  const out = allocate(x.dtype, sizeOf(outShape));
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  if (contiguous && axes.length > 0) {
    const first = axes[0];
    const last = axes[axes.length - 1];
    const outer = sizeOf(shape.slice(0, first));
    const reduced = sizeOf(shape.slice(first, last + 1));
    const inner = sizeOf(shape.slice(last + 1));
    reduceContiguous(x.dataSync(), out, outer, reduced, inner, kind);
  } else if (axes.length === 0) {
    out.set(x.dataSync());
  } else {
    const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const perm = [...kept, ...axes];
    const moved = allocate(x.dtype, x.size);
    transposeKernel(x.dataSync(), shape, perm, moved);
    reduceContiguous(moved, out, sizeOf(kept.map((i) => shape[i])), sizeOf(axes.map((i) => shape[i])), 1, kind);
  }
  return new Tensor(out, outShape, x.dtype);
}

/** Brings a reduced gradient back to the input's shape. */
function expandBack(dy: Tensor, xShape: readonly number[], axes: number[]): Tensor {
  return broadcastTo(reshape(dy, reducedShape(xShape, axes, true)), xShape);
}

/** The attributes of a reduction over `axis` (normalised, ascending). */
interface ReduceAttrs { axis: number[]; keepdims: boolean }

const SUM_GRAD: GradFn<ReduceAttrs> = (dy, _needs, [t], _out, { axis }) => [expandBack(dy, t.shape, axis)];
const MEAN_GRAD: GradFn<ReduceAttrs> = (dy, _needs, [t], _out, { axis }) => [div(expandBack(dy, t.shape, axis), sizeOf(axis.map((a) => t.shape[a])))];
/** max/min: ties share the gradient equally, as in TF. */
const EXTREME_GRAD: GradFn<ReduceAttrs> = (dy, _needs, [t], out, { axis }) => {
  const hit = cast(equal(t, expandBack(out, t.shape, axis)), dy.dtype);
  const ties = expandBack(reduceSum(hit, axis, false), t.shape, axis);
  return [div(mul(expandBack(dy, t.shape, axis), hit), ties)];
};

/**
 * Sum of elements across `axis` (tf.reduce_sum → tf.reduceSum, also tf.sum). `axis` is one axis, a list, or null/undefined for all; negative axes count from the end; `keepdims` keeps reduced axes as size 1.
 * @throws Error naming the op when an axis is out of range.
 * @example
 * ```ts
 * const x = tf.constant([[1, 2], [3, 4]]);
 * tf.reduceSum(x) // → 10
 * tf.reduceSum(x, 0) // → [4, 6]
 * tf.reduceSum(x, 1, true) // → [[3], [7]]
 * ```
 */
export function reduceSum(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = toTensor('reduceSum', x);
  const axes = normalizeAxes('reduceSum', axis, t.rank);
  return runOp('Sum', [t], () => reduceForward(t, axes, keepdims, 'sum'), SUM_GRAD, { axis: axes, keepdims });
}

/**
 * Mean of elements across `axis` (tf.reduce_mean → tf.reduceMean, also tf.mean). `axis` is one axis, a list, or null/undefined for all; negative axes count from the end; `keepdims` keeps reduced axes as size 1.
 * @throws Error naming the op when an axis is out of range.
 * @example
 * ```ts
 * tf.reduceMean([[1, 2], [3, 4]], 1) // → [1.5, 3.5]
 * ```
 */
export function reduceMean(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = toTensor('reduceMean', x);
  const axes = normalizeAxes('reduceMean', axis, t.rank);
  const count = sizeOf(axes.map((a) => t.shape[a]));
  return runOp('Mean', [t], () => {
    const s = reduceForward(t, axes, keepdims, 'sum');
    divideByCount(s.dataSync(), count, t.dtype === 'int32');
    return s;
  }, MEAN_GRAD, { axis: axes, keepdims });
}

function reduceExtreme(op: string, name: string, kind: 'max' | 'min', x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = toTensor(name, x);
  const axes = normalizeAxes(name, axis, t.rank);
  if (axes.some((a) => t.shape[a] === 0)) throw new Error(`${name}: cannot reduce over an empty axis (shape [${t.shape.join(',')}])`);
  return runOp(op, [t], () => reduceForward(t, axes, keepdims, kind), EXTREME_GRAD, { axis: axes, keepdims });
}

/**
 * Largest element across `axis` (tf.reduce_max → tf.reduceMax, also tf.max); the gradient goes to the maximum. `axis` is one axis, a list, or null/undefined for all; negative axes count from the end; `keepdims` keeps reduced axes as size 1.
 * @throws Error naming the op when an axis is out of range.
 * @example
 * ```ts
 * tf.reduceMax([[1, 5], [3, 4]], 0) // → [3, 5]
 * ```
 */
export function reduceMax(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  return reduceExtreme('Max', 'reduceMax', 'max', x, axis, keepdims);
}

/**
 * Smallest element across `axis` (tf.reduce_min → tf.reduceMin, also tf.min). `axis` is one axis, a list, or null/undefined for all; negative axes count from the end; `keepdims` keeps reduced axes as size 1.
 * @throws Error naming the op when an axis is out of range.
 * @example
 * ```ts
 * tf.reduceMin([[1, 5], [3, 4]], 1) // → [1, 3]
 * ```
 */
export function reduceMin(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  return reduceExtreme('Min', 'reduceMin', 'min', x, axis, keepdims);
}

function argExtreme(op: string, name: string, x: TensorLike, axis: number, largest: boolean): Tensor {
  const t = toTensor(name, x);
  const a = normalizeAxis(name, axis, t.rank);
  return runOp(op, [t], () => {
    const outShape = t.shape.filter((_, i) => i !== a);
    const out = allocate('int32', sizeOf(outShape));
    argReduce(t.dataSync(), out, sizeOf(t.shape.slice(0, a)), t.shape[a], sizeOf(t.shape.slice(a + 1)), largest);
    return new Tensor(out, outShape, 'int32');
  }, null, { axis: a });
}

/**
 * Index of the largest value along `axis` (tf.math.argmax; default axis 0, as TF), as int32; not differentiable.
 * @throws Error naming the op when the axis is out of range.
 * @example
 * ```ts
 * tf.argmax([[1, 9, 3], [7, 2, 8]], 1) // → [1, 2]
 * ```
 */
export function argmax(x: TensorLike, axis = 0): Tensor {
  return argExtreme('ArgMax', 'argmax', x, axis, true);
}

/**
 * Index of the smallest value along `axis` (tf.math.argmin; default axis 0), as int32; not differentiable.
 * @throws Error naming the op when the axis is out of range.
 * @example
 * ```ts
 * tf.argmin([[1, 9, 3], [7, 2, 8]], 1) // → [0, 1]
 * ```
 */
export function argmin(x: TensorLike, axis = 0): Tensor {
  return argExtreme('ArgMin', 'argmin', x, axis, false);
}
