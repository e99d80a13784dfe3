// Hyperbolic and inverse trigonometric functions (tf.math.sinh … tf.math.atan2), each beside its gradient.
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import type { GradFn } from '../tape/tape_node';
import { unaryOp, binaryOp } from './elementwise_op';
import { add, div, mul, neg, sqrt, square, sub, sumToShape } from './arithmetic';

const SINH_GRAD: GradFn = (dy, _needs, [x]) => [mul(dy, cosh(x))];
const COSH_GRAD: GradFn = (dy, _needs, [x]) => [mul(dy, sinh(x))];
const ASIN_GRAD: GradFn = (dy, _needs, [x]) => [div(dy, sqrt(sub(1, square(x))))];
const ACOS_GRAD: GradFn = (dy, _needs, [x]) => [neg(div(dy, sqrt(sub(1, square(x)))))];
const ATAN_GRAD: GradFn = (dy, _needs, [x]) => [div(dy, add(1, square(x)))];
/** d atan2(y, x) = (x dy - y dx) / (x² + y²). */
const ATAN2_GRAD: GradFn = (dz, needs, [y, x]) => {
  const scale = div(dz, add(square(x), square(y)));
  return [needs[0] ? sumToShape(mul(scale, x), y.shape) : null, needs[1] ? sumToShape(neg(mul(scale, y)), x.shape) : null];
};

/**
 * Hyperbolic sine, elementwise (tf.math.sinh).
 * @param x a float tensor (or number / array)
 * @returns a tensor of x's shape and dtype
 * @example
 * tf.math.sinh([0, 1]) // → [0, 1.1752]
 */
export function sinh(x: TensorLike): Tensor {
  return unaryOp('Sinh', 'sinh', x, Math.sinh, SINH_GRAD);
}

/**
 * Hyperbolic cosine, elementwise (tf.math.cosh).
 * @example
 * tf.math.cosh([0, 1]) // → [1, 1.5431]
 */
export function cosh(x: TensorLike): Tensor {
  return unaryOp('Cosh', 'cosh', x, Math.cosh, COSH_GRAD);
}

/**
 * Inverse sine, elementwise (tf.math.asin); NaN outside [-1, 1], as in TF.
 * @example
 * tf.math.asin([0, 0.5]) // → [0, 0.5236]
 */
export function asin(x: TensorLike): Tensor {
  return unaryOp('Asin', 'asin', x, Math.asin, ASIN_GRAD);
}

/**
 * Inverse cosine, elementwise (tf.math.acos); NaN outside [-1, 1].
 * @example
 * tf.math.acos([1, 0]) // → [0, 1.5708]
 */
export function acos(x: TensorLike): Tensor {
  return unaryOp('Acos', 'acos', x, Math.acos, ACOS_GRAD);
}

/**
 * Inverse tangent, elementwise (tf.math.atan).
 * @example
 * tf.math.atan([0, 1]) // → [0, 0.7854]
 */
export function atan(x: TensorLike): Tensor {
  return unaryOp('Atan', 'atan', x, Math.atan, ATAN_GRAD);
}

/**
 * The angle of the point (x, y), elementwise with broadcasting (tf.math.atan2(y, x)).
 * @param y the ordinates; @param x the abscissas (broadcast against y; same dtype)
 * @throws when the shapes do not broadcast or the dtypes differ
 * @example
 * tf.math.atan2([1, 1], [1, -1]) // → [0.7854, 2.3562]
 */
export function atan2(y: TensorLike, x: TensorLike): Tensor {
  return binaryOp('Atan2', 'atan2', y, x, Math.atan2, ATAN2_GRAD);
}
