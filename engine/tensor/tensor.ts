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
 * Graph replay's one mutation: gives a traced graph's tensor new storage of the same size (see `values`).
 * @throws when the size differs from the tensor's shape (`what` names the op or argument replayed)
 */
export function replaceStorage(target: Tensor, values: TypedArray, what: string): void {
  if (values.length !== sizeOf(target.shape)) throw new Error(`tf.function: replaying ${what} gave ${values.length} values for shape ${formatShape(target.shape)}`);
  writeStorage(target, values);
}

export class Tensor {
  readonly id: number;
  readonly shape: number[];
  readonly dtype: DType;
  name?: string;
  /**
   * Storage, row-major. Never mutated once the tensor exists, with two owners allowed to swap it: a Variable (on
   * assign) and graph replay — a traced graph recomputes each of its own tensors into the same object
   * (replaceStorage), so closures that captured it see the new values; tf.test.checkTape perturbs a logged
   * tensor the same way. No other code writes storage.
   */
  protected values: TypedArray;

  static {
    writeStorage = (t, values) => { t.values = values; };
  }

  constructor(values: TypedArray, shape: number[], dtype: DType, id: number = newTensorId()) {
    this.values = values;
    this.shape = shape;
    this.dtype = dtype;
    this.id = id;
  }

  get size(): number {
    return this.values.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The storage itself (do not write into it). */
  dataSync(): TypedArray {
    return this.values;
  }

  /** A number for a scalar, nested arrays otherwise (booleans for bool tensors). */
  numpy(): number | boolean | NestedArray[] {
    const v = this.values;
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

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.values.length !== 1) throw new Error(`item: tensor has ${this.values.length} elements, not 1 (shape ${formatShapeTuple(this.shape)})`);
    return this.values[0];
  }

  /** TF eager's print form: `tf.Tensor(12.0, shape=(), dtype=float32)`. */
  toString(): string {
    return `tf.Tensor(${numpyText(formatNumpyStr(this.values, this.shape, this.dtype))}, shape=${formatShapeTuple(this.shape)}, dtype=${this.dtype})`;
  }

  /** TF eager's repr, shown for cell results: `<tf.Tensor: shape=(), dtype=float32, numpy=2.0>`. */
  repr(): string {
    return `<tf.Tensor: shape=${formatShapeTuple(this.shape)}, dtype=${this.dtype}, numpy=${numpyText(formatNumpyRepr(this.values, this.shape, this.dtype))}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.repr();
  }
}
