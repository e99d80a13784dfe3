// Keras-style unique layer and model names per session: 'dense', 'dense_1', ... (tf.keras.backend.clearSession resets).
const used = new Map<string, number>();

export function uniqueLayerName(base: string): string {
  const n = used.get(base) ?? 0;
  used.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** 'Dense' → 'dense', 'InputLayer' → 'input_layer', 'Conv2D' → 'conv2d', 'MaxPooling2D' → 'max_pooling2d' (Keras's to_snake_case). */
export function snakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * tf.keras.backend.clearSession: forgets the layer and model names used so far, so the next Dense is 'dense'
 * again (Keras's clear_session). Existing layers keep their names.
 * @example
 * ```ts
 * tf.keras.backend.clearSession();
 * tf.keras.layers.Dense(1).name // → dense
 * ```
 */
export function clearSession(): void {
  used.clear();
}
