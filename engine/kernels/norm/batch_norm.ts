// Batch normalisation's forward over a channels-last tensor: y = (x − mean)·scale/√(variance + ε) + offset,
// each parameter holding one value per channel (or one for all). Folded into y = x·a + b per channel.
import type { FloatArray } from '../../tensor/dtype';

/** Per-channel parameters: length 1 (shared) or `channels`; offset and scale may be absent (0 and 1). */
export interface BatchNormParams {
  mean: FloatArray;
  variance: FloatArray;
  offset: FloatArray | null;
  scale: FloatArray | null;
  epsilon: number;
}

export function batchNormKernel(x: FloatArray, channels: number, p: BatchNormParams, out: FloatArray): void {
  const at = (v: FloatArray, c: number) => v[v.length === 1 ? 0 : c];
  const a = new Float64Array(channels), b = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = (p.scale ? at(p.scale, c) : 1) / Math.sqrt(at(p.variance, c) + p.epsilon);
    a[c] = s;
    b[c] = (p.offset ? at(p.offset, c) : 0) - at(p.mean, c) * s;
  }
  for (let i = 0, c = 0; i < x.length; i++) {
    out[i] = x[i] * a[c] + b[c];
    if (++c === channels) c = 0;
  }
}
