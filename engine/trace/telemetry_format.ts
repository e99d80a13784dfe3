// The plain-JSON shape of training telemetry: what every optimizer.applyGradients measures per variable and
// step, and fit()'s progress. Declared once here; the engine, the worker, the host and the webview import it.

/** TensorBoard's distribution percentiles (its basis points / 100): ±0σ, ±0.5σ, ±1σ, ±1.5σ, ±∞ of a normal. */
export const DISTRIBUTION_PERCENTILES = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100] as const;

/** A gradient norm below this fraction of the step's largest gradient norm has vanished. */
export const VANISHING_RELATIVE_NORM = 1e-7;
/** A gradient norm above this has exploded. */
export const EXPLODING_NORM = 1e3;

/** Why a variable's gradient is flagged at a step (NaN also covers ±Infinity entries). */
export type GradientFlag = 'vanishing' | 'exploding' | 'nan';

/** One variable at one step. Norms are L2 over all entries; JSON carries a NaN/∞ norm as null. */
export interface VariableTelemetry {
  /** The variable's name, unique within the optimizer ('dense_1/kernel'). */
  variable: string;
  /** Its layer (the name before the last '/'), '' for a free variable: the view groups rows by it. */
  layer: string;
  size: number;
  gradNorm: number;
  /** Fraction of gradient entries that are exactly 0 (dead ReLUs, unused embeddings). */
  zeroFraction: number;
  nanCount: number;
  infCount: number;
  // The weight tier: on the steps that measure it (every step for small models, adaptive for large ones).
  /** Weight norm after the update. */
  weightNorm?: number;
  /** ‖w_after − w_before‖. */
  updateNorm?: number;
  /** updateNorm / weight norm before the update (the ~1e-3 rule of thumb); 0 when both are 0. */
  updateRatio?: number;
  /** Norm of each optimizer slot after the update: 'momentum' (SGD), 'm' and 'v' (Adam), ... */
  slots?: Record<string, number>;
  flag?: GradientFlag;
  /** Values at DISTRIBUTION_PERCENTILES, on the steps that sample distributions (adaptive, every N steps). */
  gradPercentiles?: number[];
  weightPercentiles?: number[];
}

/** The first step at which a variable's gradient vanished, exploded or turned NaN. */
export interface GradientAlert {
  variable: string;
  flag: GradientFlag;
  step: number;
  gradNorm: number;
}

/** Everything one applyGradients call measured. */
export interface StepTelemetry {
  /** The optimizer's name, with '#n' when one cell uses more than one of that name. */
  optimizer: string;
  /** optimizer.iterations after this update (counts from 1). */
  step: number;
  wallTime: number;
  learningRate: number;
  /** The step size the optimizer really used (Adam: lr·√(1−β2ᵗ)/(1−β1ᵗ)); equals learningRate for SGD. */
  effectiveStepSize: number;
  /** In the order the variables were passed (a model's order for model.fit and model.trainableVariables). */
  variables: VariableTelemetry[];
  /** Flags seen for the first time at this step. */
  alerts?: GradientAlert[];
}

/** Where model.fit is: sent after each batch (throttled) for the progress notification. */
export interface FitProgress {
  model: string;
  /** 0-based. */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  batches: number;
  elapsedMs: number;
  /** Estimated time left for the whole fit. */
  etaMs: number;
  loss: number;
  done: boolean;
}

/** The flag of one variable at one step, given the largest gradient norm among that step's variables. */
export function gradientFlag(v: Pick<VariableTelemetry, 'gradNorm' | 'nanCount' | 'infCount'>, largestGradNorm: number): GradientFlag | undefined {
  const norm = v.gradNorm;
  if (v.nanCount > 0 || v.infCount > 0 || norm === null || !Number.isFinite(norm)) return 'nan';
  if (norm > EXPLODING_NORM) return 'exploding';
  if (largestGradNorm > 0 && norm < VANISHING_RELATIVE_NORM * largestGradNorm) return 'vanishing';
  return undefined;
}
