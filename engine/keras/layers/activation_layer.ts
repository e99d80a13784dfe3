// Activation('relu'): applies an activation by name as a layer of its own.
import type { Tensor } from '../../tensor/tensor';
import { Layer, type LayerArgs } from '../layer';
import { resolveActivation, type ActivationFn, type ActivationIdentifier } from '../activations';

/** Options of tf.keras.layers.Activation. */
export interface ActivationArgs extends LayerArgs {
  /** The activation by name ('relu', 'softmax', …) or a function of a tensor. */
  activation?: ActivationIdentifier;
}

/**
 * tf.keras.layers.Activation: applies an activation function as a layer of its own.
 * @throws Error for an unknown activation name.
 * @example
 * ```ts
 * tf.keras.layers.Activation('relu')(tf.constant([[-1, 2]])).numpy() // → [[0, 2]]
 * ```
 */
export class Activation extends Layer {
  /** @internal */
  static override className = 'Activation';
  /** The activation's name. */
  readonly activation: string;
  private readonly fn: ActivationFn;

  /** Activation('relu') as in Python, or Activation({activation: 'relu'}) as in TF.js. */
  constructor(activation: ActivationIdentifier | ActivationArgs, args: ActivationArgs = {}) {
    const opts = typeof activation === 'object' && activation !== null ? activation : { ...args, activation };
    super(opts);
    const act = resolveActivation(this.name, opts.activation);
    this.activation = act.name;
    this.fn = act.fn;
  }

  call(inputs: Tensor): Tensor {
    return this.fn(inputs);
  }
}
