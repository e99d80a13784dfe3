// The Gradients heatmap as numbers: variables × step bins, each cell the log10 of the gradient norm (or of the
// update/weight ratio) at one representative step of its bin, with that step's flag. A bin's representative is
// its worst-flagged step (NaN > exploding > vanishing), else its last step, so what a cell shows is what a click
// on it reads. Pure: the view paints it, the tests read it.
import type { VariableSeries } from './telemetry_store';

export type HeatmapMetric = 'gradNorm' | 'updateRatio';

export interface HeatmapGrid {
  rows: number;
  columns: number;
  firstStep: number;
  lastStep: number;
  /** Steps covered by one column (≥ 1). */
  stepsPerColumn: number;
  /** rows × columns, row-major: log10 of the metric; NaN where the bin has no measured value. */
  values: Float64Array;
  /** rows × columns: the representative step's flag code (0 none, 1 vanishing, 2 exploding, 3 NaN). */
  flags: Uint8Array;
  /** rows × columns: index into the series' arrays of the representative step, -1 for an empty bin. */
  index: Int32Array;
  /** Finite extent of `values` ([0, 0] when none). */
  extent: [number, number];
}

export function columnOfStep(grid: Pick<HeatmapGrid, 'firstStep' | 'stepsPerColumn' | 'columns'>, step: number): number {
  return Math.min(grid.columns - 1, Math.max(0, Math.floor((step - grid.firstStep) / grid.stepsPerColumn)));
}

/** Bins every series' steps in [firstStep, lastStep] into at most `maxColumns` columns. */
export function binHeatmap(series: VariableSeries[], metric: HeatmapMetric, maxColumns: number, firstStep: number, lastStep: number): HeatmapGrid {
  const span = Math.max(1, lastStep - firstStep + 1);
  const stepsPerColumn = Math.max(1, Math.ceil(span / Math.max(1, Math.floor(maxColumns))));
  const columns = Math.max(1, Math.ceil(span / stepsPerColumn));
  const rows = series.length;
  const values = new Float64Array(rows * columns).fill(NaN);
  const flags = new Uint8Array(rows * columns);
  const index = new Int32Array(rows * columns).fill(-1);
  let lo = Infinity, hi = -Infinity;
  series.forEach((s, r) => {
    const metricValues = metric === 'gradNorm' ? s.gradNorm : s.updateRatio;
    const base = r * columns;
    for (let i = 0; i < s.steps.length; i++) {
      const step = s.steps[i];
      if (step < firstStep || step > lastStep) continue;
      const cell = base + Math.floor((step - firstStep) / stepsPerColumn);
      const value = metricValues[i];
      const flag = s.flag[i];
      // The ratio tier is not measured every step: a step without it never replaces one with it.
      if (metric === 'updateRatio' && Number.isNaN(value) && flag === 0 && index[cell] >= 0) continue;
      if (flag < flags[cell]) continue;
      flags[cell] = flag;
      index[cell] = i;
      values[cell] = value > 0 ? Math.log10(value) : value === 0 ? -Infinity : NaN;
    }
  });
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return { rows, columns, firstStep, lastStep, stepsPerColumn, values, flags, index, extent: lo <= hi ? [lo, hi] : [0, 0] };
}
