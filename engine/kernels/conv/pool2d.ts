// Max and average pooling over NHWC windows. Max pooling finds, once, the input index each output takes
// (the first maximum, as TF; float32 in the WASM SIMD kernel, four channels at a time, with the maxima); its
// gradient and gradient-of-gradient are then scatters and gathers along that index. Average pooling divides by the window's cells inside the image (padding is not counted, as TF).
import type { FloatArray } from '../../tensor/dtype';
import type { ConvGeometry } from './conv_geometry';
import { float32Kernels } from './conv_wasm';

/** Visits each output (b, oy, ox) with the clipped window rows [y0, y1) and columns [x0, x1) in the input. */
function forEachWindow(g: ConvGeometry, visit: (outAt: number, imageAt: number, y0: number, y1: number, x0: number, x1: number) => void): void {
  const C = g.inChannels;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const top = oy * g.strideHeight - g.padTop;
      const y0 = Math.max(top, 0), y1 = Math.min(top + g.filterHeight, g.inHeight);
      for (let ox = 0; ox < g.outWidth; ox++) {
        const left = ox * g.strideWidth - g.padLeft;
        const x0 = Math.max(left, 0), x1 = Math.min(left + g.filterWidth, g.inWidth);
        visit(((b * g.outHeight + oy) * g.outWidth + ox) * C, b * g.inHeight * g.inWidth * C, y0, y1, x0, x1);
      }
    }
  }
}

/**
 * For every output value, the flat index into x of its window's first maximum (a NaN wins, as it propagates
 * in TF). Windows are scanned position by position with all channels at once, reading x in storage order.
 */
export function maxPoolArgmax(x: FloatArray, g: ConvGeometry): Int32Array {
  const C = g.inChannels, W = g.inWidth;
  const argmax = new Int32Array(g.batch * g.outHeight * g.outWidth * C);
  const best = new Float64Array(C);
  let outAt = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * g.inHeight * W * C;
    for (let oy = 0; oy < g.outHeight; oy++) {
      const top = oy * g.strideHeight - g.padTop;
      const y0 = Math.max(top, 0), y1 = Math.min(top + g.filterHeight, g.inHeight);
      for (let ox = 0; ox < g.outWidth; ox++, outAt += C) {
        const left = ox * g.strideWidth - g.padLeft;
        const x0 = Math.max(left, 0), x1 = Math.min(left + g.filterWidth, W);
        const first = image + (y0 * W + x0) * C;
        for (let c = 0; c < C; c++) { best[c] = x[first + c]; argmax[outAt + c] = first + c; }
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = iy === y0 ? x0 + 1 : x0; ix < x1; ix++) {
            const at = image + (iy * W + ix) * C;
            for (let c = 0; c < C; c++) {
              const v = x[at + c];
              if (v > best[c] || (v !== v && best[c] === best[c])) { best[c] = v; argmax[outAt + c] = at + c; }
            }
          }
        }
      }
    }
  }
  return argmax;
}

/** Max pooling's forward: writes each window's maximum into out and returns the argmax it came from. */
export function maxPoolKernel(x: FloatArray, g: ConvGeometry, out: FloatArray): Int32Array {
  const wasm = float32Kernels(x, out);
  if (wasm) {
    const argmax = new Int32Array(out.length);
    wasm.maxPool(x as Float32Array, g, out as Float32Array, argmax);
    return argmax;
  }
  const argmax = maxPoolArgmax(x, g);
  gatherAtArgmax(x, argmax, out);
  return argmax;
}

/** out[i] = source[argmax[i]]: max pooling's forward (source x) and its gradient-of-gradient (source g). */
export function gatherAtArgmax(source: FloatArray, argmax: Int32Array, out: FloatArray): void {
  for (let i = 0; i < argmax.length; i++) out[i] = source[argmax[i]];
}

/** dx[argmax[i]] += dy[i]: max pooling's input gradient (overwrites dx). */
export function scatterToArgmax(dy: FloatArray, argmax: Int32Array, dx: FloatArray): void {
  dx.fill(0);
  for (let i = 0; i < argmax.length; i++) dx[argmax[i]] += dy[i];
}

/** out = the mean of each window's cells inside the image. */
export function avgPoolKernel(x: FloatArray, g: ConvGeometry, out: FloatArray): void {
  const C = g.inChannels, W = g.inWidth;
  forEachWindow(g, (outAt, imageAt, y0, y1, x0, x1) => {
    const scale = 1 / Math.max((y1 - y0) * (x1 - x0), 1);
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += x[imageAt + (iy * W + ix) * C + c];
      out[outAt + c] = s * scale;
    }
  });
}

/** dx = average pooling's input gradient (its adjoint): each window's dy shared among its cells (overwrites dx). */
export function avgPoolBackpropKernel(dy: FloatArray, g: ConvGeometry, dx: FloatArray): void {
  const C = g.inChannels, W = g.inWidth;
  dx.fill(0);
  forEachWindow(g, (outAt, imageAt, y0, y1, x0, x1) => {
    const scale = 1 / Math.max((y1 - y0) * (x1 - x0), 1);
    for (let c = 0; c < C; c++) {
      const share = dy[outAt + c] * scale;
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) dx[imageAt + (iy * W + ix) * C + c] += share;
    }
  });
}
