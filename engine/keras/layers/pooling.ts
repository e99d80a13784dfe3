// Pooling layers over [batch, height, width, channels]: MaxPooling2D and AveragePooling2D (windows), and
// GlobalAveragePooling2D / GlobalMaxPooling2D (one value per channel).
import type { Tensor } from '../../tensor/tensor';
import { formatShape } from '../../shape/shape';
import { avgPool2d, maxPool2d } from '../../ops/pooling';
import { reduceMax, reduceMean } from '../../ops/reduction';
import { Layer, type LayerArgs } from '../layer';
import type { SymbolicShape } from '../keras_tensor';

/** Options of MaxPooling2D and AveragePooling2D. */
export interface Pooling2DArgs extends LayerArgs {
  /** Window: n or [h, w] (default 2). */
  poolSize?: number | readonly number[];
  /** Default: the pool size. */
  strides?: number | readonly number[] | null;
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
/** Only 'channels_last'. */
  dataFormat?: 'channels_last';
}

function pair(owner: string, what: string, v: number | readonly number[]): [number, number] {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`${owner}: ${what} must be a positive integer or two of them, got ${JSON.stringify(v)}`);
  return [p[0], p[1]];
}

function requireImages(layer: Layer, shape: SymbolicShape): void {
  if (shape.length !== 4) throw new Error(`${layer.name} (${layer.className}): expected inputs of rank 4 [batch, height, width, channels], got shape ${formatShape(shape.map((d) => d ?? -1))}`);
}

/** What the window pooling layers share: window, strides, padding and the output-shape rule. */
abstract class Pooling2D extends Layer {
/** Window [h, w]. */
  readonly poolSize: [number, number];
/** Step [h, w]. */
  readonly strides: [number, number];
/** 'valid' or 'same'. */
  readonly padding: 'valid' | 'same';

/** Checks and stores the window options. */
  constructor(poolSize: number | readonly number[] | Pooling2DArgs | undefined, args: Pooling2DArgs) {
    const opts = typeof poolSize === 'object' && poolSize !== null && !Array.isArray(poolSize) ? poolSize as Pooling2DArgs : { ...args, poolSize: poolSize as number | readonly number[] | undefined };
    super(opts);
    const owner = `${this.name} (${this.className})`;
    this.poolSize = pair(owner, 'poolSize', opts.poolSize ?? 2);
    this.strides = opts.strides === undefined || opts.strides === null ? this.poolSize : pair(owner, 'strides', opts.strides);
    const padding = (opts.padding ?? 'valid').toLowerCase();
    if (padding !== 'valid' && padding !== 'same') throw new Error(`${owner}: padding must be 'valid' or 'same', got '${opts.padding}'`);
    if (opts.dataFormat !== undefined && opts.dataFormat !== 'channels_last') throw new Error(`${owner}: only dataFormat 'channels_last' is supported`);
    this.padding = padding;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    requireImages(this, inputShape);
    const out = (length: number | null, i: 0 | 1) => {
      if (length === null) return null;
      const n = this.padding === 'same' ? length : length - this.poolSize[i] + 1;
      return Math.floor((n + this.strides[i] - 1) / this.strides[i]);
    };
    return [inputShape[0], out(inputShape[1], 0), out(inputShape[2], 1), inputShape[3]];
  }

  protected paddingName(): 'SAME' | 'VALID' {
    return this.padding === 'same' ? 'SAME' : 'VALID';
  }
}

/**
 * Max pooling layer (tf.keras.layers.MaxPooling2D): the largest value of each window, per channel.
 *
 * @param poolSize n or [h, w] (default 2). @param args strides (the pool size), padding ('valid'), name.
 * @throws on bad sizes or inputs not of rank 4.
 * @example
 * tf.keras.layers.MaxPooling2D(2)(tf.ones([1, 26, 26, 32])).shape  // [1, 13, 13, 32]
 */
export class MaxPooling2D extends Pooling2D {
  static override className = 'MaxPooling2D';

  /** (poolSize, options) as in Python, or ({poolSize, strides, padding}) as in TF.js. */
  constructor(poolSize?: number | readonly number[] | Pooling2DArgs, args: Pooling2DArgs = {}) {
    super(poolSize, args);
  }

  call(inputs: Tensor): Tensor {
    return maxPool2d(inputs, this.poolSize, this.strides, this.paddingName());
  }
}

/**
 * Average pooling layer (tf.keras.layers.AveragePooling2D): the mean of each window (cells inside the image), per channel.
 *
 * @param poolSize n or [h, w] (default 2). @param args strides (the pool size), padding ('valid'), name.
 * @throws on bad sizes or inputs not of rank 4.
 * @example
 * tf.keras.layers.AveragePooling2D(2)(tf.ones([1, 4, 4, 3])).shape  // [1, 2, 2, 3]
 */
export class AveragePooling2D extends Pooling2D {
  static override className = 'AveragePooling2D';

  /** (poolSize, options) as in Python, or ({poolSize, strides, padding}) as in TF.js. */
  constructor(poolSize?: number | readonly number[] | Pooling2DArgs, args: Pooling2DArgs = {}) {
    super(poolSize, args);
  }

  call(inputs: Tensor): Tensor {
    return avgPool2d(inputs, this.poolSize, this.strides, this.paddingName());
  }
}

/** Options of the global pooling layers. */
export interface GlobalPooling2DArgs extends LayerArgs {
  /** Keep the spatial axes as 1 (default false: [batch, channels]). */
  keepdims?: boolean;
}

/** What the global pooling layers share: keepdims and the output-shape rule. */
abstract class GlobalPooling2D extends Layer {
/** Whether the spatial axes stay as 1. */
  readonly keepdims: boolean;

/** GlobalAveragePooling2D({keepdims}) / GlobalMaxPooling2D({keepdims}). */
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args);
    this.keepdims = args.keepdims ?? false;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    requireImages(this, inputShape);
    return this.keepdims ? [inputShape[0], 1, 1, inputShape[3]] : [inputShape[0], inputShape[3]];
  }
}

/**
 * Global average pooling (tf.keras.layers.GlobalAveragePooling2D): `[batch, h, w, c]` → `[batch, c]`, the mean over h and w.
 *
 * @param args keepdims (false), name.
 * @throws on inputs not of rank 4.
 * @example
 * tf.keras.layers.GlobalAveragePooling2D()(tf.ones([2, 5, 5, 16])).shape  // [2, 16]
 */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static override className = 'GlobalAveragePooling2D';

  call(inputs: Tensor): Tensor {
    requireImages(this, inputs.shape);
    return reduceMean(inputs, [1, 2], this.keepdims);
  }
}

/**
 * Global max pooling (tf.keras.layers.GlobalMaxPooling2D): `[batch, h, w, c]` → `[batch, c]`, the maximum over h and w.
 *
 * @param args keepdims (false), name.
 * @throws on inputs not of rank 4.
 * @example
 * tf.keras.layers.GlobalMaxPooling2D()(tf.ones([2, 5, 5, 16])).shape  // [2, 16]
 */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static override className = 'GlobalMaxPooling2D';

  call(inputs: Tensor): Tensor {
    requireImages(this, inputs.shape);
    return reduceMax(inputs, [1, 2], this.keepdims);
  }
}
