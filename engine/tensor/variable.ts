// tf.Variable: a named, mutable tensor. Trainable variables read while a tape records are watched by it.
// Each read hands ops a snapshot that shares the variable's id (so tapes route gradients to the variable)
// but keeps the value the op saw, so a later assign cannot change a recorded gradient.
import { type DType, allocate } from './dtype';
import { formatNumpyRepr, formatShapeTuple, numpyText } from './format';
import { Tensor } from './tensor';
import { makeTensor, type TensorLike } from './convert';
import { formatShape, shapesEqual } from '../shape/shape';
import { recording } from '../tape/recording_state';

/** Options of `new tf.Variable(initial, options)`. */
export interface VariableOptions {
  /** Whether tapes watch it automatically and optimizers update it (default true), as TF's `trainable=`. */
  trainable?: boolean;
  /** Its name in prints and the inspector (default 'Variable'; Keras layers name theirs 'dense/kernel'). */
  name?: string;
  /** Element type; default the initial value's (float32 for numbers). */
  dtype?: DType;
}

/**
 * tf.Variable: a named tensor whose value can change (assign, assignAdd, assignSub), the state a model trains.
 * A trainable variable read while a GradientTape records is watched by it automatically.
 * @example
 * ```ts
 * const v = new tf.Variable(3.0, { name: 'v' });
 * const tape = new tf.GradientTape();
 * const y = tape.record(() => v.square());
 * tape.gradient(y, v) // → 6
 * v.assignSub(1).numpy() // → 2
 * ```
 */
export class Variable extends Tensor {
  /** Whether tapes watch it when it is read and optimizers update it (TF's `trainable`). */
  readonly trainable: boolean;
  /** Its name, as in `<tf.Variable 'v:0' …>`. */
  override name: string;
  /** Snapshot handed to ops since the last assign; assign copies on write while one exists. */
  private snapshot: Tensor | null = null;
  /** Counts writableValues / overwritableValues calls (see writeCount). */
  private storageWrites = 0;

  /**
   * Creates a variable holding a copy of `initial` (TF's `tf.Variable(initial_value, trainable, name, dtype)`).
   * @param initial The initial value (copied), anything tf.constant accepts; its shape is the variable's for good.
   * @param options trainable (default true), name (default 'Variable'), dtype (default the value's).
   */
  constructor(initial: TensorLike, options: VariableOptions = {}) {
    const init = initial instanceof Tensor ? initial : makeTensor('Variable', initial, options.dtype);
    const values = allocate(options.dtype ?? init.dtype, init.size);
    values.set(init.dataSync());
    super(values, [...init.shape], options.dtype ?? init.dtype);
    this.trainable = options.trainable ?? true;
    // TF 2 eager names every unnamed variable 'Variable' (no suffix); Keras layers name theirs uniquely
    this.name = options.name ?? 'Variable';
  }

  /** The current value as a Tensor (TF's `read_value()`); a recording tape notes the read and watches the variable, a graph being traced notes it too. */
  read(): Tensor {
    const state = recording;
    if (this.trainable) {
      const tapes = state.tapes;
      for (let i = 0; i < tapes.length; i++) if (tapes[i].pausedDepth === 0 && tapes[i].watchAccessedVariables) tapes[i].noteVariableAccess(this);
    }
    if (state.graph !== null) state.graph.noteVariableRead(this);
    if (this.snapshot === null) this.snapshot = new Tensor(this.values, this.shape, this.dtype, this.id);
    return this.snapshot;
  }

  /**
   * The variable's current value as a tensor (tf.Variable.read_value); a later assign does not change it, and
   * gradients with respect to it reach the variable.
   * @example
   * const v = new tf.Variable([1, 2]);
   * const before = v.readValue();
   * v.assign([3, 4]);
   * before // → [1, 2]
   */
  readValue(): Tensor {
    return this.read();
  }

  /**
   * Replaces the value in place (TF's `assign`); a scalar fills every element. Returns the variable.
   * @throws Error when the shape or dtype differs from the variable's.
   * @example
   * ```ts
   * const v = new tf.Variable([1, 2]);
   * v.assign([5, 6]).numpy() // → [5, 6]
   * ```
   */
  assign(value: TensorLike): this {
    const v = value instanceof Tensor ? readValue(value) : makeTensor('assign', value, this.dtype);
    if (!shapesEqual(v.shape, this.shape) && v.size !== 1) {
      throw new Error(`assign: cannot assign a value of shape ${formatShape(v.shape)} to variable '${this.name}' of shape ${formatShape(this.shape)}`);
    }
    if (v.dtype !== this.dtype) {
      throw new Error(`assign: cannot assign a ${v.dtype} value to ${this.dtype} variable '${this.name}'`);
    }
    const target = this.writableValues();
    if (v.size === 1 && this.size !== 1) target.fill(v.dataSync()[0]);
    else target.set(v.dataSync());
    return this;
  }

  /**
   * Adds `delta` in place (TF's `assign_add`, `v += delta`); a scalar adds to every element. Returns the variable.
   * @throws Error when the shape or dtype differs from the variable's.
   * @example
   * ```ts
   * new tf.Variable([1, 2]).assignAdd(10).numpy() // → [11, 12]
   * ```
   */
  assignAdd(delta: TensorLike): this {
    return this.updateInPlace('assignAdd', delta, (a, b) => a + b);
  }

  /**
   * Subtracts `delta` in place (TF's `assign_sub`, `v -= delta`), as a hand-written gradient step does.
   * @throws Error when the shape or dtype differs from the variable's.
   * @example
   * ```ts
   * new tf.Variable(3.0).assignSub(0.5).numpy() // → 2.5
   * ```
   */
  assignSub(delta: TensorLike): this {
    return this.updateInPlace('assignSub', delta, (a, b) => a - b);
  }

  /**
   * @internal
   * Storage that may be written now: the current one if no op holds a snapshot of it, otherwise a fresh copy
   * (copy on write). Optimizers use this to update in place.
   */
  writableValues(): Float32Array | Float64Array | Int32Array | Uint8Array {
    if (this.snapshot !== null) {
      const fresh = allocate(this.dtype, this.values.length);
      fresh.set(this.values);
      this.values = fresh;
      this.snapshot = null;
    }
    this.storageWrites++;
    return this.values;
  }

  /**
   * @internal
   * Storage for a writer that sets every element (reading the old values from what dataSync() returned before):
   * as writableValues, but a copy on write skips copying values that are about to be overwritten.
   */
  overwritableValues(): Float32Array | Float64Array | Int32Array | Uint8Array {
    if (this.snapshot !== null) {
      this.values = allocate(this.dtype, this.values.length);
      this.snapshot = null;
    }
    this.storageWrites++;
    return this.values;
  }

  /**
   * @internal
   * How many times storage has been handed out for writing: a reader that mirrors the values (Adam's resident
   * weights) knows they are unchanged while this count and the storage are the ones it saw.
   */
  get writeCount(): number {
    return this.storageWrites;
  }

  private updateInPlace(op: string, delta: TensorLike, f: (a: number, b: number) => number): this {
    const d = delta instanceof Tensor ? readValue(delta) : makeTensor(op, delta, this.dtype);
    if (d.dtype !== this.dtype) throw new Error(`${op}: cannot add a ${d.dtype} value to ${this.dtype} variable '${this.name}'`);
    if (!shapesEqual(d.shape, this.shape) && d.size !== 1) {
      throw new Error(`${op}: value of shape ${formatShape(d.shape)} does not match variable '${this.name}' of shape ${formatShape(this.shape)}`);
    }
    const src = d.dataSync();
    const out = this.writableValues();
    if (src.length === 1) for (let i = 0; i < out.length; i++) out[i] = f(out[i], src[0]);
    else for (let i = 0; i < out.length; i++) out[i] = f(out[i], src[i]);
    return this;
  }

  override toString(): string {
    return this.repr();
  }

  override repr(): string {
    return `<tf.Variable '${this.name}:0' shape=${formatShapeTuple(this.shape)} dtype=${this.dtype}, numpy=${numpyText(formatNumpyRepr(this.values, this.shape, this.dtype))}>`;
  }
}

/** Tensor an op may read: variables become their snapshot. */
export function readValue(t: Tensor): Tensor {
  return t instanceof Variable ? t.read() : t;
}
