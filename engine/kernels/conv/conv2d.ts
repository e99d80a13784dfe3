// Convolution for float32 runs in the WASM SIMD kernels of conv_wasm.ts (patches packed straight into the
// micro-kernel's panels); float64, and float32 where the runtime lacks WASM SIMD, run as a product with the
// im2col patch matrix through the matmul kernel. Its patch matrix is written straight into the buffer the
// product reads, and the input gradient's patch-shaped product is scattered straight from where the kernel leaves it.
import type { FloatArray } from '../../tensor/dtype';
import { matmulStaged } from '../matmul/matmul';
import { outputPositions, patchLength, type ConvGeometry } from './conv_geometry';
import { float32Kernels } from './conv_wasm';
import { col2im, im2col } from './im2col';

function copyRows(c: FloatArray, rowStride: number, out: FloatArray, rows: number, cols: number): void {
  if (rowStride === cols) { out.set(c.subarray(0, rows * cols)); return; }
  for (let i = 0; i < rows; i++) out.set(c.subarray(i * rowStride, i * rowStride + cols), i * cols);
}

/** out [b, oh, ow, out] = conv(x [b, h, w, in], filter [kh, kw, in, out]). */
export function conv2dKernel<T extends FloatArray>(x: T, filter: T, g: ConvGeometry, out: T): void {
  const wasm = float32Kernels(x, filter, out);
  if (wasm) wasm.conv2d(x as Float32Array, filter as Float32Array, g, out as Float32Array);
  else conv2dThroughMatmul(x, filter, g, out);
}

/** dx [b, h, w, in] = the input gradient of conv2d for output gradient dy [b, oh, ow, out] (overwrites dx). */
export function conv2dBackpropInputKernel<T extends FloatArray>(dy: T, filter: T, g: ConvGeometry, dx: T): void {
  const wasm = float32Kernels(dy, filter, dx);
  if (wasm) wasm.conv2dBackpropInput(dy as Float32Array, filter as Float32Array, g, dx as Float32Array);
  else conv2dBackpropInputThroughMatmul(dy, filter, g, dx);
}

/** dfilter [kh, kw, in, out] = the filter gradient of conv2d: patchesᵀ · dy (overwrites dfilter). */
export function conv2dBackpropFilterKernel<T extends FloatArray>(x: T, dy: T, g: ConvGeometry, dfilter: T): void {
  const wasm = float32Kernels(x, dy, dfilter);
  if (wasm) wasm.conv2dBackpropFilter(x as Float32Array, dy as Float32Array, g, dfilter as Float32Array);
  else conv2dBackpropFilterThroughMatmul(x, dy, g, dfilter);
}

/** conv2dKernel as patches · filter through the matmul kernel (every dtype). */
export function conv2dThroughMatmul<T extends FloatArray>(x: T, filter: T, g: ConvGeometry, out: T): void {
  const rows = outputPositions(g);
  const n = g.outChannels;
  matmulStaged(x, rows, patchLength(g), n, false, false,
    (dst) => im2col(x, g, dst), (dst) => dst.set(filter), (c, stride) => copyRows(c, stride, out, rows, n));
}

/** conv2dBackpropInputKernel as col2im(dy · filterᵀ) through the matmul kernel (every dtype). */
export function conv2dBackpropInputThroughMatmul<T extends FloatArray>(dy: T, filter: T, g: ConvGeometry, dx: T): void {
  dx.fill(0);
  matmulStaged(dy, outputPositions(g), g.outChannels, patchLength(g), false, true,
    (dst) => dst.set(dy), (dst) => dst.set(filter), (c, stride) => col2im(c, stride, g, dx));
}

/** conv2dBackpropFilterKernel as patchesᵀ · dy through the matmul kernel (every dtype). */
export function conv2dBackpropFilterThroughMatmul<T extends FloatArray>(x: T, dy: T, g: ConvGeometry, dfilter: T): void {
  const k = patchLength(g);
  const n = g.outChannels;
  matmulStaged(x, k, outputPositions(g), n, true, false,
    (dst) => im2col(x, g, dst), (dst) => dst.set(dy), (c, stride) => copyRows(c, stride, dfilter, k, n));
}
