// tf.nn: softmax, logSoftmax, oneHot, and clipByValue.
import { allocate } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { normalizeAxis } from '../shape/shape';
import { softmaxKernel } from '../kernels/softmax';
import { runOp } from '../tape/op_runner';
import { requireFloat, toTensor } from './op_inputs';
import { exp, mul, sub } from './arithmetic';
import { reduceSum } from './reduction';
import { transpose } from './shape_ops';
import { cast, logicalAnd, greaterEqual, lessEqual } from './comparison';

/** Moves `axis` last, applies f, moves it back (softmax kernels work on the last axis). */
function alongAxis(x: Tensor, axis: number, f: (t: Tensor) => Tensor): Tensor {
  const a = normalizeAxis('softmax', axis, x.rank);
  if (a === x.rank - 1) return f(x);
  const perm = x.shape.map((_, i) => i);
  perm[a] = x.rank - 1;
  perm[x.rank - 1] = a;
  return transpose(f(transpose(x, perm)), perm);
}

export function softmax(logits: TensorLike, axis = -1): Tensor {
  const x = toTensor('softmax', logits);
  requireFloat('softmax', x);
  if (x.rank === 0) throw new Error('softmax: needs at least one axis, got a scalar');
  return alongAxis(x, axis, (t) => {
    const cols = t.shape[t.rank - 1];
    const out: Tensor = runOp('Softmax', [t], () => {
      const o = allocate(t.dtype, t.size);
      softmaxKernel(t.dataSync(), t.size / Math.max(cols, 1), cols, o, false);
      return new Tensor(o, t.shape.slice(), t.dtype);
    }, (dy) => [mul(sub(dy, reduceSum(mul(dy, out), -1, true)), out)]);
    return out;
  });
}

export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  const x = toTensor('logSoftmax', logits);
  requireFloat('logSoftmax', x);
  if (x.rank === 0) throw new Error('logSoftmax: needs at least one axis, got a scalar');
  return alongAxis(x, axis, (t) => {
    const cols = t.shape[t.rank - 1];
    const out: Tensor = runOp('LogSoftmax', [t], () => {
      const o = allocate(t.dtype, t.size);
      softmaxKernel(t.dataSync(), t.size / Math.max(cols, 1), cols, o, true);
      return new Tensor(o, t.shape.slice(), t.dtype);
    }, (dy) => [sub(dy, mul(reduceSum(dy, -1, true), exp(out)))]);
    return out;
  });
}

/** One-hot rows for integer labels (float labels holding integers are accepted); out of range gives a zero row, as TF. */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  const t = toTensor('oneHot', indices, 'int32');
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`oneHot: depth must be a non-negative integer, got ${depth}`);
  const src = t.dataSync();
  for (let i = 0; i < src.length; i++) {
    if (!Number.isInteger(src[i])) throw new Error(`oneHot: indices must be integers, got ${src[i]}`);
  }
  return runOp('OneHot', [t], () => {
    const out = allocate('float32', t.size * depth);
    out.fill(offValue);
    for (let i = 0; i < src.length; i++) {
      const k = src[i];
      if (k >= 0 && k < depth) out[i * depth + k] = onValue;
    }
    return new Tensor(out, [...t.shape, depth], 'float32');
  }, null, { depth });
}

/** Clamps values to [lo, hi]; the gradient passes where the value was inside the range. */
export function clipByValue(x: TensorLike, lo: number, hi: number): Tensor {
  const t = toTensor('clipByValue', x);
  if (!(lo <= hi)) throw new Error(`clipByValue: min (${lo}) must not exceed max (${hi})`);
  return runOp('ClipByValue', [t], () => {
    const src = t.dataSync();
    const out = allocate(t.dtype, t.size);
    for (let i = 0; i < out.length; i++) out[i] = src[i] < lo ? lo : src[i] > hi ? hi : src[i];
    return new Tensor(out, t.shape.slice(), t.dtype);
  }, (dy) => [mul(dy, cast(logicalAnd(greaterEqual(t, lo), lessEqual(t, hi)), dy.dtype))], { min: lo, max: hi });
}

