// Seedable random tensors. A seed gives the same numbers every time; without one, a global stream is used
// (itself seedable with tf.random.setSeed).
import { allocate, type DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { assertValidShape, sizeOf } from '../shape/shape';

/** mulberry32: small, fast, good enough for initialisers and shuffling. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let globalRng = makeRng(Date.now() ^ 0x5bd1e995);

export function setSeed(seed: number): void {
  globalRng = makeRng(seed);
}

function rngFor(seed: number | undefined): () => number {
  return seed === undefined ? globalRng : makeRng(seed);
}

function gaussian(rng: () => number): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export interface RandomOptions { mean?: number; stddev?: number; seed?: number; dtype?: DType }

export function normal(shape: readonly number[], options: RandomOptions = {}): Tensor {
  assertValidShape('random.normal', shape);
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  const rng = rngFor(seed);
  const values = allocate(dtype, sizeOf(shape), 'random.normal', shape);
  for (let i = 0; i < values.length; i++) values[i] = mean + stddev * gaussian(rng);
  return new Tensor(values, [...shape], dtype);
}

export function truncatedNormal(shape: readonly number[], options: RandomOptions = {}): Tensor {
  assertValidShape('random.truncatedNormal', shape);
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  const rng = rngFor(seed);
  const values = allocate(dtype, sizeOf(shape), 'random.truncatedNormal', shape);
  for (let i = 0; i < values.length; i++) {
    let z: number;
    do { z = gaussian(rng); } while (Math.abs(z) > 2);
    values[i] = mean + stddev * z;
  }
  return new Tensor(values, [...shape], dtype);
}

export interface UniformOptions { minval?: number; maxval?: number; seed?: number; dtype?: DType }

export function uniform(shape: readonly number[], options: UniformOptions = {}): Tensor {
  assertValidShape('random.uniform', shape);
  const { minval = 0, maxval = 1, seed, dtype = 'float32' } = options;
  if (!(maxval > minval)) throw new Error(`random.uniform: maxval (${maxval}) must be greater than minval (${minval})`);
  const rng = rngFor(seed);
  const values = allocate(dtype, sizeOf(shape), 'random.uniform', shape);
  for (let i = 0; i < values.length; i++) {
    const u = minval + (maxval - minval) * rng();
    values[i] = dtype === 'int32' ? Math.floor(u) : u;
  }
  return new Tensor(values, [...shape], dtype);
}
