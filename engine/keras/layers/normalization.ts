// Normalisation layers: BatchNormalization (batch statistics while training, moving statistics at inference,
// the moving mean and variance kept as non-trainable weights) and LayerNormalization (per example).
import { Tensor } from '../../tensor/tensor';
import type { Variable } from '../../tensor/variable';
import { allocate } from '../../tensor/dtype';
import { formatShape, normalizeAxis } from '../../shape/shape';
import { batchNormalization, fusedBatchNorm } from '../../ops/normalization';
import { moments } from '../../ops/statistics';
import { reshape } from '../../ops/shape_ops';
import { Layer, type CallOptions, type LayerArgs } from '../layer';
import type { SymbolicShape } from '../keras_tensor';
import type { InitializerIdentifier } from '../initializers';

/** Options of BatchNormalization and LayerNormalization. */
export interface NormalizationArgs extends LayerArgs {
  /** The features axis (default -1, the channels of NHWC). */
  axis?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  /** Learn an offset β (default true). */
  center?: boolean;
  /** Learn a scale γ (default true). */
  scale?: boolean;
/** β's initializer (default 'zeros'). */
  betaInitializer?: InitializerIdentifier;
/** γ's initializer (default 'ones'). */
  gammaInitializer?: InitializerIdentifier;
}

/** Options of BatchNormalization. */
export interface BatchNormalizationArgs extends NormalizationArgs {
  /** moving = moving · momentum + batch · (1 − momentum) (default 0.99). */
  momentum?: number;
/** The moving mean's initializer (default 'zeros'). */
  movingMeanInitializer?: InitializerIdentifier;
/** The moving variance's initializer (default 'ones'). */
  movingVarianceInitializer?: InitializerIdentifier;
}

/** What the normalisation layers share: the features axis, ε, and the learned γ and β. */
abstract class Normalization extends Layer {
/** The features axis as given. */
  readonly axis: number;
/** Added to the variance. */
  readonly epsilon: number;
/** Whether β is learned. */
  readonly center: boolean;
/** Whether γ is learned. */
  readonly scale: boolean;
/** The scale γ (null until built, or without scale). */
  gamma: Variable | null = null;
/** The offset β (null until built, or without center). */
  beta: Variable | null = null;
  protected resolvedAxis = -1;
  private readonly gammaInitializer: InitializerIdentifier;
  private readonly betaInitializer: InitializerIdentifier;

/** Stores the shared options. */
  constructor(args: NormalizationArgs) {
    super(args);
    this.axis = args.axis ?? -1;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.gammaInitializer = args.gammaInitializer ?? 'ones';
    this.betaInitializer = args.betaInitializer ?? 'zeros';
  }

  /** The features axis resolved for this input rank, and its length. */
  protected features(inputShape: SymbolicShape): number {
    this.resolvedAxis = normalizeAxis(this.name, this.axis, inputShape.length);
    const n = inputShape[this.resolvedAxis];
    if (n === null) throw new Error(`${this.name} (${this.className}): axis ${this.axis} of input shape ${formatShape(inputShape.map((d) => d ?? -1))} must be known`);
    return n;
  }

  protected buildAffine(n: number): void {
    if (this.scale) this.gamma = this.addWeight('gamma', [n], this.gammaInitializer, undefined);
    if (this.center) this.beta = this.addWeight('beta', [n], this.betaInitializer, undefined);
  }

  /** A per-feature vector shaped to broadcast along the features axis of a rank-r input. */
  protected alongAxis(v: Tensor, rank: number): Tensor {
    if (this.resolvedAxis === rank - 1) return v;
    const shape = new Array<number>(rank).fill(1);
    shape[this.resolvedAxis] = v.size;
    return reshape(v, shape);
  }
}

/**
 * Batch normalisation (tf.keras.layers.BatchNormalization). With `{training: true}` it normalises by the batch's
 * mean and (biased) variance over every axis but `axis`, and moves the non-trainable `moving_mean` and
 * `moving_variance` toward them by `momentum`; otherwise (inference, or a frozen layer) it uses the moving
 * statistics. Weights in Keras's order: gamma, beta, moving_mean, moving_variance.
 *
 * @param args axis (-1), momentum (0.99), epsilon (1e-3), center (true), scale (true), initializers, name.
 * @throws when the features axis is unknown or the input's features change.
 * @example
 * const bn = tf.keras.layers.BatchNormalization();
 * const y = bn(tf.constant([[1, 2], [3, 6]]), { training: true });  // [[-1, -1], [1, 1]] (nearly)
 * bn.movingMean  // moved 1% toward [2, 4]
 */
export class BatchNormalization extends Normalization {
  static override className = 'BatchNormalization';
/** How much of the moving statistics each training step keeps. */
  readonly momentum: number;
/** The non-trainable moving mean (null until built). */
  movingMean: Variable | null = null;
/** The non-trainable moving variance (null until built). */
  movingVariance: Variable | null = null;
  private readonly movingMeanInitializer: InitializerIdentifier;
  private readonly movingVarianceInitializer: InitializerIdentifier;

/** BatchNormalization({axis, momentum, epsilon, center, scale, ...}). */
  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.99;
    this.movingMeanInitializer = args.movingMeanInitializer ?? 'zeros';
    this.movingVarianceInitializer = args.movingVarianceInitializer ?? 'ones';
  }

  override build(inputShape: SymbolicShape): void {
    const n = this.features(inputShape);
    this.buildAffine(n);
    this.movingMean = this.addWeight('moving_mean', [n], this.movingMeanInitializer, undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [n], this.movingVarianceInitializer, undefined, false);
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    const rank = inputs.rank;
    const axes = inputs.shape.map((_, i) => i).filter((i) => i !== this.resolvedAxis);
    const along = (v: Tensor | null) => (v ? this.alongAxis(v, rank) : null);
    if (options.training && this.trainable && rank >= 2 && this.resolvedAxis === rank - 1 && inputs.size !== 0) {
      // channels last: the fused op (statistics, normalisation and its gradient in typed-array kernels)
      const { y, mean, variance } = fusedBatchNorm(inputs, this.gamma, this.beta, this.epsilon);
      this.moveToward(this.movingMean!, mean);
      this.moveToward(this.movingVariance!, variance);
      return y;
    }
    if (options.training && this.trainable) {
      const { mean, variance } = moments(inputs, axes);
      this.moveToward(this.movingMean!, mean);
      this.moveToward(this.movingVariance!, variance);
      return batchNormalization(inputs, along(mean)!, along(variance)!, along(this.beta), along(this.gamma), this.epsilon);
    }
    return batchNormalization(inputs, along(this.movingMean)!, along(this.movingVariance)!, along(this.beta), along(this.gamma), this.epsilon);
  }

  /** moving ← moving · momentum + batch · (1 − momentum), on the values only (nothing recorded on a tape). */
  private moveToward(moving: Variable, batch: Tensor): void {
    const m = moving.dataSync(), b = batch.dataSync();
    const next = allocate(moving.dtype, m.length);
    for (let i = 0; i < m.length; i++) next[i] = m[i] * this.momentum + b[i] * (1 - this.momentum);
    moving.assign(new Tensor(next, moving.shape.slice(), moving.dtype));
  }
}

/**
 * Layer normalisation (tf.keras.layers.LayerNormalization): each example normalised by its own mean and variance
 * over `axis`, then scaled by gamma and shifted by beta (both per feature). Same in training and inference.
 *
 * @param args axis (-1), epsilon (1e-3), center (true), scale (true), initializers, name.
 * @throws when the features axis is unknown.
 * @example
 * tf.keras.layers.LayerNormalization()(tf.constant([[1, 3], [2, 10]]))  // [[-1, 1], [-1, 1]] (nearly)
 */
export class LayerNormalization extends Normalization {
  static override className = 'LayerNormalization';

/** LayerNormalization({axis, epsilon, center, scale, ...}). */
  constructor(args: NormalizationArgs = {}) {
    super(args);
  }

  override build(inputShape: SymbolicShape): void {
    this.buildAffine(this.features(inputShape));
  }

  call(inputs: Tensor): Tensor {
    const { mean, variance } = moments(inputs, [this.resolvedAxis], true);
    const along = (v: Tensor | null) => (v ? this.alongAxis(v, inputs.rank) : null);
    return batchNormalization(inputs, mean, variance, along(this.beta), along(this.gamma), this.epsilon);
  }
}
