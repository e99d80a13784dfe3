// Softmax outputs of Dense layers remember their logits (as Keras's `_keras_logits`), so categorical
// cross-entropy on those probabilities can take the fused, numerically stable logits path.
import type { Tensor } from '../tensor/tensor';

const logitsByOutput = new WeakMap<Tensor, Tensor>();

export function rememberLogits(probabilities: Tensor, logits: Tensor): void {
  logitsByOutput.set(probabilities, logits);
}

export function logitsOf(probabilities: Tensor): Tensor | undefined {
  return logitsByOutput.get(probabilities);
}
