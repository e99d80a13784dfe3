// Symbolic tensors of the functional API: `tf.keras.Input({shape})` and what layers return when applied to one.
// They carry a shape (null for the batch axis) and the layer application that produced them, nothing numeric.
import type { DType } from '../tensor/dtype';
import type { Layer } from './layer';

export type SymbolicShape = (number | null)[];

/** One application of a layer to symbolic inputs (Keras's Node). */
export interface LayerApplication {
  layer: Layer;
  inputs: KerasTensor[];
}

export class KerasTensor {
  constructor(
    readonly shape: SymbolicShape,
    readonly dtype: DType,
    readonly name: string,
    readonly producedBy: LayerApplication,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<KerasTensor: shape=${formatSymbolicShape(this.shape)} dtype=${this.dtype} (created by layer '${this.producedBy.layer.name}')>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** (None, 784) as Keras prints shapes. */
export function formatSymbolicShape(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}
