// Every optimizer step's telemetry received, per run, as columns: one series per variable (grouped by layer, in
// the order the optimizer saw them) holding its steps and, aligned with them, each measured number. Pure data:
// no DOM, so the Gradients view's logic is tested in Node.
import type { GradientAlert, GradientFlag, StepTelemetry } from '../../engine/trace/telemetry_format';

/** Flags as small integers for the heatmap's bins; a higher code wins when a bin mixes them. */
export const FLAG_CODE: Record<GradientFlag, number> = { vanishing: 1, exploding: 2, nan: 3 };
export const FLAG_OF_CODE: Array<GradientFlag | undefined> = [undefined, 'vanishing', 'exploding', 'nan'];

export interface Distribution { step: number; grad: number[]; weight: number[] }

export interface VariableSeries {
  /** Unique within the run: the optimizer's label and the variable's name. */
  key: string;
  variable: string;
  layer: string;
  optimizer: string;
  size: number;
  steps: number[];
  gradNorm: number[];
  /** NaN on the steps that did not measure the weight tier. */
  weightNorm: number[];
  updateNorm: number[];
  updateRatio: number[];
  zeroFraction: number[];
  nanCount: number[];
  infCount: number[];
  flag: number[];
  slots: Record<string, number[]>;
  distributions: Distribution[];
}

export interface TelemetryRun {
  runId: number;
  label: string;
  /** The name the host gave the run; `label` may be the user's rename. */
  hostLabel?: string;
  /** Series in model order; rows of the same layer are kept together. */
  series: VariableSeries[];
  alerts: Array<GradientAlert & { optimizer: string }>;
  firstStep: number;
  lastStep: number;
  /** Per optimizer: the step sizes (effective, as applied). */
  stepSizes: Map<string, { steps: number[]; values: number[] }>;
}

/** JSON turns NaN/Infinity into null; keep them as NaN so nothing downstream mistakes them for 0. */
const num = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/** Runs kept at most, oldest dropped first. */
export const MAX_TELEMETRY_RUNS = 10;

export class TelemetryStore {
  readonly runs = new Map<number, TelemetryRun>();

  add(runId: number, steps: StepTelemetry[], label?: string): TelemetryRun {
    let run = this.runs.get(runId);
    if (!run) {
      run = { runId, label: label ?? `run ${runId}`, hostLabel: label, series: [], alerts: [], firstStep: Infinity, lastStep: -Infinity, stepSizes: new Map() };
      this.runs.set(runId, run);
      while (this.runs.size > MAX_TELEMETRY_RUNS) this.runs.delete(this.runs.keys().next().value!);
    } else if (label && run.hostLabel === undefined) {
      run.label = label;
      run.hostLabel = label;
    }
    const byKey = new Map(run.series.map((s) => [s.key, s]));
    for (const step of steps) {
      run.firstStep = Math.min(run.firstStep, step.step);
      run.lastStep = Math.max(run.lastStep, step.step);
      const sizes = run.stepSizes.get(step.optimizer) ?? { steps: [], values: [] };
      sizes.steps.push(step.step);
      sizes.values.push(num(step.effectiveStepSize));
      run.stepSizes.set(step.optimizer, sizes);
      for (const v of step.variables) {
        const key = `${step.optimizer}\u0000${v.variable}`;
        let s = byKey.get(key);
        if (!s) {
          s = {
            key, variable: v.variable, layer: v.layer, optimizer: step.optimizer, size: v.size,
            steps: [], gradNorm: [], weightNorm: [], updateNorm: [], updateRatio: [], zeroFraction: [], nanCount: [], infCount: [], flag: [], slots: {}, distributions: [],
          };
          byKey.set(key, s);
          insertByLayer(run.series, s);
        }
        const at = s.steps.length;
        s.steps.push(step.step);
        s.gradNorm.push(num(v.gradNorm));
        s.weightNorm.push(num(v.weightNorm));
        s.updateNorm.push(num(v.updateNorm));
        s.updateRatio.push(num(v.updateRatio));
        s.zeroFraction.push(v.zeroFraction);
        s.nanCount.push(v.nanCount);
        s.infCount.push(v.infCount);
        s.flag.push(v.flag ? FLAG_CODE[v.flag] : 0);
        for (const [slot, value] of Object.entries(v.slots ?? {})) {
          const column = (s.slots[slot] ??= new Array<number>(at).fill(NaN));
          column.push(num(value));
        }
        for (const column of Object.values(s.slots)) if (column.length < at + 1) column.push(NaN);
        if (v.gradPercentiles && v.weightPercentiles) {
          s.distributions.push({ step: step.step, grad: v.gradPercentiles.map(num), weight: v.weightPercentiles.map(num) });
        }
      }
      for (const a of step.alerts ?? []) run.alerts.push({ ...a, gradNorm: num(a.gradNorm), optimizer: step.optimizer });
    }
    return run;
  }

  /** Gives a run another id (a restored run whose id a new kernel reuses keeps its data under the new one). */
  rekey(from: number, to: number): void {
    const run = this.runs.get(from);
    if (!run) return;
    this.runs.delete(from);
    run.runId = to;
    this.runs.set(to, run);
  }

  remove(runId: number): void {
    this.runs.delete(runId);
  }

  /** The latest `maxSteps` steps of each run as the messages that would rebuild it (for the webview's saved state). */
  save(maxSteps: number): Array<{ runId: number; label: string; hostLabel?: string; steps: StepTelemetry[] }> {
    return [...this.runs.values()].map((run) => ({ runId: run.runId, label: run.label, hostLabel: run.hostLabel, steps: toSteps(run, maxSteps) }));
  }
}

/** Rows of one layer stay together, layers in the order they first appeared. */
function insertByLayer(series: VariableSeries[], s: VariableSeries): void {
  let last = -1;
  series.forEach((other, i) => { if (other.layer === s.layer && other.optimizer === s.optimizer && s.layer !== '') last = i; });
  if (last < 0) series.push(s);
  else series.splice(last + 1, 0, s);
}

/** Index of the entry of `steps` (ascending) equal to `step`, or -1. */
export function indexOfStep(steps: number[], step: number): number {
  let lo = 0, hi = steps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] === step) return mid;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function toSteps(run: TelemetryRun, maxSteps: number): StepTelemetry[] {
  const byStep = new Map<string, StepTelemetry>();
  const alertsAt = new Map<string, GradientAlert[]>();
  for (const a of run.alerts) {
    const k = `${a.optimizer}\u0000${a.step}`;
    alertsAt.set(k, [...(alertsAt.get(k) ?? []), { variable: a.variable, flag: a.flag, step: a.step, gradNorm: a.gradNorm }]);
  }
  const from = run.lastStep - maxSteps + 1;
  for (const s of run.series) {
    const sizes = run.stepSizes.get(s.optimizer);
    const dist = new Map(s.distributions.map((d) => [d.step, d]));
    s.steps.forEach((step, i) => {
      if (step < from) return;
      const k = `${s.optimizer}\u0000${step}`;
      let record = byStep.get(k);
      if (!record) {
        const at = sizes ? indexOfStep(sizes.steps, step) : -1;
        const size = at >= 0 ? sizes!.values[at] : NaN;
        record = { optimizer: s.optimizer, step, wallTime: 0, learningRate: size, effectiveStepSize: size, variables: [] };
        const alerts = alertsAt.get(k);
        if (alerts) record.alerts = alerts;
        byStep.set(k, record);
      }
      const d = dist.get(step);
      const slots: Record<string, number> = {};
      for (const [slot, column] of Object.entries(s.slots)) if (!Number.isNaN(column[i])) slots[slot] = column[i];
      record.variables.push({
        variable: s.variable, layer: s.layer, size: s.size, gradNorm: s.gradNorm[i], zeroFraction: s.zeroFraction[i],
        nanCount: s.nanCount[i], infCount: s.infCount[i],
        ...(Number.isNaN(s.weightNorm[i]) ? {} : { weightNorm: s.weightNorm[i], updateNorm: s.updateNorm[i], updateRatio: s.updateRatio[i], slots }),
        ...(s.flag[i] ? { flag: FLAG_OF_CODE[s.flag[i]] } : {}),
        ...(d ? { gradPercentiles: d.grad, weightPercentiles: d.weight } : {}),
      });
    });
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
