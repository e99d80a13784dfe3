// Keras losses (tf.losses / tf.keras.losses): per-example values over the last axis, like TF.
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { toTensor, requireFloat } from './op_inputs';
import { abs, add, div, exp, log, mul, neg, square, sub, maximum } from './arithmetic';
import { reduceMean, reduceSum } from './reduction';
import { clipByValue, logSoftmax, oneHot } from './nn';
import { cast } from './comparison';
import { squeeze } from './shape_ops';

/** Keras's epsilon: predictions are clipped to [EPSILON, 1 - EPSILON] before taking logs. */
export const EPSILON = 1e-7;

function checkSameShape(op: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(`${op}: yTrue shape ${formatShape(yTrue.shape)} and yPred shape ${formatShape(yPred.shape)} must match`);
  }
}

function lossInputs(op: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p = toTensor(op, yPred);
  requireFloat(op, p);
  let t = toTensor(op, yTrue, p.dtype);
  if (t.dtype !== p.dtype) t = cast(t, p.dtype);
  return [t, p];
}

/**
 * Mean squared error over the last axis (tf.keras.losses.MSE, also mse, meanSquaredError): mean((yPred - yTrue)²), [batch, n] → [batch].
 * @throws Error naming both shapes when they differ.
 * @example
 * ```ts
 * tf.keras.losses.mse([[1, 2]], [[1, 4]]) // → [2]
 * ```
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = lossInputs('meanSquaredError', yTrue, yPred);
  checkSameShape('meanSquaredError', t, p);
  return reduceMean(square(sub(p, t)), -1);
}

/**
 * Mean absolute error over the last axis (tf.keras.losses.MAE, also mae, meanAbsoluteError): mean(|yPred - yTrue|), [batch, n] → [batch].
 * @throws Error naming both shapes when they differ.
 * @example
 * ```ts
 * tf.keras.losses.mae([[1, 2]], [[1, 4]]) // → [1]
 * ```
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = lossInputs('meanAbsoluteError', yTrue, yPred);
  checkSameShape('meanAbsoluteError', t, p);
  return reduceMean(abs(sub(p, t)), -1);
}

/** Options of the cross-entropy losses (a boolean in their place means fromLogits). */
export interface CrossentropyOptions {
  /** yPred holds logits, not probabilities (default false). */
  fromLogits?: boolean;
  /** The class axis (default -1). */
  axis?: number;
}

/**
 * Cross-entropy against one-hot (or soft) labels. From logits it uses log-softmax (numerically stable); from
 * probabilities it renormalises and clips like Keras.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions | boolean = {}): Tensor {
  const opts = typeof options === 'boolean' ? { fromLogits: options } : options;
  const [t, p] = lossInputs('categoricalCrossentropy', yTrue, yPred);
  checkSameShape('categoricalCrossentropy', t, p);
  const axis = opts.axis ?? -1;
  if (opts.fromLogits) return neg(reduceSum(mul(t, logSoftmax(p, axis)), axis));
  const probs = div(p, reduceSum(p, axis, true));
  return neg(reduceSum(mul(t, log(clipByValue(probs, EPSILON, 1 - EPSILON))), axis));
}

/** Cross-entropy against integer class labels (shape of yPred without its last axis). */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions | boolean = {}): Tensor {
  const p = toTensor('sparseCategoricalCrossentropy', yPred);
  let labels = toTensor('sparseCategoricalCrossentropy', yTrue, 'int32');
  if (labels.rank === p.rank && labels.shape[labels.rank - 1] === 1) labels = squeeze(labels, -1);
  if (labels.rank !== p.rank - 1 || labels.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`sparseCategoricalCrossentropy: labels shape ${formatShape(labels.shape)} must be yPred shape ${formatShape(p.shape)} without its last axis`);
  }
  return categoricalCrossentropy(cast(oneHot(labels, p.shape[p.rank - 1]), p.dtype), p, options);
}

/**
 * Binary cross-entropy averaged over the last axis (tf.keras.losses.binaryCrossentropy): predictions are probabilities clipped to [1e-7, 1 - 1e-7] as in Keras, or logits with `{fromLogits: true}`.
 * @throws Error naming both shapes when they differ.
 * @example
 * ```ts
 * tf.keras.losses.binaryCrossentropy([[1, 0]], [[0.9, 0.2]]) // → [0.164252]
 * ```
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions | boolean = {}): Tensor {
  const opts = typeof options === 'boolean' ? { fromLogits: options } : options;
  const [t, p] = lossInputs('binaryCrossentropy', yTrue, yPred);
  checkSameShape('binaryCrossentropy', t, p);
  if (opts.fromLogits) {
    // max(x, 0) - x*z + log(1 + exp(-|x|))
    const perElement = add(sub(maximum(p, 0), mul(p, t)), log(add(1, exp(neg(abs(p))))));
    return reduceMean(perElement, -1);
  }
  const q = clipByValue(p, EPSILON, 1 - EPSILON);
  const perElement = neg(add(mul(t, log(add(q, EPSILON))), mul(sub(1, t), log(add(sub(1, q), EPSILON)))));
  return reduceMean(perElement, -1);
}
