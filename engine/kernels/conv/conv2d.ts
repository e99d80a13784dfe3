// Convolution as a product with the im2col patch matrix, run by the matmul kernel (WASM SIMD for float32).
// The patch matrix is written straight into the buffer the product reads (the WASM memory on that path), and
// the input gradient's patch-shaped product is scattered straight from where the kernel leaves it.
import type { FloatArray } from '../../tensor/dtype';
import { matmulStaged } from '../matmul/matmul';
import { outputPositions, patchLength, type ConvGeometry } from './conv_geometry';
import { col2im, im2col } from './im2col';

function copyRows(c: FloatArray, rowStride: number, out: FloatArray, rows: number, cols: number): void {
  if (rowStride === cols) { out.set(c.subarray(0, rows * cols)); return; }
  for (let i = 0; i < rows; i++) out.set(c.subarray(i * rowStride, i * rowStride + cols), i * cols);
}

/** out [b, oh, ow, out] = conv(x [b, h, w, in], filter [kh, kw, in, out]). */
export function conv2dKernel<T extends FloatArray>(x: T, filter: T, g: ConvGeometry, out: T): void {
  const rows = outputPositions(g);
  const n = g.outChannels;
  matmulStaged(x, rows, patchLength(g), n, false, false,
    (dst) => im2col(x, g, dst), (dst) => dst.set(filter), (c, stride) => copyRows(c, stride, out, rows, n));
}

/** dx [b, h, w, in] = the input gradient of conv2d for output gradient dy [b, oh, ow, out] (overwrites dx). */
export function conv2dBackpropInputKernel<T extends FloatArray>(dy: T, filter: T, g: ConvGeometry, dx: T): void {
  dx.fill(0);
  matmulStaged(dy, outputPositions(g), g.outChannels, patchLength(g), false, true,
    (dst) => dst.set(dy), (dst) => dst.set(filter), (c, stride) => col2im(c, stride, g, dx));
}

/** dfilter [kh, kw, in, out] = the filter gradient of conv2d: patchesᵀ · dy (overwrites dfilter). */
export function conv2dBackpropFilterKernel<T extends FloatArray>(x: T, dy: T, g: ConvGeometry, dfilter: T): void {
  const k = patchLength(g);
  const n = g.outChannels;
  matmulStaged(x, k, outputPositions(g), n, true, false,
    (dst) => im2col(x, g, dst), (dst) => dst.set(dy), (c, stride) => copyRows(c, stride, dfilter, k, n));
}
