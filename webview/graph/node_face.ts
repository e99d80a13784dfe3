// What a node's face says about its tensor, micrograd's draw_dot style: a scalar's value and gradient,
// a few numbers inline, or for a larger tensor its norm and a spark histogram of its values.
import type { TensorSummary, TraceTensor } from '../../engine/trace/trace_format';
import { decodeValue, formatNumber } from '../number_format';

/** Tensors up to this many elements show every number on the face. */
export const INLINE_FACE_ELEMENTS = 6;
const SPARK = '▁▂▃▄▅▆▇█';
const SPARK_BINS = 8;

/** Up to eight block characters, one per bin, heights by count (values or the summary's histogram). */
export function sparkHistogram(summary: TensorSummary): string {
  let counts: number[];
  if (summary.histogram) counts = rebin(summary.histogram.counts, SPARK_BINS);
  else if (summary.values) {
    const finite = summary.values.map(decodeValue).filter(Number.isFinite);
    counts = new Array<number>(SPARK_BINS).fill(0);
    const span = summary.max - summary.min;
    for (const v of finite) counts[span > 0 ? Math.min(SPARK_BINS - 1, Math.floor(((v - summary.min) / span) * SPARK_BINS)) : 0]++;
  } else return '';
  const top = Math.max(1, ...counts);
  return counts.map((c) => (c === 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((c / top) * (SPARK.length - 1)))])).join('');
}

/** Merges neighbouring bins down to at most `bins` (fewer stay as they are). */
function rebin(counts: number[], bins: number): number[] {
  if (counts.length <= bins) return counts.slice();
  const out = new Array<number>(bins).fill(0);
  counts.forEach((c, i) => { out[Math.min(bins - 1, Math.floor((i * bins) / counts.length))] += c; });
  return out;
}

function summaryText(summary: TensorSummary): string {
  if (summary.nanCount > 0 || summary.infCount > 0) {
    const parts = [summary.nanCount > 0 ? `${summary.nanCount} NaN` : '', summary.infCount > 0 ? `${summary.infCount} Inf` : ''].filter(Boolean);
    if (summary.size === 1 && summary.values) return formatNumber(summary.values[0]);
    return `⚠ ${parts.join(' ')}`;
  }
  if (summary.values && summary.size === 1) return formatNumber(summary.values[0]);
  if (summary.values && summary.size <= INLINE_FACE_ELEMENTS) return `[${summary.values.map(formatNumber).join(', ')}]`;
  return `‖${formatNumber(summary.l2)}‖ ${sparkHistogram(summary)}`;
}

/** Up to two lines: `= value` and `∇ gradient` (None when no gradient flows; omitted when none was asked for). */
export function faceLines(tensor: TraceTensor | undefined): string[] {
  if (!tensor) return [];
  const lines: string[] = [];
  if (tensor.value) lines.push(`= ${summaryText(tensor.value)}`);
  if (tensor.grad === null) lines.push('∇ None');
  else if (tensor.grad) lines.push(`∇ ${summaryText(tensor.grad)}`);
  return lines;
}
