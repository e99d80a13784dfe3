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

/**
 * a == b, elementwise (tf.equal). Shapes broadcast; returns a bool tensor, which carries no gradient.
 * @throws Error naming both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.equal([1, 2, 3], 2) // → [false, true, false]
 * ```
 */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return compare('Equal', 'equal', a, b, (x, y) => (x === y ? 1 : 0));
}

/**
 * a != b, elementwise (tf.not_equal → tf.notEqual). Shapes broadcast; returns a bool tensor, which carries no gradient.
 * @throws Error naming both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.notEqual([1, 2], 2) // → [true, false]
 * ```
 */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare('NotEqual', 'notEqual', a, b, (x, y) => (x !== y ? 1 : 0));
}

/**
 * a < b, elementwise (tf.less). Shapes broadcast; returns a bool tensor, which carries no gradient.
 * @throws Error naming both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.less([1, 2, 3], 2) // → [true, false, false]
 * ```
 */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return compare('Less', 'less', a, b, (x, y) => (x < y ? 1 : 0));
}

/**
 * a <= b, elementwise (tf.less_equal → tf.lessEqual). Shapes broadcast; returns a bool tensor, which carries no gradient.
 * @throws Error naming both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.lessEqual([1, 2, 3], 2) // → [true, true, false]
 * ```
 */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare('LessEqual', 'lessEqual', a, b, (x, y) => (x <= y ? 1 : 0));
}

/**
 * a > b, elementwise (tf.greater). Shapes broadcast; returns a bool tensor, which carries no gradient.
 * @throws Error naming both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.greater([1, 2, 3], 2) // → [false, false, true]
 * ```
 */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return compare('Greater', 'greater', a, b, (x, y) => (x > y ? 1 : 0));
}

/**
 * a >= b, elementwise (tf.greater_equal → tf.greaterEqual). Shapes broadcast; returns a bool tensor, which carries no gradient.
 * @throws Error naming both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.greaterEqual([1, 2, 3], 2) // → [false, true, true]
 * ```
 */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare('GreaterEqual', 'greaterEqual', a, b, (x, y) => (x >= y ? 1 : 0));
}

const NOT: UnaryFn = (v) => (v ? 0 : 1);

function requireBool(op: string, t: Tensor): Tensor {
  if (t.dtype !== 'bool') throw new Error(`${op}: expected a bool tensor, got ${t.dtype}`);
  return t;
}

/**
 * a AND b on bool tensors, elementwise (tf.logical_and → tf.logicalAnd); shapes broadcast.
 * @throws Error when an input is not bool, or the shapes do not broadcast.
 * @example
 * ```ts
 * tf.logicalAnd([true, true], [true, false]) // → [true, false]
 * ```
 */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  requireBool('logicalAnd', toTensor('logicalAnd', a, 'bool'));
  return compare('LogicalAnd', 'logicalAnd', a, b, (x, y) => (x && y ? 1 : 0));
}

/**
 * a OR b on bool tensors, elementwise (tf.logical_or → tf.logicalOr); shapes broadcast.
 * @throws Error when an input is not bool, or the shapes do not broadcast.
 * @example
 * ```ts
 * tf.logicalOr([false, true], [false, false]) // → [false, true]
 * ```
 */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  requireBool('logicalOr', toTensor('logicalOr', a, 'bool'));
  return compare('LogicalOr', 'logicalOr', a, b, (x, y) => (x || y ? 1 : 0));
}

/**
 * NOT a on a bool tensor, elementwise (tf.logical_not → tf.logicalNot).
 * @throws Error when the input is not bool.
 * @example
 * ```ts
 * tf.logicalNot([true, false]) // → [false, true]
 * ```
 */
export function logicalNot(a: TensorLike): Tensor {
  const t = requireBool('logicalNot', toTensor('logicalNot', a, 'bool'));
  return runOp('LogicalNot', [t], () => {
    const out = allocate('bool', t.size);
    mapUnary(t.dataSync(), out, NOT);
    return new Tensor(out, t.shape.slice(), 'bool');
  }, null);
}

/**
 * Elementwise choice (tf.where with three arguments): a where condition is true, b elsewhere; all three broadcast, and the gradient flows to the chosen side only.
 * @throws Error when condition is not bool or the shapes do not broadcast.
 * @example
 * ```ts
 * tf.where([true, false], [1, 2], [10, 20]) // → [1, 20]
 * ```
 */
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

/**
 * The values converted to `dtype` (tf.cast): to int32 truncates toward zero, to bool is x != 0; float-to-float casts pass the gradient, casts to int or bool carry none.
 * @example
 * ```ts
 * tf.cast([1.7, -1.7, 0], 'int32') // → [1, -1, 0]
 * tf.cast([1.7, 0], 'bool') // → [true, false]
 * ```
 */
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
