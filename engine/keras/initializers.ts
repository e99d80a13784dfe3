// Weight initialisers by Keras name. Random ones draw from the global stream (tf.random.setSeed) unless given a seed.
import type { Tensor } from '../tensor/tensor';
import { fill } from '../ops/creation';
import { normal, truncatedNormal, uniform } from '../ops/random';

export type Initializer = (shape: readonly number[], seed?: number) => Tensor;
export type InitializerIdentifier = string | Initializer;

function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

const glorotUniform: Initializer = (shape, seed) => {
  const [fanIn, fanOut] = fans(shape);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return uniform(shape, { minval: -limit, maxval: limit, seed });
};
const glorotNormal: Initializer = (shape, seed) => {
  const [fanIn, fanOut] = fans(shape);
  // Keras divides by the stddev of a normal truncated at 2σ
  return truncatedNormal(shape, { stddev: Math.sqrt(2 / (fanIn + fanOut)) / 0.87962566103423978, seed });
};
const heUniform: Initializer = (shape, seed) => {
  const limit = Math.sqrt(6 / fans(shape)[0]);
  return uniform(shape, { minval: -limit, maxval: limit, seed });
};
const heNormal: Initializer = (shape, seed) => truncatedNormal(shape, { stddev: Math.sqrt(2 / fans(shape)[0]) / 0.87962566103423978, seed });
const lecunNormal: Initializer = (shape, seed) => truncatedNormal(shape, { stddev: Math.sqrt(1 / fans(shape)[0]) / 0.87962566103423978, seed });

const BY_NAME: Record<string, Initializer> = {
  glorot_uniform: glorotUniform,
  glorot_normal: glorotNormal,
  he_uniform: heUniform,
  he_normal: heNormal,
  lecun_normal: lecunNormal,
  random_normal: (shape, seed) => normal(shape, { stddev: 0.05, seed }),
  random_uniform: (shape, seed) => uniform(shape, { minval: -0.05, maxval: 0.05, seed }),
  truncated_normal: (shape, seed) => truncatedNormal(shape, { stddev: 0.05, seed }),
  zeros: (shape) => fill(shape, 0),
  ones: (shape) => fill(shape, 1),
};

/** Accepts 'glorot_uniform', 'glorotUniform' or 'GlorotUniform' spellings, or a function. */
export function resolveInitializer(owner: string, id: InitializerIdentifier): Initializer {
  if (typeof id === 'function') return id;
  const key = id.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const init = BY_NAME[key];
  if (init === undefined) throw new Error(`${owner}: unknown initializer '${id}' (known: ${Object.keys(BY_NAME).join(', ')})`);
  return init;
}
