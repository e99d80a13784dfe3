// Norms and norm clipping (tf.norm, tf.clip_by_norm, tf.clip_by_global_norm, tf.linalg.global_norm), written
// with ops so that gradients of every order follow from theirs.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { normalizeAxes } from '../shape/shape';
import { toTensor, requireFloat } from './op_inputs';
import { abs, add, div, maximum, minimum, mul, pow, sqrt, square } from './arithmetic';
import { reduceMax, reduceSum } from './reduction';
import { greater, where } from './comparison';
import { reshape } from './shape_ops';
import { onesLike } from './creation';

export type NormOrder = 'euclidean' | 'fro' | number;

/**
 * The vector norm of x (axis null: all of x as one vector; a number: along that axis) or, with a pair of axes,
 * the matrix norm (tf.norm). Orders: 'euclidean' (default; Frobenius for matrices), 'fro', 1, Infinity, and for
 * vectors any p > 0.
 * @param keepdims keep reduced axes with length 1 (default false)
 * @throws for the spectral matrix norm (ord 2 with two axes), which is not implemented
 * @example
 * tf.norm([3, 4]) // → 5
 * tf.norm([[1, -2], [3, 4]], 1, [-2, -1]) // → 6
 */
export function norm(x: TensorLike, ord: NormOrder = 'euclidean', axis: number | readonly number[] | null = null, keepdims = false): Tensor {
  const t = toTensor('norm', x);
  requireFloat('norm', t);
  const axes = axis === null ? null : normalizeAxes('norm', axis, t.rank);
  if (axes !== null && axes.length > 2) throw new Error(`norm: axis must be one axis or a pair of axes, got [${axes.join(', ')}]`);
  const matrix = axes !== null && axes.length === 2;
  let out: Tensor;
  if (ord === 'euclidean' || ord === 'fro' || (ord === 2 && !matrix)) {
    if (ord === 'fro' && !matrix) throw new Error("norm: ord 'fro' needs a pair of axes");
    out = sqrt(reduceSum(square(t), axes, true));
  } else if (matrix && (ord === 1 || ord === Infinity)) {
    // ord 1: the largest column sum; ord ∞: the largest row sum
    const [rowAxis, colAxis] = axes!;
    const sums = reduceSum(abs(t), ord === 1 ? rowAxis : colAxis, true);
    out = reduceMax(sums, ord === 1 ? colAxis : rowAxis, true);
  } else if (matrix) {
    throw new Error(`norm: matrix norm of order ${String(ord)} is not supported (use 'fro', 'euclidean', 1 or Infinity)`);
  } else if (ord === Infinity) {
    out = reduceMax(abs(t), axes, true);
  } else if (ord === 1) {
    out = reduceSum(abs(t), axes, true);
  } else if (typeof ord === 'number' && ord > 0) {
    out = pow(reduceSum(pow(abs(t), ord), axes, true), 1 / ord);
  } else {
    throw new Error(`norm: unsupported order ${String(ord)} (use 'euclidean', 'fro', 1, Infinity or a number > 0)`);
  }
  if (keepdims) return out;
  const reduced = axes ?? t.shape.map((_, i) => i);
  return reshape(out, t.shape.filter((_, i) => !reduced.includes(i)));
}

/**
 * Rescales t so its L2 norm (over `axes`, default all) is at most clipNorm (tf.clip_by_norm); a zero tensor
 * stays zero and has a finite gradient.
 * @example
 * tf.clipByNorm([3, 4], 1) // → [0.6, 0.8]
 */
export function clipByNorm(t: TensorLike, clipNorm: TensorLike, axes: number | readonly number[] | null = null): Tensor {
  const x = toTensor('clipByNorm', t);
  requireFloat('clipByNorm', x);
  const c = toTensor('clipByNorm', clipNorm, x.dtype);
  const l2sum = reduceSum(square(x), axes, true);
  const positive = greater(l2sum, 0);
  const l2norm = where(positive, sqrt(where(positive, l2sum, onesLike(l2sum))), l2sum);
  return div(mul(x, c), maximum(l2norm, c));
}

/**
 * sqrt(Σ ‖tᵢ‖²) over a list of tensors; nulls are skipped (tf.linalg.global_norm).
 * @example
 * tf.linalg.globalNorm([tf.constant([3]), tf.constant([4])]) // → 5
 */
export function globalNorm(tensors: readonly (TensorLike | null | undefined)[]): Tensor {
  const present = tensors.filter((t): t is TensorLike => t !== null && t !== undefined).map((t) => toTensor('globalNorm', t));
  if (present.length === 0) throw new Error('globalNorm: expected at least one tensor');
  return sqrt(present.map((t) => reduceSum(square(t))).reduce((a, b) => add(a, b)));
}

/**
 * Scales every tensor by clipNorm / max(globalNorm, clipNorm), so their global norm is at most clipNorm
 * (tf.clip_by_global_norm). Returns `[clipped, globalNorm]`; null entries (missing gradients) stay null.
 * @param useNorm a precomputed global norm (default: computed here)
 * @example
 * const [clipped, norm] = tf.clipByGlobalNorm([tf.constant([3]), tf.constant([4])], 1);
 * norm // → 5
 * clipped // → [[0.6], [0.8]]
 */
export function clipByGlobalNorm<T extends TensorLike | null | undefined>(tensors: readonly T[], clipNorm: number, useNorm?: Tensor): [(Tensor | null)[], Tensor] {
  if (!Array.isArray(tensors)) throw new Error('clipByGlobalNorm: expected a list of tensors');
  if (!(clipNorm > 0)) throw new Error(`clipByGlobalNorm: clipNorm must be > 0, got ${clipNorm}`);
  const total = useNorm ?? globalNorm(tensors);
  const scale = mul(minimum(div(1, total), 1 / clipNorm), clipNorm);
  const clipped = tensors.map((t) => (t === null || t === undefined ? null : mul(toTensor('clipByGlobalNorm', t), scale)));
  return [clipped, total];
}
