// Keras loss objects (tf.keras.losses.SparseCategoricalCrossentropy({fromLogits: true}) …): callable with
// (yTrue, yPred, sampleWeight?), they compute the per-example loss and reduce it as `reduction` says.
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import * as base from '../ops/losses';
import { abs, div, mul, square, sub, add, minimum } from '../ops/arithmetic';
import { reduceMean, reduceSum } from '../ops/reduction';
import { cast } from '../ops/comparison';
import { toTensor, requireFloat } from '../ops/op_inputs';
import { formatShape } from '../shape/shape';
import { categoricalCrossentropy, sparseCategoricalCrossentropy } from './losses';
import { callableInstance } from './callable_instance';

/** How per-example losses become the value returned: their mean (Keras's default), their sum, or all of them. */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'auto';

/** Options every loss class takes. */
export interface LossArgs {
  /** Default 'sum_over_batch_size' (the mean over examples). */
  reduction?: Reduction;
  /** Shown in prints (default the loss's snake_case name). */
  name?: string;
}

/** Callable signature of every loss object. */
export interface Loss {
  (yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor;
}

/** The base of Keras loss classes (tf.keras.losses.Loss): subclasses give the per-example loss. */
export abstract class Loss {
  /** How per-example losses are combined. */
  declare reduction: Reduction;
  /** The loss's name. */
  declare name: string;

  /** For subclasses: the options and the name used when none is given. @throws Error for an unknown reduction. */
  constructor(args: LossArgs = {}, defaultName = 'loss') {
    const self = callableInstance<Loss>(new.target.prototype, (yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike) => self.call(yTrue, yPred, sampleWeight));
    const reduction = args.reduction ?? 'sum_over_batch_size';
    if (!['sum_over_batch_size', 'sum', 'none', 'auto'].includes(reduction)) {
      throw new Error(`${defaultName}: reduction must be 'sum_over_batch_size', 'sum' or 'none', got '${String(reduction)}'`);
    }
    self.reduction = reduction;
    self.name = args.name ?? defaultName;
    return self;
  }

  /** The loss of each example (shape: yPred's without its last axis). */
  protected abstract perExample(yTrue: TensorLike, yPred: TensorLike): Tensor;

  /** Per-example losses, weighted by sampleWeight, reduced as `reduction` says. */
  call(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor {
    let losses = this.perExample(yTrue, yPred);
    if (sampleWeight !== undefined) {
      const w = toTensor(this.name, sampleWeight, losses.dtype);
      if (w.size !== 1 && w.size !== losses.size) throw new Error(`${this.name}: sampleWeight of shape ${formatShape(w.shape)} does not fit per-example losses of shape ${formatShape(losses.shape)}`);
      losses = mul(losses, w.size === 1 ? w : cast(w, losses.dtype).reshape(losses.shape));
    }
    if (this.reduction === 'none') return losses;
    const total = reduceSum(losses);
    return this.reduction === 'sum' ? total : div(total, Math.max(losses.size, 1));
  }
}

/** Options of the cross-entropy losses. */
export interface CrossentropyArgs extends LossArgs {
  /** yPred are logits (unnormalised scores), not probabilities (default false). */
  fromLogits?: boolean;
}

/**
 * Cross-entropy with integer class labels (tf.keras.losses.SparseCategoricalCrossentropy).
 * fromLogits: yPred are logits, not probabilities (default false).
 * @example
 * const lossFn = tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true });
 * lossFn([1], [[0, 2, 0]]) // → 0.2395
 */
export class SparseCategoricalCrossentropy extends Loss {
  /** Whether yPred are logits. */
  declare fromLogits: boolean;
  /** Builds the loss from {fromLogits, reduction, name}. */
  constructor(args: CrossentropyArgs = {}) {
    super(args, 'sparse_categorical_crossentropy');
    this.fromLogits = args.fromLogits ?? false;
  }
  protected perExample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
}

/**
 * Cross-entropy with one-hot (or soft) labels (tf.keras.losses.CategoricalCrossentropy).
 * @example
 * tf.keras.losses.CategoricalCrossentropy()([[0, 1]], [[0.2, 0.8]]) // → 0.2231
 */
export class CategoricalCrossentropy extends Loss {
  /** Whether yPred are logits. */
  declare fromLogits: boolean;
  /** Builds the loss from {fromLogits, reduction, name}. */
  constructor(args: CrossentropyArgs = {}) {
    super(args, 'categorical_crossentropy');
    this.fromLogits = args.fromLogits ?? false;
  }
  protected perExample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
}

/**
 * Binary cross-entropy, averaged over the last axis per example (tf.keras.losses.BinaryCrossentropy).
 * @example
 * tf.keras.losses.BinaryCrossentropy({ fromLogits: true })([[1]], [[0]]) // → 0.6931
 */
export class BinaryCrossentropy extends Loss {
  /** Whether yPred are logits. */
  declare fromLogits: boolean;
  /** Builds the loss from {fromLogits, reduction, name}. */
  constructor(args: CrossentropyArgs = {}) {
    super(args, 'binary_crossentropy');
    this.fromLogits = args.fromLogits ?? false;
  }
  protected perExample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return base.binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
}

/**
 * Mean of squared errors over the last axis (tf.keras.losses.MeanSquaredError).
 * @example
 * tf.keras.losses.MeanSquaredError()([[0, 1]], [[1, 1]]) // → 0.5
 */
export class MeanSquaredError extends Loss {
  /** Builds the loss from {reduction, name}. */
  constructor(args: LossArgs = {}) {
    super(args, 'mean_squared_error');
  }
  protected perExample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return base.meanSquaredError(yTrue, yPred);
  }
}

/**
 * Mean of absolute errors over the last axis (tf.keras.losses.MeanAbsoluteError).
 * @example
 * tf.keras.losses.MeanAbsoluteError()([[0, 1]], [[1, 1]]) // → 0.5
 */
export class MeanAbsoluteError extends Loss {
  /** Builds the loss from {reduction, name}. */
  constructor(args: LossArgs = {}) {
    super(args, 'mean_absolute_error');
  }
  protected perExample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return base.meanAbsoluteError(yTrue, yPred);
  }
}

/** Options of tf.keras.losses.Huber. */
export interface HuberArgs extends LossArgs {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * ½e² for |e| ≤ delta, delta·(|e| - ½delta) beyond, averaged over the last axis (tf.keras.losses.Huber).
 * @example
 * tf.keras.losses.Huber()([[0, 0]], [[0.5, 3]]) // → 1.3125
 */
export class Huber extends Loss {
  /** Where the loss turns linear. */
  declare delta: number;
  /** Builds the loss from {delta, reduction, name}. @throws Error unless delta > 0. */
  constructor(args: HuberArgs = {}) {
    super(args, 'huber_loss');
    this.delta = args.delta ?? 1;
    if (!(this.delta > 0)) throw new Error(`Huber: delta must be > 0, got ${this.delta}`);
  }
  protected perExample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    const p = toTensor('huber', yPred);
    requireFloat('huber', p);
    const t = cast(toTensor('huber', yTrue, p.dtype), p.dtype);
    if (t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) throw new Error(`huber: yTrue shape ${formatShape(t.shape)} and yPred shape ${formatShape(p.shape)} must match`);
    const error = abs(sub(p, t));
    const quadratic = minimum(error, this.delta);
    const linear = sub(error, quadratic);
    return reduceMean(add(mul(square(quadratic), 0.5), mul(linear, this.delta)), -1);
  }
}
