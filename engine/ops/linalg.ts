// tf.linalg: inverse, determinant and solve (own kernels, LU with partial pivoting) beside their gradients,
// and matvec, bandPart, diag, diagPart, trace, tensordot written with ops. Matrix ops batch over leading axes.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { allocate, type FloatArray } from '../tensor/dtype';
import { formatShape, normalizeAxis, shapesEqual, sizeOf } from '../shape/shape';
import { determinantOf, luDecompose, luSolve } from '../kernels/linalg';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { binaryInputs, toTensor, requireFloat } from './op_inputs';
import { mul, neg } from './arithmetic';
import { matmul } from './matmul';
import { reduceSum } from './reduction';
import { expandDims, gather, reshape, squeeze, transpose } from './shape_ops';
import { eye } from './creation';
import { constant } from './creation';

function requireSquare(op: string, t: Tensor): number {
  requireFloat(op, t);
  const n = t.shape[t.rank - 1];
  if (t.rank < 2 || t.shape[t.rank - 2] !== n) throw new Error(`${op}: expected square matrices [..., n, n], got shape ${formatShape(t.shape)}`);
  return n;
}

/**
 * Swaps the last two axes (tf.linalg.matrix_transpose).
 * @example
 * tf.linalg.matrixTranspose([[1, 2, 3]]) // → [[1], [2], [3]]
 */
export function matrixTranspose(x: TensorLike): Tensor {
  const t = toTensor('matrixTranspose', x);
  if (t.rank < 2) throw new Error(`matrixTranspose: expected rank ≥ 2, got shape ${formatShape(t.shape)}`);
  const perm = t.shape.map((_, i) => i);
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1], perm[t.rank - 2]];
  return transpose(t, perm);
}

/** Each n×n matrix of a batch transposed (plain data, for solve's adjoint inside its kernel call). */
function transposedMatrices(src: ArrayLike<number>, batch: number, n: number): Float64Array {
  const out = new Float64Array(batch * n * n);
  for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[b * n * n + j * n + i] = src[b * n * n + i * n + j];
  return out;
}

function singular(op: string, shape: readonly number[], index: number): Error {
  return new Error(`${op}: matrix ${index} of the batch (shape ${formatShape(shape)}) is singular (not invertible)`);
}

const INV_GRAD: GradFn = (dy, _needs, _inputs, out) => [neg(matmul(matmul(out, dy, true, false), out, false, true))];
const DET_GRAD: GradFn = (dy, _needs, [a], out) => [mul(expandDims(expandDims(mul(dy, out), -1), -1), matrixTranspose(inv(a)))];
/** A·X = B: dB = A⁻ᵀ·dy, dA = -dB·Xᵀ (with adjoint, Aᵀ·X = B: dB = A⁻¹·dy, dA = -X·dBᵀ). */
const SOLVE_GRAD: GradFn<{ adjoint: boolean }> = (dy, needs, [a], out, { adjoint }) => {
  const gb = solve(a, dy, !adjoint);
  const ga = needs[0] ? neg(adjoint ? matmul(out, gb, false, true) : matmul(gb, out, false, true)) : null;
  return [ga, gb];
};

/**
 * The inverse of each square matrix (tf.linalg.inv). Gradient: -A⁻ᵀ · dy · A⁻ᵀ.
 * @param x float [..., n, n]
 * @throws when a matrix is singular or not square
 * @example
 * tf.linalg.inv([[2, 0], [0, 4]]) // → [[0.5, 0], [0, 0.25]]
 */
export function inv(x: TensorLike): Tensor {
  const a = toTensor('inv', x);
  const n = requireSquare('inv', a);
  const batch = sizeOf(a.shape.slice(0, -2));
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  return runOp('MatrixInverse', [a], () => {
    const values = allocate(a.dtype, a.size) as FloatArray;
    const src = a.dataSync();
    for (let b = 0; b < batch; b++) {
      const f = luDecompose(src, b * n * n, n);
      if (!f.invertible) throw singular('inv', a.shape, b);
      luSolve(f, n, identity, 0, n, values, b * n * n);
    }
    return new Tensor(values, a.shape.slice(), a.dtype);
  }, INV_GRAD);
}

/**
 * The determinant of each square matrix (tf.linalg.det). Gradient: dy · det(A) · A⁻ᵀ.
 * @param x float [..., n, n]; the result has shape [...]
 * @example
 * tf.linalg.det([[1, 2], [3, 4]]) // → -2
 */
export function det(x: TensorLike): Tensor {
  const a = toTensor('det', x);
  const n = requireSquare('det', a);
  const batchShape = a.shape.slice(0, -2);
  return runOp('MatrixDeterminant', [a], () => {
    const values = allocate(a.dtype, sizeOf(batchShape));
    const src = a.dataSync();
    for (let b = 0; b < values.length; b++) values[b] = determinantOf(luDecompose(src, b * n * n, n), n);
    return new Tensor(values, batchShape, a.dtype);
  }, DET_GRAD);
}

/**
 * Solves A · X = B for X, for each matrix of the batch (tf.linalg.solve); with adjoint, solves Aᵀ · X = B.
 * @param matrix float [..., n, n]
 * @param rhs float [..., n, k], with the same batch shape
 * @throws when a matrix is singular, or the shapes do not fit
 * @example
 * tf.linalg.solve([[2, 0], [0, 4]], [[2], [8]]) // → [[1], [2]]
 */
export function solve(matrix: TensorLike, rhs: TensorLike, adjoint = false): Tensor {
  const [a, b] = binaryInputs('solve', matrix, rhs);
  const n = requireSquare('solve', a);
  if (b.rank !== a.rank || b.shape[b.rank - 2] !== n || !shapesEqual(a.shape.slice(0, -2), b.shape.slice(0, -2))) {
    throw new Error(`solve: rhs must be [..., ${n}, k] with the matrix's batch shape; got matrix ${formatShape(a.shape)} and rhs ${formatShape(b.shape)}`);
  }
  const k = b.shape[b.rank - 1];
  const batch = sizeOf(a.shape.slice(0, -2));
  return runOp('MatrixSolve', [a, b], () => {
    const values = allocate(a.dtype, b.size) as FloatArray;
    const src = adjoint ? transposedMatrices(a.dataSync(), batch, n) : a.dataSync();
    const rv = b.dataSync();
    for (let i = 0; i < batch; i++) {
      const f = luDecompose(src, i * n * n, n);
      if (!f.invertible) throw singular('solve', a.shape, i);
      luSolve(f, n, rv, i * n * k, k, values, i * n * k);
    }
    return new Tensor(values, b.shape.slice(), a.dtype);
  }, SOLVE_GRAD, { adjoint });
}

/**
 * Matrix times vector, batched (tf.linalg.matvec): a [..., m, n] · b [..., n] → [..., m].
 * @example
 * tf.linalg.matvec([[1, 2], [3, 4]], [1, 1]) // → [3, 7]
 */
export function matvec(a: TensorLike, b: TensorLike, transposeA = false): Tensor {
  return squeeze(matmul(a, expandDims(toTensor('matvec', b), -1), transposeA), -1);
}

/**
 * Keeps a band of each matrix: entries with i - j ≤ numLower and j - i ≤ numUpper (-1: keep the whole
 * triangle), zeros elsewhere (tf.linalg.band_part). bandPart(x, -1, 0) is the lower triangle.
 * @example
 * tf.linalg.bandPart([[1, 2], [3, 4]], 0, -1) // → [[1, 2], [0, 4]]
 */
export function bandPart(x: TensorLike, numLower: number, numUpper: number): Tensor {
  const t = toTensor('bandPart', x);
  if (t.rank < 2) throw new Error(`bandPart: expected rank ≥ 2, got shape ${formatShape(t.shape)}`);
  const m = t.shape[t.rank - 2], n = t.shape[t.rank - 1];
  const mask = allocate(t.dtype, m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) mask[i * n + j] = (numLower < 0 || i - j <= numLower) && (numUpper < 0 || j - i <= numUpper) ? 1 : 0;
  }
  return mul(t, new Tensor(mask, [m, n], t.dtype));
}

/**
 * A batch of diagonal matrices with the given diagonals (tf.linalg.diag): [..., n] → [..., n, n].
 * @example
 * tf.linalg.diag([1, 2]) // → [[1, 0], [0, 2]]
 */
export function diag(diagonal: TensorLike): Tensor {
  const d = toTensor('diag', diagonal);
  if (d.rank < 1) throw new Error('diag: expected a tensor of rank ≥ 1, got a scalar');
  const n = d.shape[d.rank - 1];
  return mul(expandDims(d, -1), eye(n, n, d.dtype));
}

/**
 * The main diagonal of each matrix (tf.linalg.diag_part): [..., m, n] → [..., min(m, n)].
 * @example
 * tf.linalg.diagPart([[1, 2], [3, 4]]) // → [1, 4]
 */
export function diagPart(x: TensorLike): Tensor {
  const t = toTensor('diagPart', x);
  if (t.rank < 2) throw new Error(`diagPart: expected rank ≥ 2, got shape ${formatShape(t.shape)}`);
  const m = t.shape[t.rank - 2], n = t.shape[t.rank - 1];
  const positions = Array.from({ length: Math.min(m, n) }, (_, i) => i * n + i);
  return gather(reshape(t, [...t.shape.slice(0, -2), m * n]), positions, t.rank - 2);
}

/**
 * The sum of each matrix's diagonal (tf.linalg.trace): [..., m, n] → [...].
 * @example
 * tf.linalg.trace([[1, 2], [3, 4]]) // → 5
 */
export function trace(x: TensorLike): Tensor {
  return reduceSum(diagPart(x), -1);
}

/**
 * Contracts a and b over the given axes (tf.tensordot): `axes` = N contracts the last N axes of a with the
 * first N of b; `[axesA, axesB]` pairs them explicitly. Result: a's free axes, then b's.
 * @throws when the paired axes differ in length
 * @example
 * tf.tensordot([[1, 2], [3, 4]], [1, 1], 1) // → [3, 7]
 */
export function tensordot(a: TensorLike, b: TensorLike, axes: number | readonly [number | readonly number[], number | readonly number[]]): Tensor {
  const [x, y] = binaryInputs('tensordot', a, b);
  let ax: number[], bx: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > x.rank || axes > y.rank) throw new Error(`tensordot: cannot contract ${axes} axes of shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
    ax = Array.from({ length: axes }, (_, i) => x.rank - axes + i);
    bx = Array.from({ length: axes }, (_, i) => i);
  } else {
    const [pa, pb] = axes;
    ax = (typeof pa === 'number' ? [pa] : [...pa]).map((v) => normalizeAxis('tensordot', v, x.rank));
    bx = (typeof pb === 'number' ? [pb] : [...pb]).map((v) => normalizeAxis('tensordot', v, y.rank));
  }
  if (ax.length !== bx.length || ax.some((v, i) => x.shape[v] !== y.shape[bx[i]])) {
    throw new Error(`tensordot: axes [${ax}] of ${formatShape(x.shape)} and [${bx}] of ${formatShape(y.shape)} do not pair up`);
  }
  const freeA = x.shape.map((_, i) => i).filter((i) => !ax.includes(i));
  const freeB = y.shape.map((_, i) => i).filter((i) => !bx.includes(i));
  const contracted = sizeOf(ax.map((i) => x.shape[i]));
  const lhs = reshape(transpose(x, [...freeA, ...ax]), [sizeOf(freeA.map((i) => x.shape[i])), contracted]);
  const rhs = reshape(transpose(y, [...bx, ...freeB]), [contracted, sizeOf(freeB.map((i) => y.shape[i]))]);
  return reshape(matmul(lhs, rhs), [...freeA.map((i) => x.shape[i]), ...freeB.map((i) => y.shape[i])]);
}

