// Training telemetry measured inside every optimizer's applyGradients, in three tiers so that it stays cheap:
//  - every step: each gradient's norm, fraction of exact zeros and NaN/Inf counts, hence the vanishing /
//    exploding / NaN flags and their first-step alerts (one pass over the gradient);
//  - every N steps: the weight norm, the update norm and update/weight ratio, the optimizer slots' norms;
//  - every M steps: the gradient's and the weights' percentiles (TensorBoard's distributions).
// N and M are powers of two that adapt so each tier costs about 2% / 1% of the time between steps (small models
// get every step). Nothing is measured unless a telemetry sink is installed (the kernel installs one).
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import { enginePrint, hooks } from '../../runtime/hooks';
import {
  DISTRIBUTION_PERCENTILES, gradientFlag,
  type GradientAlert, type GradientFlag, type StepTelemetry, type VariableTelemetry,
} from '../../trace/telemetry_format';

/** One variable's update as the optimizer base runs it. */
export interface VariableUpdate {
  /** The variable being updated. */
  variable: Variable;
  /** Its gradient's values, flat, in the variable's dtype. */
  gradient: FloatArray;
  /** The storage the optimizer writes into. */
  weights: FloatArray;
  /** The values before the update: the old storage after a copy on write, else the same array as `weights`. */
  before: FloatArray;
}

/** 'auto' adapts to the cost; a number pins the interval in steps (tests pin 1). */
export interface TelemetrySettings {
  detailEvery: number | 'auto';
  distributionEvery: number | 'auto';
}

const settings: TelemetrySettings = { detailEvery: 'auto', distributionEvery: 'auto' };

/** Sets how often the weight/update/slot tier and the distribution tier run (host API, not part of `tf`). */
export function configureTelemetry(next: Partial<TelemetrySettings>): void {
  for (const key of ['detailEvery', 'distributionEvery'] as const) {
    const v = next[key];
    if (v === undefined) continue;
    if (v !== 'auto' && !(Number.isInteger(v) && v > 0)) throw new Error(`configureTelemetry: ${key} must be 'auto' or a positive integer, got ${String(v)}`);
    settings[key] = v;
  }
}

/** Entries sampled (evenly strided) for percentiles; variables at most this big are sorted whole. */
const PERCENTILE_SAMPLE = 2048;

/** A power-of-two interval that grows until its tier costs at most `budget` of the time between steps. */
class AdaptiveInterval {
  private every = 1;

  constructor(private readonly setting: 'detailEvery' | 'distributionEvery', private readonly budget: number, private readonly maxSamples: number) {}

  due(step: number): boolean {
    const pinned = settings[this.setting];
    const every = pinned === 'auto' ? this.every : pinned;
    return step === 1 || step % every === 0;
  }

  adapt(step: number, costMs: number, stepMs: number): void {
    const byCost = stepMs > 0 ? costMs / (this.budget * stepMs) : 1;
    const byCount = step / this.maxSamples;
    let every = 1;
    while (every < byCost || every < byCount) every *= 2;
    this.every = every;
  }
}

interface GradientStats { sumSq: number; zeros: number; nanCount: number; infCount: number }

const optimizerNamesInUse = new Map<string, number>();
const variableNamesInUse = new Map<string, number>();
const variableNames = new WeakMap<Variable, string>();

/** A name per variable that stays unique when two share one (TF names every bare tf.Variable 'Variable'). */
function uniqueVariableName(variable: Variable): string {
  let name = variableNames.get(variable);
  if (name === undefined) {
    const seen = variableNamesInUse.get(variable.name) ?? 0;
    variableNamesInUse.set(variable.name, seen + 1);
    name = seen === 0 ? variable.name : `${variable.name} #${seen + 1}`;
    variableNames.set(variable, name);
  }
  return name;
}

function layerOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash < 0 ? '' : name.slice(0, slash);
}

/** What the telemetry reads from its optimizer. */
export interface TelemetrySubject {
  readonly name: string;
  readonly learningRate: number;
  effectiveStepSize(step: number): number;
  slotBuffersOf(variable: Variable): ReadonlyMap<string, FloatArray> | undefined;
}

export class OptimizerTelemetry {
  private readonly label: string;
  private readonly scratch = new WeakMap<Variable, FloatArray>();
  private readonly flagsSeen = new Map<string, Set<GradientFlag>>();
  private readonly detail = new AdaptiveInterval('detailEvery', 0.02, 5000);
  private readonly distribution = new AdaptiveInterval('distributionEvery', 0.01, 1000);
  private lastStepAt = 0;
  private stepMsAverage = 0;
  private gradientStats: GradientStats[] = [];
  private percentilesByVariable: Array<[number[], number[]]> | null = null;
  private detailDue = false;
  private detailMs = 0;
  private distributionMs = 0;

  constructor(private readonly subject: TelemetrySubject) {
    const count = (optimizerNamesInUse.get(subject.name) ?? 0) + 1;
    optimizerNamesInUse.set(subject.name, count);
    this.label = count === 1 ? subject.name : `${subject.name}#${count}`;
  }

  /** True when someone listens; the optimizer skips the telemetry otherwise. */
  static get enabled(): boolean {
    return hooks.telemetrySink !== null;
  }

  /** Measures the gradients (and, on their steps, the weights before the update) before the optimizer runs. */
  begin(updates: VariableUpdate[], step: number): void {
    this.gradientStats = updates.map((u) => gradientStats(u.gradient));
    this.detailDue = this.detail.due(step);
    if (this.detailDue) {
      const started = performance.now();
      for (const u of updates) if (u.before === u.weights) u.before = this.copyOf(u.variable, u.weights);
      this.detailMs = performance.now() - started;
    }
    this.percentilesByVariable = null;
    if (this.distribution.due(step)) {
      const started = performance.now();
      this.percentilesByVariable = updates.map((u) => [percentiles(u.gradient), percentiles(u.before)]);
      this.distributionMs = performance.now() - started;
    }
  }

  /** Measures the updated weights and slots (on their steps), flags the gradients and hands the step to the sink. */
  finish(updates: VariableUpdate[], step: number): void {
    const sink = hooks.telemetrySink;
    if (sink === null) return;
    const started = performance.now();
    const variables = updates.map((u, i) => this.measure(u, this.gradientStats[i], this.percentilesByVariable?.[i]));
    if (this.detailDue) this.detailMs += performance.now() - started;
    let largest = 0;
    for (const v of variables) if (Number.isFinite(v.gradNorm) && v.gradNorm > largest) largest = v.gradNorm;
    const alerts: GradientAlert[] = [];
    for (const v of variables) {
      const flag = gradientFlag(v, largest);
      if (flag === undefined) continue;
      v.flag = flag;
      const seen = this.flagsSeen.get(v.variable) ?? new Set<GradientFlag>();
      if (seen.has(flag)) continue;
      seen.add(flag);
      this.flagsSeen.set(v.variable, seen);
      alerts.push({ variable: v.variable, flag, step, gradNorm: v.gradNorm });
    }
    const now = Date.now();
    const record: StepTelemetry = {
      optimizer: this.label, step, wallTime: now,
      learningRate: this.subject.learningRate, effectiveStepSize: this.subject.effectiveStepSize(step), variables,
    };
    if (alerts.length > 0) {
      record.alerts = alerts;
      for (const a of alerts) enginePrint(alertLine(a, largest));
    }
    this.adapt(step, performance.now());
    sink(record);
  }

  private adapt(step: number, now: number): void {
    if (this.lastStepAt > 0) {
      // A pause between steps (telemetry was off, the cell ended) is not a slower step.
      const ms = this.stepMsAverage === 0 ? now - this.lastStepAt : Math.min(now - this.lastStepAt, 4 * this.stepMsAverage);
      this.stepMsAverage = this.stepMsAverage === 0 ? ms : 0.9 * this.stepMsAverage + 0.1 * ms;
    }
    this.lastStepAt = now;
    if (this.detailDue) this.detail.adapt(step, this.detailMs, this.stepMsAverage);
    if (this.percentilesByVariable) this.distribution.adapt(step, this.distributionMs, this.stepMsAverage);
  }

  private copyOf(variable: Variable, weights: FloatArray): FloatArray {
    let copy = this.scratch.get(variable);
    if (copy === undefined || copy.length !== weights.length || copy.constructor !== weights.constructor) {
      copy = new (weights.constructor as Float32ArrayConstructor)(weights.length);
      this.scratch.set(variable, copy);
    }
    copy.set(weights);
    return copy;
  }

  private measure(u: VariableUpdate, g: GradientStats, distributions: [number[], number[]] | undefined): VariableTelemetry {
    const name = uniqueVariableName(u.variable);
    const size = u.gradient.length;
    const out: VariableTelemetry = {
      variable: name, layer: layerOf(name), size,
      gradNorm: Math.sqrt(g.sumSq), zeroFraction: size === 0 ? 0 : g.zeros / size, nanCount: g.nanCount, infCount: g.infCount,
    };
    if (this.detailDue) {
      const { afterSq, beforeSq, updateSq } = updateSums(u.weights, u.before);
      const updateNorm = Math.sqrt(updateSq);
      const beforeNorm = Math.sqrt(beforeSq);
      out.weightNorm = Math.sqrt(afterSq);
      out.updateNorm = updateNorm;
      out.updateRatio = beforeNorm > 0 ? updateNorm / beforeNorm : (updateNorm > 0 ? Infinity : 0);
      const slots: Record<string, number> = {};
      const buffers = this.subject.slotBuffersOf(u.variable);
      if (buffers) for (const [slot, buffer] of buffers) slots[slot] = Math.sqrt(sumOfSquares(buffer));
      out.slots = slots;
    }
    if (distributions) [out.gradPercentiles, out.weightPercentiles] = distributions;
    return out;
  }
}

function alertLine(a: GradientAlert, largest: number): string {
  const norm = Number.isFinite(a.gradNorm) ? a.gradNorm.toExponential(2) : String(a.gradNorm);
  switch (a.flag) {
    case 'vanishing': return `Tapescope: the gradient of '${a.variable}' vanished at step ${a.step} (norm ${norm}, below 1e-7 of the largest, ${largest.toExponential(2)})`;
    case 'exploding': return `Tapescope: the gradient of '${a.variable}' exploded at step ${a.step} (norm ${norm}, above 1e3)`;
    case 'nan': return `Tapescope: the gradient of '${a.variable}' holds NaN or Infinity at step ${a.step}`;
  }
}

function gradientStats(g: FloatArray): GradientStats {
  // Four accumulators: the additions do not wait on each other.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, zeros = 0;
  const n = g.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = g[i], b = g[i + 1], c = g[i + 2], d = g[i + 3];
    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
    if (a === 0) zeros++;
    if (b === 0) zeros++;
    if (c === 0) zeros++;
    if (d === 0) zeros++;
  }
  for (; i < n; i++) {
    s0 += g[i] * g[i];
    if (g[i] === 0) zeros++;
  }
  const sumSq = s0 + s1 + s2 + s3;
  let nanCount = 0, infCount = 0;
  if (!Number.isFinite(sumSq)) {
    for (let k = 0; k < n; k++) {
      const x = g[k];
      if (x !== x) nanCount++;
      else if (x === Infinity || x === -Infinity) infCount++;
    }
  }
  return { sumSq, zeros, nanCount, infCount };
}

function updateSums(after: FloatArray, before: FloatArray): { afterSq: number; beforeSq: number; updateSq: number } {
  let afterSq = 0, beforeSq = 0, updateSq = 0;
  for (let i = 0; i < after.length; i++) {
    const w = after[i];
    const w0 = before[i];
    const d = w - w0;
    afterSq += w * w;
    beforeSq += w0 * w0;
    updateSq += d * d;
  }
  return { afterSq, beforeSq, updateSq };
}

function sumOfSquares(a: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

/** Values at DISTRIBUTION_PERCENTILES of an evenly strided sample (all of it when small); NaN entries ignored. */
export function percentiles(values: FloatArray): number[] {
  const n = values.length;
  const take = Math.min(n, PERCENTILE_SAMPLE);
  const sample = new Float64Array(take);
  let kept = 0;
  for (let k = 0; k < take; k++) {
    const x = values[Math.floor((k * n) / take)];
    if (x === x) sample[kept++] = x;
  }
  const sorted = sample.subarray(0, kept).sort();
  if (kept === 0) return DISTRIBUTION_PERCENTILES.map(() => NaN);
  return DISTRIBUTION_PERCENTILES.map((p) => {
    const at = (p / 100) * (kept - 1);
    const lo = Math.floor(at);
    const hi = Math.min(kept - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
  });
}
