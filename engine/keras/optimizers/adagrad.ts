// Adagrad, Keras's formulation: accumulator (starts at 0.1) += g²;  w -= lr·g / (√accumulator + ε)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';

/** Options of tf.keras.optimizers.Adagrad. */
export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of each accumulator (default 0.1). */
  initialAccumulatorValue?: number;
  /** Added to the root of the accumulator (default 1e-7). */
  epsilon?: number;
}

/**
 * tf.keras.optimizers.Adagrad: divides each step by the root of the summed squared gradients so far, as Keras
 * does (learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7 by default).
 * @example
 * ```ts
 * const w = new tf.Variable(2.0);
 * tf.keras.optimizers.Adagrad(0.1).minimize(() => w.square());
 * w.numpy() // → 1.900311
 * ```
 */
export class Adagrad extends Optimizer {
  /** Starting value of each accumulator. */
  readonly initialAccumulatorValue: number;
  /** Added to the root of the accumulator. */
  readonly epsilon: number;

  /** Builds the optimizer from a learning rate (or a schedule), or {learningRate, initialAccumulatorValue, epsilon, name}. */
  constructor(args?: number | LearningRateSchedule | AdagradArgs) {
    const opts = optimizerArgs<AdagradArgs>(args);
    super(opts, 0.001, 'Adagrad');
    this.initialAccumulatorValue = opts.initialAccumulatorValue ?? 0.1;
    this.epsilon = opts.epsilon ?? 1e-7;
  }

  slotNames(): string[] {
    return ['accumulator'];
  }

  protected updateVariable(w: FloatArray, g: FloatArray, variable: Variable): void {
    const lr = this.learningRate, eps = this.epsilon;
    const acc = this.slot(variable, 'accumulator', this.initialAccumulatorValue);
    const n = w.length;
    for (let i = 0; i < n; i++) {
      acc[i] += g[i] * g[i];
      w[i] -= lr * g[i] / (Math.sqrt(acc[i]) + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
