// tf.image.resize: bilinear and nearest-neighbour resizing of NHWC images with TF2's half-pixel centres.
// Resizing is linear in the images; its gradient is the adjoint scatter, whose gradient is the resize again.
import { allocate, type FloatArray } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { axisTaps, resizeBackpropKernel, resizeKernel, type ResizeGeometry } from '../kernels/conv/resize';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { toTensor } from './op_inputs';
import { cast } from './comparison';
import { reshape } from './shape_ops';

export type ResizeMethod = 'bilinear' | 'nearest';

const OPS: Record<ResizeMethod, [string, string]> = {
  bilinear: ['ResizeBilinear', 'ResizeBilinearGrad'],
  nearest: ['ResizeNearestNeighbor', 'ResizeNearestNeighborGrad'],
};

/** What resize ops keep on their nodes: the method and size (traced) and the taps (not JSON, not traced). */
interface ResizeAttrs { method: ResizeMethod; size: number[]; geometry: ResizeGeometry }

function resized(method: ResizeMethod, g: ResizeGeometry, images: Tensor): Tensor {
  const shape = [g.batch, g.rows.lower.length, g.cols.lower.length, g.channels];
  return runOp(OPS[method][0], [images], () => {
    const out = allocate(images.dtype, shape[0] * shape[1] * shape[2] * shape[3]) as FloatArray;
    resizeKernel(images.dataSync() as FloatArray, g, out);
    return new Tensor(out, shape, images.dtype);
  }, RESIZE_GRAD, { method, size: [shape[1], shape[2]], geometry: g });
}

const RESIZE_GRAD: GradFn<ResizeAttrs> = (dy, _needs, _inputs, _out, { method, geometry }) => [resizeGrad(method, geometry, dy)];

function resizeGrad(method: ResizeMethod, g: ResizeGeometry, dy: Tensor): Tensor {
  const shape = [g.batch, g.inHeight, g.inWidth, g.channels];
  return runOp(OPS[method][1], [dy], () => {
    const out = allocate(dy.dtype, shape[0] * shape[1] * shape[2] * shape[3]) as FloatArray;
    resizeBackpropKernel(dy.dataSync() as FloatArray, g, out);
    return new Tensor(out, shape, dy.dtype);
  }, RESIZE_GRAD_GRAD, { method, size: [g.inHeight, g.inWidth], geometry: g });
}

const RESIZE_GRAD_GRAD: GradFn<ResizeAttrs> = (g2, _needs, _inputs, _out, { method, geometry }) => [resized(method, geometry, g2)];

/** Options of tf.image.resize beyond the method. */
export interface ResizeOptions {
  /** Keep the aspect ratio: the result fits inside `size` (default false). */
  preserveAspectRatio?: boolean;
  /** Not supported (TF's anti-aliasing filter for downsampling); true throws. */
  antialias?: boolean;
}

/**
 * Resizes NHWC images to `size` (tf.image.resize), sampling at half-pixel centres as TF2 does.
 *
 * @param images `[batch, height, width, channels]` or `[height, width, channels]`; integer images become float32.
 * @param size `[newHeight, newWidth]`, positive integers.
 * @param method `'bilinear'` (default) or `'nearest'`.
 * @param options `preserveAspectRatio` (or pass it as a boolean 4th argument, as in Python).
 * @returns float images `[batch, newHeight, newWidth, channels]`.
 * @throws on a bad rank or size, or another method.
 * @example
 * tf.image.resize(tf.reshape(tf.constant([0, 1, 2, 3]), [1, 2, 2, 1]), [4, 4]).shape  // [1, 4, 4, 1]
 */
export function resize(images: TensorLike, size: readonly number[], method: ResizeMethod = 'bilinear', options: ResizeOptions | boolean = {}): Tensor {
  const op = 'image.resize';
  const opts = typeof options === 'boolean' ? { preserveAspectRatio: options } : options;
  let x = toTensor(op, images);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') x = cast(x, 'float32');
  if (x.rank !== 4 && x.rank !== 3) throw new Error(`${op}: images must be rank 4 [batch, height, width, channels] or rank 3, got shape ${formatShape(x.shape)}`);
  if (method !== 'bilinear' && method !== 'nearest') throw new Error(`${op}: method '${String(method)}' is not supported (use 'bilinear' or 'nearest')`);
  if (opts.antialias) throw new Error(`${op}: antialias is not supported`);
  if (size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`${op}: size must be [newHeight, newWidth] of positive integers, got ${formatShape(size)}`);
  const unbatched = x.rank === 3;
  const x4 = unbatched ? reshape(x, [1, ...x.shape]) : x;
  const [, h, w, c] = x4.shape;
  let [oh, ow] = size;
  if (opts.preserveAspectRatio) {
    const scale = Math.min(oh / h, ow / w);
    oh = Math.max(1, Math.round(h * scale));
    ow = Math.max(1, Math.round(w * scale));
  }
  const g: ResizeGeometry = { batch: x4.shape[0], inHeight: h, inWidth: w, channels: c, rows: axisTaps(h, oh, method), cols: axisTaps(w, ow, method) };
  const y = resized(method, g, x4);
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}
