// Activations by Keras name ('relu', 'softmax', ...) or as functions. Dense fuses the ones with a fused kernel.
import type { Tensor } from '../tensor/tensor';
import * as act from '../ops/activations';
import { softmax } from '../ops/nn';

export type ActivationFn = (x: Tensor) => Tensor;
export type ActivationIdentifier = string | ActivationFn | null | undefined;

const BY_NAME: Record<string, ActivationFn> = {
  linear: (x) => x,
  relu: act.relu,
  sigmoid: act.sigmoid,
  tanh: act.tanh,
  softmax: (x) => softmax(x),
  elu: act.elu,
  selu: act.selu,
  softplus: act.softplus,
  swish: act.swish,
  silu: act.swish,
  gelu: act.gelu,
  leaky_relu: (x) => act.leakyRelu(x),
  leakyRelu: (x) => act.leakyRelu(x),
};

export const ACTIVATION_NAMES = Object.keys(BY_NAME);

/** The canonical name ('linear' for none) and the function, or a clear error for an unknown name. */
export function resolveActivation(owner: string, id: ActivationIdentifier): { name: string; fn: ActivationFn } {
  if (id === null || id === undefined) return { name: 'linear', fn: BY_NAME.linear };
  if (typeof id === 'function') return { name: id.name || 'custom', fn: id };
  const fn = BY_NAME[id];
  if (fn === undefined) throw new Error(`${owner}: unknown activation '${id}' (known: ${ACTIVATION_NAMES.join(', ')})`);
  return { name: id === 'silu' ? 'swish' : id === 'leakyRelu' ? 'leaky_relu' : id, fn };
}
