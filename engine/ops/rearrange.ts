// Reordering and repeating entries: reverse, repeat (gathers, so their gradients scatter back), meshgrid
// (broadcasts), and sequenceMask (a bool mask from lengths; not differentiable).
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { allocate, type DType } from '../tensor/dtype';
import { formatShape, normalizeAxes, normalizeAxis } from '../shape/shape';
import { runOp } from '../tape/op_runner';
import { toTensor } from './op_inputs';
import { broadcastTo, gather, reshape } from './shape_ops';
import { readsIndices } from './gather_scatter';

/**
 * x with the order of entries reversed along each of `axis` (tf.reverse).
 * @example
 * tf.reverse([[1, 2], [3, 4]], [1]) // → [[2, 1], [4, 3]]
 */
export function reverse(x: TensorLike, axis: number | readonly number[]): Tensor {
  const t = toTensor('reverse', x);
  let out = t;
  for (const a of normalizeAxes('reverse', axis, t.rank)) {
    const n = t.shape[a];
    out = gather(out, Array.from({ length: n }, (_, i) => n - 1 - i), a);
  }
  return out;
}

/**
 * Repeats each entry along `axis` (tf.repeat); without an axis, x is flattened first.
 * @param repeats one count for every entry, or a count per entry along the axis
 * @throws when there is one count per entry but the wrong number of them, or a count is negative
 * @example
 * tf.repeat([1, 2], 2) // → [1, 1, 2, 2]
 * tf.repeat([[1, 2], [3, 4]], [1, 2], 0) // → [[1, 2], [3, 4], [3, 4]]
 */
export function repeat(x: TensorLike, repeats: number | readonly number[], axis?: number): Tensor {
  let t = toTensor('repeat', x);
  if (axis === undefined) t = reshape(t, [-1]);
  const a = normalizeAxis('repeat', axis ?? 0, t.rank);
  const n = t.shape[a];
  const list = typeof repeats === 'number' ? [repeats] : [...repeats];
  const counts = list.length === 1 ? new Array<number>(n).fill(list[0]) : list;
  if (counts.length !== n || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new Error(`repeat: repeats must be one non-negative integer or ${n} of them (axis ${a} of shape ${formatShape(t.shape)}), got ${JSON.stringify(repeats)}`);
  }
  return gather(t, counts.flatMap((c, i) => new Array<number>(c).fill(i)), a);
}

/**
 * A mask [..., maxlen] that is true where the position is below each length (tf.sequence_mask).
 * @param maxlen the mask's last dimension (default: the largest length)
 * @param dtype the result's dtype (default 'bool')
 * @example
 * tf.sequenceMask([1, 3], 4) // → [[true, false, false, false], [true, true, true, false]]
 */
export function sequenceMask(lengths: TensorLike, maxlen?: number, dtype: DType = 'bool'): Tensor {
  // without maxlen the mask's width is the largest length: a value, so a traced graph keys on it
  const l = maxlen === undefined ? readsIndices(toTensor('sequenceMask', lengths, 'int32')) : toTensor('sequenceMask', lengths, 'int32');
  const width = maxlen ?? Array.from(l.dataSync()).reduce((m, v) => Math.max(m, v), 0);
  if (!Number.isInteger(width) || width < 0) throw new Error(`sequenceMask: maxlen must be a non-negative integer, got ${width}`);
  return runOp('SequenceMask', [l], () => {
    const src = l.dataSync();
    const out = allocate(dtype, src.length * width);
    for (let r = 0; r < src.length; r++) for (let j = 0; j < width; j++) out[r * width + j] = j < src[r] ? 1 : 0;
    return new Tensor(out, [...l.shape, width], dtype);
  }, null, { maxlen: width });
}

/** Options of tf.meshgrid, given after the vectors. */
export interface MeshgridOptions {
  /** 'xy' (Cartesian, the default) or 'ij' (matrix indexing). */
  indexing?: 'xy' | 'ij';
}

/**
 * Coordinate grids from 1-D tensors (tf.meshgrid). 'xy' indexing (default) gives shapes [len(y), len(x), ...];
 * 'ij' gives [len(x), len(y), ...].
 * @example
 * const [X, Y] = tf.meshgrid([1, 2, 3], [4, 5]);
 * X // → [[1, 2, 3], [1, 2, 3]]
 * Y // → [[4, 4, 4], [5, 5, 5]]
 */
export function meshgrid(...args: (TensorLike | MeshgridOptions)[]): Tensor[] {
  const last = args[args.length - 1];
  const options = last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof Tensor) && !ArrayBuffer.isView(last)
    ? (args.pop() as MeshgridOptions) : {};
  const indexing = options.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw new Error(`meshgrid: indexing must be 'xy' or 'ij', got '${String(indexing)}'`);
  const vectors = (args as TensorLike[]).map((a) => reshape(toTensor('meshgrid', a), [-1]));
  const shape = vectors.map((v) => v.shape[0]);
  if (indexing === 'xy' && shape.length >= 2) [shape[0], shape[1]] = [shape[1], shape[0]];
  return vectors.map((v, i) => {
    const at = indexing === 'xy' && i < 2 && vectors.length >= 2 ? 1 - i : i;
    const unit = shape.map((d, k) => (k === at ? d : 1));
    return broadcastTo(reshape(v, unit), shape);
  });
}
