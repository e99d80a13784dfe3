// Learning-rate schedules (tf.keras.optimizers.schedules): functions of the optimizer's step (its iterations
// before the update, from 0) that an optimizer accepts in place of a fixed learning rate.

/** The base of Keras schedules: `schedule.call(step)` (or `schedule(step)`) gives the rate at that step. */
export abstract class LearningRateSchedule {
  /** The learning rate at `step` (the optimizer's iterations before the update, from 0). */
  abstract call(step: number): number;
  /** The schedule's parameters (Keras's get_config). */
  abstract getConfig(): Record<string, unknown>;
}

function positive(owner: string, what: string, v: number): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`${owner}: ${what} must be a positive number, got ${String(v)}`);
  return v;
}

/** Options of ExponentialDecay. */
export interface ExponentialDecayArgs {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by decayRate once. */
  decaySteps: number;
  /** The factor per decaySteps steps. */
  decayRate: number;
  /** Decay in whole intervals of decaySteps (default false). */
  staircase?: boolean;
}

/**
 * lr · decayRate^(step / decaySteps), floored exponent with staircase (tf.keras.optimizers.schedules.ExponentialDecay).
 * @example
 * const s = tf.keras.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
 * s.call(10) // → 0.05
 */
export class ExponentialDecay extends LearningRateSchedule {
  /** The rate at step 0. */
  readonly initialLearningRate: number;
  /** The decay period in steps. */
  readonly decaySteps: number;
  /** The factor per decaySteps steps. */
  readonly decayRate: number;
  /** Whether the exponent is floored. */
  readonly staircase: boolean;
  /** Builds the schedule. @throws Error for non-positive rates or steps. */
  constructor(args: ExponentialDecayArgs) {
    super();
    this.initialLearningRate = positive('ExponentialDecay', 'initialLearningRate', args?.initialLearningRate);
    this.decaySteps = positive('ExponentialDecay', 'decaySteps', args.decaySteps);
    this.decayRate = positive('ExponentialDecay', 'decayRate', args.decayRate);
    this.staircase = args.staircase ?? false;
  }
  /** The learning rate at `step`. */
  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * Math.pow(this.decayRate, this.staircase ? Math.floor(p) : p);
  }
  /** The schedule's parameters. */
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

/**
 * values[0] up to boundaries[0], values[1] up to boundaries[1], …, the last value after
 * (tf.keras.optimizers.schedules.PiecewiseConstantDecay).
 * @throws unless there is one more value than boundaries and the boundaries increase
 * @example
 * const s = tf.keras.optimizers.schedules.PiecewiseConstantDecay([100, 200], [1, 0.5, 0.1]);
 * [s.call(100), s.call(101), s.call(500)] // → [1, 0.5, 0.1]
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  /** Steps where the rate changes. */
  readonly boundaries: number[];
  /** The rate before, between and after the boundaries. */
  readonly values: number[];
  /** Builds the schedule. @throws Error for non-positive rates or steps. */
  constructor(boundaries: readonly number[], values: readonly number[]) {
    super();
    if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new Error(`PiecewiseConstantDecay: needs one more value than boundaries, got ${boundaries?.length} boundaries and ${values?.length} values`);
    }
    if (boundaries.some((b, i) => i > 0 && b <= boundaries[i - 1])) throw new Error(`PiecewiseConstantDecay: boundaries must increase, got [${boundaries.join(', ')}]`);
    this.boundaries = [...boundaries];
    this.values = [...values];
  }
  /** The learning rate at `step`. */
  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i];
  }
  /** The schedule's parameters. */
  getConfig(): Record<string, unknown> {
    return { boundaries: this.boundaries, values: this.values };
  }
}

/** Options of CosineDecay. */
export interface CosineDecayArgs {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Steps until the rate reaches its floor. */
  decaySteps: number;
  /** The floor, as a fraction of the initial rate (default 0). */
  alpha?: number;
}

/**
 * lr · ((1 - α)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + α) (tf.keras.optimizers.schedules.CosineDecay).
 * @example
 * const s = tf.keras.optimizers.schedules.CosineDecay({ initialLearningRate: 1, decaySteps: 10 });
 * s.call(5) // → 0.5
 */
export class CosineDecay extends LearningRateSchedule {
  /** The rate at step 0. */
  readonly initialLearningRate: number;
  /** The decay period in steps. */
  readonly decaySteps: number;
  /** The floor, as a fraction of the initial rate. */
  readonly alpha: number;
  /** Builds the schedule. @throws Error for non-positive rates or steps. */
  constructor(args: CosineDecayArgs) {
    super();
    this.initialLearningRate = positive('CosineDecay', 'initialLearningRate', args?.initialLearningRate);
    this.decaySteps = positive('CosineDecay', 'decaySteps', args.decaySteps);
    this.alpha = args.alpha ?? 0;
  }
  /** The learning rate at `step`. */
  call(step: number): number {
    const s = Math.min(step, this.decaySteps);
    const cosine = 0.5 * (1 + Math.cos(Math.PI * s / this.decaySteps));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }
  /** The schedule's parameters. */
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha };
  }
}
