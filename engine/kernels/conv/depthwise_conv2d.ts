// Depthwise convolution: each input channel c has its own `multiplier` filters, giving output channels
// c·multiplier + q. Direct loops (each output reads kh·kw values per channel, too few for a matmul to pay off).
import type { FloatArray } from '../../tensor/dtype';
import type { ConvGeometry } from './conv_geometry';

type Tap = (xAt: number, yAt: number, fAt: number, multiplier: number) => void;

/** Calls visit for each (output position, filter tap inside the image, input channel). */
function forEachTap(g: ConvGeometry, visit: Tap): void {
  const { inHeight: H, inWidth: W, inChannels: C, outChannels: O } = g;
  const multiplier = O / C;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const yAt = ((b * g.outHeight + oy) * g.outWidth + ox) * O;
        for (let ky = 0; ky < g.filterHeight; ky++) {
          const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < g.filterWidth; kx++) {
            const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
            if (ix < 0 || ix >= W) continue;
            const xAt = ((b * H + iy) * W + ix) * C;
            const fAt = (ky * g.filterWidth + kx) * O;
            for (let c = 0; c < C; c++) visit(xAt + c, yAt + c * multiplier, fAt + c * multiplier, multiplier);
          }
        }
      }
    }
  }
}

/** out [b, oh, ow, in·m] = depthwise conv of x [b, h, w, in] with filter [kh, kw, in, m]. */
export function depthwiseConv2dKernel(x: FloatArray, filter: FloatArray, g: ConvGeometry, out: FloatArray): void {
  out.fill(0);
  forEachTap(g, (xAt, yAt, fAt, m) => {
    const v = x[xAt];
    for (let q = 0; q < m; q++) out[yAt + q] += v * filter[fAt + q];
  });
}

/** dx [b, h, w, in] for output gradient dy [b, oh, ow, in·m] (overwrites dx). */
export function depthwiseConv2dBackpropInputKernel(dy: FloatArray, filter: FloatArray, g: ConvGeometry, dx: FloatArray): void {
  dx.fill(0);
  forEachTap(g, (xAt, yAt, fAt, m) => {
    let s = 0;
    for (let q = 0; q < m; q++) s += dy[yAt + q] * filter[fAt + q];
    dx[xAt] += s;
  });
}

/** dfilter [kh, kw, in, m] for output gradient dy (overwrites dfilter). */
export function depthwiseConv2dBackpropFilterKernel(x: FloatArray, dy: FloatArray, g: ConvGeometry, dfilter: FloatArray): void {
  dfilter.fill(0);
  forEachTap(g, (xAt, yAt, fAt, m) => {
    const v = x[xAt];
    for (let q = 0; q < m; q++) dfilter[fAt + q] += v * dy[yAt + q];
  });
}
