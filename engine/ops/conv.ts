// Convolutions over NHWC images: tf.nn.conv2d, conv1d, depthwiseConv2d and conv2dTranspose. Each kind is three
// ops — the convolution, its input gradient and its filter gradient — and each of the three is bilinear, so
// its gradient is two of the others: that closes the set under differentiation (every order).
import { allocate, type FloatArray } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { windowAttrs, windowGeometry, type Padding, type Window } from '../shape/conv_shape';
import type { ConvGeometry } from '../kernels/conv/conv_geometry';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from '../kernels/conv/conv2d';
import {
  depthwiseConv2dBackpropFilterKernel, depthwiseConv2dBackpropInputKernel, depthwiseConv2dKernel,
} from '../kernels/conv/depthwise_conv2d';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { binaryInputs, requireFloat } from './op_inputs';
import { reshape } from './shape_ops';

type ConvKernel = (a: FloatArray, b: FloatArray, g: ConvGeometry, out: FloatArray) => void;

/** One kind of convolution: its three ops' names and kernels. */
interface ConvKind {
  op: string;
  inputGradOp: string;
  filterGradOp: string;
  forward: ConvKernel;
  backpropInput: ConvKernel;
  backpropFilter: ConvKernel;
}

const CONV2D: ConvKind = {
  op: 'Conv2D', inputGradOp: 'Conv2DBackpropInput', filterGradOp: 'Conv2DBackpropFilter',
  forward: conv2dKernel, backpropInput: conv2dBackpropInputKernel, backpropFilter: conv2dBackpropFilterKernel,
};

const DEPTHWISE: ConvKind = {
  op: 'DepthwiseConv2dNative', inputGradOp: 'DepthwiseConv2dNativeBackpropInput', filterGradOp: 'DepthwiseConv2dNativeBackpropFilter',
  forward: depthwiseConv2dKernel, backpropInput: depthwiseConv2dBackpropInputKernel, backpropFilter: depthwiseConv2dBackpropFilterKernel,
};

/** A resolved convolution: kind, geometry, filter shape and the attributes the trace shows. */
interface Conv {
  kind: ConvKind;
  g: ConvGeometry;
  filterShape: number[];
  attrs: Record<string, unknown>;
}

/** What each of the three ops keeps on its node: the trace's attributes plus the resolved convolution (not JSON, so not traced). */
type ConvAttrs = Record<string, unknown> & { conv: Conv };

function outputShape(g: ConvGeometry): number[] {
  return [g.batch, g.outHeight, g.outWidth, g.outChannels];
}

function inputShape(g: ConvGeometry): number[] {
  return [g.batch, g.inHeight, g.inWidth, g.inChannels];
}

function run(op: string, a: Tensor, b: Tensor, shape: number[], kernel: ConvKernel, c: Conv, grad: GradFn<ConvAttrs>): Tensor {
  return runOp(op, [a, b], () => {
    const out = allocate(a.dtype, shape[0] * shape[1] * shape[2] * shape[3]) as FloatArray;
    kernel(a.dataSync() as FloatArray, b.dataSync() as FloatArray, c.g, out);
    return new Tensor(out, shape, a.dtype);
  }, grad, { ...c.attrs, conv: c });
}

function convolve(c: Conv, x: Tensor, filter: Tensor): Tensor {
  return run(c.kind.op, x, filter, outputShape(c.g), c.kind.forward, c, CONVOLVE_GRAD);
}

/** conv(x, filter): dx = backpropInput(dy, filter), dfilter = backpropFilter(x, dy). */
const CONVOLVE_GRAD: GradFn<ConvAttrs> = (dy, needs, [x, filter], _out, { conv }) =>
  [needs[0] ? backpropInput(conv, dy, filter) : null, needs[1] ? backpropFilter(conv, x, dy) : null];

function backpropInput(c: Conv, dy: Tensor, filter: Tensor): Tensor {
  return run(c.kind.inputGradOp, dy, filter, inputShape(c.g), c.kind.backpropInput, c, BACKPROP_INPUT_GRAD);
}

/** backpropInput(dy, filter) is bilinear: d(dy) = conv(g, filter), dfilter = backpropFilter(g, dy). */
const BACKPROP_INPUT_GRAD: GradFn<ConvAttrs> = (g, needs, [dy, filter], _out, { conv }) =>
  [needs[0] ? convolve(conv, g, filter) : null, needs[1] ? backpropFilter(conv, g, dy) : null];

function backpropFilter(c: Conv, x: Tensor, dy: Tensor): Tensor {
  return run(c.kind.filterGradOp, x, dy, c.filterShape, c.kind.backpropFilter, c, BACKPROP_FILTER_GRAD);
}

/** backpropFilter(x, dy) is bilinear: dx = backpropInput(dy, g), d(dy) = conv(x, g). */
const BACKPROP_FILTER_GRAD: GradFn<ConvAttrs> = (g, needs, [x, dy], _out, { conv }) =>
  [needs[0] ? backpropInput(conv, dy, g) : null, needs[1] ? convolve(conv, x, g) : null];

function requireNHWC(op: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast' && dataFormat !== 'NWC') {
    throw new Error(`${op}: data format ${dataFormat} is not supported (only NHWC, channels last, as TF on CPU)`);
  }
}

/** Checks operands, adds a batch axis to a rank-3 input, and resolves the geometry. */
function resolve(op: string, kind: ConvKind, input: TensorLike, filters: TensorLike, strides: Window, padding: Padding, dataFormat: string | undefined, dilations: Window | undefined): { c: Conv; x: Tensor; f: Tensor; unbatched: boolean } {
  const [x0, f] = binaryInputs(op, input, filters);
  requireFloat(op, x0);
  requireNHWC(op, dataFormat);
  if (x0.rank !== 4 && x0.rank !== 3) throw new Error(`${op}: input must be rank 4 [batch, height, width, channels] (or rank 3), got shape ${formatShape(x0.shape)}`);
  if (f.rank !== 4) throw new Error(`${op}: filter must be rank 4 [height, width, in_channels, ${kind === DEPTHWISE ? 'channel_multiplier' : 'out_channels'}], got shape ${formatShape(f.shape)}`);
  const unbatched = x0.rank === 3;
  const x = unbatched ? reshape(x0, [1, ...x0.shape]) : x0;
  const inChannels = x.shape[3];
  if (inChannels !== f.shape[2]) throw new Error(`${op}: input depth ${inChannels} does not match filter depth ${f.shape[2]} in ${formatShape(f.shape)}`);
  const outChannels = kind === DEPTHWISE ? inChannels * f.shape[3] : f.shape[3];
  const g = windowGeometry(op, x.shape, { filterHeight: f.shape[0], filterWidth: f.shape[1], strides, dilations, padding }, outChannels);
  return { c: { kind, g, filterShape: f.shape.slice(), attrs: windowAttrs(g, padding) }, x, f, unbatched };
}

function dropBatch(y: Tensor, unbatched: boolean): Tensor {
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * 2-D convolution of NHWC images with a filter bank (tf.nn.conv2d; cross-correlation, as TF).
 *
 * @param input `[batch, height, width, in]` (or `[height, width, in]`), float32/float64.
 * @param filters `[filterHeight, filterWidth, in, out]`, same dtype.
 * @param strides `n`, `[h, w]` or `[1, h, w, 1]`.
 * @param padding `'SAME'`, `'VALID'`, or explicit `[[0, 0], [top, bottom], [left, right], [0, 0]]` (or one number).
 * @param dataFormat only `'NHWC'` (the default).
 * @param dilations `n`, `[h, w]` or `[1, h, w, 1]` (default 1).
 * @returns `[batch, outHeight, outWidth, out]`.
 * @throws when ranks, depths, strides, dilations or padding are invalid ("conv2d: input depth 3 does not match filter depth 1 in [5,5,1,32]").
 * @example
 * const images = tf.random.normal([2, 28, 28, 1]);
 * const filters = tf.random.normal([3, 3, 1, 8]);
 * tf.nn.conv2d(images, filters, 1, 'SAME').shape  // [2, 28, 28, 8]
 */
export function conv2d(input: TensorLike, filters: TensorLike, strides: Window, padding: Padding, dataFormat = 'NHWC', dilations?: Window): Tensor {
  const { c, x, f, unbatched } = resolve('conv2d', CONV2D, input, filters, strides, padding, dataFormat, dilations);
  return dropBatch(convolve(c, x, f), unbatched);
}

/**
 * 1-D convolution over `[batch, width, in]` sequences (tf.nn.conv1d), run as a conv2d of height 1.
 *
 * @param input `[batch, width, in]` (or `[width, in]`). @param filters `[filterWidth, in, out]`.
 * @param stride a number (or `[s]`, `[1, s, 1]`). @param padding `'SAME'`, `'VALID'` or a number.
 * @param dataFormat only `'NWC'`. @param dilation a number (default 1).
 * @returns `[batch, outWidth, out]`.
 * @throws as conv2d, naming conv1d.
 * @example
 * tf.nn.conv1d(tf.ones([1, 10, 2]), tf.ones([3, 2, 4]), 1, 'VALID').shape  // [1, 8, 4]
 */
export function conv1d(input: TensorLike, filters: TensorLike, stride: number | readonly number[], padding: Exclude<Padding, readonly unknown[]>, dataFormat = 'NWC', dilation: number | readonly number[] = 1): Tensor {
  const [x, f] = binaryInputs('conv1d', input, filters);
  if (x.rank !== 3 && x.rank !== 2) throw new Error(`conv1d: input must be rank 3 [batch, width, channels] (or rank 2), got shape ${formatShape(x.shape)}`);
  if (f.rank !== 3) throw new Error(`conv1d: filter must be rank 3 [width, in_channels, out_channels], got shape ${formatShape(f.shape)}`);
  const s = typeof stride === 'number' ? stride : stride.length === 3 ? stride[1] : stride[0];
  const d = typeof dilation === 'number' ? dilation : dilation.length === 3 ? dilation[1] : dilation[0];
  const x4 = reshape(x, x.rank === 3 ? [x.shape[0], 1, x.shape[1], x.shape[2]] : [1, x.shape[0], x.shape[1]]);
  const { c, x: xs, f: fs } = resolve('conv1d', CONV2D, x4, reshape(f, [1, ...f.shape]), [1, s], padding, dataFormat, [1, d]);
  const y = convolve(c, xs, fs);
  return reshape(y, x.rank === 3 ? [y.shape[0], y.shape[2], y.shape[3]] : [y.shape[2], y.shape[3]]);
}

/**
 * Depthwise 2-D convolution (tf.nn.depthwiseConv2d): each input channel gets its own `multiplier` filters.
 *
 * @param input `[batch, height, width, in]` (or rank 3). @param filter `[filterHeight, filterWidth, in, multiplier]`.
 * @param strides As conv2d; padding, dataFormat and dilations too.
 * @returns `[batch, outHeight, outWidth, in · multiplier]` (output channel `c · multiplier + q`).
 * @throws as conv2d, naming depthwiseConv2d.
 * @example
 * tf.nn.depthwiseConv2d(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 3, 2]), 1, 'SAME').shape  // [1, 5, 5, 6]
 */
export function depthwiseConv2d(input: TensorLike, filter: TensorLike, strides: Window, padding: Padding, dataFormat = 'NHWC', dilations?: Window): Tensor {
  const { c, x, f, unbatched } = resolve('depthwiseConv2d', DEPTHWISE, input, filter, strides, padding, dataFormat, dilations);
  return dropBatch(convolve(c, x, f), unbatched);
}

/**
 * Transposed 2-D convolution (tf.nn.conv2dTranspose, "deconvolution"): the input gradient of conv2d, which maps
 * `outputShape` images to `input`'s shape.
 *
 * @param input `[batch, height, width, in]`. @param filters `[filterHeight, filterWidth, out, in]` (note: out before in).
 * @param outputShape `[batch, outHeight, outWidth, out]`; conv2d of it with these strides and padding must give input's height and width.
 * @param strides As conv2d; padding ('SAME' by default), dataFormat and dilations too.
 * @throws when the shapes do not fit together.
 * @example
 * tf.nn.conv2dTranspose(tf.ones([1, 4, 4, 8]), tf.ones([3, 3, 1, 8]), [1, 8, 8, 1], 2, 'SAME').shape  // [1, 8, 8, 1]
 */
export function conv2dTranspose(input: TensorLike, filters: TensorLike, outputShape: readonly number[], strides: Window, padding: Padding = 'SAME', dataFormat = 'NHWC', dilations?: Window): Tensor {
  const op = 'conv2dTranspose';
  const [dy0, f] = binaryInputs(op, input, filters);
  requireFloat(op, dy0);
  requireNHWC(op, dataFormat);
  const unbatched = dy0.rank === 3;
  const dy = unbatched ? reshape(dy0, [1, ...dy0.shape]) : dy0;
  const outShape = outputShape.length === 3 ? [1, ...outputShape] : [...outputShape];
  if (dy.rank !== 4 || f.rank !== 4 || outShape.length !== 4) {
    throw new Error(`${op}: input ${formatShape(dy0.shape)} and filter ${formatShape(f.shape)} must be rank 4, output_shape ${formatShape(outputShape)} of length 4`);
  }
  if (outShape[3] !== f.shape[2]) throw new Error(`${op}: output_shape depth ${outShape[3]} does not match filter depth ${f.shape[2]} in ${formatShape(f.shape)}`);
  if (dy.shape[3] !== f.shape[3]) throw new Error(`${op}: input depth ${dy.shape[3]} does not match filter output depth ${f.shape[3]} in ${formatShape(f.shape)}`);
  if (outShape[0] !== dy.shape[0]) throw new Error(`${op}: output_shape batch ${outShape[0]} does not match input batch ${dy.shape[0]}`);
  const g = windowGeometry(op, outShape, { filterHeight: f.shape[0], filterWidth: f.shape[1], strides, dilations, padding }, f.shape[3]);
  if (g.outHeight !== dy.shape[1] || g.outWidth !== dy.shape[2]) {
    throw new Error(`${op}: output_shape ${formatShape(outputShape)} does not fit: a conv2d of it gives ${g.outHeight}×${g.outWidth}, but input ${formatShape(dy0.shape)} is ${dy.shape[1]}×${dy.shape[2]}`);
  }
  const c: Conv = { kind: CONV2D, g, filterShape: f.shape.slice(), attrs: windowAttrs(g, padding) };
  return dropBatch(backpropInput(c, dy, f), unbatched);
}
