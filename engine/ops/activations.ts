// Activation functions (tf.tanh, tf.sigmoid, tf.nn.relu, ...), forward kernels beside their module-level gradients.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { runOp } from '../tape/op_runner';
import { withScalarRule, type GradFn } from '../tape/tape_node';
import type { UnaryFn } from '../kernels/elementwise';
import { toTensor } from './op_inputs';
import { unaryForward, mul, square, exp, add } from './arithmetic';
import { cast, greater, where } from './comparison';
import { fill, onesLike } from './creation';
import { erf } from './special_math';
import { activationGrad } from './fused';
import { tanhKernel } from '../kernels/elementwise/tanh';
import { allocate } from '../tensor/dtype';

/** Scalars as unaryForward makes them; arrays through tanhKernel (WASM SIMD for large float64 ones). */
const TANH_FORWARD = ([x]: Tensor[]): Tensor => {
  if (x.shape.length === 0) return unaryForward(x, Math.tanh);
  const out = allocate(x.dtype, x.size);
  tanhKernel(x.dataSync(), out);
  return new Tensor(out, x.shape.slice(), x.dtype);
};
const SIGMOID: UnaryFn = (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
const RELU: UnaryFn = (v) => (v > 0 ? v : 0);
const ELU: UnaryFn = (v) => (v > 0 ? v : Math.expm1(v));
const SOFTPLUS: UnaryFn = (v) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const SELU: UnaryFn = (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v));
// One fused pass from the output (TF's TanhGrad / SigmoidGrad), whose own gradient reuses the output too, so a
// second-order pass (Hessian-vector products) recomputes nothing of the forward pass. The scalar rules round
// exactly as activationGradKernel does, so the scalar tape's backward stays bit-identical to the tensor pass.
const TANH_GRAD = withScalarRule((dy, _needs, _inputs, out) => [activationGrad(dy, out, 'tanh')],
  (r, dy, _x, _y, out, g) => { g[0] = r(dy * r(1 - r(out * out))); });
const SIGMOID_GRAD = withScalarRule((dy, _needs, _inputs, out) => [activationGrad(dy, out, 'sigmoid')],
  (r, dy, _x, _y, out, g) => { g[0] = r(dy * out * (1 - out)); });
const RELU_GRAD = withScalarRule((dy, _needs, [t]) => [mul(dy, cast(greater(t, 0), dy.dtype))],
  (r, dy, x, _y, _out, g) => { g[0] = r(dy * (x > 0 ? 1 : 0)); });
const ELU_GRAD: GradFn = (dy, _needs, [t]) => [mul(dy, where(greater(t, 0), 1, exp(t)))];
const SOFTPLUS_GRAD: GradFn = (dy, _needs, [t]) => [mul(dy, sigmoid(t))];
const LEAKY_RELU_GRAD: GradFn<{ alpha: number }> = (dy, _needs, [t], _out, { alpha }) => [mul(dy, where(greater(t, 0), onesLike(t), fill(t.shape, alpha, t.dtype)))];
const SELU_GRAD: GradFn = (dy, _needs, [t]) => [mul(dy, where(greater(t, 0), SELU_SCALE, mul(exp(t), SELU_SCALE * SELU_ALPHA)))];

/**
 * Hyperbolic tangent, elementwise (tf.tanh, tf.nn.tanh); its gradient is 1 - tanh²(x).
 * @example
 * ```ts
 * tf.tanh([0, 1]) // → [0, 0.761594]
 * ```
 */
export function tanh(x: TensorLike): Tensor {
  return runOp('Tanh', [toTensor('tanh', x)], TANH_FORWARD, TANH_GRAD);
}

/**
 * The logistic function 1 / (1 + e⁻ˣ), elementwise (tf.sigmoid, tf.nn.sigmoid); its gradient is σ(x)(1 - σ(x)).
 * @example
 * ```ts
 * tf.sigmoid([0, 2]) // → [0.5, 0.880797]
 * ```
 */
export function sigmoid(x: TensorLike): Tensor {
  const t = toTensor('sigmoid', x);
  return runOp('Sigmoid', [t], () => unaryForward(t, SIGMOID), SIGMOID_GRAD);
}

/**
 * max(x, 0), elementwise (tf.nn.relu); the gradient is 1 where x > 0 and 0 elsewhere (0 at x = 0, as TF).
 * @example
 * ```ts
 * tf.nn.relu([-1, 0, 2]) // → [0, 0, 2]
 * ```
 */
export function relu(x: TensorLike): Tensor {
  const t = toTensor('relu', x);
  return runOp('Relu', [t], () => unaryForward(t, RELU), RELU_GRAD);
}

/**
 * Exponential linear unit (tf.nn.elu): x for x > 0, eˣ - 1 otherwise.
 * @example
 * ```ts
 * tf.nn.elu([-1, 2]) // → [-0.632121, 2]
 * ```
 */
export function elu(x: TensorLike): Tensor {
  const t = toTensor('elu', x);
  return runOp('Elu', [t], () => unaryForward(t, ELU), ELU_GRAD);
}

/**
 * log(1 + eˣ), elementwise and stable for large |x| (tf.nn.softplus); its gradient is sigmoid(x).
 * @example
 * ```ts
 * tf.nn.softplus([0, 100]) // → [0.693147, 100]
 * ```
 */
export function softplus(x: TensorLike): Tensor {
  const t = toTensor('softplus', x);
  return runOp('Softplus', [t], () => unaryForward(t, SOFTPLUS), SOFTPLUS_GRAD);
}

/**
 * x for x > 0, alpha · x otherwise (tf.nn.leaky_relu → tf.nn.leakyRelu); alpha defaults to 0.2 as in TF.
 * @example
 * ```ts
 * tf.nn.leakyRelu([-10, 5]) // → [-2, 5]
 * tf.nn.leakyRelu([-10], 0.01) // → [-0.1]
 * ```
 */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = toTensor('leakyRelu', x);
  return runOp('LeakyRelu', [t], () => unaryForward(t, (v) => (v > 0 ? v : alpha * v)), LEAKY_RELU_GRAD, { alpha });
}

/**
 * Scaled exponential linear unit (tf.nn.selu): scale · elu with TF's constants (scale 1.0507, alpha 1.67326).
 * @example
 * ```ts
 * tf.nn.selu([1, -1]) // → [1.050701, -1.111331]
 * ```
 */
export function selu(x: TensorLike): Tensor {
  const t = toTensor('selu', x);
  return runOp('Selu', [t], () => unaryForward(t, SELU), SELU_GRAD);
}

/**
 * x · sigmoid(x), elementwise (tf.nn.swish, also tf.nn.silu).
 * @example
 * ```ts
 * tf.nn.swish([0, 1]) // → [0, 0.731059]
 * ```
 */
export function swish(x: TensorLike): Tensor {
  const t = toTensor('swish', x);
  return mul(t, sigmoid(t));
}

/**
 * Gaussian error linear unit (tf.nn.gelu): x·Φ(x) with the exact normal CDF by default (TF's approximate=False),
 * or the tanh approximation with `approximate = true`. Composed of ops, so it differentiates to any order.
 * @example
 * tf.nn.gelu([-1, 0, 1]) // → [-0.1587, 0, 0.8413]
 */
export function gelu(x: TensorLike, approximate = false): Tensor {
  const t = toTensor('gelu', x);
  if (!approximate) return mul(mul(t, 0.5), add(1, erf(mul(t, Math.SQRT1_2))));
  const inner = mul(add(t, mul(mul(t, square(t)), 0.044715)), Math.sqrt(2 / Math.PI));
  return mul(mul(t, 0.5), add(1, tanh(inner)));
}
