// Argument handling shared by every op: plain values become tensors, variables become their snapshots,
// and a binary op's operands must agree on dtype (plain numbers adopt the tensor's dtype, as in TF).
import type { DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { readValue } from '../tensor/variable';
import { makeTensor, type TensorLike } from '../tensor/convert';

export function toTensor(op: string, x: TensorLike, dtype?: DType): Tensor {
  if (x instanceof Tensor) return readValue(x);
  if (x === undefined || x === null) throw new Error(`${op}: expected a tensor or a number, got ${x}`);
  return makeTensor(op, x, dtype);
}

export function binaryInputs(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const aIsTensor = a instanceof Tensor;
  const bIsTensor = b instanceof Tensor;
  const ta = aIsTensor ? readValue(a) : bIsTensor ? toTensor(op, a, (b as Tensor).dtype) : toTensor(op, a);
  const tb = bIsTensor ? readValue(b) : toTensor(op, b, ta.dtype);
  if (ta.dtype !== tb.dtype) {
    throw new Error(`${op}: dtype mismatch: ${ta.dtype} and ${tb.dtype} (cast one with tf.cast first)`);
  }
  return [ta, tb];
}

export function requireFloat(op: string, t: Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new Error(`${op}: expected a float32 or float64 tensor, got ${t.dtype}`);
  }
}
