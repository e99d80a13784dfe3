// Symbolic tensors of the functional API: `tf.keras.Input({shape})` and what layers return when applied to one.
// They carry a shape (null for the batch axis) and the layer application that produced them, nothing numeric.
import type { DType } from '../tensor/dtype';
import type { Layer } from './layer';

/** A shape whose batch axis (or any unknown one) is null, as Keras's `(None, 784)`. */
export type SymbolicShape = (number | null)[];

/** One application of a layer to symbolic inputs (Keras's Node). */
export interface LayerApplication {
  /** The layer that was applied. */
  layer: Layer;
  /** What it was applied to. */
  inputs: KerasTensor[];
}

/**
 * tf.keras.KerasTensor: a symbolic tensor of the functional API — what tf.keras.Input returns and what a layer
 * returns when applied to one. It has a shape (null for the batch axis) and a dtype but no values.
 * @example
 * ```ts
 * const x = tf.keras.Input({ shape: [4] });
 * const y = tf.keras.layers.Dense(2).apply(x);
 * y.shape // → [null, 2]
 * ```
 */
export class KerasTensor {
  /** Made by tf.keras.Input and by layers applied to KerasTensors, not by hand. */
  constructor(
    /** The shape, null where unknown (the batch axis). */
    readonly shape: SymbolicShape,
    /** The element type the values will have. */
    readonly dtype: DType,
    /** `<layer>/output`, or the Input's name. */
    readonly name: string,
    /** The layer application that produced it (Keras's `_keras_history`). */
    readonly producedBy: LayerApplication,
  ) {}

  /** Number of axes, the batch axis included. */
  get rank(): number {
    return this.shape.length;
  }

  /** `<KerasTensor: shape=(None, 2) dtype=float32 (created by layer 'dense')>`, as Keras prints one. */
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
