// Hooks the host environment (the cell kernel's worker) installs into the engine.
// The engine calls them but knows nothing of who set them.
import type { MetricPoint, SourceLocation } from '../trace/trace_format';
import type { FitProgress, StepTelemetry } from '../trace/telemetry_format';

export interface EngineHooks {
  /** Called before every op runs; may throw to interrupt a cell (checked against a SharedArrayBuffer flag). */
  beforeOp: (() => void) | null;
  /**
   * Where user code called an op: from `site` (an Error captured when the op ran; formatting its stack is the
   * costly part, so it is deferred until a trace is exported) or, without one, from the current stack.
   */
  locateSource: ((site?: Error) => SourceLocation | undefined) | null;
  /** Receives every point logged with tf.summary.scalar and by the training helpers. */
  metricSink: ((point: MetricPoint) => void) | null;
  /** Receives what every optimizer.applyGradients measured; telemetry is off (costs nothing) while null. */
  telemetrySink: ((step: StepTelemetry) => void) | null;
  /** Receives model.fit's progress after each batch and once at its end. */
  fitProgressSink: ((progress: FitProgress) => void) | null;
  /** Receives text printed by model.summary(), fit() progress and the like. */
  printSink: ((text: string) => void) | null;
  /**
   * Largest tensor storage allowed, the setting that raises it (named in the error), and a check the host runs
   * before each allocation of a megabyte or more (it may throw when all tensors together outgrow its limit);
   * null means no limit.
   */
  tensorMemoryLimit: { bytes: number; setting: string; beforeLargeAllocation?: (bytes: number) => void } | null;
}

export const hooks: EngineHooks = {
  beforeOp: null,
  locateSource: null,
  metricSink: null,
  telemetrySink: null,
  fitProgressSink: null,
  printSink: null,
  tensorMemoryLimit: null,
};

export function setBeforeOpHook(fn: (() => void) | null): void {
  hooks.beforeOp = fn;
}

export function setSourceLocator(fn: ((site?: Error) => SourceLocation | undefined) | null): void {
  hooks.locateSource = fn;
}

export function setMetricSink(fn: ((point: MetricPoint) => void) | null): void {
  hooks.metricSink = fn;
}

export function setTelemetrySink(fn: ((step: StepTelemetry) => void) | null): void {
  hooks.telemetrySink = fn;
}

export function setFitProgressSink(fn: ((progress: FitProgress) => void) | null): void {
  hooks.fitProgressSink = fn;
}

export function setPrintSink(fn: ((text: string) => void) | null): void {
  hooks.printSink = fn;
}

/** Refuse tensors whose storage exceeds `bytes` (see memory_budget.ts); null lifts the limit. */
export function setTensorMemoryLimit(bytes: number | null, setting = 'the tensor memory limit', beforeLargeAllocation?: (bytes: number) => void): void {
  hooks.tensorMemoryLimit = bytes === null ? null : { bytes, setting, beforeLargeAllocation };
}

/** Text the engine prints on the user's behalf (summary(), fit logs): to the sink if any, else the console. */
export function enginePrint(text: string): void {
  if (hooks.printSink) hooks.printSink(text);
  else console.log(text);
}
