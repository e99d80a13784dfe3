// Adam as TF/Keras computes it: m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;
//   w -= lr·√(1-β2ᵗ)/(1-β1ᵗ) · m / (√v + ε)     (ε added outside the root, not bias-corrected)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  /** Keras spells them beta_1 / beta_2. */
  beta_1?: number;
  beta_2?: number;
  epsilon?: number;
}

/** β1, β2 (either spelling) and ε with Keras's defaults, validated; shared by the Adam family. */
export function adamBetas(owner: string, opts: AdamArgs): [number, number, number] {
  const beta1 = opts.beta1 ?? opts.beta_1 ?? 0.9;
  const beta2 = opts.beta2 ?? opts.beta_2 ?? 0.999;
  for (const [k, b] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(b >= 0 && b < 1)) throw new Error(`${owner}: ${k} must be in [0, 1), got ${b}`);
  }
  return [beta1, beta2, opts.epsilon ?? 1e-7];
}

export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args?: number | LearningRateSchedule | AdamArgs) {
    const opts = optimizerArgs<AdamArgs>(args);
    super(opts, 0.001, opts.name ?? 'Adam');
    [this.beta1, this.beta2, this.epsilon] = adamBetas('Adam', opts);
  }

  slotNames(): string[] {
    return ['m', 'v'];
  }

  protected updateVariable(w: FloatArray, g: FloatArray, variable: Variable, step: number): void {
    const b1 = this.beta1, b2 = this.beta2, eps = this.epsilon;
    const lrT = this.learningRate * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
    const m = this.slot(variable, 'm');
    const v = this.slot(variable, 'v');
    const n = w.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] -= lrT * mi / (Math.sqrt(vi) + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
