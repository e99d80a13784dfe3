// Per-tensor summaries for the trace: statistics always, values only when small, a histogram or a
// block-averaged heatmap otherwise, so large tensors never cross to the webview whole.
import type { Tensor } from '../tensor/tensor';
import { MAX_HEATMAP_SIDE, MAX_INLINE_VALUES, type ImageGrid, type TensorSummary } from './trace_format';
import { imageGrid } from './image_grid';

export { MAX_INLINE_VALUES };
const HISTOGRAM_BINS = 30;
/** Heatmap cells are for colour, so 4 significant digits are plenty and keep the trace small. */
const HEATMAP_DIGITS = 4;

function encode(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/**
 * The summary summarizeTensor gives a float scalar holding `value` (rounded to float32 for float32), without making
 * the tensor: the same arithmetic on its one value, so every field has the same bits. The backward pass of a scalar
 * graph keeps numbers (backward_steps.ts) and the replay summarises five per step.
 */
export function summarizeScalar(value: number, dtype: 'float32' | 'float64'): TensorSummary {
  const x = dtype === 'float32' ? Math.fround(value) : value;
  const finite = Number.isFinite(x);
  const sum = finite ? 0 + x : 0;
  const sumSq = finite ? 0 + x * x : 0;
  const mean = finite ? sum / 1 : 0;
  return {
    shape: [],
    dtype,
    size: 1,
    min: finite ? x : 0,
    max: finite ? x : 0,
    mean,
    std: finite ? Math.sqrt(Math.max(sumSq / 1 - mean * mean, 0)) : 0,
    l2: Math.sqrt(sumSq),
    nanCount: x !== x ? 1 : 0,
    infCount: x === Infinity || x === -Infinity ? 1 : 0,
    values: [encode(x)],
  };
}

/** `layout` says how a rank-4 tensor is read for its image grid: activations (NHWC, the default) or conv filters (HWIO). */
export function summarizeTensor(t: Tensor, layout: ImageGrid['layout'] = 'NHWC'): TensorSummary {
  const v = t.dataSync();
  const n = v.length;
  let min = Infinity, max = -Infinity, sum = 0, sumSq = 0, nanCount = 0, infCount = 0, finite = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x !== x) { nanCount++; continue; }
    if (x === Infinity || x === -Infinity) { infCount++; continue; }
    finite++;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
    sumSq += x * x;
  }
  const mean = finite ? sum / finite : 0;
  const summary: TensorSummary = {
    shape: t.shape.slice(),
    dtype: t.dtype,
    size: n,
    min: finite ? min : 0,
    max: finite ? max : 0,
    mean,
    std: finite ? Math.sqrt(Math.max(sumSq / finite - mean * mean, 0)) : 0,
    l2: Math.sqrt(sumSq),
    nanCount,
    infCount,
  };
  if (n <= MAX_INLINE_VALUES) {
    summary.values = Array.from(v, encode);
    return summary;
  }
  const edges: number[] = [];
  const lo = finite ? min : 0;
  const hi = finite && max > min ? max : lo + 1;
  for (let i = 0; i <= HISTOGRAM_BINS; i++) edges.push(lo + ((hi - lo) * i) / HISTOGRAM_BINS);
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) continue;
    const b = Math.min(HISTOGRAM_BINS - 1, Math.floor(((x - lo) / (hi - lo)) * HISTOGRAM_BINS));
    counts[b]++;
  }
  summary.histogram = { edges, counts };
  if (t.rank === 4 && t.dtype !== 'bool') summary.imageGrid = imageGrid(v, t.shape, layout);
  if (t.rank === 2) {
    const [r, c] = t.shape;
    const rows = Math.min(r, MAX_HEATMAP_SIDE);
    const cols = Math.min(c, MAX_HEATMAP_SIDE);
    const cells = new Array<number>(rows * cols).fill(0);
    const hits = new Array<number>(rows * cols).fill(0);
    for (let i = 0; i < r; i++) {
      const ci = Math.floor((i * rows) / r);
      for (let j = 0; j < c; j++) {
        const x = v[i * c + j];
        if (!Number.isFinite(x)) continue;
        const k = ci * cols + Math.floor((j * cols) / c);
        cells[k] += x;
        hits[k]++;
      }
    }
    summary.heatmap = { rows, cols, values: cells.map((s, k) => (hits[k] ? Number((s / hits[k]).toPrecision(HEATMAP_DIGITS)) : 0)), sourceShape: [r, c] };
  }
  return summary;
}
