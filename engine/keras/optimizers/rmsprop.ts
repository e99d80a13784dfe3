// RMSprop, Keras's formulation: rms = ρ·rms + (1-ρ)·g²  (centered: also mg = ρ·mg + (1-ρ)·g, denominator rms - mg²);
//   step = lr·g / (√denominator + ε);  with momentum: mom = momentum·mom + step, w -= mom;  else w -= step
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';

/** Options of tf.keras.optimizers.RMSprop. */
export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the mean square (default 0.9). */
  rho?: number;
  /** Momentum (default 0). */
  momentum?: number;
  /** Added to the root mean square (default 1e-7). */
  epsilon?: number;
  /** Divide by the centred (variance) estimate instead (default false). */
  centered?: boolean;
}

/**
 * tf.keras.optimizers.RMSprop: divides each step by a running root mean square of the gradient, as Keras does
 * (learningRate 0.001, rho 0.9, epsilon 1e-7 by default).
 * @throws Error when rho is outside [0, 1).
 * @example
 * ```ts
 * const w = new tf.Variable(2.0);
 * tf.keras.optimizers.RMSprop(0.1).minimize(() => w.square());
 * w.numpy() // → 1.683772
 * ```
 */
export class RMSprop extends Optimizer {
  /** Decay of the mean square. */
  readonly rho: number;
  /** Momentum. */
  readonly momentum: number;
  /** Added to the root mean square. */
  readonly epsilon: number;
  /** Whether the centred estimate is used. */
  readonly centered: boolean;

  /** Builds the optimizer from a learning rate (or a schedule), or {learningRate, rho, momentum, epsilon, centered, name}. */
  constructor(args?: number | LearningRateSchedule | RMSpropArgs) {
    const opts = optimizerArgs<RMSpropArgs>(args);
    super(opts, 0.001, 'RMSprop');
    this.rho = opts.rho ?? 0.9;
    this.momentum = opts.momentum ?? 0;
    this.epsilon = opts.epsilon ?? 1e-7;
    this.centered = opts.centered ?? false;
    if (!(this.rho >= 0 && this.rho < 1)) throw new Error(`RMSprop: rho must be in [0, 1), got ${this.rho}`);
  }

  slotNames(): string[] {
    return ['rms', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['mg'] : [])];
  }

  protected updateVariable(w: FloatArray, g: FloatArray, variable: Variable): void {
    const lr = this.learningRate, rho = this.rho, eps = this.epsilon, mu = this.momentum;
    const rms = this.slot(variable, 'rms');
    const mom = mu > 0 ? this.slot(variable, 'momentum') : null;
    const mg = this.centered ? this.slot(variable, 'mg') : null;
    const n = w.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      rms[i] = rho * rms[i] + (1 - rho) * gi * gi;
      let denominator = rms[i];
      if (mg !== null) {
        mg[i] = rho * mg[i] + (1 - rho) * gi;
        denominator -= mg[i] * mg[i];
      }
      const step = lr * gi / (Math.sqrt(denominator) + eps);
      if (mom !== null) {
        mom[i] = mu * mom[i] + step;
        w[i] -= mom[i];
      } else {
        w[i] -= step;
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
