// Matrix product, batched over leading dimensions (which broadcast). The kernel reads transposed operands
// in place, so the backward pass never materialises a transpose.
import { allocate, type FloatArray } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { broadcastShapes, formatShape, sizeOf } from '../shape/shape';
import { matmul as matmulKernel } from '../kernels/matmul/matmul';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { binaryInputs, requireFloat } from './op_inputs';
import { sumToShape } from './arithmetic';
import { broadcastTo } from './shape_ops';

function matmulForward(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  const ra = a.rank, rb = b.rank;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) {
    throw new Error(`matmul: inner dimensions must match: ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} @ ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''} has ${k} ≠ ${kb}`);
  }
  const batchShape = broadcastShapes('matmul (batch dimensions)', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = sizeOf(batchShape);
  const outShape = [...batchShape, m, n];
  const out = allocate(a.dtype, batch * m * n) as FloatArray;
  const av = a.dataSync() as FloatArray;
  const bv = b.dataSync() as FloatArray;
  if (batch === 1) {
    // tensor storage is never written after creation, so the kernel may keep a large matrix resident
    matmulKernel(av, bv, out, m, k, n, transposeA, transposeB, true);
  } else {
    const aBatch = sizeOf(a.shape.slice(0, -2));
    const bBatch = sizeOf(b.shape.slice(0, -2));
    if ((aBatch !== batch && aBatch !== 1) || (bBatch !== batch && bBatch !== 1)) {
      throw new Error(`matmul: batch dimensions ${formatShape(a.shape.slice(0, -2))} and ${formatShape(b.shape.slice(0, -2))} must be equal or one of them absent`);
    }
    for (let i = 0; i < batch; i++) {
      const aOff = (aBatch === 1 ? 0 : i) * m * k;
      const bOff = (bBatch === 1 ? 0 : i) * k * n;
      matmulKernel(av.subarray(aOff, aOff + m * k), bv.subarray(bOff, bOff + k * n), out.subarray(i * m * n, (i + 1) * m * n), m, k, n, transposeA, transposeB);
    }
  }
  return new Tensor(out, outShape, a.dtype);
}

/**
 * The matrix product a @ b (tf.linalg.matmul, tf.matmul), with optional transposes of the last two axes; rank ≥ 2, and leading (batch) axes broadcast. [..., m, k] @ [..., k, n] gives [..., m, n].
 * @param transposeA Multiply by a's transpose (its last two axes swapped); default false.
 * @param transposeB Multiply by b's transpose; default false.
 * @throws Error naming both shapes when the inner dimensions differ, or a rank is below 2.
 * @example
 * ```ts
 * tf.matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]) // → [[19, 22], [43, 50]]
 * tf.matmul([[1, 2]], [[3, 4]], false, true) // → [[11]]
 * ```
 */
export function matmul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  const [x, y] = binaryInputs('matmul', a, b);
  requireFloat('matmul', x);
  if (x.rank < 2 || y.rank < 2) {
    throw new Error(`matmul: both operands need rank ≥ 2, got shapes ${formatShape(x.shape)} and ${formatShape(y.shape)} (use reshape or expandDims)`);
  }
  return runOp('MatMul', [x, y], () => matmulForward(x, y, transposeA, transposeB), MATMUL_GRAD, { transposeA, transposeB });
}

const MATMUL_GRAD: GradFn<{ transposeA: boolean; transposeB: boolean }> = (dy, needs, [x, y], _out, { transposeA, transposeB }) => {
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (needs[0]) {
    da = !transposeA ? matmul(dy, y, false, !transposeB) : matmul(y, dy, transposeB, true);
    da = reduceBatch(da, x.shape);
  }
  if (needs[1]) {
    db = !transposeB ? matmul(x, dy, !transposeA, false) : matmul(dy, x, true, transposeA);
    db = reduceBatch(db, y.shape);
  }
  return [da, db];
};

/** Sums the gradient over batch axes an operand was broadcast along. */
function reduceBatch(g: Tensor, shape: readonly number[]): Tensor {
  if (g.rank === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  return sumToShape(g.rank < shape.length ? broadcastTo(g, shape) : g, shape);
}
