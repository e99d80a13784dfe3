// The shared shape of a new elementwise op: convert the argument, map a scalar kernel, record the gradient.
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import type { BinaryFn, UnaryFn } from '../kernels/elementwise';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { binaryInputs, toTensor } from './op_inputs';
import { binaryForward, unaryForward } from './arithmetic';

/** Runs `f` over every element of x as op `op`, with `grad` (null: not differentiable). */
export function unaryOp(op: string, name: string, x: TensorLike, f: UnaryFn, grad: GradFn | null): Tensor {
  const t = toTensor(name, x);
  return runOp(op, [t], () => unaryForward(t, f), grad);
}

/** Runs `f` over the broadcast pairs of a and b as op `op`. */
export function binaryOp(op: string, name: string, a: TensorLike, b: TensorLike, f: BinaryFn, grad: GradFn | null): Tensor {
  const [x, y] = binaryInputs(name, a, b);
  return runOp(op, [x, y], () => binaryForward(name, x, y, f), grad);
}
