// Flatten: [batch, d1, d2, ...] → [batch, d1·d2·...].
import type { Tensor } from '../../tensor/tensor';
import { reshape } from '../../ops/shape_ops';
import { Layer } from '../layer';
import type { SymbolicShape } from '../keras_tensor';

export class Flatten extends Layer {
  static override className = 'Flatten';

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.some((d) => d === null) ? null : rest.reduce<number>((a, b) => a * (b as number), 1)];
  }

  call(inputs: Tensor): Tensor {
    return reshape(inputs, [inputs.shape[0], inputs.size / Math.max(inputs.shape[0], 1)]);
  }
}
