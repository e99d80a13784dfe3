// AdamW (Keras): decoupled weight decay w -= lr·λ·w, applied before the Adam update.
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Adam, type AdamArgs } from './adam';
import { optimizerArgs } from './optimizer';

/** Options of tf.keras.optimizers.AdamW. */
export interface AdamWArgs extends AdamArgs {
  /** λ (default 0.004, as Keras). */
  weightDecay?: number;
}

/**
 * Adam with decoupled weight decay (tf.keras.optimizers.AdamW).
 * @param args weightDecay (default 0.004) and Adam's options
 * @example
 * const opt = tf.keras.optimizers.AdamW({ learningRate: 0.001, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  /** λ, the decay per unit of learning rate. */
  readonly weightDecay: number;

  /** Builds the optimizer from a learning rate (or a schedule), or {learningRate, weightDecay, beta1, beta2, epsilon, …}. @throws Error for a negative weightDecay. */
  constructor(args?: number | LearningRateSchedule | AdamWArgs) {
    const opts = optimizerArgs<AdamWArgs>(args);
    super({ ...opts, name: opts.name ?? 'AdamW' });
    this.weightDecay = opts.weightDecay ?? 0.004;
    if (!(this.weightDecay >= 0)) throw new Error(`AdamW: weightDecay must be ≥ 0, got ${this.weightDecay}`);
  }

  protected override updateVariable(w: FloatArray, g: FloatArray, variable: Variable, step: number): void {
    const decay = this.learningRate * this.weightDecay;
    for (let i = 0; i < w.length; i++) w[i] -= decay * w[i];
    super.updateVariable(w, g, variable, step);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}
