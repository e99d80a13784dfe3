// Dropout: while training, zeroes each value with probability `rate` and scales the rest by 1/(1-rate);
// at inference it is the identity (Keras semantics).
import type { Tensor } from '../../tensor/tensor';
import { uniform } from '../../ops/random';
import { mul } from '../../ops/arithmetic';
import { cast, greaterEqual } from '../../ops/comparison';
import { Layer, type CallOptions, type LayerArgs } from '../layer';

/** Options of tf.keras.layers.Dropout. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of values to drop while training, in [0, 1). */
  rate?: number;
  /** Seeds the dropout masks (each call advances it); default the stream of tf.random.setSeed. */
  seed?: number;
}

/**
 * tf.keras.layers.Dropout: while training (`{training: true}`, as fit() calls it) zeroes each value with
 * probability `rate` and scales the others by 1/(1 - rate); otherwise passes inputs through unchanged.
 * @throws Error when rate is not in [0, 1).
 * @example
 * ```ts
 * const drop = tf.keras.layers.Dropout(0.5);
 * drop(tf.ones([1, 4])).numpy() // → [[1, 1, 1, 1]]
 * drop(tf.ones([1, 1000]), { training: true }).mean().numpy() > 0.8 // → true
 * ```
 */
export class Dropout extends Layer {
  /** @internal */
  static override className = 'Dropout';
  /** Fraction of values dropped while training. */
  readonly rate: number;
  private readonly seed: number | undefined;
  private calls = 0;

  /** Dropout(0.5) or Dropout({rate: 0.5}). */
  constructor(rate: number | DropoutArgs, args: DropoutArgs = {}) {
    const opts = typeof rate === 'object' && rate !== null ? rate : { ...args, rate };
    super(opts);
    const r = opts.rate;
    if (!(typeof r === 'number' && r >= 0 && r < 1)) throw new Error(`Dropout: rate must be a number in [0, 1), got ${String(r)}`);
    this.rate = r;
    this.seed = opts.seed;
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.rate === 0) return inputs;
    const seed = this.seed === undefined ? undefined : this.seed + this.calls++;
    const keep = cast(greaterEqual(uniform(inputs.shape, { seed, dtype: inputs.dtype }), this.rate), inputs.dtype);
    return mul(inputs, mul(keep, 1 / (1 - this.rate)));
  }
}
