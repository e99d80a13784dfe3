// Adam as TF/Keras computes it: m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;
//   w -= lr·√(1-β2ᵗ)/(1-β1ᵗ) · m / (√v + ε)     (ε added outside the root, not bias-corrected)
import type { Variable } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import type { LearningRateSchedule } from './schedules';
import { Optimizer, optimizerArgs, type OptimizerArgs } from './optimizer';
import type { VariableUpdate } from './telemetry';
import { adamUpdate, type AdamOperands } from '../../kernels/optimizers/adam';
import { adamResidentMemory, type AdamRegion, type AdamResidentMemory } from '../../kernels/optimizers/adam_resident';

/** A float32 variable's resident Adam state, and which storage (at which write count) its weights mirror. */
interface ResidentState {
  region: AdamRegion;
  mirrors: FloatArray | null;
  writeCount: number;
}

/** Options of tf.keras.optimizers.Adam. */
export interface AdamArgs extends OptimizerArgs {
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Keras spells them beta_1 / beta_2. */
  beta_1?: number;
  /** Keras's spelling of beta2. */
  beta_2?: number;
  /** Added to the root of the second moment (default 1e-7). */
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

/**
 * tf.keras.optimizers.Adam: adaptive moments (Kingma & Ba), bias-corrected, with Keras's defaults
 * (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). Its first step moves each weight by about learningRate.
 * @throws Error when beta1 or beta2 is outside [0, 1).
 * @example
 * ```ts
 * const w = new tf.Variable(2.0);
 * tf.keras.optimizers.Adam(0.1).minimize(() => w.square());
 * w.numpy() // → 1.9
 * ```
 */
export class Adam extends Optimizer {
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment. */
  readonly beta2: number;
  /** Added to the root of the second moment. */
  readonly epsilon: number;
  /** Float32 variables' moments and weights live in WASM memory (null: this runtime copies them at each step). */
  private readonly resident: AdamResidentMemory | null = adamResidentMemory();
  private readonly residentStates = new Map<Variable, ResidentState>();

  /** Builds the optimizer from a learning rate (or a schedule), or {learningRate, beta1, beta2, epsilon, name}. */
  constructor(args?: number | LearningRateSchedule | AdamArgs) {
    const opts = optimizerArgs<AdamArgs>(args);
    super(opts, 0.001, opts.name ?? 'Adam');
    [this.beta1, this.beta2, this.epsilon] = adamBetas('Adam', opts);
  }

  slotNames(): string[] {
    return ['m', 'v'];
  }

  override effectiveStepSize(step: number): number {
    return this.learningRate * Math.sqrt(1 - Math.pow(this.beta2, step)) / (1 - Math.pow(this.beta1, step));
  }

  protected updateVariable(w: FloatArray, g: FloatArray, variable: Variable, step: number): void {
    adamUpdate([this.operands(w, g, variable)], this.effectiveStepSize(step), this.beta1, this.beta2, this.epsilon);
  }

  /** Adam's own update reads `before` and writes every weight; a subclass's per-variable update (AdamW) updates in place. */
  protected override overwritesWeights(): boolean {
    return !this.hasOwnVariableUpdate();
  }

  /**
   * One kernel call over all variables; a subclass that changes the per-variable update (AdamW) keeps its own.
   * Float32 variables with resident state copy only their gradient in and their new weights out (the old weights
   * too when something else wrote the variable since the last step).
   */
  protected override updateVariables(updates: readonly VariableUpdate[], step: number): void {
    if (this.hasOwnVariableUpdate()) {
      super.updateVariables(updates, step);
      return;
    }
    const lrT = this.effectiveStepSize(step);
    const copied: AdamOperands[] = [];
    const residents: { update: VariableUpdate; state: ResidentState }[] = [];
    for (const u of updates) {
      const state = this.residentState(u.variable);
      if (state === null) copied.push({ ...this.operands(u.weights, u.gradient, u.variable), before: u.before });
      else residents.push({ update: u, state });
    }
    if (copied.length > 0) adamUpdate(copied, lrT, this.beta1, this.beta2, this.epsilon);
    if (residents.length === 0) return;
    for (const { update: u, state } of residents) {
      // this step's own overwritableValues() counted one write
      if (state.mirrors !== u.before || state.writeCount !== u.variable.writeCount - 1) state.region.weights.set(u.before);
      state.region.gradient.set(u.gradient);
    }
    this.resident!.update(residents.map((r) => r.state.region), lrT, this.beta1, this.beta2, this.epsilon);
    for (const { update: u, state } of residents) {
      u.weights.set(state.region.weights);
      state.mirrors = u.weights;
      state.writeCount = u.variable.writeCount;
    }
  }

  private hasOwnVariableUpdate(): boolean {
    return Object.getPrototypeOf(this).updateVariable !== Adam.prototype.updateVariable;
  }

  /** The variable's resident state, made (with its m and v slots as views of it) on first use; null for float64 or without shared memory. */
  private residentState(variable: Variable): ResidentState | null {
    if (this.resident === null || variable.dtype !== 'float32') return null;
    let state = this.residentStates.get(variable);
    if (state === undefined) {
      if (this.slotBuffersOf(variable) !== undefined) return null; // slots made by the per-variable path stay where they are
      const region = this.resident.allocate(variable.size, this);
      this.slot(variable, 'm', 0, () => region.m);
      this.slot(variable, 'v', 0, () => region.v);
      state = { region, mirrors: null, writeCount: -1 };
      this.residentStates.set(variable, state);
    }
    return state;
  }

  private operands(weights: FloatArray, gradient: FloatArray, variable: Variable) {
    return { weights, gradient, m: this.slot(variable, 'm'), v: this.slot(variable, 'v') };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
