// Comparisons, logical ops, where and cast. Comparisons give bool tensors and carry no gradient.
import { allocate, type DType, isDType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { broadcastShapes, sizeOf } from '../shape/shape';
import { castKernel, mapBinary, mapUnary, select, type BinaryFn, type UnaryFn } from '../kernels/elementwise';
import type { GradFn } from '../tape/tape_node';
import { runOp } from '../tape/op_runner';
import { binaryInputs, toTensor } from './op_inputs';
import { sumToShape } from './arithmetic';
import { zerosLike } from './creation';

function compare(op: string, name: string, a: TensorLike, b: TensorLike, f: BinaryFn): Tensor {
  const [x, y] = binaryInputs(name, a, b);
  return runOp(op, [x, y], () => {
    const shape = broadcastShapes(name, x.shape, y.shape);
    const out = allocate('bool', sizeOf(shape));
    mapBinary(x.dataSync(), x.shape, y.dataSync(), y.shape, out, shape, f);
    return new Tensor(out, shape, 'bool');
  }, null);
}

export const equal = (a: TensorLike, b: TensorLike) => compare('Equal', 'equal', a, b, (x, y) => (x === y ? 1 : 0));
export const notEqual = (a: TensorLike, b: TensorLike) => compare('NotEqual', 'notEqual', a, b, (x, y) => (x !== y ? 1 : 0));
export const less = (a: TensorLike, b: TensorLike) => compare('Less', 'less', a, b, (x, y) => (x < y ? 1 : 0));
export const lessEqual = (a: TensorLike, b: TensorLike) => compare('LessEqual', 'lessEqual', a, b, (x, y) => (x <= y ? 1 : 0));
export const greater = (a: TensorLike, b: TensorLike) => compare('Greater', 'greater', a, b, (x, y) => (x > y ? 1 : 0));
export const greaterEqual = (a: TensorLike, b: TensorLike) => compare('GreaterEqual', 'greaterEqual', a, b, (x, y) => (x >= y ? 1 : 0));

const NOT: UnaryFn = (v) => (v ? 0 : 1);

function requireBool(op: string, t: Tensor): Tensor {
  if (t.dtype !== 'bool') throw new Error(`${op}: expected a bool tensor, got ${t.dtype}`);
  return t;
}

export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  requireBool('logicalAnd', toTensor('logicalAnd', a, 'bool'));
  return compare('LogicalAnd', 'logicalAnd', a, b, (x, y) => (x && y ? 1 : 0));
}

export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  requireBool('logicalOr', toTensor('logicalOr', a, 'bool'));
  return compare('LogicalOr', 'logicalOr', a, b, (x, y) => (x || y ? 1 : 0));
}

export function logicalNot(a: TensorLike): Tensor {
  const t = requireBool('logicalNot', toTensor('logicalNot', a, 'bool'));
  return runOp('LogicalNot', [t], () => {
    const out = allocate('bool', t.size);
    mapUnary(t.dataSync(), out, NOT);
    return new Tensor(out, t.shape.slice(), 'bool');
  }, null);
}

/** Elementwise choice: a where cond is true, b elsewhere (all three broadcast). */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor('where', condition, 'bool');
  if (c.dtype !== 'bool') throw new Error(`where: condition must be a bool tensor, got ${c.dtype}`);
  const [x, y] = binaryInputs('where', a, b);
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, x.shape), y.shape);
  return runOp('Select', [c, x, y], () => {
    const out = allocate(x.dtype, sizeOf(shape));
    select(c.dataSync(), c.shape, x.dataSync(), x.shape, y.dataSync(), y.shape, out, shape);
    return new Tensor(out, shape, x.dtype);
  }, WHERE_GRAD);
}

const WHERE_GRAD: GradFn = (dy, needs, [c, x, y]) => {
  const zero = zerosLike(dy);
  return [null, needs[1] ? sumToShape(where(c, dy, zero), x.shape) : null, needs[2] ? sumToShape(where(c, zero, dy), y.shape) : null];
};
const CAST_GRAD: GradFn = (dy, _needs, [t]) => [cast(dy, t.dtype)];

export function cast(x: TensorLike, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new Error(`cast: unknown dtype '${String(dtype)}' (use float32, float64, int32 or bool)`);
  const t = toTensor('cast', x);
  if (t.dtype === dtype) return t;
  const floatToFloat = (t.dtype === 'float32' || t.dtype === 'float64') && (dtype === 'float32' || dtype === 'float64');
  return runOp('Cast', [t], () => {
    const out = allocate(dtype, t.size);
    castKernel(t.dataSync(), out, dtype);
    return new Tensor(out, t.shape.slice(), dtype);
  }, floatToFloat ? CAST_GRAD : null, { dtype });
}
