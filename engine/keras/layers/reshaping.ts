// Reshaping layers: Reshape (to a fixed per-example shape), UpSampling2D (repeat or interpolate rows and
// columns) and ZeroPadding2D (zeros around each image).
import type { Tensor } from '../../tensor/tensor';
import { formatShape } from '../../shape/shape';
import { padInto, reshape } from '../../ops/shape_ops';
import { resize } from '../../ops/image';
import { Layer, type LayerArgs } from '../layer';
import type { SymbolicShape } from '../keras_tensor';

/** Options of Reshape. */
export interface ReshapeArgs extends LayerArgs {
  /** Shape of one example; one entry may be -1 (inferred). */
  targetShape?: readonly number[];
}

/**
 * Reshapes each example to `targetShape` (tf.keras.layers.Reshape); the batch axis is kept.
 *
 * @param targetShape the per-example shape, one entry may be -1.
 * @throws when the sizes do not match.
 * @example
 * tf.keras.layers.Reshape([28, 28, 1])(tf.ones([2, 784])).shape  // [2, 28, 28, 1]
 */
export class Reshape extends Layer {
  static override className = 'Reshape';
/** The per-example shape (one entry may be -1). */
  readonly targetShape: number[];

/** Reshape(targetShape) as in Python, or Reshape({targetShape}) as in TF.js. */
  constructor(targetShape: readonly number[] | ReshapeArgs, args: ReshapeArgs = {}) {
    const opts = Array.isArray(targetShape) ? { ...args, targetShape: targetShape as readonly number[] } : targetShape as ReshapeArgs;
    super(opts);
    const t = opts.targetShape;
    if (!Array.isArray(t) || !t.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) || t.filter((d) => d === -1).length > 1) {
      throw new Error(`Reshape: targetShape must list positive integers (one may be -1), got ${JSON.stringify(t)}`);
    }
    this.targetShape = [...t];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (rest.some((d) => d === null)) return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    const fits = this.targetShape.includes(-1) ? size % known === 0 : size === known;
    if (!fits) throw new Error(`${this.name} (Reshape): cannot reshape an example of shape ${formatShape(rest as number[])} (${size} values) to ${formatShape(this.targetShape)}`);
    return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? size / known : d))];
  }

  call(inputs: Tensor): Tensor {
    const shape = this.computeOutputShape(inputs.shape) as number[];
    return reshape(inputs, [inputs.shape[0], ...shape.slice(1)]);
  }
}

/** Options of UpSampling2D. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Factors for rows and columns: n or [h, w] (default 2). */
  size?: number | readonly number[];
  /** 'nearest' (repeat, default) or 'bilinear'. */
  interpolation?: 'nearest' | 'bilinear';
}

/**
 * Upsamples images by integer factors (tf.keras.layers.UpSampling2D): `[b, h, w, c]` → `[b, h·sh, w·sw, c]`.
 *
 * @param size n or [sh, sw] (default 2). @param args interpolation ('nearest' or 'bilinear'), name.
 * @throws on bad factors or inputs not of rank 4.
 * @example
 * tf.keras.layers.UpSampling2D(2)(tf.ones([1, 7, 7, 4])).shape  // [1, 14, 14, 4]
 */
export class UpSampling2D extends Layer {
  static override className = 'UpSampling2D';
/** Factors [rows, cols]. */
  readonly size: [number, number];
/** 'nearest' (repeat) or 'bilinear'. */
  readonly interpolation: 'nearest' | 'bilinear';

/** UpSampling2D(size, options) or UpSampling2D({size, interpolation}). */
  constructor(size?: number | readonly number[] | UpSampling2DArgs, args: UpSampling2DArgs = {}) {
    const opts = typeof size === 'object' && !Array.isArray(size) ? size as UpSampling2DArgs : { ...args, size: size as number | readonly number[] | undefined };
    super(opts);
    const s = opts.size ?? 2;
    const p = typeof s === 'number' ? [s, s] : [...s];
    if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`UpSampling2D: size must be a positive integer or two of them, got ${JSON.stringify(s)}`);
    this.size = [p[0], p[1]];
    const interpolation = opts.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') throw new Error(`UpSampling2D: interpolation must be 'nearest' or 'bilinear', got '${String(interpolation)}'`);
    this.interpolation = interpolation;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) throw new Error(`${this.name} (UpSampling2D): expected inputs of rank 4, got shape ${formatShape(inputShape.map((d) => d ?? -1))}`);
    const [b, h, w, c] = inputShape;
    return [b, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  call(inputs: Tensor): Tensor {
    const [, h, w] = this.computeOutputShape(inputs.shape) as number[];
    return resize(inputs, [h, w], this.interpolation);
  }
}

/** Options of ZeroPadding2D. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** n (all sides), [rows, cols] (symmetric) or [[top, bottom], [left, right]] (default 1). */
  padding?: number | readonly number[] | readonly (readonly number[])[];
}

/**
 * Adds rows and columns of zeros around each image (tf.keras.layers.ZeroPadding2D).
 *
 * @param padding n, [rows, cols] or [[top, bottom], [left, right]] (default 1).
 * @throws on bad padding or inputs not of rank 4.
 * @example
 * tf.keras.layers.ZeroPadding2D([[1, 2], [3, 4]])(tf.ones([1, 5, 5, 2])).shape  // [1, 8, 12, 2]
 */
export class ZeroPadding2D extends Layer {
  static override className = 'ZeroPadding2D';
  /** [[top, bottom], [left, right]]. */
  readonly padding: [[number, number], [number, number]];

/** ZeroPadding2D(padding) or ZeroPadding2D({padding}). */
  constructor(padding?: number | readonly number[] | readonly (readonly number[])[] | ZeroPadding2DArgs, args: ZeroPadding2DArgs = {}) {
    const opts = typeof padding === 'object' && !Array.isArray(padding) ? padding as ZeroPadding2DArgs : { ...args, padding: padding as ZeroPadding2DArgs['padding'] };
    super(opts);
    const p = opts.padding ?? 1;
    const sides: number[][] = typeof p === 'number' ? [[p, p], [p, p]]
      : p.every((v) => typeof v === 'number') ? (p as readonly number[]).map((v) => [v, v]) : (p as readonly (readonly number[])[]).map((v) => [...v]);
    if (sides.length !== 2 || !sides.every((s) => s.length === 2 && s.every((v) => Number.isInteger(v) && v >= 0))) {
      throw new Error(`ZeroPadding2D: padding must be n, [rows, cols] or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(p)}`);
    }
    this.padding = [[sides[0][0], sides[0][1]], [sides[1][0], sides[1][1]]];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) throw new Error(`${this.name} (ZeroPadding2D): expected inputs of rank 4, got shape ${formatShape(inputShape.map((d) => d ?? -1))}`);
    const [[t, b], [l, r]] = this.padding;
    const [n, h, w, c] = inputShape;
    return [n, h === null ? null : h + t + b, w === null ? null : w + l + r, c];
  }

  call(inputs: Tensor): Tensor {
    const shape = this.computeOutputShape(inputs.shape) as number[];
    return padInto(inputs, [0, this.padding[0][0], this.padding[1][0], 0], shape);
  }
}
