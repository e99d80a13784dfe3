// Normalisation: tf.nn.batchNormalization (tf.nn.moments, which gives its statistics, is in statistics.ts). Batch
// normalisation's forward is one typed-array kernel when its parameters are per channel (the last axis);
// its gradient is written with ops, so it can be differentiated again.
import { allocate, type FloatArray } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { broadcastShapes } from '../shape/shape';
import { batchNormKernel } from '../kernels/norm/batch_norm';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { requireFloat, toTensor } from './op_inputs';
import { add, mul, neg, reciprocal, sqrt, square, sub, sumToShape } from './arithmetic';

/** Whether p holds one value per channel of the last axis (or one in all), so the fused kernel applies. */
function perChannel(p: Tensor, channels: number, rank: number): boolean {
  if (p.size === 1) return p.rank <= rank;
  return p.rank >= 1 && p.rank <= rank && p.shape[p.rank - 1] === channels && p.size === channels;
}

/**
 * Normalises x with the given statistics, then scales and shifts it (tf.nn.batchNormalization):
 * `(x − mean) · scale / √(variance + varianceEpsilon) + offset`. All parameters broadcast against x.
 *
 * @param x float tensor, typically `[batch, height, width, channels]` or `[batch, features]`.
 * @param mean Usually from tf.nn.moments (or a layer's moving statistics), as is `variance`.
 * @param offset β, added (null for none). @param scale γ, multiplied (null for none).
 * @param varianceEpsilon small float added to the variance (TF has no default; 1e-3 here, Keras's).
 * @throws when a parameter does not broadcast against x.
 * @example
 * const x = tf.constant([[1, 2], [3, 6]]);
 * const { mean, variance } = tf.nn.moments(x, [0]);
 * tf.nn.batchNormalization(x, mean, variance, null, null, 0)  // [[-1, -1], [1, 1]]
 */
export function batchNormalization(x: TensorLike, mean: TensorLike, variance: TensorLike, offset: TensorLike | null = null, scale: TensorLike | null = null, varianceEpsilon = 1e-3): Tensor {
  const op = 'batchNormalization';
  const t = toTensor(op, x);
  requireFloat(op, t);
  const params = [mean, variance, offset, scale].map((p) => (p === null || p === undefined ? null : toTensor(op, p, t.dtype)));
  for (const p of params) {
    if (p === null) continue;
    if (p.dtype !== t.dtype) throw new Error(`${op}: dtype mismatch: x is ${t.dtype}, a parameter is ${p.dtype}`);
    broadcastShapes(op, t.shape, p.shape);
  }
  const [m, v, o, s] = params as [Tensor, Tensor, Tensor | null, Tensor | null];
  if (!m || !v) throw new Error(`${op}: mean and variance are required`);
  const channels = t.rank === 0 ? 1 : t.shape[t.rank - 1];
  if (!params.every((p) => p === null || perChannel(p, channels, t.rank))) {
    // statistics along other axes: the same formula from broadcasting ops
    const normalized = mul(sub(t, m), reciprocal(sqrt(add(v, varianceEpsilon))));
    const scaled = s ? mul(normalized, s) : normalized;
    return o ? add(scaled, o) : scaled;
  }
  const inputs = [t, m, v, ...(o ? [o] : []), ...(s ? [s] : [])];
  return runOp('BatchNormalization', inputs, () => {
    const out = allocate(t.dtype, t.size) as FloatArray;
    const data = (p: Tensor | null) => (p ? p.dataSync() as FloatArray : null);
    batchNormKernel(t.dataSync() as FloatArray, channels, { mean: data(m)!, variance: data(v)!, offset: data(o), scale: data(s), epsilon: varianceEpsilon }, out);
    return new Tensor(out, t.shape.slice(), t.dtype);
  }, BATCH_NORM_GRAD, { varianceEpsilon, hasOffset: o !== null, hasScale: s !== null });
}

interface BatchNormAttrs { varianceEpsilon: number; hasOffset: boolean; hasScale: boolean }

/** Gradients of batch normalisation for x, mean, variance, then offset and scale when present. */
const BATCH_NORM_GRAD: GradFn<BatchNormAttrs> = (dy, needs, inputs, _out, { varianceEpsilon: epsilon, hasOffset, hasScale }) => {
  const [x, mean, variance] = inputs;
  const offset = hasOffset ? inputs[3] : null;
  const scale = hasScale ? inputs[hasOffset ? 4 : 3] : null;
  const inv = reciprocal(sqrt(add(variance, epsilon)));
  const centered = sub(x, mean);
  const dyScaled = scale ? mul(dy, scale) : dy;
  const dx = needs[0] || needs[1] ? mul(dyScaled, inv) : null;
  const grads: Array<Tensor | null> = [
    needs[0] ? dx : null,
    needs[1] ? sumToShape(neg(dx!), mean.shape) : null,
    needs[2] ? mul(sumToShape(mul(dyScaled, centered), variance.shape), mul(-0.5, mul(inv, square(inv)))) : null,
  ];
  let next = 3;
  if (offset) grads.push(needs[next++] ? sumToShape(dy, offset.shape) : null);
  if (scale) grads.push(needs[next++] ? sumToShape(mul(dy, mul(centered, inv)), scale.shape) : null);
  return grads;
};

