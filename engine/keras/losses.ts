// tf.keras.losses: the per-example loss functions of ops/losses, plus the Keras shortcut that makes
// cross-entropy on a softmax Dense output use the fused, stable logits path, and lookup by name for compile().
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import * as base from '../ops/losses';
import { softmaxCrossEntropyWithLogits } from '../ops/fused';
import { oneHot } from '../ops/nn';
import { cast } from '../ops/comparison';
import { squeeze } from '../ops/shape_ops';
import { toTensor } from '../ops/op_inputs';
import { logitsOf } from './logits';

/** A loss as compile() takes it: per-example (or per-batch) loss of predictions against targets. */
export type LossFn = (yTrue: TensorLike, yPred: TensorLike) => Tensor;

/** The logits behind a softmax output, when cross-entropy may use them (probabilities over the last axis). */
function fusableLogits(yPred: TensorLike, options: base.CrossentropyOptions | boolean): Tensor | undefined {
  const opts = typeof options === 'boolean' ? { fromLogits: options } : options;
  if (opts.fromLogits || (opts.axis !== undefined && opts.axis !== -1) || typeof yPred !== 'object' || yPred === null) return undefined;
  return logitsOf(yPred as Tensor);
}

/**
 * tf.keras.losses.categoricalCrossentropy (Keras's categorical_crossentropy): per-example cross-entropy of one-hot
 * (or soft) labels against probabilities over the last axis — or logits with `{fromLogits: true}` (a boolean
 * third argument means fromLogits). On the output of a softmax Dense layer it uses that layer's logits, as Keras
 * does, so it stays finite. yTrue and yPred [batch, classes] give [batch].
 * @throws Error when the shapes differ or yPred is not a float tensor.
 * @example
 * ```ts
 * tf.keras.losses.categoricalCrossentropy([[0, 1, 0]], [[0.05, 0.95, 0]]).numpy() // → [0.051293]
 * tf.keras.losses.categoricalCrossentropy([[0, 1]], [[0, 0]], { fromLogits: true }).numpy() // → [0.693147]
 * ```
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: base.CrossentropyOptions | boolean = {}): Tensor {
  const logits = fusableLogits(yPred, options);
  if (logits === undefined) return base.categoricalCrossentropy(yTrue, yPred, options);
  let labels = toTensor('categoricalCrossentropy', yTrue, logits.dtype);
  if (labels.dtype !== logits.dtype) labels = cast(labels, logits.dtype);
  return softmaxCrossEntropyWithLogits(labels, logits);
}

/**
 * tf.keras.losses.sparseCategoricalCrossentropy (Keras's sparse_categorical_crossentropy): the categorical
 * cross-entropy with integer class labels instead of one-hot rows. yTrue [batch] (or [batch, 1]) and yPred
 * [batch, classes] give [batch]; `{fromLogits: true}` for logits.
 * @throws Error when a label is out of range or the shapes do not fit.
 * @example
 * ```ts
 * tf.keras.losses.sparseCategoricalCrossentropy([1], [[0.05, 0.95, 0]]).numpy() // → [0.051293]
 * ```
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: base.CrossentropyOptions | boolean = {}): Tensor {
  const logits = fusableLogits(yPred, options);
  if (logits === undefined) return base.sparseCategoricalCrossentropy(yTrue, yPred, options);
  let labels = toTensor('sparseCategoricalCrossentropy', yTrue, 'int32');
  if (labels.rank === logits.rank && labels.shape[labels.rank - 1] === 1) labels = squeeze(labels, -1);
  if (labels.rank !== logits.rank - 1) return base.sparseCategoricalCrossentropy(yTrue, yPred, options);
  return softmaxCrossEntropyWithLogits(cast(oneHot(labels, logits.shape[logits.rank - 1]), logits.dtype), logits);
}

export const losses = {
  MSE: base.meanSquaredError,
  mse: base.meanSquaredError,
  meanSquaredError: base.meanSquaredError,
  mean_squared_error: base.meanSquaredError,
  MAE: base.meanAbsoluteError,
  mae: base.meanAbsoluteError,
  meanAbsoluteError: base.meanAbsoluteError,
  mean_absolute_error: base.meanAbsoluteError,
  categoricalCrossentropy,
  categorical_crossentropy: categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  binaryCrossentropy: base.binaryCrossentropy,
  binary_crossentropy: base.binaryCrossentropy,
};

/** compile({loss}) accepts a name ('categorical_crossentropy' or 'categoricalCrossentropy') or a function. */
export function resolveLoss(id: string | LossFn): { name: string; fn: LossFn } {
  if (typeof id === 'function') return { name: id.name || 'loss', fn: id };
  const fn = (losses as Record<string, LossFn>)[id];
  if (fn === undefined) throw new Error(`compile: unknown loss '${id}' (known: ${Object.keys(losses).join(', ')})`);
  return { name: id, fn };
}
