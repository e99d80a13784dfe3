// Adamax (Keras): m = β1·m + (1-β1)·g;  u = max(β2·u, |g|);  w -= lr/(1-β1ᵗ) · m / (u + ε)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs } from './optimizer';
import { adamBetas, type AdamArgs } from './adam';

/**
 * Adam with the infinity norm in place of the second moment (tf.keras.optimizers.Adamax).
 * @param args learningRate (default 0.001), beta1 0.9, beta2 0.999, epsilon 1e-7, and the clipping options
 * @example
 * const opt = tf.keras.optimizers.Adamax(0.002);
 */
export class Adamax extends Optimizer {
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment (Adamax: of the infinity norm). */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly epsilon: number;

  /** Builds the optimizer from a learning rate (or a schedule), or {learningRate, beta1, beta2, epsilon, name, clipnorm, …}. */
  constructor(args?: number | LearningRateSchedule | AdamArgs) {
    const opts = optimizerArgs<AdamArgs>(args);
    super(opts, 0.001, 'Adamax');
    [this.beta1, this.beta2, this.epsilon] = adamBetas('Adamax', opts);
  }

  slotNames(): string[] {
    return ['m', 'u'];
  }

  protected updateVariable(w: FloatArray, g: FloatArray, variable: Variable, step: number): void {
    const b1 = this.beta1, b2 = this.beta2, eps = this.epsilon;
    const lrT = this.learningRate / (1 - Math.pow(b1, step));
    const m = this.slot(variable, 'm');
    const u = this.slot(variable, 'u');
    for (let i = 0; i < w.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
      w[i] -= lrT * m[i] / (u[i] + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
