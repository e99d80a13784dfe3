// tf.keras.Input({shape}): the entry of a functional model, a KerasTensor produced by an InputLayer.
import type { Tensor } from '../../tensor/tensor';
import type { DType } from '../../tensor/dtype';
import { Layer } from '../layer';
import { KerasTensor } from '../keras_tensor';
import { uniqueLayerName } from '../naming';

/** Options of tf.keras.Input. */
export interface InputArgs {
  /** Shape of one example, without the batch axis (null for an unknown size). */
  shape: readonly (number | null)[];
  /** A fixed batch size; default unknown (null). */
  batchSize?: number;
  /** Default 'input_1', 'input_2', …. */
  name?: string;
  /** Default 'float32'. */
  dtype?: DType;
}

/**
 * tf.keras.layers.InputLayer: the layer behind tf.keras.Input; its `output` is the KerasTensor a functional model
 * starts from. Passes values through.
 * @example
 * ```ts
 * tf.keras.layers.InputLayer({ shape: [3] }).output.shape // → [null, 3]
 * ```
 */
export class InputLayer extends Layer {
  /** @internal */
  static override className = 'InputLayer';
  /** The symbolic input tensor, [batchSize or null, ...shape]. */
  readonly output: KerasTensor;

  /**
   * An input layer for examples of `args.shape` (tf.keras.Input is the usual way to make one).
   * @throws Error when shape is missing or holds anything but positive integers and null.
   */
  constructor(args: InputArgs) {
    if (!args || !Array.isArray(args.shape)) throw new Error('Input: expected {shape: [...]} giving the shape of one example, e.g. tf.keras.Input({shape: [784]})');
    for (const d of args.shape) {
      if (d !== null && !(Number.isInteger(d) && d > 0)) throw new Error(`Input: shape entries must be positive integers or null, got [${args.shape.join(', ')}]`);
    }
    super({ name: args.name ?? nextInputName(), dtype: args.dtype });
    this.batchInputShape = [args.batchSize ?? null, ...args.shape];
    this.built = true;
    this.output = new KerasTensor(this.batchInputShape.slice(), this.dtype, this.name, { layer: this, inputs: [] });
  }

  call(inputs: Tensor): Tensor {
    return inputs;
  }
}

/** Keras 2 numbers inputs from 1: input_1, input_2, ... */
function nextInputName(): string {
  const name = uniqueLayerName('input');
  return name === 'input' ? 'input_1' : `input_${Number(name.slice('input_'.length)) + 1}`;
}

/**
 * tf.keras.Input: the symbolic input of a functional model — Keras's `Input(shape=(784,))` is
 * `tf.keras.Input({shape: [784]})`; the batch axis is added (null).
 * @throws Error when shape is missing or holds anything but positive integers and null.
 * @example
 * ```ts
 * const inputs = tf.keras.Input({ shape: [784] });
 * inputs.shape // → [null, 784]
 * const model = tf.keras.Model({ inputs, outputs: tf.keras.layers.Dense(10)(inputs) });
 * model.predict(tf.zeros([2, 784])).shape // → [2, 10]
 * ```
 */
export function Input(args: InputArgs): KerasTensor {
  return new InputLayer(args).output;
}
