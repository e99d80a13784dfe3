// What a node's face says about its tensor, micrograd's draw_dot style: a scalar's value and gradient,
// a few numbers inline, a tiny heatmap for tensors up to 64×64, or for a larger one its norm and a spark histogram.
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

/** Tensors with at most this many rows and columns (after folding leading axes) get a tiny heatmap on the face. */
export const FACE_MAP_MAX_SIDE = 64;
/** The longer side of a face heatmap, in px; the other follows the tensor's aspect (at least FACE_MAP_MIN_PX). */
export const FACE_MAP_PX = 40;
const FACE_MAP_MIN_PX = 6;
const FACE_MAP_GAP = 6;

/** A small tensor's values (or its summary's block averages) as a grid, drawn on the face below its lines. */
export interface FaceMap {
  role: 'value' | 'grad';
  rows: number;
  cols: number;
  /** Row-major cells; NaN/±Infinity for non-finite ones. */
  cells: number[];
  /** The tensor's own rows × cols (the grid may be block-averaged down to the summary's heatmap). */
  sourceShape: [number, number];
  width: number;
  height: number;
}

const grids = new WeakMap<TensorSummary, FaceMap | null>();

/** A summary's grid: rank 1 as one row, rank 2 as is, higher ranks with leading axes folded into rows. */
function gridOf(summary: TensorSummary, role: FaceMap['role']): FaceMap | undefined {
  let map = grids.get(summary);
  if (map === undefined) {
    map = makeGrid(summary, role) ?? null;
    grids.set(summary, map);
  }
  return map ?? undefined;
}

function makeGrid(summary: TensorSummary, role: FaceMap['role']): FaceMap | undefined {
  if (summary.size <= INLINE_FACE_ELEMENTS || summary.shape.length === 0) return undefined;
  const cols = summary.shape[summary.shape.length - 1];
  const rows = summary.size / Math.max(1, cols);
  if (rows > FACE_MAP_MAX_SIDE || cols > FACE_MAP_MAX_SIDE) return undefined;
  let grid: { rows: number; cols: number; cells: number[] } | undefined;
  if (summary.values) grid = { rows, cols, cells: summary.values.map(decodeValue) };
  else if (summary.heatmap && summary.shape.length === 2) grid = { rows: summary.heatmap.rows, cols: summary.heatmap.cols, cells: summary.heatmap.values };
  if (!grid) return undefined;
  const scale = FACE_MAP_PX / Math.max(rows, cols);
  return {
    role, ...grid, sourceShape: [rows, cols],
    width: Math.max(FACE_MAP_MIN_PX, Math.round(cols * scale)), height: Math.max(FACE_MAP_MIN_PX, Math.round(rows * scale)),
  };
}

/** Heatmaps for a tensor's value and gradient, when it is small enough (more than a few numbers, ≤ 64×64). */
export function faceMaps(tensor: TraceTensor | undefined): FaceMap[] {
  if (!tensor) return [];
  const maps = [tensor.value && gridOf(tensor.value, 'value'), tensor.grad && gridOf(tensor.grad, 'grad')];
  return maps.filter((m): m is FaceMap => m !== undefined && m !== null);
}

/** The room a node's heatmaps take below its face lines: side by side, with gaps. */
export function faceMapsExtent(maps: readonly FaceMap[]): { width: number; height: number } {
  if (maps.length === 0) return { width: 0, height: 0 };
  return {
    width: maps.reduce((w, m) => w + m.width, 0) + FACE_MAP_GAP * (maps.length - 1),
    height: Math.max(...maps.map((m) => m.height)),
  };
}

/** Each map's left edge, centred as a row in a box `boxWidth` wide. */
export function faceMapOffsets(maps: readonly FaceMap[], boxWidth: number): number[] {
  let x = (boxWidth - faceMapsExtent(maps).width) / 2;
  return maps.map((m) => { const at = x; x += m.width + FACE_MAP_GAP; return at; });
}
