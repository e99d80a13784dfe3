// Reductions beyond sum/mean/max/min: product, log-sum-exp, variance, standard deviation and tf.nn.moments.
// Only reduceProd has its own kernel; the rest are written with ops, so every order of gradient follows.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { allocate } from '../tensor/dtype';
import { normalizeAxes, sizeOf } from '../shape/shape';
import { reduceContiguous } from '../kernels/reduce';
import { transposeKernel } from '../kernels/layout';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { toTensor, requireFloat } from './op_inputs';
import { add, log, exp, mul, sqrt, square, sub } from './arithmetic';
import { reduceMax, reduceMean, reduceSum } from './reduction';
import { reshape, transpose } from './shape_ops';
import { stopGradient } from './gradient_control';
import { cumprod } from './scan';
import { where } from './comparison';
import { isFinite } from './rounding';
import { zerosLike } from './creation';

type Axis = number | readonly number[] | null;

function keptShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return shape.flatMap((d, i) => (axes.includes(i) ? (keepdims ? [1] : []) : [d]));
}

/** Reduced axes first, then the kept ones: the layout reduceProd's forward and gradient share. */
function reducedFirst(rank: number, axes: readonly number[]): number[] {
  return [...axes, ...Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i))];
}

/** Each entry's gradient is the product of all the others: exclusive products from the left times from the right. */
const PROD_GRAD: GradFn<{ axis: number[]; keepdims: boolean }> = (dy, _needs, [t], _out, { axis }) => {
  const perm = reducedFirst(t.rank, axis);
  const reduced = sizeOf(axis.map((a) => t.shape[a]));
  const kept = sizeOf(t.shape.filter((_, i) => !axis.includes(i)));
  const rows = reshape(transpose(t, perm), [reduced, kept]);
  const others = mul(cumprod(rows, 0, true, false), cumprod(rows, 0, true, true));
  const g = mul(others, reshape(dy, [1, kept]));
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return [transpose(reshape(g, perm.map((p) => t.shape[p])), inverse)];
};

/**
 * Product of elements across `axis` (tf.math.reduce_prod). Its gradient uses exclusive products from both
 * sides, as TF's does, so it is exact even where x has zeros.
 * @param axis axes to reduce (default: all)
 * @param keepdims keep reduced axes with length 1 (default false)
 * @example
 * tf.math.reduceProd([[1, 2], [3, 4]], 1) // → [2, 12]
 */
export function reduceProd(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  const t = toTensor('reduceProd', x);
  const axes = normalizeAxes('reduceProd', axis, t.rank);
  const perm = reducedFirst(t.rank, axes);
  const reduced = sizeOf(axes.map((a) => t.shape[a]));
  const kept = sizeOf(t.shape.filter((_, i) => !axes.includes(i)));
  const outShape = keptShape(t.shape, axes, keepdims);
  return runOp('Prod', [t], () => {
    const moved = allocate(t.dtype, t.size);
    transposeKernel(t.dataSync(), t.shape, perm, moved);
    const out = allocate(t.dtype, sizeOf(outShape));
    reduceContiguous(moved, out, 1, reduced, kept, 'prod');
    return new Tensor(out, outShape, t.dtype);
  }, PROD_GRAD, { axis: axes, keepdims });
}

/**
 * log(Σ exp(x)) across `axis`, computed stably by shifting by the maximum (tf.math.reduce_logsumexp).
 * @example
 * tf.math.reduceLogSumExp([0, 0]) // → 0.6931
 */
export function reduceLogSumExp(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  const t = toTensor('reduceLogSumExp', x);
  requireFloat('reduceLogSumExp', t);
  const axes = normalizeAxes('reduceLogSumExp', axis, t.rank);
  const peak = stopGradient(reduceMax(t, axes, true));
  const shift = where(isFinite(peak), peak, zerosLike(peak));
  const out = add(log(reduceSum(exp(sub(t, shift)), axes, true)), shift);
  return keepdims ? out : reshape(out, keptShape(t.shape, axes, false));
}

/**
 * The (population) variance across `axis` (tf.math.reduce_variance).
 * @example
 * tf.math.reduceVariance([1, 2, 3, 4]) // → 1.25
 */
export function reduceVariance(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  const t = toTensor('reduceVariance', x);
  requireFloat('reduceVariance', t);
  const axes = normalizeAxes('reduceVariance', axis, t.rank);
  return reduceMean(square(sub(t, reduceMean(t, axes, true))), axes, keepdims);
}

/**
 * The (population) standard deviation across `axis` (tf.math.reduce_std).
 * @example
 * tf.math.reduceStd([1, 2, 3, 4]) // → 1.1180
 */
export function reduceStd(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  return sqrt(reduceVariance(x, axis, keepdims));
}

/** tf.nn.moments' result: destructure as `[mean, variance]` (TF's tuple) or read `.mean` / `.variance` (TF.js). */
export type Moments = [Tensor, Tensor] & {
  /** The mean across the axes. */
  mean: Tensor;
  /** The (population) variance across the axes. */
  variance: Tensor;
};

/**
 * Mean and variance of x across `axes` (tf.nn.moments), e.g. over [0, 1, 2] for a batch-norm of NHWC images.
 * @param axes the axes to reduce
 * @param shiftOrKeepdims keepdims (default false); or TF's `shift` (unused, as in TF), then keepdims as the 4th argument
 * @example
 * const [mean, variance] = tf.nn.moments([[1, 2], [3, 4]], [0]);
 * mean // → [2, 3]
 * variance // → [1, 1]
 */
export function moments(x: TensorLike, axes: number | readonly number[], shiftOrKeepdims?: boolean | null | TensorLike, keepdims = false): Moments {
  const keep = typeof shiftOrKeepdims === 'boolean' ? shiftOrKeepdims : keepdims;
  const t = toTensor('moments', x);
  requireFloat('moments', t);
  const ax = normalizeAxes('moments', axes, t.rank);
  const mean = reduceMean(t, ax, true);
  const variance = reduceMean(square(sub(t, mean)), ax, true);
  const shape = keptShape(t.shape, ax, keep);
  const m = reshape(mean, shape), v = reshape(variance, shape);
  return Object.assign([m, v] as [Tensor, Tensor], { mean: m, variance: v });
}
