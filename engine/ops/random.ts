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

/**
 * Seeds the global random stream every unseeded random op draws from (tf.random.set_seed → tf.random.setSeed), so a cell gives the same numbers each run.
 * @example
 * ```ts
 * tf.random.setSeed(42);
 * const a = tf.random.uniform([3]).numpy();
 * tf.random.setSeed(42);
 * JSON.stringify(tf.random.uniform([3]).numpy()) === JSON.stringify(a) // → true
 *
 * ```
 */
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

/** Options of tf.random.normal and truncatedNormal. */
export interface RandomOptions {
  /** Mean of the distribution (default 0). */
  mean?: number;
  /** Standard deviation (default 1). */
  stddev?: number;
  /** Gives the same numbers on every call; default: draw from the global stream (tf.random.setSeed). */
  seed?: number;
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
}

/**
 * Samples from a normal distribution (tf.random.normal): options mean (0), stddev (1), seed (the global stream when absent), dtype (float32).
 * @example
 * ```ts
 * const x = tf.random.normal([10000], { mean: 5, seed: 1 });
 * Math.abs(x.mean().item() - 5) < 0.05 // → true
 * ```
 */
export function normal(shape: readonly number[], options: RandomOptions = {}): Tensor {
  assertValidShape('random.normal', shape);
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  const rng = rngFor(seed);
  const values = allocate(dtype, sizeOf(shape), 'random.normal', shape);
  for (let i = 0; i < values.length; i++) values[i] = mean + stddev * gaussian(rng);
  return new Tensor(values, [...shape], dtype);
}

/**
 * Samples from a normal distribution, redrawing those more than two standard deviations from the mean (tf.random.truncated_normal → tf.random.truncatedNormal); options as tf.random.normal.
 * @example
 * ```ts
 * tf.random.truncatedNormal([1000], { seed: 3 }).abs().max().item() <= 2 // → true
 * ```
 */
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

/** Options of tf.random.uniform. */
export interface UniformOptions {
  /** Lower bound, included (default 0). */
  minval?: number;
  /** Upper bound, excluded (default 1). */
  maxval?: number;
  /** Gives the same numbers on every call; default: draw from the global stream (tf.random.setSeed). */
  seed?: number;
  /** 'float32' (default), 'float64' or 'int32'. */
  dtype?: DType;
}

/**
 * Samples uniformly from [minval, maxval) (tf.random.uniform): options minval (0), maxval (1), seed, dtype (float32).
 * @example
 * ```ts
 * const u = tf.random.uniform([1000], { minval: -1, maxval: 1, seed: 7 });
 * u.min().item() >= -1 && u.max().item() < 1 // → true
 * ```
 */
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
