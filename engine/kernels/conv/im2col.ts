// im2col and its adjoint col2im for NHWC images. Row r of the patch matrix is output position (b, oy, ox);
// column (ky, kx, c) is the input value under filter tap (ky, kx) in channel c, zero where the tap falls in
// the padding. That column order is the filter's own [kh, kw, in, out] layout, so a convolution is
// patches · filter with no reordering of either.
import type { FloatArray } from '../../tensor/dtype';
import type { ConvGeometry } from './conv_geometry';

/** Writes the patch matrix [positions, kh·kw·in] of x into dst. */
export function im2col(x: FloatArray, g: ConvGeometry, dst: FloatArray): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: kh, filterWidth: kw } = g;
  const rowLength = kh * kw * C;
  let row = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * H * W * C;
    for (let oy = 0; oy < g.outHeight; oy++) {
      const y0 = oy * g.strideHeight - g.padTop;
      for (let ox = 0; ox < g.outWidth; ox++, row++) {
        const x0 = ox * g.strideWidth - g.padLeft;
        let at = row * rowLength;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y0 + ky * g.dilationHeight;
          if (iy < 0 || iy >= H) {
            dst.fill(0, at, at + kw * C);
            at += kw * C;
            continue;
          }
          const line = image + iy * W * C;
          for (let kx = 0; kx < kw; kx++, at += C) {
            const ix = x0 + kx * g.dilationWidth;
            if (ix < 0 || ix >= W) { dst.fill(0, at, at + C); continue; }
            // a plain loop: a subarray view per tap would be garbage by the hundred thousand per call
            const from = line + ix * C;
            for (let c = 0; c < C; c++) dst[at + c] = x[from + c];
          }
        }
      }
    }
  }
}

/** Adds each patch-matrix entry (rows `rowStride` apart) back onto the input value it was read from: dx += col2im(cols). */
export function col2im(cols: FloatArray, rowStride: number, g: ConvGeometry, dx: FloatArray): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: kh, filterWidth: kw } = g;
  let row = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * H * W * C;
    for (let oy = 0; oy < g.outHeight; oy++) {
      const y0 = oy * g.strideHeight - g.padTop;
      for (let ox = 0; ox < g.outWidth; ox++, row++) {
        const x0 = ox * g.strideWidth - g.padLeft;
        let at = row * rowStride;
        for (let ky = 0; ky < kh; ky++) {
          const iy = y0 + ky * g.dilationHeight;
          if (iy < 0 || iy >= H) { at += kw * C; continue; }
          const line = image + iy * W * C;
          for (let kx = 0; kx < kw; kx++, at += C) {
            const ix = x0 + kx * g.dilationWidth;
            if (ix < 0 || ix >= W) continue;
            const to = line + ix * C;
            for (let c = 0; c < C; c++) dx[to + c] += cols[at + c];
          }
        }
      }
    }
  }
}
