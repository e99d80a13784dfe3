// Embedding: integer ids → rows of a trainable [inputDim, outputDim] table (a gather, whose gradient
// scatters back into the rows that were used).
import type { Tensor } from '../../tensor/tensor';
import type { Variable } from '../../tensor/variable';
import { gather } from '../../ops/shape_ops';
import { Layer, type LayerArgs } from '../layer';
import type { SymbolicShape } from '../keras_tensor';
import type { InitializerIdentifier } from '../initializers';

/** Options of tf.keras.layers.Embedding. */
export interface EmbeddingArgs extends LayerArgs {
  /** The number of distinct ids (ids are in [0, inputDim)). */
  inputDim?: number;
  /** The length of each embedding vector. */
  outputDim?: number;
  /** Default 'uniform' (random_uniform in [-0.05, 0.05], as Keras). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Seeds the initialiser (otherwise the stream of tf.random.setSeed). */
  seed?: number;
}

/**
 * Turns integer ids in [0, inputDim) into dense vectors of length outputDim (tf.keras.layers.Embedding).
 * Input [batch, ...] of ids; output [batch, ..., outputDim].
 * @throws when an id is out of range
 * @example
 * const emb = tf.keras.layers.Embedding(1000, 8);
 * emb.apply([[4, 20, 7]]).shape // → [1, 3, 8]
 */
export class Embedding extends Layer {
  static override className = 'Embedding';
  /** The number of distinct ids. */
  readonly inputDim: number;
  /** The length of each vector. */
  readonly outputDim: number;
  /** The [inputDim, outputDim] table, once built. */
  embeddings: Variable | null = null;
  private readonly initializer: InitializerIdentifier;
  private readonly seed: number | undefined;

  /** Embedding(inputDim, outputDim) as in Python, or Embedding({inputDim, outputDim, …}). @throws Error unless both are positive integers. */
  constructor(inputDim: number | EmbeddingArgs, outputDim?: number, args: EmbeddingArgs = {}) {
    const opts = typeof inputDim === 'object' && inputDim !== null ? inputDim : { ...args, inputDim, outputDim };
    super(opts);
    for (const key of ['inputDim', 'outputDim'] as const) {
      const v = opts[key];
      if (!(typeof v === 'number' && Number.isInteger(v) && v > 0)) throw new Error(`Embedding: ${key} must be a positive integer, got ${String(v)}`);
    }
    this.inputDim = opts.inputDim as number;
    this.outputDim = opts.outputDim as number;
    this.initializer = opts.embeddingsInitializer ?? 'random_uniform';
    this.seed = opts.seed;
  }

  override build(): void {
    const init = this.initializer === 'uniform' ? 'random_uniform' : this.initializer;
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], init, this.seed);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  call(inputs: Tensor): Tensor {
    return gather(this.embeddings as Variable, inputs, 0);
  }
}
