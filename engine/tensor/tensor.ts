// The tensor: an immutable n-d array of one dtype in typed-array storage.
// Chainable op methods (x.mul(w).add(b)) are attached in ops/tensor_methods.ts, which keeps this file free of op code.
import { type DType, type TypedArray } from './dtype';
import { formatNumpyRepr, formatNumpyStr, formatShapeTuple, numpyText } from './format';
import { formatShape, sizeOf } from '../shape/shape';

let nextTensorId = 1;

/** A fresh id for a new tensor (ids are what tapes watch and what traces link). */
export function newTensorId(): number {
  return nextTensorId++;
}

/** The shape of every scalar produced by an op, shared (and frozen) to spare an allocation per op. */
export const SCALAR_SHAPE: number[] = Object.freeze([]) as unknown as number[];

export type NestedArray = number | boolean | NestedArray[];

let writeStorage: (t: Tensor, values: TypedArray) => void;

/**
 * The storage of a float scalar made by `scalarTensor` until someone asks for it: scalar graphs (micrograd-style)
 * make millions of one-element tensors whose values only ops read, so the typed array waits for `dataSync()`.
 */
const DEFERRED: TypedArray = new Float64Array(0);

/**
 * Graph replay's one mutation: gives a traced graph's tensor new storage of the same size (see `values`).
 * @throws when the size differs from the tensor's shape (`what` names the op or argument replayed)
 */
export function replaceStorage(target: Tensor, values: TypedArray, what: string): void {
  if (values.length !== sizeOf(target.shape)) throw new Error(`tf.function: replaying ${what} gave ${values.length} values for shape ${formatShape(target.shape)}`);
  writeStorage(target, values);
}

let makeScalar: (value: number, dtype: 'float32' | 'float64') => Tensor;

/** A float scalar holding `value` (rounded to float32 for float32), its typed-array storage made only when read. */
export function scalarTensor(value: number, dtype: 'float32' | 'float64'): Tensor {
  return makeScalar(value, dtype);
}

/**
 * tf.Tensor: an immutable n-dimensional array of one dtype. Ops return new tensors; chainable methods mirror the
 * tf.* ops (`x.mul(w).add(b)` is `tf.add(tf.mul(x, w), b)`). Make them with {@link constant} and friends.
 * @example
 * ```ts
 * const t = tf.constant([[1, 2], [3, 4]]);
 * t.shape // → [2, 2]
 * t.dtype // → "float32"
 * t.mul(2).numpy() // → [[2, 4], [6, 8]]
 * ```
 */
export class Tensor {
  /** A number unique to this tensor in the kernel; tapes and traces refer to tensors by it. */
  readonly id: number;
  /** The size of each axis, outermost first; `[]` for a scalar. */
  readonly shape: number[];
  /** The element type: 'float32', 'float64', 'int32' or 'bool'. */
  readonly dtype: DType;
  /** An optional label, shown by the inspector (Variables always have one). */
  name?: string;
  /**
   * @internal Storage, row-major. Never mutated once the tensor exists, with two owners allowed to swap it: a Variable (on
   * assign) and graph replay — a traced graph recomputes each of its own tensors into the same object
   * (replaceStorage), so closures that captured it see the new values; tf.test.checkTape perturbs a logged
   * tensor the same way. No other code writes storage.
   */
  protected values: TypedArray;
  /** The value of a scalar whose storage is DEFERRED (0 otherwise). */
  private deferredValue = 0;

  static {
    writeStorage = (t, values) => { t.values = values; };
    makeScalar = (value, dtype) => {
      const t = new Tensor(DEFERRED, SCALAR_SHAPE, dtype);
      t.deferredValue = dtype === 'float32' ? Math.fround(value) : value;
      return t;
    };
  }

  /**
   * Wraps existing storage (row-major, `values.length` = product of `shape`) without copying; cells normally use
   * tf.constant instead, which checks and converts its input.
   */
  constructor(values: TypedArray, shape: number[], dtype: DType, id: number = newTensorId()) {
    this.values = values;
    this.shape = shape;
    this.dtype = dtype;
    this.id = id;
  }

  /** Number of elements: the product of the shape (1 for a scalar). */
  get size(): number {
    return this.values === DEFERRED ? 1 : this.values.length;
  }

  /** Number of axes (TF's `ndim`): 0 for a scalar, 2 for a matrix. */
  get rank(): number {
    return this.shape.length;
  }

  /** The values as a flat, row-major typed array: the storage itself, so never write into it. */
  dataSync(): TypedArray {
    if (this.values === DEFERRED) {
      this.values = this.dtype === 'float32' ? Float32Array.of(this.deferredValue) : Float64Array.of(this.deferredValue);
    }
    return this.values;
  }

  /** @internal The first (for a scalar, only) value, without making a deferred scalar's storage. */
  scalarValue(): number {
    return this.values === DEFERRED ? this.deferredValue : this.values[0];
  }

  /**
   * The values as TF's `.numpy()` gives them: a number for a scalar, nested arrays otherwise (booleans for bool).
   * @example
   * ```ts
   * tf.constant([[1, 2], [3, 4]]).numpy() // → [[1, 2], [3, 4]]
   * ```
   */
  numpy(): number | boolean | NestedArray[] {
    const v = this.dataSync();
    const asValue = this.dtype === 'bool' ? (i: number) => v[i] !== 0 : (i: number) => v[i];
    if (this.shape.length === 0) return asValue(0);
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[axis];
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === this.shape.length - 1 ? asValue(offset + i) : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, sizeOf(this.shape));
  }

  /** Alias of numpy() in TF.js's spelling. */
  arraySync(): number | boolean | NestedArray[] {
    return this.numpy();
  }

  /**
   * The single value of a one-element tensor, as a number (TF's `.numpy()` of a scalar, tfjs's dataSync()[0]).
   * @throws Error when the tensor has more than one element.
   */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements, not 1 (shape ${formatShapeTuple(this.shape)})`);
    return this.scalarValue();
  }

  /** TF eager's print form: `tf.Tensor(12.0, shape=(), dtype=float32)`. */
  toString(): string {
    return `tf.Tensor(${numpyText(formatNumpyStr(this.dataSync(), this.shape, this.dtype))}, shape=${formatShapeTuple(this.shape)}, dtype=${this.dtype})`;
  }

  /** TF eager's repr, shown for cell results: `<tf.Tensor: shape=(), dtype=float32, numpy=2.0>`. */
  repr(): string {
    return `<tf.Tensor: shape=${formatShapeTuple(this.shape)}, dtype=${this.dtype}, numpy=${numpyText(formatNumpyRepr(this.dataSync(), this.shape, this.dtype))}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.repr();
  }
}
