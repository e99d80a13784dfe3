// Rounding, integer division and float classification (tf.math.round, floor, ceil, floordiv, floormod,
// is_nan, is_finite). Rounding ops are piecewise constant: their gradient is zeros, as in TF.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { allocate } from '../tensor/dtype';
import type { GradFn } from '../tape/tape_node';
import { runOp } from '../tape/op_runner';
import { floorDiv as floorDivKernel, floorMod as floorModKernel, roundHalfToEven } from '../kernels/special_functions';
import { unaryOp, binaryOp } from './elementwise_op';
import { toTensor } from './op_inputs';
import { mul, neg, sumToShape } from './arithmetic';
import { zerosLike } from './creation';

const ZERO_GRAD: GradFn = (_dy, _needs, [x]) => [zerosLike(x)];
/** d(x mod y) = dx - floor(x / y) dy, as TF's FloorMod gradient. */
const FLOOR_MOD_GRAD: GradFn = (dz, needs, [x, y]) => [
  needs[0] ? sumToShape(dz, x.shape) : null,
  needs[1] ? sumToShape(mul(neg(dz), floorDiv(x, y)), y.shape) : null,
];

/**
 * Rounds half to even, elementwise (tf.math.round); gradient zeros.
 * @example
 * tf.math.round([0.5, 1.5, -2.5, 2.7]) // → [0, 2, -2, 3]
 */
export function round(x: TensorLike): Tensor {
  return unaryOp('Round', 'round', x, roundHalfToEven, ZERO_GRAD);
}

/**
 * The largest integer ≤ x, elementwise (tf.math.floor); gradient zeros.
 * @example
 * tf.math.floor([1.7, -1.2]) // → [1, -2]
 */
export function floor(x: TensorLike): Tensor {
  return unaryOp('Floor', 'floor', x, Math.floor, ZERO_GRAD);
}

/**
 * The smallest integer ≥ x, elementwise (tf.math.ceil); gradient zeros.
 * @example
 * tf.math.ceil([1.2, -1.7]) // → [2, -1]
 */
export function ceil(x: TensorLike): Tensor {
  return unaryOp('Ceil', 'ceil', x, Math.ceil, ZERO_GRAD);
}

/**
 * Floor of a / b with broadcasting, as Python's `//` (tf.math.floordiv). Not differentiable (TF has no gradient).
 * @example
 * tf.math.floorDiv([7, -7], [2, 2]) // → [3, -4]
 */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('FloorDiv', 'floorDiv', a, b, floorDivKernel, null);
}

/**
 * a mod b with the divisor's sign, as Python's `%` (tf.math.floormod). Gradient: dy for a, -floor(a/b)·dy for b.
 * @example
 * tf.math.floorMod([7, -7], [3, 3]) // → [1, 2]
 */
export function floorMod(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('FloorMod', 'floorMod', a, b, floorModKernel, FLOOR_MOD_GRAD);
}

function classify(op: string, name: string, x: TensorLike, test: (v: number) => boolean): Tensor {
  const t = toTensor(name, x);
  return runOp(op, [t], () => {
    const src = t.dataSync();
    const out = allocate('bool', src.length);
    for (let i = 0; i < src.length; i++) out[i] = test(src[i]) ? 1 : 0;
    return new Tensor(out, t.shape.slice(), 'bool');
  }, null);
}

/**
 * True where x is NaN, as a bool tensor (tf.math.is_nan).
 * @example
 * tf.math.isNan([1, NaN]) // → [false, true]
 */
export function isNan(x: TensorLike): Tensor {
  return classify('IsNan', 'isNan', x, (v) => v !== v);
}

/**
 * True where x is neither infinite nor NaN (tf.math.is_finite).
 * @example
 * tf.math.isFinite([1, Infinity, NaN]) // → [true, false, false]
 */
export function isFinite(x: TensorLike): Tensor {
  return classify('IsFinite', 'isFinite', x, Number.isFinite);
}

/**
 * True where x is +∞ or -∞ (tf.math.is_inf).
 * @example
 * tf.math.isInf([1, -Infinity]) // → [false, true]
 */
export function isInf(x: TensorLike): Tensor {
  return classify('IsInf', 'isInf', x, (v) => v === Infinity || v === -Infinity);
}
