// Tapescope's engine: the public API as the namespace `tf` (named and default export), which cells see as
// the global `tf`. TF Python names are camelCased (tf.reduce_sum → tf.reduceSum, tf.one_hot → tf.oneHot).
import './ops/tensor_methods';
import { Tensor } from './tensor/tensor';
import { Variable } from './tensor/variable';
import { GradientTape, NON_PERSISTENT_MESSAGE } from './autodiff/gradient_tape';
import { nameScope } from './tape/recording_state';
import { enableGradientExplanations, disableGradientExplanations } from './tape/gradient_explanations';
import { enableCheckNumerics, disableCheckNumerics, NumericsError } from './tape/check_numerics';
import * as creation from './ops/creation';
import * as random from './ops/random';
import * as arithmetic from './ops/arithmetic';
import * as activations from './ops/activations';
import * as reduction from './ops/reduction';
import * as shapeOps from './ops/shape_ops';
import * as comparison from './ops/comparison';
import * as nnOps from './ops/nn';
import * as conv from './ops/conv';
import * as pooling from './ops/pooling';
import * as normalization from './ops/normalization';
import { resize } from './ops/image';
import { keras } from './keras';
import { data } from './data';
import { matmul } from './ops/matmul';
import * as fused from './ops/fused';
import { stopGradient, identity, customGradient } from './ops/gradient_control';
import { computeGradient, approximateDerivative } from './testing/gradient_check';
import { checkTape } from './testing/check_tape';
import { tfFunction } from './graph/tf_function';
import { gradients } from './graph/gradients';
import { ForwardAccumulator } from './forward/forward_accumulator';
import * as summary from './runtime/summary';
import * as hooks from './runtime/hooks';
import { configureTelemetry } from './keras/optimizers/telemetry';
import { traceCapture } from './trace/capture';
import { exportTape } from './trace/export_tape';
import { summarizeTensor } from './trace/summarize';
import { extendedApi, nnExtras } from './api/extended_api';
import type { TensorLike } from './tensor/convert';
import type { DType } from './tensor/dtype';


const nn = {
  biasAdd: fused.biasAdd,
  softmaxCrossEntropyWithLogits: fused.softmaxCrossEntropyWithLogits,
  softmax: nnOps.softmax,
  logSoftmax: nnOps.logSoftmax,
  relu: activations.relu,
  sigmoid: activations.sigmoid,
  tanh: activations.tanh,
  elu: activations.elu,
  selu: activations.selu,
  softplus: activations.softplus,
  leakyRelu: activations.leakyRelu,
  swish: activations.swish,
  silu: activations.swish,
  gelu: activations.gelu,
  ...nnExtras,
  // named one by one: a spread namespace reaches the typings without its functions' comments
  conv2d: conv.conv2d,
  conv1d: conv.conv1d,
  depthwiseConv2d: conv.depthwiseConv2d,
  conv2dTranspose: conv.conv2dTranspose,
  maxPool2d: pooling.maxPool2d,
  avgPool2d: pooling.avgPool2d,
  batchNormalization: normalization.batchNormalization,
};

/**
 * The Tapescope engine: TensorFlow's API with TF's semantics, camelCased (tf.reduce_sum → tf.reduceSum,
 * tf.one_hot → tf.oneHot), and TF.js's spellings where they differ (tf.sub, tf.mul). The global `tf` of every cell.
 * @example
 * ```ts
 * const x = tf.constant([[1, 2], [3, 4]]);
 * tf.reduceSum(tf.matmul(x, x)) // → 54
 * ```
 */
export const tf = {
  Tensor,
  Variable,
  GradientTape,
  // creation
  constant: creation.constant,
  tensor: creation.constant,
  convertToTensor: creation.convertToTensor,
  scalar: creation.scalar,
  fill: creation.fill,
  zeros: creation.zeros,
  ones: creation.ones,
  zerosLike: creation.zerosLike,
  onesLike: creation.onesLike,
  range: creation.range,
  linspace: creation.linspace,
  eye: creation.eye,
  /** tf.random: seedable random tensors (normal, uniform, truncatedNormal) and the global seed. */
  random: { normal: random.normal, uniform: random.uniform, truncatedNormal: random.truncatedNormal, setSeed: random.setSeed },
  // arithmetic
  add: arithmetic.add,
  sub: arithmetic.sub,
  subtract: arithmetic.sub,
  mul: arithmetic.mul,
  multiply: arithmetic.mul,
  div: arithmetic.div,
  divide: arithmetic.div,
  neg: arithmetic.neg,
  negative: arithmetic.neg,
  pow: arithmetic.pow,
  square: arithmetic.square,
  sqrt: arithmetic.sqrt,
  exp: arithmetic.exp,
  log: arithmetic.log,
  abs: arithmetic.abs,
  sign: arithmetic.sign,
  reciprocal: arithmetic.reciprocal,
  sin: arithmetic.sin,
  cos: arithmetic.cos,
  maximum: arithmetic.maximum,
  minimum: arithmetic.minimum,
  matmul,
  tanh: activations.tanh,
  sigmoid: activations.sigmoid,
  relu: activations.relu,
  /** tf.nn: activations, softmax and cross-entropy, convolutions, pooling, normalization. */
  nn,
  /** tf.image: image ops (resize). */
  image: { resize },
  // reductions
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
  // shapes
  reshape: shapeOps.reshape,
  transpose: shapeOps.transpose,
  concat: shapeOps.concat,
  stack: shapeOps.stack,
  unstack: shapeOps.unstack,
  split: shapeOps.split,
  expandDims: shapeOps.expandDims,
  squeeze: shapeOps.squeeze,
  slice: shapeOps.slice,
  gather: shapeOps.gather,
  broadcastTo: shapeOps.broadcastTo,
  tile: shapeOps.tile,
  oneHot: nnOps.oneHot,
  clipByValue: nnOps.clipByValue,
  // comparisons
  cast: comparison.cast,
  equal: comparison.equal,
  notEqual: comparison.notEqual,
  less: comparison.less,
  lessEqual: comparison.lessEqual,
  greater: comparison.greater,
  greaterEqual: comparison.greaterEqual,
  logicalAnd: comparison.logicalAnd,
  logicalOr: comparison.logicalOr,
  logicalNot: comparison.logicalNot,
  where: comparison.where,
  // gradient control
  stopGradient,
  identity,
  customGradient,
  nameScope,
  /** tf.losses: the Keras losses (tf.keras.losses). */
  losses: keras.losses,
  // `as typeof`: the typings then name tf.keras, which keeps the comments of its namespaces
  keras: keras as typeof keras,
  /** tf.data: readers for IDX (MNIST, Fashion-MNIST) and CSV files. */
  data,
  /** tf.summary: scalars and histograms for the inspector's chart and TensorBoard event files. */
  summary: { scalar: summary.scalar, histogram: summary.histogram, createFileWriter: summary.createFileWriter },
  /** tf.test: gradient checks against finite differences. */
  test: { computeGradient, approximateDerivative, checkTape },
  // graph mode and forward mode
  function: tfFunction,
  gradients,
  /** tf.autodiff: forward-mode autodiff (ForwardAccumulator). */
  autodiff: { ForwardAccumulator },
  /** tf.debugging: NaN/Inf checks and explanations of null gradients. */
  debugging: {
    enableCheckNumerics,
    disableCheckNumerics,
    NumericsError,
    enableGradientExplanations,
    disableGradientExplanations,
  },
  /** tf.errors: the messages of TF's errors that cells may test for. */
  errors: {
    /** What a second gradient() on a non-persistent tape throws (TF's wording). */
    NON_PERSISTENT_MESSAGE,
  },
  ...extendedApi,
};

export type TF = typeof tf;

/** For the host (the cell kernel): trace capture and the hooks it installs. Not part of the user's `tf`. */
export { traceCapture, exportTape, summarizeTensor };
export const runtime = {
  setBeforeOpHook: hooks.setBeforeOpHook,
  setSourceLocator: hooks.setSourceLocator,
  setMetricSink: hooks.setMetricSink,
  setPrintSink: hooks.setPrintSink,
  setTelemetrySink: hooks.setTelemetrySink,
  setFitProgressSink: hooks.setFitProgressSink,
  configureTelemetry,
  setTensorMemoryLimit: hooks.setTensorMemoryLimit,
  resetSummarySteps: summary.resetSteps,
};
export { Tensor, Variable, GradientTape };
export type { TensorLike, DType };
export default tf;
