// tf.keras.Input({shape}): the entry of a functional model, a KerasTensor produced by an InputLayer.
import type { Tensor } from '../../tensor/tensor';
import type { DType } from '../../tensor/dtype';
import { Layer } from '../layer';
import { KerasTensor } from '../keras_tensor';
import { uniqueLayerName } from '../naming';

export interface InputArgs {
  shape: readonly (number | null)[];
  batchSize?: number;
  name?: string;
  dtype?: DType;
}

export class InputLayer extends Layer {
  static override className = 'InputLayer';
  readonly output: KerasTensor;

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

/** Keras's Input(shape=(784,)) as tf.keras.Input({shape: [784]}). */
export function Input(args: InputArgs): KerasTensor {
  return new InputLayer(args).output;
}
