// tf.shape, tf.size, tf.rank: a tensor's static facts as int32 tensors, as TF returns them.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { toTensor } from '../ops/op_inputs';

/**
 * The shape of x as a 1-D int32 tensor (tf.shape).
 * @example
 * tf.shape(tf.zeros([2, 3])) // → [2, 3]
 */
export function shape(x: TensorLike): Tensor {
  const t = toTensor('shape', x);
  return new Tensor(Int32Array.from(t.shape), [t.rank], 'int32');
}

/**
 * The number of elements of x as an int32 scalar (tf.size).
 * @example
 * tf.size(tf.zeros([2, 3])) // → 6
 */
export function size(x: TensorLike): Tensor {
  return new Tensor(Int32Array.of(toTensor('size', x).size), [], 'int32');
}

/**
 * The number of axes of x as an int32 scalar (tf.rank).
 * @example
 * tf.rank(tf.zeros([2, 3])) // → 2
 */
export function rank(x: TensorLike): Tensor {
  return new Tensor(Int32Array.of(toTensor('rank', x).rank), [], 'int32');
}
