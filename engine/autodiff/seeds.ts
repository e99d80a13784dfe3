// The gradients reverse mode starts from: ones for each target (TF's default), or the output gradients the caller
// gives (tape.gradient's outputGradients, tf.gradients' gradYs). A target listed twice is seeded with the sum.
import { Tensor } from '../tensor/tensor';
import { readValue } from '../tensor/variable';
import type { TensorLike } from '../tensor/convert';
import { shapesEqual } from '../shape/shape';
import { onesLike } from '../ops/creation';
import { toTensor } from '../ops/op_inputs';
import { add } from '../ops/arithmetic';

/** How each caller words its errors (they keep their own TF-like names: outputGradients / gradYs). */
export interface SeedMessages {
  /** The op name for converting a given gradient to a tensor. */
  op: string;
  count(given: number, targets: number): string;
  shape(index: number, seed: Tensor, target: Tensor): string;
}

/** Seeds by target id. `outputGradients`: one value for one target, or a list with one per target. */
export function seedsFor(targets: readonly Tensor[], outputGradients: TensorLike | readonly TensorLike[] | null | undefined, messages: SeedMessages): Map<number, Tensor> {
  const given = outputGradients === undefined || outputGradients === null ? null
    : Array.isArray(outputGradients) && targets.length > 1 ? outputGradients as readonly TensorLike[] : [outputGradients as TensorLike];
  if (given !== null && given.length !== targets.length) throw new Error(messages.count(given.length, targets.length));
  const seeds = new Map<number, Tensor>();
  targets.forEach((t, i) => {
    let seed: Tensor;
    if (given === null) seed = onesLike(readValue(t));
    else {
      const g = given[i];
      seed = g instanceof Tensor ? readValue(g) : toTensor(messages.op, g, t.dtype);
      if (!shapesEqual(seed.shape, t.shape)) throw new Error(messages.shape(i, seed, t));
    }
    const prev = seeds.get(t.id);
    seeds.set(t.id, prev === undefined ? seed : add(prev, seed));
  });
  return seeds;
}
