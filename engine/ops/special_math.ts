// Special and numerically careful elementwise functions (tf.math.erf, log1p, expm1, rsqrt, softsign,
// logSigmoid), each beside its gradient, written with ops so it differentiates again.
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import type { GradFn } from '../tape/tape_node';
import { erf as erfKernel, logSigmoid as logSigmoidKernel } from '../kernels/special_functions';
import { unaryOp } from './elementwise_op';
import { abs, add, div, exp, mul, neg, square } from './arithmetic';
import { sigmoid } from './activations';

const ERF_GRAD: GradFn = (dy, _needs, [x]) => [mul(dy, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI)))];
const LOG1P_GRAD: GradFn = (dy, _needs, [x]) => [div(dy, add(x, 1))];
const EXPM1_GRAD: GradFn = (dy, _needs, [x]) => [mul(dy, exp(x))];
const RSQRT_GRAD: GradFn = (dy, _needs, _inputs, out) => [mul(dy, mul(mul(out, square(out)), -0.5))];
const SOFTSIGN_GRAD: GradFn = (dy, _needs, [x]) => [div(dy, square(add(abs(x), 1)))];
const LOG_SIGMOID_GRAD: GradFn = (dy, _needs, [x]) => [mul(dy, sigmoid(neg(x)))];

/**
 * The Gauss error function, elementwise (tf.math.erf), to double precision.
 * @example
 * tf.math.erf([0, 1]) // → [0, 0.8427]
 */
export function erf(x: TensorLike): Tensor {
  return unaryOp('Erf', 'erf', x, erfKernel, ERF_GRAD);
}

/**
 * log(1 + x), accurate for small x (tf.math.log1p).
 * @example
 * tf.math.log1p([0, 1e-10]) // → [0, 1e-10]
 */
export function log1p(x: TensorLike): Tensor {
  return unaryOp('Log1p', 'log1p', x, Math.log1p, LOG1P_GRAD);
}

/**
 * exp(x) - 1, accurate for small x (tf.math.expm1).
 * @example
 * tf.math.expm1([0, 1]) // → [0, 1.7183]
 */
export function expm1(x: TensorLike): Tensor {
  return unaryOp('Expm1', 'expm1', x, Math.expm1, EXPM1_GRAD);
}

/**
 * 1 / sqrt(x), elementwise (tf.math.rsqrt).
 * @example
 * tf.math.rsqrt([4, 16]) // → [0.5, 0.25]
 */
export function rsqrt(x: TensorLike): Tensor {
  return unaryOp('Rsqrt', 'rsqrt', x, (v) => 1 / Math.sqrt(v), RSQRT_GRAD);
}

/**
 * x / (1 + |x|), elementwise (tf.nn.softsign).
 * @example
 * tf.nn.softsign([-1, 3]) // → [-0.5, 0.75]
 */
export function softsign(x: TensorLike): Tensor {
  return unaryOp('Softsign', 'softsign', x, (v) => v / (1 + Math.abs(v)), SOFTSIGN_GRAD);
}

/**
 * log(sigmoid(x)), without overflow for large |x| (tf.math.log_sigmoid).
 * @example
 * tf.math.logSigmoid([0, -100]) // → [-0.6931, -100]
 */
export function logSigmoid(x: TensorLike): Tensor {
  return unaryOp('LogSigmoid', 'logSigmoid', x, logSigmoidKernel, LOG_SIGMOID_GRAD);
}
