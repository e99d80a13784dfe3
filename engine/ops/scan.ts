// Cumulative sums and products along an axis (tf.math.cumsum, tf.math.cumprod), beside their gradients.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { allocate } from '../tensor/dtype';
import { normalizeAxis, sizeOf } from '../shape/shape';
import { scanKernel } from '../kernels/scan';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { toTensor } from './op_inputs';
import { div, mul } from './arithmetic';

interface ScanAttrs { axis: number; exclusive: boolean; reverse: boolean }

const CUMSUM_GRAD: GradFn<ScanAttrs> = (dy, _needs, _inputs, _out, { axis, exclusive, reverse }) => [cumsum(dy, axis, exclusive, !reverse)];
/** TF's formulation: exact where x has no zeros. */
const CUMPROD_GRAD: GradFn<ScanAttrs> = (dy, _needs, [x], out, { axis, exclusive, reverse }) => [div(cumsum(mul(dy, out), axis, exclusive, !reverse), x)];

function scan(op: string, name: string, x: TensorLike, axis: number, exclusive: boolean, reverse: boolean, product: boolean): Tensor {
  const t = toTensor(name, x);
  if (t.rank === 0) throw new Error(`${name}: expected a tensor of rank ≥ 1, got a scalar`);
  const a = normalizeAxis(name, axis, t.rank);
  const outer = sizeOf(t.shape.slice(0, a));
  const inner = sizeOf(t.shape.slice(a + 1));
  const forward = () => {
    const out = allocate(t.dtype, t.size);
    scanKernel(t.dataSync(), out, outer, t.shape[a], inner, product, exclusive, reverse);
    return new Tensor(out, t.shape.slice(), t.dtype);
  };
  return runOp(op, [t], forward, product ? CUMPROD_GRAD : CUMSUM_GRAD, { axis: a, exclusive, reverse });
}

/**
 * Cumulative sum along `axis` (tf.math.cumsum).
 * @param x a tensor of rank ≥ 1
 * @param axis the axis to scan (default 0; negative counts from the end)
 * @param exclusive start from 0 so element i sums the elements before it (default false)
 * @param reverse scan from the end of the axis (default false)
 * @throws when x is a scalar or the axis is out of range
 * @example
 * tf.math.cumsum([1, 2, 3]) // → [1, 3, 6]
 */
export function cumsum(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  return scan('Cumsum', 'cumsum', x, axis, exclusive, reverse, false);
}

/**
 * Cumulative product along `axis` (tf.math.cumprod); options as cumsum. Its gradient divides by x, as TF's does.
 * @example
 * tf.math.cumprod([1, 2, 3]) // → [1, 2, 6]
 */
export function cumprod(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  return scan('Cumprod', 'cumprod', x, axis, exclusive, reverse, true);
}
