// The optimizer base: validates (gradient, variable) pairs, skips null gradients as Keras does, keeps per-variable
// slot buffers (momenta, Adam's m and v) allocated once, and writes each update straight into the variable's
// storage (Variable.writableValues, copy-on-write while an op still holds a snapshot): no allocation per step.
import { Tensor } from '../../tensor/tensor';
import { Variable, readValue } from '../../tensor/variable';
import type { FloatArray } from '../../tensor/dtype';
import { formatShape, shapesEqual } from '../../shape/shape';
import { GradientTape } from '../../autodiff/gradient_tape';
import { LearningRateSchedule } from './schedules';
import { OptimizerTelemetry, type VariableUpdate } from './telemetry';

/** A (gradient, variable) pair as applyGradients takes them (Python's `zip(grads, vars)`); null gradients are skipped. */
export type GradientPair = readonly [Tensor | null | undefined, Variable];

/** Options every optimizer takes. */
export interface OptimizerArgs {
  /** Step size (defaults: SGD 0.01, Adam, RMSprop and Adagrad 0.001), or a schedule of the step (tf.keras.optimizers.schedules.*). */
  learningRate?: number | LearningRateSchedule;
  /** Keras 2's old spelling of learningRate (seed 004 writes SGD(lr=0.1)). */
  lr?: number;
  /** Shown in prints; default the class name. */
  name?: string;
  /** Clip each gradient to this L2 norm (tf.clip_by_norm) before the update. */
  clipnorm?: number;
  /** Clip every gradient entry into [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Scale all gradients together so their global norm is at most this (tf.clip_by_global_norm). */
  globalClipnorm?: number;
}

/** Slot state as the inspector reads it. */
export interface SlotEntry {
  /** The variable's name. */
  variable: string;
  /** The slot's name ('momentum', 'm', 'v', …). */
  slot: string;
  /** A copy of its values, shaped as the variable. */
  value: Tensor;
}

/**
 * tf.keras.optimizers.Optimizer: the base of SGD, Adam, RMSprop and Adagrad. applyGradients updates variables in
 * place from (gradient, variable) pairs; minimize records a loss, takes its gradient and applies it.
 */
export abstract class Optimizer {
  /** The step size the current (or last) update uses; may be changed between steps; with a schedule, set from it at every step. */
  learningRate: number;
  /** The schedule given as learningRate, if any. */
  readonly schedule: LearningRateSchedule | null;
  /** Per-gradient L2 norm limit (Keras's clipnorm), or null. */
  readonly clipnorm: number | null;
  /** Per-entry limit (Keras's clipvalue), or null. */
  readonly clipvalue: number | null;
  /** Limit on the global norm of all gradients (Keras's global_clipnorm), or null. */
  readonly globalClipnorm: number | null;
  /** Its name ('SGD', 'Adam', …, or the one given). */
  readonly name: string;
  /** Number of applyGradients calls so far (Keras's optimizer.iterations). */
  iterations = 0;
  private readonly slotBuffers = new Map<Variable, Map<string, FloatArray>>();
  private telemetry: OptimizerTelemetry | undefined;

  /**
   * For subclasses: the options given, and the learning rate and name to use when they give none.
   * @throws Error when the learning rate is negative or not a number.
   */
  constructor(args: OptimizerArgs, defaultLearningRate: number, name: string) {
    const given = args.learningRate ?? args.lr ?? defaultLearningRate;
    this.schedule = given instanceof LearningRateSchedule ? given : null;
    const lr = this.schedule !== null ? this.schedule.call(0) : given;
    if (!(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0)) throw new Error(`${name}: learningRate must be a non-negative number or a LearningRateSchedule, got ${String(lr)}`);
    this.learningRate = lr;
    this.name = args.name ?? name;
    const clip = (key: 'clipnorm' | 'clipvalue' | 'globalClipnorm'): number | null => {
      const v = args[key];
      if (v === undefined || v === null) return null;
      if (!(typeof v === 'number' && v > 0)) throw new Error(`${name}: ${key} must be a positive number, got ${String(v)}`);
      return v;
    };
    this.clipnorm = clip('clipnorm');
    this.clipvalue = clip('clipvalue');
    this.globalClipnorm = clip('globalClipnorm');
    if ([this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== null).length > 1) {
      throw new Error(`${name}: only one of clipnorm, clipvalue and globalClipnorm can be set`);
    }
  }

  /** Names of the slots this optimizer keeps per variable. */
  abstract slotNames(): string[];

  /** Updates `w` in place from gradient `g`; `step` counts from 1. */
  protected abstract updateVariable(w: FloatArray, g: FloatArray, variable: Variable, step: number): void;

  /**
   * Whether updateVariables reads the old weights from each update's `before` and writes every one of `weights`,
   * so that a copy on write need not copy them first (false: `weights` holds the old values to update in place).
   */
  protected overwritesWeights(): boolean {
    return false;
  }

  /** Updates every variable of one step; optimizers with a kernel over all variables at once override it. */
  protected updateVariables(updates: readonly VariableUpdate[], step: number): void {
    for (const u of updates) this.updateVariable(u.weights, u.gradient, u.variable, step);
  }

  /**
   * Applies one update per (gradient, variable) pair. Accepts pairs (`grads.map((g, i) => [g, vars[i]])`, the
   * zip of Python) or two parallel arrays. Null gradients are skipped; all-null is an error, as in Keras.
   * Returns the new iteration count (Keras's `iterations`).
   * @throws Error when every gradient is null, or a gradient's shape differs from its variable's.
   * @example
   * ```ts
   * const w = new tf.Variable(2.0);
   * const tape = new tf.GradientTape();
   * const loss = tape.record(() => w.square());
   * tf.keras.optimizers.SGD(0.1).applyGradients([[tape.gradient(loss, w), w]]);
   * w.numpy() // → 1.6
   * ```
   */
  applyGradients(pairsOrGrads: Iterable<GradientPair> | readonly (Tensor | null | undefined)[], variables?: readonly Variable[]): number {
    const pairs = variables !== undefined
      ? zipPairs(this.name, pairsOrGrads as readonly (Tensor | null | undefined)[], variables)
      : [...(pairsOrGrads as Iterable<GradientPair>)];
    const live: [Tensor, Variable][] = [];
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`${this.name}.applyGradients: expected [gradient, variable] pairs, got ${describe(pair)}`);
      const [g, v] = pair as GradientPair;
      if (!(v instanceof Variable)) throw new Error(`${this.name}.applyGradients: the second item of each pair must be a tf.Variable, got ${describe(v)}`);
      if (g === null || g === undefined) continue;
      if (!(g instanceof Tensor)) throw new Error(`${this.name}.applyGradients: gradient for '${v.name}' must be a tensor or null, got ${describe(g)}`);
      if (!shapesEqual(g.shape, v.shape)) throw new Error(`${this.name}.applyGradients: gradient of shape ${formatShape(g.shape)} does not match variable '${v.name}' of shape ${formatShape(v.shape)}`);
      if (g.dtype !== v.dtype || (v.dtype !== 'float32' && v.dtype !== 'float64')) throw new Error(`${this.name}.applyGradients: variable '${v.name}' is ${v.dtype} and its gradient ${g.dtype}; both must be the same float dtype`);
      live.push([readValue(g), v]);
    }
    if (live.length === 0) {
      throw new Error(`${this.name}.applyGradients: no gradients provided for any variable (${pairs.map((p) => (p as GradientPair)[1]?.name).join(', ')}); check that the loss depends on them`);
    }
    if (this.schedule !== null) this.learningRate = this.schedule.call(this.iterations);
    const grads = this.clipGradients(live.map(([g]) => g.dataSync() as FloatArray));
    const step = ++this.iterations;
    const overwrites = this.overwritesWeights();
    const updates: VariableUpdate[] = live.map(([, v], i) => {
      const before = v.dataSync() as FloatArray;
      // Copy on write: when an op still holds a snapshot, `weights` is fresh storage (a copy, unless the update
      // overwrites every weight from `before`) and `before` stays intact.
      const weights = (overwrites ? v.overwritableValues() : v.writableValues()) as FloatArray;
      return { variable: v, gradient: grads[i], weights, before };
    });
    const telemetry = OptimizerTelemetry.enabled ? (this.telemetry ??= new OptimizerTelemetry(this)) : undefined;
    telemetry?.begin(updates, step);
    this.updateVariables(updates, step);
    telemetry?.finish(updates, step);
    return this.iterations;
  }

  /** clipnorm / clipvalue / globalClipnorm, as Keras applies them; copies only when clipping changes values. */
  private clipGradients(grads: FloatArray[]): FloatArray[] {
    const sumSquares = (g: FloatArray) => {
      let s = 0;
      for (let i = 0; i < g.length; i++) s += g[i] * g[i];
      return s;
    };
    const scaled = (g: FloatArray, k: number) => (k >= 1 ? g : g.map((x) => x * k) as FloatArray);
    if (this.clipnorm !== null) {
      const c = this.clipnorm;
      return grads.map((g) => scaled(g, c / Math.max(Math.sqrt(sumSquares(g)), c)));
    }
    if (this.globalClipnorm !== null) {
      const c = this.globalClipnorm;
      const norm = Math.sqrt(grads.reduce((s, g) => s + sumSquares(g), 0));
      return grads.map((g) => scaled(g, c / Math.max(norm, c)));
    }
    if (this.clipvalue !== null) {
      const c = this.clipvalue;
      return grads.map((g) => g.map((x) => Math.min(c, Math.max(-c, x))) as FloatArray);
    }
    return grads;
  }

  /**
   * Records lossFn on a fresh tape, takes the gradient for `variables` (default: every trainable variable read)
   * and applies it. Returns the loss (TF's `minimize(loss, var_list)`).
   * @throws Error when the loss depends on none of the variables.
   * @example
   * ```ts
   * const w = new tf.Variable(2.0);
   * const sgd = tf.keras.optimizers.SGD(0.1);
   * for (let i = 0; i < 50; i++) sgd.minimize(() => w.sub(5).square());
   * w.numpy() // → 4.99996
   * ```
   */
  minimize(lossFn: () => Tensor, variables?: readonly Variable[]): Tensor {
    if (typeof lossFn !== 'function') throw new Error(`${this.name}.minimize: expected a function returning the loss`);
    const tape = new GradientTape();
    const loss = tape.record(lossFn);
    if (!(loss instanceof Tensor)) throw new Error(`${this.name}.minimize: the loss function must return a tensor, got ${describe(loss)}`);
    const vars = variables ? [...variables] : tape.watchedVariables().filter((v) => v.trainable);
    const grads = tape.gradient(loss, vars) as (Tensor | null)[];
    this.applyGradients(grads, vars);
    return loss;
  }

  /** The step size this optimizer applies at `step` (1-based); optimizers with bias correction override it. */
  effectiveStepSize(_step: number): number {
    return this.learningRate;
  }

  /** The live slot buffers of one variable (no copies; telemetry reads their norms). */
  slotBuffersOf(variable: Variable): ReadonlyMap<string, FloatArray> | undefined {
    return this.slotBuffers.get(variable);
  }

  /** The slot buffer for a variable, created (filled with `initial`, or by `make`) on first use. */
  protected slot(variable: Variable, name: string, initial = 0, make?: () => FloatArray): FloatArray {
    let byName = this.slotBuffers.get(variable);
    if (byName === undefined) {
      byName = new Map();
      this.slotBuffers.set(variable, byName);
    }
    let buffer = byName.get(name);
    if (buffer === undefined) {
      buffer = make?.() ?? (variable.dtype === 'float64' ? new Float64Array(variable.size) : new Float32Array(variable.size));
      if (initial !== 0) buffer.fill(initial);
      byName.set(name, buffer);
    }
    return buffer;
  }

  /**
   * A copy of one slot ('m', 'v', 'momentum', ...) for a variable, or null before its first update (Keras's get_slot).
   * @throws Error naming the slots this optimizer keeps when it has no such slot.
   */
  getSlot(variable: Variable, name: string): Tensor | null {
    if (!this.slotNames().includes(name)) throw new Error(`${this.name}.getSlot: no slot '${name}' (this optimizer keeps: ${this.slotNames().join(', ') || 'none'})`);
    const buffer = this.slotBuffers.get(variable)?.get(name);
    return buffer === undefined ? null : new Tensor(buffer.slice(), variable.shape.slice(), variable.dtype);
  }

  /** Every slot of every variable updated so far (copies), for the inspector. */
  slots(): SlotEntry[] {
    const out: SlotEntry[] = [];
    for (const [variable, byName] of this.slotBuffers) {
      for (const [slot, buffer] of byName) out.push({ variable: variable.name, slot, value: new Tensor(buffer.slice(), variable.shape.slice(), variable.dtype) });
    }
    return out;
  }

  /** Its settings (name, learningRate and the optimizer's own), as Keras's get_config. */
  getConfig(): Record<string, unknown> {
    const clipping = Object.fromEntries(([['clipnorm', this.clipnorm], ['clipvalue', this.clipvalue], ['globalClipnorm', this.globalClipnorm]] as const).filter(([, v]) => v !== null));
    return { name: this.name, learningRate: this.schedule?.constructor.name ?? this.learningRate, ...clipping };
  }

  /** `<SGD learningRate=0.01, momentum=0, nesterov=false>`. */
  toString(): string {
    return `<${this.name} ${Object.entries(this.getConfig()).filter(([k]) => k !== 'name').map(([k, v]) => `${k}=${v}`).join(', ')}>`;
  }
}

function zipPairs(owner: string, grads: readonly (Tensor | null | undefined)[], variables: readonly Variable[]): GradientPair[] {
  if (!Array.isArray(grads) || grads.length !== variables.length) {
    throw new Error(`${owner}.applyGradients: got ${Array.isArray(grads) ? grads.length : describe(grads)} gradients for ${variables.length} variables`);
  }
  return grads.map((g, i) => [g, variables[i]] as const);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (x instanceof Tensor) return `a tensor of shape ${formatShape(x.shape)}`;
  return typeof x;
}

/** Reads Python-style positional learning rates: SGD(0.01) as well as SGD({learningRate: 0.01}). */
export function optimizerArgs<T extends OptimizerArgs>(arg: number | LearningRateSchedule | T | undefined): T {
  if (typeof arg === 'number' || arg instanceof LearningRateSchedule) return { learningRate: arg } as T;
  return (arg ?? {}) as T;
}
