// Activation('relu'): applies an activation by name as a layer of its own.
import type { Tensor } from '../../tensor/tensor';
import { Layer, type LayerArgs } from '../layer';
import { resolveActivation, type ActivationFn, type ActivationIdentifier } from '../activations';

export interface ActivationArgs extends LayerArgs {
  activation?: ActivationIdentifier;
}

export class Activation extends Layer {
  static override className = 'Activation';
  readonly activation: string;
  private readonly fn: ActivationFn;

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
