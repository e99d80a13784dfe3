// Flatten: [batch, d1, d2, ...] → [batch, d1·d2·...].
import type { Tensor } from '../../tensor/tensor';
import { reshape } from '../../ops/shape_ops';
import { Layer } from '../layer';
import type { SymbolicShape } from '../keras_tensor';

/**
 * tf.keras.layers.Flatten: reshapes [batch, d1, d2, …] to [batch, d1·d2·…], keeping the batch axis.
 * @example
 * ```ts
 * tf.keras.layers.Flatten()(tf.ones([2, 3, 4])).shape // → [2, 12]
 * ```
 */
export class Flatten extends Layer {
  /** @internal */
  static override className = 'Flatten';

  /** [batch, product of the other axes] (null when one is unknown). */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * (b as number), 1)];
  }

  call(inputs: Tensor): Tensor {
    return reshape(inputs, [inputs.shape[0], inputs.size / Math.max(inputs.shape[0], 1)]);
  }
}
