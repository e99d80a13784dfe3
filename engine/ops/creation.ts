// Creation ops: constants and filled tensors. Not differentiable (nothing to differentiate).
import { allocate, type DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { makeTensor, type TensorLike } from '../tensor/convert';
import { readValue } from '../tensor/variable';
import { assertValidShape, sizeOf } from '../shape/shape';

/** tf.constant(value, dtype?, shape?) */
export function constant(value: TensorLike, dtype?: DType, shape?: readonly number[]): Tensor {
  if (value instanceof Tensor) {
    const t = readValue(value);
    if (dtype === undefined || dtype === t.dtype) return shape === undefined ? t : new Tensor(t.dataSync().slice(), [...shape], t.dtype);
    return makeTensor('constant', Array.from(t.dataSync()), dtype, shape ?? t.shape);
  }
  return makeTensor('constant', value, dtype, shape);
}

export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return makeTensor('scalar', value, dtype);
}

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

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return fill(x.shape, 0, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return fill(x.shape, 1, x.dtype);
}

/** tf.range(start, limit?, delta = 1): like Python's range; one argument means [0, start). */
export function range(start: number, limit?: number, delta = 1, dtype: DType = 'float32'): Tensor {
  if (limit === undefined) { limit = start; start = 0; }
  if (delta === 0) throw new Error('range: delta must not be 0');
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  const values = allocate(dtype, n);
  for (let i = 0; i < n; i++) values[i] = start + i * delta;
  return new Tensor(values, [n], dtype);
}

export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new Error(`linspace: num must be a non-negative integer, got ${num}`);
  const values = new Float32Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = start + i * step;
  if (num > 1) values[num - 1] = stop;
  return new Tensor(values, [num], 'float32');
}

export function eye(numRows: number, numColumns: number = numRows, dtype: DType = 'float32'): Tensor {
  const values = allocate(dtype, numRows * numColumns);
  for (let i = 0; i < Math.min(numRows, numColumns); i++) values[i * numColumns + i] = 1;
  return new Tensor(values, [numRows, numColumns], dtype);
}

export function convertToTensor(value: TensorLike, dtype?: DType): Tensor {
  return value instanceof Tensor ? value : constant(value, dtype);
}
