// Nadam as Keras computes it: Adam with Nesterov momentum and the momentum schedule
//   μₜ = β1·(1 - ½·0.96^(0.004·t)),  Πₜ = Π_{s≤t} μₛ
//   m̂ = μₜ₊₁·m/(1 - Πₜ·μₜ₊₁) + (1 - μₜ)·g/(1 - Πₜ);  v̂ = v/(1 - β2ᵗ);  w -= lr·m̂/(√v̂ + ε)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs } from './optimizer';
import { adamBetas, type AdamArgs } from './adam';

/**
 * Adam with Nesterov momentum (tf.keras.optimizers.Nadam).
 * @param args learningRate (default 0.001), beta1 0.9, beta2 0.999, epsilon 1e-7, and the clipping options
 * @example
 * const opt = tf.keras.optimizers.Nadam({ learningRate: 0.002 });
 */
export class Nadam extends Optimizer {
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment (Adamax: of the infinity norm). */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly epsilon: number;
  /** Π of the momentum schedule up to the step it was last advanced for (shared by every variable). */
  private uProduct = 1;
  private uProductStep = 0;

  /** Builds the optimizer from a learning rate (or a schedule), or {learningRate, beta1, beta2, epsilon, name, clipnorm, …}. */
  constructor(args?: number | LearningRateSchedule | AdamArgs) {
    const opts = optimizerArgs<AdamArgs>(args);
    super(opts, 0.001, 'Nadam');
    [this.beta1, this.beta2, this.epsilon] = adamBetas('Nadam', opts);
  }

  slotNames(): string[] {
    return ['m', 'v'];
  }

  private momentumAt(step: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, step * 0.004));
  }

  protected updateVariable(w: FloatArray, g: FloatArray, variable: Variable, step: number): void {
    if (this.uProductStep !== step) {
      this.uProduct *= this.momentumAt(step);
      this.uProductStep = step;
    }
    const b1 = this.beta1, b2 = this.beta2, eps = this.epsilon, lr = this.learningRate;
    const ut = this.momentumAt(step), ut1 = this.momentumAt(step + 1);
    const prod = this.uProduct, prod1 = prod * ut1;
    const b2Power = Math.pow(b2, step);
    const m = this.slot(variable, 'm');
    const v = this.slot(variable, 'v');
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      m[i] += (gi - m[i]) * (1 - b1);
      v[i] += (gi * gi - v[i]) * (1 - b2);
      const mHat = (ut1 * m[i]) / (1 - prod1) + ((1 - ut) * gi) / (1 - prod);
      const vHat = v[i] / (1 - b2Power);
      w[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
