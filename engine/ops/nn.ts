// tf.nn: softmax, logSoftmax, oneHot, and clipByValue.
import { allocate } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { normalizeAxis } from '../shape/shape';
import { softmaxKernel } from '../kernels/softmax';
import { clipKernel } from '../kernels/elementwise';
import { oneHotKernel } from '../kernels/layout';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { requireFloat, toTensor } from './op_inputs';
import { exp, mul, sub } from './arithmetic';
import { reduceSum } from './reduction';
import { transpose } from './shape_ops';
import { cast, logicalAnd, greaterEqual, lessEqual } from './comparison';

// softmax and logSoftmax run on the last axis (alongAxis moves the user's axis there)
const SOFTMAX_GRAD: GradFn = (dy, _needs, _inputs, out) => [mul(sub(dy, reduceSum(mul(dy, out), -1, true)), out)];
const LOG_SOFTMAX_GRAD: GradFn = (dy, _needs, _inputs, out) => [sub(dy, mul(reduceSum(dy, -1, true), exp(out)))];
/** The gradient passes where the value was inside [min, max]. */
const CLIP_BY_VALUE_GRAD: GradFn<{ min: number; max: number }> = (dy, _needs, [t], _out, { min, max }) =>
  [mul(dy, cast(logicalAnd(greaterEqual(t, min), lessEqual(t, max)), dy.dtype))];

/** Moves `axis` last, applies f, moves it back (softmax kernels work on the last axis). */
function alongAxis(x: Tensor, axis: number, f: (t: Tensor) => Tensor): Tensor {
  const a = normalizeAxis('softmax', axis, x.rank);
  if (a === x.rank - 1) return f(x);
  const perm = x.shape.map((_, i) => i);
  perm[a] = x.rank - 1;
  perm[x.rank - 1] = a;
  return transpose(f(transpose(x, perm)), perm);
}

/**
 * exp(x) / sum(exp(x)) along `axis` (tf.nn.softmax; default the last axis), computed stably; each slice sums to 1.
 * @throws Error when the axis is out of range or logits are not float.
 * @example
 * ```ts
 * tf.nn.softmax([1, 2, 3]) // → [0.090031, 0.244728, 0.665241]
 * ```
 */
export function softmax(logits: TensorLike, axis = -1): Tensor {
  const x = toTensor('softmax', logits);
  requireFloat('softmax', x);
  if (x.rank === 0) throw new Error('softmax: needs at least one axis, got a scalar');
  return alongAxis(x, axis, (t) => {
    const cols = t.shape[t.rank - 1];
    return runOp('Softmax', [t], () => {
      const o = allocate(t.dtype, t.size);
      softmaxKernel(t.dataSync(), t.size / Math.max(cols, 1), cols, o, false, true);
      return new Tensor(o, t.shape.slice(), t.dtype);
    }, SOFTMAX_GRAD);
  });
}

/**
 * log(softmax(x)) along `axis` (tf.nn.log_softmax → tf.nn.logSoftmax; default the last axis), stable for large logits.
 * @throws Error when the axis is out of range or logits are not float.
 * @example
 * ```ts
 * tf.nn.logSoftmax([0, 0]) // → [-0.693147, -0.693147]
 * ```
 */
export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  const x = toTensor('logSoftmax', logits);
  requireFloat('logSoftmax', x);
  if (x.rank === 0) throw new Error('logSoftmax: needs at least one axis, got a scalar');
  return alongAxis(x, axis, (t) => {
    const cols = t.shape[t.rank - 1];
    return runOp('LogSoftmax', [t], () => {
      const o = allocate(t.dtype, t.size);
      softmaxKernel(t.dataSync(), t.size / Math.max(cols, 1), cols, o, true, true);
      return new Tensor(o, t.shape.slice(), t.dtype);
    }, LOG_SOFTMAX_GRAD);
  });
}

/**
 * One-hot rows for integer labels (tf.one_hot → tf.oneHot): shape indices.shape ++ [depth], `onValue` (1) at each label and `offValue` (0) elsewhere; an index out of range gives a row of offValue, as in TF. Float labels holding integers are accepted.
 * @throws Error when an index is not an integer or depth is not a positive integer.
 * @example
 * ```ts
 * tf.oneHot([0, 2], 3) // → [[1, 0, 0], [0, 0, 1]]
 * tf.oneHot([-1], 2) // → [[0, 0]]
 * ```
 */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  const t = toTensor('oneHot', indices, 'int32');
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`oneHot: depth must be a non-negative integer, got ${depth}`);
  const src = t.dataSync();
  for (let i = 0; i < src.length; i++) {
    if (!Number.isInteger(src[i])) throw new Error(`oneHot: indices must be integers, got ${src[i]}`);
  }
  return runOp('OneHot', [t], () => {
    const out = allocate('float32', t.size * depth);
    oneHotKernel(src, depth, onValue, offValue, out);
    return new Tensor(out, [...t.shape, depth], 'float32');
  }, null, { depth });
}

/**
 * Clamps values to [lo, hi] (tf.clip_by_value → tf.clipByValue); the gradient passes where the value was inside the range.
 * @throws Error when lo > hi.
 * @example
 * ```ts
 * tf.clipByValue([-2, 0.5, 3], 0, 1) // → [0, 0.5, 1]
 * ```
 */
export function clipByValue(x: TensorLike, lo: number, hi: number): Tensor {
  const t = toTensor('clipByValue', x);
  if (!(lo <= hi)) throw new Error(`clipByValue: min (${lo}) must not exceed max (${hi})`);
  return runOp('ClipByValue', [t], () => {
    const out = allocate(t.dtype, t.size);
    clipKernel(t.dataSync(), out, lo, hi);
    return new Tensor(out, t.shape.slice(), t.dtype);
  }, CLIP_BY_VALUE_GRAD, { min: lo, max: hi });
}

