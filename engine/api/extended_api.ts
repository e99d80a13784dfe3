// The API TF's guides use beyond the seed tutorials, gathered for engine/index.ts to spread into `tf` and
// `tf.nn` (so the shared index stays one import and two spreads).
import * as trig from '../ops/trigonometry';
import * as special from '../ops/special_math';
import * as rounding from '../ops/rounding';
import * as statistics from '../ops/statistics';
import * as scan from '../ops/scan';
import * as norms from '../ops/norms';
import * as linalgOps from '../ops/linalg';
import { einsum } from '../ops/einsum';
import * as gatherScatter from '../ops/gather_scatter';
import { pad } from '../ops/padding';
import * as rearrange from '../ops/rearrange';
import * as sorting from '../ops/sorting';
import { shape, size, rank } from './shape_queries';
import { math, squaredDifference, addN } from './math_namespace';
import { Module } from '../tracking/module';
import { TensorSpec } from '../graph/tensor_spec';
import { cond, whileLoop } from '../graph/control_flow';

/** tf.linalg: matrix inverse, determinant, solve, products and band/diagonal parts, batched over leading axes. */
export const linalg = {
  inv: linalgOps.inv, det: linalgOps.det, solve: linalgOps.solve, matvec: linalgOps.matvec,
  bandPart: linalgOps.bandPart, diag: linalgOps.diag, diagPart: linalgOps.diagPart, trace: linalgOps.trace,
  matrixTranspose: linalgOps.matrixTranspose, tensordot: linalgOps.tensordot, einsum,
  norm: norms.norm, globalNorm: norms.globalNorm,
};

export const extendedApi = {
  // `as typeof`: the typings then name these namespaces, which keeps their comments (those on their consts)
  math: math as typeof math,
  linalg: linalg as typeof linalg,
  Module, TensorSpec, shape, size, rank, cond, whileLoop,
  sinh: trig.sinh, cosh: trig.cosh, asin: trig.asin, acos: trig.acos, atan: trig.atan, atan2: trig.atan2,
  erf: special.erf, log1p: special.log1p, expm1: special.expm1, rsqrt: special.rsqrt,
  round: rounding.round, floor: rounding.floor, ceil: rounding.ceil, floorDiv: rounding.floorDiv, floorMod: rounding.floorMod,
  mod: rounding.floorMod, isNan: rounding.isNan, isNaN: rounding.isNan, isFinite: rounding.isFinite, isInf: rounding.isInf,
  squaredDifference, addN,
  reduceProd: statistics.reduceProd, reduceLogSumExp: statistics.reduceLogSumExp, logSumExp: statistics.reduceLogSumExp,
  reduceStd: statistics.reduceStd, reduceVariance: statistics.reduceVariance, prod: statistics.reduceProd,
  cumsum: scan.cumsum, cumprod: scan.cumprod,
  norm: norms.norm, clipByNorm: norms.clipByNorm, clipByGlobalNorm: norms.clipByGlobalNorm,
  einsum, tensordot: linalgOps.tensordot,
  pad, gatherNd: gatherScatter.gatherNd, scatterNd: gatherScatter.scatterNd,
  tensorScatterUpdate: gatherScatter.tensorScatterUpdate, booleanMask: gatherScatter.booleanMask,
  reverse: rearrange.reverse, repeat: rearrange.repeat, sequenceMask: rearrange.sequenceMask, meshgrid: rearrange.meshgrid,
  sort: sorting.sort, argsort: sorting.argsort, topk: sorting.topk,
};

export const nnExtras = {
  /** Mean and variance across axes (tf.nn.moments); destructure as `[mean, variance]`. */
  moments: statistics.moments,
  /** x / (1 + |x|) (tf.nn.softsign). */
  softsign: special.softsign,
  /** log(sigmoid(x)) (tf.math.log_sigmoid). */
  logSigmoid: special.logSigmoid,
};
