// Image resizing (TF2's tf.image.resize, half-pixel centres) as separable interpolation: per output row and
// column, the two source indices and the weight of the second. Nearest neighbour is the same with weight 0,
// so forward and gradient (the adjoint scatter) are one pair of loops for both methods.
import type { FloatArray } from '../../tensor/dtype';

export interface AxisTaps {
  lower: Int32Array;
  upper: Int32Array;
  /** Weight of `upper` (1 − weight goes to `lower`). */
  weight: Float64Array;
}

/** Source taps of each of `outSize` positions resampled from `inSize` (TF's half-pixel scaler). */
export function axisTaps(inSize: number, outSize: number, method: 'bilinear' | 'nearest'): AxisTaps {
  const scale = inSize / outSize;
  const lower = new Int32Array(outSize), upper = new Int32Array(outSize), weight = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    if (method === 'nearest') {
      const i = Math.max(0, Math.min(Math.floor((o + 0.5) * scale), inSize - 1));
      lower[o] = upper[o] = i;
      continue;
    }
    const at = (o + 0.5) * scale - 0.5;
    const floor = Math.floor(at);
    lower[o] = Math.max(floor, 0);
    upper[o] = Math.min(Math.ceil(at), inSize - 1);
    weight[o] = at - floor;
  }
  return { lower, upper, weight };
}

export interface ResizeGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  rows: AxisTaps;
  cols: AxisTaps;
}

/** out [b, oh, ow, c] interpolated from images [b, h, w, c]. */
export function resizeKernel(images: FloatArray, g: ResizeGeometry, out: FloatArray): void {
  const { rows, cols, channels: C, inHeight: H, inWidth: W } = g;
  const oh = rows.lower.length, ow = cols.lower.length;
  let at = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * H * W * C;
    for (let y = 0; y < oh; y++) {
      const top = image + rows.lower[y] * W * C, bottom = image + rows.upper[y] * W * C, wy = rows.weight[y];
      for (let x = 0; x < ow; x++) {
        const left = cols.lower[x] * C, right = cols.upper[x] * C, wx = cols.weight[x];
        for (let c = 0; c < C; c++, at++) {
          const t = images[top + left + c] + (images[top + right + c] - images[top + left + c]) * wx;
          const u = images[bottom + left + c] + (images[bottom + right + c] - images[bottom + left + c]) * wx;
          out[at] = t + (u - t) * wy;
        }
      }
    }
  }
}

/** dimages [b, h, w, c] = the adjoint of resizeKernel applied to dy [b, oh, ow, c] (overwrites dimages). */
export function resizeBackpropKernel(dy: FloatArray, g: ResizeGeometry, dimages: FloatArray): void {
  const { rows, cols, channels: C, inHeight: H, inWidth: W } = g;
  const oh = rows.lower.length, ow = cols.lower.length;
  dimages.fill(0);
  let at = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * H * W * C;
    for (let y = 0; y < oh; y++) {
      const top = image + rows.lower[y] * W * C, bottom = image + rows.upper[y] * W * C, wy = rows.weight[y];
      for (let x = 0; x < ow; x++) {
        const left = cols.lower[x] * C, right = cols.upper[x] * C, wx = cols.weight[x];
        for (let c = 0; c < C; c++, at++) {
          const d = dy[at];
          dimages[top + left + c] += d * (1 - wy) * (1 - wx);
          dimages[top + right + c] += d * (1 - wy) * wx;
          dimages[bottom + left + c] += d * wy * (1 - wx);
          dimages[bottom + right + c] += d * wy * wx;
        }
      }
    }
  }
}
