// Fused ops for the training hot path. Each is one kernel pass forward, and its gradient (written with ops, so
// it can be differentiated again) stays beside it: bias-add + activation, the activation's backward step, and
// softmax cross-entropy from logits. Layers and losses pick them; users can call them as tf.nn ops too.
import { allocate, type FloatArray } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { activationGradKernel, biasActivationKernel, columnSumKernel, softmaxCrossEntropyGradKernel, softmaxCrossEntropyKernel, type FusedActivation } from '../kernels/fused';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { requireFloat, toTensor, binaryInputs } from './op_inputs';
import { mul, neg, sub } from './arithmetic';
import { reduceSum } from './reduction';
import { broadcastTo, expandDims } from './shape_ops';
import { logSoftmax, softmax } from './nn';

export type { FusedActivation };

const OP_NAMES: Record<FusedActivation, string> = {
  linear: 'BiasAdd', relu: 'BiasAddRelu', sigmoid: 'BiasAddSigmoid', tanh: 'BiasAddTanh',
};

export function isFusedActivation(name: string): name is FusedActivation {
  return name === 'linear' || name === 'relu' || name === 'sigmoid' || name === 'tanh';
}

type ActivationAttrs = { activation: FusedActivation };

const BIAS_ACTIVATION_GRAD: GradFn<ActivationAttrs> = (dy, needs, _inputs, out, { activation }) => {
  const dz = activation === 'linear' ? dy : activationGrad(dy, out, activation);
  return [needs[0] ? dz : null, needs[1] ? biasGrad(dz) : null];
};
const BIAS_GRAD_GRAD: GradFn = (g, _needs, [dz]) => [broadcastTo(g, dz.shape)];
const ACTIVATION_GRAD_GRAD: GradFn<ActivationAttrs> = (g, needs, [dy, y], _out, { activation }) => {
  const dDy = needs[0] ? activationGrad(g, y, activation) : null;
  let dY: Tensor | null = null;
  if (needs[1]) {
    // d/dy of dy·y(1-y) is dy(1-2y); of dy(1-y²) is -2y·dy; relu's and linear's derivative is flat
    if (activation === 'sigmoid') dY = mul(mul(g, dy), sub(1, mul(y, 2)));
    else if (activation === 'tanh') dY = mul(mul(g, dy), mul(y, -2));
  }
  return [dDy, dY];
};
const SOFTMAX_CROSS_ENTROPY_GRAD: GradFn = (dy, needs, [t, z]) => [
  needs[0] ? mul(expandDims(dy, -1), neg(logSoftmax(z))) : null,
  needs[1] ? softmaxCrossEntropyGrad(dy, t, z) : null,
];
const SOFTMAX_CROSS_ENTROPY_GRAD_GRAD: GradFn = (g, needs, [dy, labels, z]) => {
  const s = softmax(z);
  const scaled = mul(g, expandDims(dy, -1));
  return [
    needs[0] ? reduceSum(mul(g, sub(s, labels)), -1) : null,
    needs[1] ? neg(scaled) : null,
    needs[2] ? mul(sub(scaled, reduceSum(mul(scaled, s), -1, true)), s) : null,
  ];
};

/** act(x + bias), bias a vector along x's last axis, in one pass. */
export function biasActivation(x: TensorLike, bias: TensorLike, activation: FusedActivation = 'linear'): Tensor {
  const [t, b] = binaryInputs('biasActivation', x, bias);
  requireFloat('biasActivation', t);
  const cols = t.rank === 0 ? 0 : t.shape[t.rank - 1];
  if (t.rank === 0 || b.rank !== 1 || b.shape[0] !== cols) {
    throw new Error(`biasActivation: bias must be a vector as long as the last axis of x; got x ${formatShape(t.shape)} and bias ${formatShape(b.shape)}`);
  }
  const rows = cols === 0 ? 0 : t.size / cols;
  return runOp(OP_NAMES[activation], [t, b], () => {
    const o = allocate(t.dtype, t.size) as FloatArray;
    biasActivationKernel(t.dataSync() as FloatArray, b.dataSync() as FloatArray, o, rows, cols, activation);
    return new Tensor(o, t.shape.slice(), t.dtype);
  }, BIAS_ACTIVATION_GRAD, { activation });
}

/** Column sums of a gradient (every axis but the last), the bias's share of it. */
function biasGrad(dz: Tensor): Tensor {
  const cols = dz.shape[dz.rank - 1];
  const rows = cols === 0 ? 0 : dz.size / cols;
  return runOp('BiasAddGrad', [dz], () => {
    const o = allocate(dz.dtype, cols) as FloatArray;
    columnSumKernel(dz.dataSync() as FloatArray, o, rows, cols);
    return new Tensor(o, [cols], dz.dtype);
  }, BIAS_GRAD_GRAD);
}

/**
 * dy · act'(·) computed from the activation's output y (TF's ReluGrad / SigmoidGrad / TanhGrad). Its own
 * gradient covers both inputs, so second derivatives through fused layers stay exact.
 */
export function activationGrad(dy: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  return runOp(`${activation[0].toUpperCase()}${activation.slice(1)}Grad`, [dy, y], () => {
    const o = allocate(dy.dtype, dy.size) as FloatArray;
    activationGradKernel(dy.dataSync() as FloatArray, y.dataSync() as FloatArray, o, activation);
    return new Tensor(o, dy.shape.slice(), dy.dtype);
  }, ACTIVATION_GRAD_GRAD, { activation });
}

/**
 * Per-example cross-entropy of one-hot (or soft) labels against logits over the last axis (tf.nn.softmax_cross_entropy_with_logits → tf.nn.softmaxCrossEntropyWithLogits): [batch, classes] gives [batch]. One stable pass forward; the gradient is softmax(logits) - labels.
 * @throws Error naming both shapes when labels and logits differ.
 * @example
 * ```ts
 * tf.nn.softmaxCrossEntropyWithLogits([[0, 1]], [[0, 0]]) // → [0.693147]
 * ```
 */
export function softmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  const z = toTensor('softmaxCrossEntropyWithLogits', logits);
  requireFloat('softmaxCrossEntropyWithLogits', z);
  const t = toTensor('softmaxCrossEntropyWithLogits', labels, z.dtype);
  if (t.dtype !== z.dtype || z.rank === 0 || t.rank !== z.rank || t.shape.some((d, i) => d !== z.shape[i])) {
    throw new Error(`softmaxCrossEntropyWithLogits: labels ${formatShape(t.shape)} ${t.dtype} must match logits ${formatShape(z.shape)} ${z.dtype}`);
  }
  const cols = z.shape[z.rank - 1];
  const rows = cols === 0 ? 0 : z.size / cols;
  return runOp('SoftmaxCrossEntropyWithLogits', [t, z], () => {
    const o = allocate(z.dtype, rows) as FloatArray;
    softmaxCrossEntropyKernel(t.dataSync() as FloatArray, z.dataSync() as FloatArray, o, rows, cols, true);
    return new Tensor(o, z.shape.slice(0, -1), z.dtype);
  }, SOFTMAX_CROSS_ENTROPY_GRAD);
}

/** dy[..., None] · (softmax(z) - labels) in one pass; its gradient is written with ops for second order. */
function softmaxCrossEntropyGrad(dy: Tensor, labels: Tensor, z: Tensor): Tensor {
  const cols = z.shape[z.rank - 1];
  const rows = cols === 0 ? 0 : z.size / cols;
  return runOp('SoftmaxCrossEntropyGrad', [dy, labels, z], () => {
    const o = allocate(z.dtype, z.size) as FloatArray;
    softmaxCrossEntropyGradKernel(dy.dataSync() as FloatArray, labels.dataSync() as FloatArray, z.dataSync() as FloatArray, o, rows, cols, true);
    return new Tensor(o, z.shape.slice(), z.dtype);
  }, SOFTMAX_CROSS_ENTROPY_GRAD_GRAD);
}

/**
 * value + bias, with bias [channels] added along the last axis (tf.nn.bias_add → tf.nn.biasAdd); the bias gradient sums over the other axes.
 * @throws Error when bias is not 1-D or its size differs from value's last axis.
 * @example
 * ```ts
 * tf.nn.biasAdd([[1, 2], [3, 4]], [10, 20]) // → [[11, 22], [13, 24]]
 * ```
 */
export function biasAdd(value: TensorLike, bias: TensorLike): Tensor {
  return biasActivation(value, bias, 'linear');
}
