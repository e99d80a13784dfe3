// The tail every weighted layer shares: activation(z + bias). relu/sigmoid/tanh/linear run as one fused
// bias+activation op; softmax keeps its logits beside the output for the fused cross-entropy.
import type { Tensor } from '../tensor/tensor';
import type { Variable } from '../tensor/variable';
import { softmax } from '../ops/nn';
import { biasActivation, isFusedActivation } from '../ops/fused';
import type { ActivationFn } from './activations';
import { rememberLogits } from './logits';

export function withBiasAndActivation(z: Tensor, bias: Variable | null, activation: string, activationFn: ActivationFn): Tensor {
  if (activation === 'softmax') {
    const logits = bias ? biasActivation(z, bias, 'linear') : z;
    const probabilities = softmax(logits);
    rememberLogits(probabilities, logits);
    return probabilities;
  }
  if (bias && isFusedActivation(activation)) return biasActivation(z, bias, activation);
  return activationFn(bias ? biasActivation(z, bias, 'linear') : z);
}
