// SGD with optional (Nesterov) momentum, Keras's formulation:
//   velocity = momentum·velocity - lr·g;  w += velocity   (nesterov: w += momentum·velocity - lr·g)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args?: number | LearningRateSchedule | SGDArgs) {
    const opts = optimizerArgs<SGDArgs>(args);
    super(opts, 0.01, 'SGD');
    this.momentum = opts.momentum ?? 0;
    this.nesterov = opts.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`SGD: momentum must be in [0, 1], got ${this.momentum}`);
  }

  slotNames(): string[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }

  protected updateVariable(w: FloatArray, g: FloatArray, variable: Variable): void {
    const lr = this.learningRate;
    const n = w.length;
    if (this.momentum === 0) {
      for (let i = 0; i < n; i++) w[i] -= lr * g[i];
      return;
    }
    const mu = this.momentum;
    const v = this.slot(variable, 'momentum');
    if (this.nesterov) {
      for (let i = 0; i < n; i++) {
        v[i] = mu * v[i] - lr * g[i];
        w[i] += mu * v[i] - lr * g[i];
      }
    } else {
      for (let i = 0; i < n; i++) {
        v[i] = mu * v[i] - lr * g[i];
        w[i] += v[i];
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
