// Batch normalisation over a channels-last tensor. Forward: y = (x − mean)·scale/√(variance + ε) + offset, each
// parameter holding one value per channel (or one for all), folded into y = x·a + b per channel. Then, for the
// batch's own statistics (TF's FusedBatchNormV3): the statistics in one pass, and the backward in two.
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
  const rows = channels === 0 ? 0 : x.length / channels;
  for (let r = 0, i = 0; r < rows; r++) for (let c = 0; c < channels; c++, i++) out[i] = x[i] * a[c] + b[c];
}

// The kernels below walk rows of `channels` values (every axis but the last flattened), channel innermost.

/**
 * Per-channel batch statistics of a channels-last x (every axis but the last reduced): mean and biased variance
 * in one pass of float64 sums shifted by the first row (so a large mean does not swamp a small variance, the
 * shifted-data method TF uses too). `stats` is [mean | variance], 2·channels long.
 */
export function batchMomentsKernel(x: FloatArray, channels: number, stats: FloatArray): void {
  const rows = channels === 0 ? 0 : x.length / channels;
  const shift = Float64Array.from(x.subarray(0, channels));
  const sum = new Float64Array(channels), squares = new Float64Array(channels);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) {
      const d = x[i] - shift[c];
      sum[c] += d;
      squares[c] += d * d;
    }
  }
  for (let c = 0; c < channels; c++) {
    const m = sum[c] / rows;
    stats[c] = shift[c] + m;
    stats[channels + c] = Math.max(0, squares[c] / rows - m * m);
  }
}

/**
 * The per-channel sums batch normalisation's backward needs when the statistics are the batch's own: `sums` gets
 * [Σdy | Σdy·x̂] with x̂ = (x − mean)/√(variance + ε) — the offset's and the scale's gradients (TF's FusedBatchNormGrad).
 */
export function batchNormGradSumsKernel(dy: FloatArray, x: FloatArray, channels: number, stats: FloatArray, epsilon: number, sums: FloatArray): void {
  const rows = channels === 0 ? 0 : x.length / channels;
  const sumDy = new Float64Array(channels), sumDyX = new Float64Array(channels);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) {
      sumDy[c] += dy[i];
      sumDyX[c] += dy[i] * x[i];
    }
  }
  // Σdy·(x − mean) = Σdy·x − mean·Σdy
  for (let c = 0; c < channels; c++) {
    sums[c] = sumDy[c];
    sums[channels + c] = (sumDyX[c] - stats[c] * sumDy[c]) / Math.sqrt(stats[channels + c] + epsilon);
  }
}

/**
 * dx of batch normalisation by the batch's own statistics, from the sums above (one more pass):
 * dx = scale/√(variance + ε) · (dy − Σdy/n − x̂·Σdy·x̂/n), n the count per channel.
 */
export function batchNormGradKernel(dy: FloatArray, x: FloatArray, channels: number, stats: FloatArray, scale: FloatArray | null, epsilon: number, sums: FloatArray, dx: FloatArray): void {
  const rows = channels === 0 ? 0 : x.length / channels;
  // folded per channel: dx = dy·k + x·u + w
  const k = new Float64Array(channels), u = new Float64Array(channels), w = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const invStd = 1 / Math.sqrt(stats[channels + c] + epsilon);
    k[c] = (scale ? scale[c] : 1) * invStd;
    u[c] = -k[c] * invStd * sums[channels + c] / rows;
    w[c] = -k[c] * sums[c] / rows - u[c] * stats[c];
  }
  for (let r = 0, i = 0; r < rows; r++) for (let c = 0; c < channels; c++, i++) dx[i] = dy[i] * k[c] + x[i] * u[c] + w[c];
}
