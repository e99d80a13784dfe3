// Pooling over NHWC windows: tf.nn.maxPool2d and tf.nn.avgPool2d. Max pooling routes each output's gradient
// to the input its window took (the first maximum); average pooling is linear, its gradient is its adjoint and
// the adjoint's gradient is average pooling again.
import { allocate, type FloatArray } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { windowAttrs, windowGeometry, windowPair, type Padding, type Window } from '../shape/conv_shape';
import type { ConvGeometry } from '../kernels/conv/conv_geometry';
import { avgPoolBackpropKernel, avgPoolKernel, gatherAtArgmax, maxPoolArgmax, maxPoolKernel, scatterToArgmax } from '../kernels/conv/pool2d';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { requireFloat, toTensor } from './op_inputs';
import { reshape } from './shape_ops';
import { zerosLike } from './creation';

interface Pool {
  g: ConvGeometry;
  attrs: Record<string, unknown>;
  /** The last argmax computed, for the input it belongs to: forward and gradient share it. */
  argmaxOf?: { x: Tensor; argmax: Int32Array };
}

function argmaxOf(p: Pool, x: Tensor): Int32Array {
  if (p.argmaxOf?.x !== x) p.argmaxOf = { x, argmax: maxPoolArgmax(x.dataSync() as FloatArray, p.g) };
  return p.argmaxOf.argmax;
}

function pooledShape(g: ConvGeometry): number[] {
  return [g.batch, g.outHeight, g.outWidth, g.inChannels];
}

function imageShape(g: ConvGeometry): number[] {
  return [g.batch, g.inHeight, g.inWidth, g.inChannels];
}

function fresh(like: Tensor, shape: number[], fill: (out: FloatArray) => void): Tensor {
  const out = allocate(like.dtype, shape[0] * shape[1] * shape[2] * shape[3]) as FloatArray;
  fill(out);
  return new Tensor(out, shape, like.dtype);
}

function resolvePool(op: string, input: TensorLike, ksize: Window, strides: Window, padding: Padding, dataFormat: string): { p: Pool; x: Tensor; unbatched: boolean } {
  const x0 = toTensor(op, input);
  requireFloat(op, x0);
  if (dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') throw new Error(`${op}: data format ${dataFormat} is not supported (only NHWC, channels last, as TF on CPU)`);
  if (x0.rank !== 4 && x0.rank !== 3) throw new Error(`${op}: input must be rank 4 [batch, height, width, channels] (or rank 3), got shape ${formatShape(x0.shape)}`);
  const unbatched = x0.rank === 3;
  const x = unbatched ? reshape(x0, [1, ...x0.shape]) : x0;
  const [filterHeight, filterWidth] = windowPair(op, 'ksize', ksize);
  if (Array.isArray(padding) && padding.slice(1, 3).some((pair, axis) => pair.some((n: number) => n >= (axis === 0 ? filterHeight : filterWidth)))) {
    throw new Error(`${op}: explicit padding ${JSON.stringify(padding)} must be smaller than the window [${filterHeight},${filterWidth}] (a window of padding only has no value)`);
  }
  const g = windowGeometry(op, x.shape, { filterHeight, filterWidth, strides, padding }, x.shape[3]);
  const attrs = windowAttrs(g, padding);
  delete attrs.dilations;
  return { p: { g, attrs }, x, unbatched };
}

function dropBatch(y: Tensor, unbatched: boolean): Tensor {
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

/** What pooling ops keep on their nodes: the trace's attributes plus the resolved pool (not JSON, so not traced). */
type PoolAttrs = Record<string, unknown> & { pool: Pool };

function attrsOf(p: Pool): PoolAttrs {
  return { ...p.attrs, pool: p };
}

function maxPool(p: Pool, x: Tensor): Tensor {
  return runOp('MaxPool', [x], () => fresh(x, pooledShape(p.g), (out) => { p.argmaxOf = { x, argmax: maxPoolKernel(x.dataSync() as FloatArray, p.g, out) }; }),
    MAX_POOL_GRAD, attrsOf(p));
}

const MAX_POOL_GRAD: GradFn<PoolAttrs> = (dy, _needs, [x], _out, { pool }) => [maxPoolGrad(pool, x, dy)];

/** dx: dy routed to each window's maximum. Inputs (x, dy); the gradient with respect to x is zero. */
function maxPoolGrad(p: Pool, x: Tensor, dy: Tensor): Tensor {
  return runOp('MaxPoolGrad', [x, dy], () => fresh(x, imageShape(p.g), (dx) => scatterToArgmax(dy.dataSync() as FloatArray, argmaxOf(p, x), dx)),
    MAX_POOL_GRAD_GRAD, attrsOf(p));
}

const MAX_POOL_GRAD_GRAD: GradFn<PoolAttrs> = (g, needs, [x], _out, { pool }) =>
  [needs[0] ? zerosLike(x) : null, needs[1] ? maxPoolGradGrad(pool, x, g) : null];

/** g read at each window's maximum (pooled shape): the gradient of maxPoolGrad with respect to dy. */
function maxPoolGradGrad(p: Pool, x: Tensor, g: Tensor): Tensor {
  return runOp('MaxPoolGradGrad', [x, g], () => fresh(x, pooledShape(p.g), (out) => gatherAtArgmax(g.dataSync() as FloatArray, argmaxOf(p, x), out)),
    MAX_POOL_GRAD_GRAD_GRAD, attrsOf(p));
}

const MAX_POOL_GRAD_GRAD_GRAD: GradFn<PoolAttrs> = (gg, needs, [x], _out, { pool }) =>
  [needs[0] ? zerosLike(x) : null, needs[1] ? maxPoolGrad(pool, x, gg) : null];

function avgPool(p: Pool, x: Tensor): Tensor {
  return runOp('AvgPool', [x], () => fresh(x, pooledShape(p.g), (out) => avgPoolKernel(x.dataSync() as FloatArray, p.g, out)),
    AVG_POOL_GRAD, attrsOf(p));
}

const AVG_POOL_GRAD: GradFn<PoolAttrs> = (dy, _needs, _inputs, _out, { pool }) => [avgPoolGrad(pool, dy)];

function avgPoolGrad(p: Pool, dy: Tensor): Tensor {
  return runOp('AvgPoolGrad', [dy], () => fresh(dy, imageShape(p.g), (dx) => avgPoolBackpropKernel(dy.dataSync() as FloatArray, p.g, dx)),
    AVG_POOL_GRAD_GRAD, attrsOf(p));
}

const AVG_POOL_GRAD_GRAD: GradFn<PoolAttrs> = (g, _needs, _inputs, _out, { pool }) => [avgPool(pool, g)];

/**
 * Max pooling over NHWC windows (tf.nn.maxPool2d): each output is its window's largest value; the gradient goes
 * to that one input (the first, on ties), every other input's gradient is zero.
 *
 * @param input `[batch, height, width, channels]` (or rank 3), float32/float64.
 * @param ksize window size: `n`, `[h, w]` or `[1, h, w, 1]`.
 * @param strides `n`, `[h, w]` or `[1, h, w, 1]`.
 * @param padding `'SAME'`, `'VALID'` or explicit `[[0, 0], [top, bottom], [left, right], [0, 0]]`; padding never wins.
 * @param dataFormat only `'NHWC'`.
 * @returns `[batch, outHeight, outWidth, channels]`.
 * @throws on bad ranks, window sizes, strides or padding.
 * @example
 * tf.nn.maxPool2d(tf.reshape(tf.range(16), [1, 4, 4, 1]), 2, 2, 'VALID').reshape([2, 2])  // [[5, 7], [13, 15]]
 */
export function maxPool2d(input: TensorLike, ksize: Window, strides: Window, padding: Padding, dataFormat = 'NHWC'): Tensor {
  const { p, x, unbatched } = resolvePool('maxPool2d', input, ksize, strides, padding, dataFormat);
  return dropBatch(maxPool(p, x), unbatched);
}

/**
 * Average pooling over NHWC windows (tf.nn.avgPool2d); with 'SAME' padding each window averages only its cells
 * inside the image, as TF.
 *
 * @param input `[batch, height, width, channels]` (or rank 3).
 * @param ksize As maxPool2d; strides, padding and dataFormat too.
 * @returns `[batch, outHeight, outWidth, channels]`.
 * @throws on bad ranks, window sizes, strides or padding.
 * @example
 * tf.nn.avgPool2d(tf.reshape(tf.range(16), [1, 4, 4, 1]), 2, 2, 'VALID').reshape([2, 2])  // [[2.5, 4.5], [10.5, 12.5]]
 */
export function avgPool2d(input: TensorLike, ksize: Window, strides: Window, padding: Padding, dataFormat = 'NHWC'): Tensor {
  const { p, x, unbatched } = resolvePool('avgPool2d', input, ksize, strides, padding, dataFormat);
  return dropBatch(avgPool(p, x), unbatched);
}
