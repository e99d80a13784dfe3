// SGD with optional (Nesterov) momentum, Keras's formulation:
//   velocity = momentum·velocity - lr·g;  w += velocity   (nesterov: w += momentum·velocity - lr·g)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';

/** Options of tf.keras.optimizers.SGD. */
export interface SGDArgs extends OptimizerArgs {
  /** Momentum in [0, 1] (default 0: plain gradient descent). */
  momentum?: number;
  /** Use Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * tf.keras.optimizers.SGD: gradient descent, `w -= learningRate · g`, with optional (Nesterov) momentum as Keras
 * computes it. `SGD(0.1)` or `SGD({learningRate: 0.1, momentum: 0.9})`; default learning rate 0.01.
 * @throws Error when momentum is outside [0, 1].
 * @example
 * ```ts
 * const w = new tf.Variable(2.0);
 * tf.keras.optimizers.SGD(0.1).minimize(() => w.square());
 * w.numpy() // → 1.6
 * ```
 */
export class SGD extends Optimizer {
  /** The momentum (0 when none). */
  readonly momentum: number;
  /** Whether momentum is Nesterov's. */
  readonly nesterov: boolean;

  /** Builds the optimizer from a learning rate (or a schedule), or {learningRate, momentum, nesterov, name}. */
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
