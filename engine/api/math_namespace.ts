// tf.math: every elementwise op and reduction under its TF name (camelCased: tf.math.reduce_sum →
// tf.math.reduceSum), with the TF.js spellings where they differ (isNaN, logSumExp, mod).
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import * as arithmetic from '../ops/arithmetic';
import * as activations from '../ops/activations';
import * as reduction from '../ops/reduction';
import * as comparison from '../ops/comparison';
import * as trig from '../ops/trigonometry';
import * as special from '../ops/special_math';
import * as rounding from '../ops/rounding';
import * as statistics from '../ops/statistics';
import * as scan from '../ops/scan';
import { topk } from '../ops/sorting';
import { binaryInputs } from '../ops/op_inputs';
import { onesLike, zerosLike } from '../ops/creation';
import { softmax, logSoftmax } from '../ops/nn';

type Axis = number | readonly number[] | null;

/**
 * (x - y)², elementwise with broadcasting (tf.math.squared_difference).
 * @example
 * tf.math.squaredDifference([1, 4], 2) // → [1, 4]
 */
export function squaredDifference(x: TensorLike, y: TensorLike): Tensor {
  return arithmetic.square(arithmetic.sub(x, y));
}

/**
 * Elementwise tangent, sin(x) / cos(x) (tf.math.tan); differentiable through sin and cos.
 * @example
 * tf.math.tan([0, Math.PI / 4]); // [0, 1]
 */
export function tan(x: TensorLike): Tensor {
  return arithmetic.div(arithmetic.sin(x), arithmetic.cos(x));
}

/**
 * x / y, but 0 where y is 0 (tf.math.divide_no_nan); the gradient is finite there too.
 * @example
 * tf.math.divideNoNan([1, 2], [0, 4]) // → [0, 0.5]
 */
export function divideNoNan(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = binaryInputs('divideNoNan', x, y);
  const zero = comparison.equal(b, 0);
  const quotient = arithmetic.div(a, comparison.where(zero, onesLike(b), b));
  return comparison.where(zero, zerosLike(quotient), quotient);
}

/**
 * True if every entry across `axis` is true (tf.math.reduce_all).
 * @example
 * tf.math.reduceAll([true, false]) // → false
 */
export function reduceAll(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  return comparison.cast(reduction.reduceMin(comparison.cast(x, 'int32'), axis, keepdims), 'bool');
}

/**
 * True if any entry across `axis` is true (tf.math.reduce_any).
 * @example
 * tf.math.reduceAny([true, false]) // → true
 */
export function reduceAny(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  return comparison.cast(reduction.reduceMax(comparison.cast(x, 'int32'), axis, keepdims), 'bool');
}

/**
 * sqrt(Σ x²) across `axis` (tf.math.reduce_euclidean_norm).
 * @example
 * tf.math.reduceEuclideanNorm([3, 4]) // → 5
 */
export function reduceEuclideanNorm(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  return arithmetic.sqrt(reduction.reduceSum(arithmetic.square(x), axis, keepdims));
}

/**
 * The elementwise sum of a list of same-shaped tensors (tf.math.add_n).
 * @throws Error for an empty list
 * @example
 * tf.math.addN([tf.constant([1, 2]), tf.constant([3, 4]), tf.constant([5, 6])]) // → [9, 12]
 */
export function addN(inputs: readonly TensorLike[]): Tensor {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new Error('addN: expected a non-empty list of tensors');
  return inputs.slice(1).reduce<Tensor>((acc, t) => arithmetic.add(acc, t), arithmetic.add(inputs[0], 0));
}

/**
 * x·log(y), and 0 where x is 0 (tf.math.xlogy): the entropy-style term without NaN at x = 0.
 * @example
 * tf.math.xlogy([0, 2], [0, Math.E]) // → [0, 2]
 */
export function xlogy(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = binaryInputs('xlogy', x, y);
  const zero = comparison.equal(a, 0);
  const product = arithmetic.mul(a, arithmetic.log(comparison.where(zero, onesLike(b), b)));
  return comparison.where(zero, zerosLike(product), product);
}

/** tf.math: every elementwise op and reduction under its TF name (tf.math.reduce_sum → tf.math.reduceSum). */
export const math = {
  add: arithmetic.add, subtract: arithmetic.sub, multiply: arithmetic.mul, divide: arithmetic.div,
  truediv: arithmetic.div, negative: arithmetic.neg, pow: arithmetic.pow, square: arithmetic.square,
  sqrt: arithmetic.sqrt, rsqrt: special.rsqrt, exp: arithmetic.exp, expm1: special.expm1, log: arithmetic.log,
  log1p: special.log1p, abs: arithmetic.abs, sign: arithmetic.sign, reciprocal: arithmetic.reciprocal,
  maximum: arithmetic.maximum, minimum: arithmetic.minimum, squaredDifference, divideNoNan, addN, xlogy,
  sin: arithmetic.sin, cos: arithmetic.cos, tan,
  sinh: trig.sinh, cosh: trig.cosh, tanh: activations.tanh, asin: trig.asin, acos: trig.acos, atan: trig.atan, atan2: trig.atan2,
  erf: special.erf, sigmoid: activations.sigmoid, logSigmoid: special.logSigmoid, softplus: activations.softplus,
  softsign: special.softsign,
  round: rounding.round, floor: rounding.floor, ceil: rounding.ceil,
  floordiv: rounding.floorDiv, floorDiv: rounding.floorDiv, floormod: rounding.floorMod, floorMod: rounding.floorMod, mod: rounding.floorMod,
  isNan: rounding.isNan, isNaN: rounding.isNan, isFinite: rounding.isFinite, isInf: rounding.isInf,
  equal: comparison.equal, notEqual: comparison.notEqual, less: comparison.less, lessEqual: comparison.lessEqual,
  greater: comparison.greater, greaterEqual: comparison.greaterEqual,
  logicalAnd: comparison.logicalAnd, logicalOr: comparison.logicalOr, logicalNot: comparison.logicalNot,
  reduceSum: reduction.reduceSum, reduceMean: reduction.reduceMean, reduceMax: reduction.reduceMax, reduceMin: reduction.reduceMin,
  reduceProd: statistics.reduceProd, reduceLogsumexp: statistics.reduceLogSumExp, reduceLogSumExp: statistics.reduceLogSumExp,
  logSumExp: statistics.reduceLogSumExp, reduceVariance: statistics.reduceVariance, reduceStd: statistics.reduceStd,
  reduceAll, reduceAny, reduceEuclideanNorm,
  argmax: reduction.argmax, argmin: reduction.argmin, cumsum: scan.cumsum, cumprod: scan.cumprod,
  topK: topk, topk, softmax, logSoftmax,
};
