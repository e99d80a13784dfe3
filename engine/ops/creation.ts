// Creation ops: constants and filled tensors. Not differentiable (nothing to differentiate).
import { allocate, type DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { makeTensor, type TensorLike } from '../tensor/convert';
import { readValue } from '../tensor/variable';
import { assertValidShape, sizeOf } from '../shape/shape';

/**
 * A tensor holding `value` (tf.constant, also tf.tensor): numbers, booleans, nested arrays (their nesting is the shape), typed arrays or a tensor. `dtype` defaults to float32 for numbers and bool for booleans; `shape` reshapes (or fills, from a scalar).
 * @throws Error for ragged or non-numeric arrays, or a shape that does not fit the values.
 * @example
 * ```ts
 * const t = tf.constant([[1, 2], [3, 4]]);
 * t.shape // → [2, 2]
 * tf.constant(7, 'int32', [2, 2]) // → [[7, 7], [7, 7]]
 * ```
 */
export function constant(value: TensorLike, dtype?: DType, shape?: readonly number[]): Tensor {
  if (value instanceof Tensor) {
    const t = readValue(value);
    if (dtype === undefined || dtype === t.dtype) return shape === undefined ? t : new Tensor(t.dataSync().slice(), [...shape], t.dtype);
    return makeTensor('constant', Array.from(t.dataSync()), dtype, shape ?? t.shape);
  }
  return makeTensor('constant', value, dtype, shape);
}

/**
 * A rank-0 tensor (tfjs's tf.scalar; tf.constant(value) in TF).
 * @example
 * ```ts
 * tf.scalar(3).shape // → []
 * tf.scalar(true).dtype // → bool
 * ```
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return makeTensor('scalar', value, dtype);
}

/**
 * A tensor of `shape` with every element `value` (tf.fill); dtype default float32.
 * @throws Error for a shape with negative or non-integer sizes.
 * @example
 * ```ts
 * tf.fill([2, 3], 9) // → [[9, 9, 9], [9, 9, 9]]
 * ```
 */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  return filled('fill', shape, value, dtype);
}

/** `shape` filled with `value`; `op` names the public op in errors. */
function filled(op: string, shape: readonly number[], value: number, dtype: DType): Tensor {
  assertValidShape(op, shape);
  const values = allocate(dtype, sizeOf(shape), op, shape);
  values.fill(dtype === 'int32' ? Math.trunc(value) : dtype === 'bool' ? (value ? 1 : 0) : value);
  return new Tensor(values, [...shape], dtype);
}

/**
 * A tensor of zeros (tf.zeros); dtype default float32.
 * @throws Error for an invalid shape.
 * @example
 * ```ts
 * tf.zeros([2, 2]) // → [[0, 0], [0, 0]]
 * ```
 */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

/**
 * A tensor of ones (tf.ones); dtype default float32.
 * @throws Error for an invalid shape.
 * @example
 * ```ts
 * tf.ones([3], 'int32') // → [1, 1, 1]
 * ```
 */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

/**
 * Zeros with the shape and dtype of x (tf.zeros_like → tf.zerosLike).
 * @example
 * ```ts
 * tf.zerosLike(tf.constant([[1, 2]])) // → [[0, 0]]
 * ```
 */
export function zerosLike(x: Tensor): Tensor {
  return fill(x.shape, 0, x.dtype);
}

/**
 * Ones with the shape and dtype of x (tf.ones_like → tf.onesLike).
 * @example
 * ```ts
 * tf.onesLike(tf.constant([[1, 2]])) // → [[1, 1]]
 * ```
 */
export function onesLike(x: Tensor): Tensor {
  return fill(x.shape, 1, x.dtype);
}

/**
 * The numbers start, start + delta, … below limit, as a 1-D tensor (tf.range); with one argument, [0, start). dtype default float32.
 * @throws Error when delta is 0.
 * @example
 * ```ts
 * tf.range(4) // → [0, 1, 2, 3]
 * tf.range(1, 2, 0.25) // → [1, 1.25, 1.5, 1.75]
 * ```
 */
export function range(start: number, limit?: number, delta = 1, dtype: DType = 'float32'): Tensor {
  if (limit === undefined) { limit = start; start = 0; }
  if (delta === 0) throw new Error('range: delta must not be 0');
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  const values = allocate(dtype, n);
  for (let i = 0; i < n; i++) values[i] = start + i * delta;
  return new Tensor(values, [n], dtype);
}

/**
 * `num` evenly spaced float32 values from start to stop inclusive (tf.linspace).
 * @throws Error when num is not a non-negative integer.
 * @example
 * ```ts
 * tf.linspace(0, 1, 5) // → [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new Error(`linspace: num must be a non-negative integer, got ${num}`);
  const values = new Float32Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = start + i * step;
  if (num > 1) values[num - 1] = stop;
  return new Tensor(values, [num], 'float32');
}

/**
 * The identity matrix [numRows, numColumns] (tf.eye; numColumns defaults to numRows, dtype to float32).
 * @example
 * ```ts
 * tf.eye(2) // → [[1, 0], [0, 1]]
 * tf.eye(2, 3).shape // → [2, 3]
 * ```
 */
export function eye(numRows: number, numColumns: number = numRows, dtype: DType = 'float32'): Tensor {
  const values = allocate(dtype, numRows * numColumns);
  for (let i = 0; i < Math.min(numRows, numColumns); i++) values[i * numColumns + i] = 1;
  return new Tensor(values, [numRows, numColumns], dtype);
}

/**
 * x itself if it is a tensor, else tf.constant(x, dtype) (tf.convert_to_tensor → tf.convertToTensor).
 * @throws Error for values tf.constant cannot convert.
 * @example
 * ```ts
 * tf.convertToTensor([1, 2]).shape // → [2]
 * ```
 */
export function convertToTensor(value: TensorLike, dtype?: DType): Tensor {
  return value instanceof Tensor ? value : constant(value, dtype);
}
