// RMSprop, Keras's formulation: rms = ρ·rms + (1-ρ)·g²  (centered: also mg = ρ·mg + (1-ρ)·g, denominator rms - mg²);
//   step = lr·g / (√denominator + ε);  with momentum: mom = momentum·mom + step, w -= mom;  else w -= step
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

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
