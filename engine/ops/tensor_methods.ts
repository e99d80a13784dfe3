// Chainable methods (x.mul(w).add(b)): each is the tf.* op with `this` as its first argument. One table lists
// them; the Tensor interface's method types are derived from it, so a new op needs one line here to chain.
import { Tensor } from '../tensor/tensor';
import * as arithmetic from './arithmetic';
import * as activations from './activations';
import * as reduction from './reduction';
import * as shapeOps from './shape_ops';
import * as comparison from './comparison';
import * as nn from './nn';
import { matmul } from './matmul';
import * as conv from './conv';
import * as pooling from './pooling';
import { batchNormalization } from './normalization';

/** The tf.* ops Tensor has as methods: `x.add(y)` is `tf.add(x, y)`. */
const METHODS = {
  add: arithmetic.add,
  sub: arithmetic.sub,
  mul: arithmetic.mul,
  div: arithmetic.div,
  pow: arithmetic.pow,
  maximum: arithmetic.maximum,
  minimum: arithmetic.minimum,
  neg: arithmetic.neg,
  square: arithmetic.square,
  sqrt: arithmetic.sqrt,
  exp: arithmetic.exp,
  log: arithmetic.log,
  abs: arithmetic.abs,
  sin: arithmetic.sin,
  cos: arithmetic.cos,
  tanh: activations.tanh,
  sigmoid: activations.sigmoid,
  relu: activations.relu,
  softmax: nn.softmax,
  logSoftmax: nn.logSoftmax,
  matmul,
  reduceSum: reduction.reduceSum,
  reduceMean: reduction.reduceMean,
  reduceMax: reduction.reduceMax,
  reduceMin: reduction.reduceMin,
  sum: reduction.reduceSum,
  mean: reduction.reduceMean,
  max: reduction.reduceMax,
  min: reduction.reduceMin,
  argmax: reduction.argmax,
  argmin: reduction.argmin,
  reshape: shapeOps.reshape,
  /** The values as a 1-D tensor, `x.reshape([-1])` (tfjs's flatten). */
  flatten: (x: Tensor): Tensor => shapeOps.reshape(x, [-1]),
  transpose: shapeOps.transpose,
  expandDims: shapeOps.expandDims,
  squeeze: shapeOps.squeeze,
  slice: shapeOps.slice,
  gather: shapeOps.gather,
  cast: comparison.cast,
  equal: comparison.equal,
  notEqual: comparison.notEqual,
  less: comparison.less,
  lessEqual: comparison.lessEqual,
  greater: comparison.greater,
  greaterEqual: comparison.greaterEqual,
  clipByValue: nn.clipByValue,
  // sliding windows and normalisation under TF.js's method names (x.conv2d(filter, strides, pad), x.maxPool(…))
  conv1d: conv.conv1d,
  conv2d: conv.conv2d,
  conv2dTranspose: conv.conv2dTranspose,
  depthwiseConv2d: conv.depthwiseConv2d,
  maxPool: pooling.maxPool2d,
  avgPool: pooling.avgPool2d,
  batchNorm: batchNormalization,
};

/** An op's signature without its first (tensor) argument. */
type AsMethod<F> = F extends (x: never, ...rest: infer Rest) => infer Out ? (...rest: Rest) => Out : never;
/** Tensor's op methods, typed from METHODS. */
export type TensorMethods = { [K in keyof typeof METHODS]: AsMethod<(typeof METHODS)[K]> };

declare module '../tensor/tensor' {
  /** Chainable ops: each tf.* op in METHODS with the tensor as its first argument (`x.mul(w).add(b)`). */
  interface Tensor extends TensorMethods {}
}

/** No method passes more than five arguments after the tensor; a fixed arity keeps the call free of rest arrays. */
type MethodOp = (x: Tensor, a: never, b: never, c: never, d: never, e: never) => unknown;

for (const name of Object.keys(METHODS) as (keyof typeof METHODS)[]) {
  const op: MethodOp = METHODS[name];
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor, a: never, b: never, c: never, d: never, e: never) { return op(this, a, b, c, d, e); },
    writable: true,
    configurable: true,
  });
}
