// tf.pad in its three modes. CONSTANT places x inside a filled tensor (its gradient is a slice); REFLECT and
// SYMMETRIC are gathers along each padded axis, so their gradient folds the mirrored entries back.
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { toTensor } from './op_inputs';
import { add, sub } from './arithmetic';
import { gather, padInto } from './shape_ops';

export type PadMode = 'CONSTANT' | 'REFLECT' | 'SYMMETRIC' | 'constant' | 'reflect' | 'symmetric';

function mirrorIndex(i: number, n: number, symmetric: boolean): number {
  if (i >= 0 && i < n) return i;
  if (i < 0) return symmetric ? -i - 1 : -i;
  return symmetric ? 2 * n - i - 1 : 2 * n - i - 2;
}

/**
 * Pads x by paddings[axis] = [before, after] (tf.pad). Modes: 'CONSTANT' (with constantValues, default 0),
 * 'REFLECT' (mirror without the edge; pads < the axis length) and 'SYMMETRIC' (mirror with the edge; pads ≤ it).
 * @throws when paddings do not give one non-negative pair per axis, or a mirror pad is too wide
 * @example
 * tf.pad([[1, 2], [3, 4]], [[1, 0], [0, 1]]) // → [[0, 0, 0], [1, 2, 0], [3, 4, 0]]
 * tf.pad([1, 2, 3], [[2, 1]], 'REFLECT') // → [3, 2, 1, 2, 3, 2]
 */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number] | readonly number[])[], mode: PadMode | number = 'CONSTANT', constantValues = 0): Tensor {
  const t = toTensor('pad', x);
  // TF.js's pad(x, paddings, constantValue)
  if (typeof mode === 'number') { constantValues = mode; mode = 'CONSTANT'; }
  const kind = String(mode).toUpperCase();
  if (!Array.isArray(paddings) || paddings.length !== t.rank || paddings.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`pad: paddings must be ${t.rank} pairs [before, after] of non-negative integers for shape ${formatShape(t.shape)}, got ${JSON.stringify(paddings)}`);
  }
  if (kind === 'CONSTANT') {
    const shape = t.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const begin = paddings.map((p) => p[0]);
    return constantValues === 0 ? padInto(t, begin, shape) : add(padInto(sub(t, constantValues), begin, shape), constantValues);
  }
  if (kind !== 'REFLECT' && kind !== 'SYMMETRIC') throw new Error(`pad: mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', got '${String(mode)}'`);
  const symmetric = kind === 'SYMMETRIC';
  let out = t;
  paddings.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const n = t.shape[axis];
    const limit = symmetric ? n : n - 1;
    if (before > limit || after > limit) throw new Error(`pad: ${kind} padding of [${before}, ${after}] on axis ${axis} of length ${n} must be ${symmetric ? '≤' : '<'} ${n}`);
    const index = Array.from({ length: n + before + after }, (_, k) => mirrorIndex(k - before, n, symmetric));
    out = gather(out, index, axis);
  });
  return out;
}
