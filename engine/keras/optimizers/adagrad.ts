// Adagrad, Keras's formulation: accumulator (starts at 0.1) += g²;  w -= lr·g / (√accumulator + ε)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

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
