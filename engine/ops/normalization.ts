// Normalisation: tf.nn.batchNormalization (tf.nn.moments, which gives its statistics, is in statistics.ts). Batch
// normalisation's forward is one typed-array kernel when its parameters are per channel (the last axis);
// its gradient is written with ops, so it can be differentiated again. fusedBatchNorm (TF's FusedBatchNormV3, the
// Keras layer's training path) takes the batch's own statistics and has a typed-array gradient as well.
import { allocate, type FloatArray } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { broadcastShapes, formatShape } from '../shape/shape';
import { batchMomentsKernel, batchNormGradKernel, batchNormGradSumsKernel, batchNormKernel } from '../kernels/norm/batch_norm';
import { runOp } from '../tape/op_runner';
import { recording } from '../tape/recording_state';
import type { GradFn } from '../tape/tape_node';
import { requireFloat, toTensor } from './op_inputs';
import { add, div, mul, neg, reciprocal, sqrt, square, sub, sumToShape } from './arithmetic';
import { reduceSum } from './reduction';
import { reshape, slice } from './shape_ops';
import { moments } from './statistics';

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


/** fusedBatchNorm's result: the normalised y, and the batch statistics it used (values only, for moving averages). */
export interface FusedBatchNormResult {
  y: Tensor;
  mean: Tensor;
  variance: Tensor;
}

interface FusedBatchNormAttrs { epsilon: number; hasScale: boolean; hasOffset: boolean }

/**
 * Batch normalisation by the batch's own statistics over every axis but the last (TF's FusedBatchNormV3 in
 * training mode; the Keras BatchNormalization layer's training path). x is channels-last, scale and offset are
 * [channels] or null. Forward: the statistics (two passes) and the normalisation (one); backward: TF's
 * FusedBatchNormGrad in typed-array kernels (dx in two passes, dscale and doffset in one), or the same formula in
 * ops while a tape records the gradient itself (second order). The statistics carry no gradient of their own:
 * their dependence on x is inside dx, as in TF.
 */
export function fusedBatchNorm(input: Tensor, scaleParam: Tensor | null, offsetParam: Tensor | null, epsilon: number): FusedBatchNormResult {
  const op = 'fusedBatchNorm';
  const x = toTensor(op, input);
  const scale = scaleParam ? toTensor(op, scaleParam) : null, offset = offsetParam ? toTensor(op, offsetParam) : null;
  requireFloat(op, x);
  const channels = x.rank === 0 ? 0 : x.shape[x.rank - 1];
  for (const p of [scale, offset]) {
    if (p !== null && (p.rank !== 1 || p.size !== channels || p.dtype !== x.dtype)) {
      throw new Error(`${op}: scale and offset must be ${x.dtype} vectors of the channels of x ${formatShape(x.shape)}; got ${formatShape(p.shape)} ${p.dtype}`);
    }
  }
  if (x.rank < 2 || x.size === 0) throw new Error(`${op}: x must have a batch axis and channels; got ${formatShape(x.shape)}`);
  const stats = runOp('BatchMoments', [x], batchMoments, null);
  const inputs = [x, stats, ...(scale ? [scale] : []), ...(offset ? [offset] : [])];
  const attrs = { epsilon, hasScale: scale !== null, hasOffset: offset !== null };
  const y = runOp('FusedBatchNorm', inputs, (ins) => fusedBatchNormForward(ins, attrs), FUSED_BATCH_NORM_GRAD, attrs);
  const data = stats.dataSync() as FloatArray;
  return {
    y,
    mean: new Tensor(data.slice(0, channels), [channels], x.dtype),
    variance: new Tensor(data.slice(channels), [channels], x.dtype),
  };
}

/** [mean | variance] of x per channel, 2·channels long. */
function batchMoments([x]: Tensor[]): Tensor {
  const channels = x.shape[x.rank - 1];
  const stats = allocate(x.dtype, 2 * channels) as FloatArray;
  batchMomentsKernel(x.dataSync() as FloatArray, channels, stats);
  return new Tensor(stats, [2 * channels], x.dtype);
}

/** Splits FusedBatchNorm's inputs [x, stats, scale?, offset?] by its attributes. */
function fusedInputs(inputs: readonly Tensor[], { hasScale, hasOffset }: FusedBatchNormAttrs) {
  const [x, stats] = inputs;
  const scale = hasScale ? inputs[2] : null;
  const offset = hasOffset ? inputs[hasScale ? 3 : 2] : null;
  return { x, stats, scale, offset, channels: x.shape[x.rank - 1] };
}

function fusedBatchNormForward(inputs: readonly Tensor[], attrs: FusedBatchNormAttrs): Tensor {
  const { x, stats, scale, offset, channels } = fusedInputs(inputs, attrs);
  const s = stats.dataSync() as FloatArray;
  const data = (p: Tensor | null) => (p ? p.dataSync() as FloatArray : null);
  const out = allocate(x.dtype, x.size) as FloatArray;
  batchNormKernel(x.dataSync() as FloatArray, channels, { mean: s.subarray(0, channels), variance: s.subarray(channels), scale: data(scale), offset: data(offset), epsilon: attrs.epsilon }, out);
  return new Tensor(out, x.shape.slice(), x.dtype);
}

/** Whether some tape records right now, so a gradient computed now may itself be differentiated. */
function aTapeRecords(): boolean {
  return recording.tapes.some((t) => t.pausedDepth === 0);
}

/** Gradients for x, the statistics (none: their part is in dx), then scale and offset when present. */
const FUSED_BATCH_NORM_GRAD: GradFn<FusedBatchNormAttrs> = (dy, needs, inputs, _out, attrs) => {
  const { x, stats, scale, offset } = fusedInputs(inputs, attrs);
  const wantScale = scale !== null && needs[2];
  const wantOffset = offset !== null && needs[scale ? 3 : 2];
  const { dx, dscale, doffset } = aTapeRecords()
    ? fusedBatchNormGradInOps(dy, x, scale, attrs.epsilon)
    : fusedBatchNormGradInKernels(dy, x, stats, scale, attrs.epsilon, needs[0], wantScale || wantOffset);
  const grads: Array<Tensor | null> = [needs[0] ? dx : null, null];
  if (scale) grads.push(wantScale ? dscale : null);
  if (offset) grads.push(wantOffset ? doffset : null);
  return grads;
};

interface FusedGrads { dx: Tensor | null; dscale: Tensor | null; doffset: Tensor | null }

/** TF's FusedBatchNormGrad as two ops over typed-array kernels (neither differentiable again): the sums, then dx. */
function fusedBatchNormGradInKernels(dy: Tensor, x: Tensor, stats: Tensor, scale: Tensor | null, epsilon: number, wantDx: boolean, wantParams: boolean): FusedGrads {
  const channels = x.shape[x.rank - 1];
  const sums = runOp('FusedBatchNormGradSums', [dy, x, stats], ([g, xs, st]) => {
    const out = allocate(x.dtype, 2 * channels) as FloatArray;
    batchNormGradSumsKernel(g.dataSync() as FloatArray, xs.dataSync() as FloatArray, channels, st.dataSync() as FloatArray, epsilon, out);
    return new Tensor(out, [2 * channels], x.dtype);
  }, null);
  const dx = wantDx ? runOp('FusedBatchNormGrad', [dy, x, stats, sums, ...(scale ? [scale] : [])], ([g, xs, st, sm, s]) => {
    const out = allocate(x.dtype, x.size) as FloatArray;
    batchNormGradKernel(g.dataSync() as FloatArray, xs.dataSync() as FloatArray, channels, st.dataSync() as FloatArray, s ? s.dataSync() as FloatArray : null, epsilon, sm.dataSync() as FloatArray, out);
    return new Tensor(out, x.shape.slice(), x.dtype);
  }, null) : null;
  if (!wantParams) return { dx, dscale: null, doffset: null };
  return { dx, doffset: slice(sums, [0], [channels]), dscale: slice(sums, [channels], [channels]) };
}

/** The same gradients written with ops (the statistics recomputed from x), so they can be differentiated again. */
function fusedBatchNormGradInOps(dy: Tensor, x: Tensor, scale: Tensor | null, epsilon: number): FusedGrads {
  const channels = x.shape[x.rank - 1];
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / channels;
  const { mean, variance } = moments(x, axes, true);
  const invStd = reciprocal(sqrt(add(variance, epsilon)));
  const xhat = mul(sub(x, mean), invStd);
  const sumDy = reduceSum(dy, axes, true), sumDyXhat = reduceSum(mul(dy, xhat), axes, true);
  const k = scale ? mul(scale, invStd) : invStd;
  const dx = mul(k, sub(sub(dy, div(sumDy, count)), mul(xhat, div(sumDyXhat, count))));
  return { dx, dscale: reshape(sumDyXhat, [channels]), doffset: reshape(sumDy, [channels]) };
}
