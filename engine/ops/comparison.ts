// Comparisons, logical ops, where and cast. Comparisons give bool tensors and carry no gradient.
import { allocate, type DType, isDType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { broadcastShapes, formatShape, sizeOf } from '../shape/shape';
import { mapBinary, select, type BinaryFn } from '../kernels/elementwise';
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
    const src = t.dataSync();
    const out = allocate('bool', t.size);
    for (let i = 0; i < out.length; i++) out[i] = src[i] ? 0 : 1;
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
  }, (dy, needs) => {
    const zero = zerosLike(dy);
    return [null, needs[1] ? sumToShape(where(c, dy, zero), x.shape) : null, needs[2] ? sumToShape(where(c, zero, dy), y.shape) : null];
  });
}

export function cast(x: TensorLike, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new Error(`cast: unknown dtype '${String(dtype)}' (use float32, float64, int32 or bool)`);
  const t = toTensor('cast', x);
  if (t.dtype === dtype) return t;
  const floatToFloat = (t.dtype === 'float32' || t.dtype === 'float64') && (dtype === 'float32' || dtype === 'float64');
  return runOp('Cast', [t], () => {
    const src = t.dataSync();
    const out = allocate(dtype, t.size);
    if (dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = Math.trunc(src[i]);
    else if (dtype === 'bool') for (let i = 0; i < out.length; i++) out[i] = src[i] ? 1 : 0;
    else out.set(src);
    return new Tensor(out, t.shape.slice(), dtype);
  }, floatToFloat ? (dy) => [cast(dy, t.dtype)] : null, { dtype });
}

export function assertShapesMatch(op: string, a: Tensor, b: Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${op}: shapes must match, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
}
