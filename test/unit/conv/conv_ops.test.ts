// Convolution, pooling, normalisation and resizing ops: float64 central differences on random shapes, strides,
// paddings and dilations (first order, and second order through nested tapes), and the same values and
// gradients from TensorFlow.js's CPU backend in the same test.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tfjs from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { tf, Tensor } from '../../../engine';
import { makeRng } from '../../../engine/ops/random';
import type { Padding } from '../../../engine/shape/conv_shape';

before(async () => {
  await tfjs.setBackend('cpu');
});

const rng = makeRng(2024);
const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[randInt(0, xs.length - 1)];

function rand(shape: number[], lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng();
  return tf.constant(v, 'float64', shape);
}

/** Values at least 0.01 apart in random order, so no window's maximum is within a difference step of a tie. */
function randDistinct(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / Math.max(n - 1, 1));
  for (let i = n - 1; i > 0; i--) { const j = randInt(0, i); [v[i], v[j]] = [v[j], v[i]]; }
  return tf.constant(v, 'float64', shape);
}

function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

function assertGradientsMatch(what: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[], tol = 1e-5): void {
  const { theoretical, numerical } = tf.test.computeGradient(f, xs);
  theoretical.forEach((th, k) => {
    const worst = maxRelativeError(th.dataSync(), numerical[k].dataSync());
    assert.ok(worst < tol, `${what}: input ${k} (shapes ${xs.map((x) => `[${x.shape}]`).join(' ')}): max relative error ${worst}`);
  });
}

/** The gradient of sum(u · f(a, b)) with respect to a (or b), as a function of (a, b, u): its own Jacobians are second order. */
function gradientOf(f: (a: Tensor, b: Tensor) => Tensor, which: 0 | 1) {
  return (a: Tensor, b: Tensor, u: Tensor) => {
    const tape = new tf.GradientTape();
    const y = tape.record(() => { tape.watch(a); tape.watch(b); return tf.reduceSum(tf.mul(f(a, b), u)); });
    return tape.gradient(y, which === 0 ? a : b)!;
  };
}

function assertClose(ours: Tensor, theirs: tfjs.Tensor, what: string, tol = 1e-4): void {
  assert.deepEqual(ours.shape, theirs.shape, `${what}: shape`);
  const worst = maxRelativeError(ours.dataSync(), theirs.dataSync() as Float32Array);
  assert.ok(worst < tol, `${what}: max relative difference to TF.js ${worst}`);
}

/**
 * Values and gradients (of sum(u · f)) of ours against TF.js on the same float32 inputs. `compareGradients` is
 * false where TF.js's own gradient is missing or wrong (noted at the call).
 */
function assertAgreesWithTfjs(what: string, ours: (...x: Tensor[]) => Tensor, theirs: (...x: tfjs.Tensor[]) => tfjs.Tensor, inputs: Tensor[], compareGradients = true): void {
  const xs32 = inputs.map((x) => tf.cast(x, 'float32'));
  const js = inputs.map((x) => tfjs.tensor(Array.from(x.dataSync()), x.shape, 'float32'));
  const y = ours(...xs32);
  const yjs = theirs(...js);
  assertClose(y, yjs, `${what} value`);
  if (!compareGradients) return;
  const u = rand(y.shape);
  const ujs = tfjs.tensor(Array.from(u.dataSync()), u.shape, 'float32');
  const tape = new tf.GradientTape();
  const loss = tape.record(() => { xs32.forEach((x) => tape.watch(x)); return tf.reduceSum(tf.mul(ours(...xs32), tf.cast(u, 'float32'))); });
  const grads = tape.gradient(loss, xs32) as Tensor[];
  const gjs = tfjs.grads((...a: tfjs.Tensor[]) => tfjs.sum(tfjs.mul(theirs(...a), ujs)))(js);
  grads.forEach((g, k) => assertClose(g, gjs[k], `${what} gradient ${k}`));
}

interface ConvCase {
  x: number[];
  filter: number[];
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
}

/** A random conv configuration whose output is not empty. */
function randomConv(): ConvCase {
  for (;;) {
    const kh = randInt(1, 3), kw = randInt(1, 3), inC = randInt(1, 3);
    const strides: [number, number] = [randInt(1, 2), randInt(1, 2)];
    const dilations: [number, number] = rng() < 0.4 ? [randInt(1, 2), randInt(1, 2)] : [1, 1];
    const padding: Padding = pick<Padding>(['SAME', 'VALID', [[0, 0], [randInt(0, 2), randInt(0, 2)], [randInt(0, 2), randInt(0, 2)], [0, 0]]]);
    const c: ConvCase = { x: [randInt(1, 2), randInt(3, 7), randInt(3, 7), inC], filter: [kh, kw, inC, randInt(1, 3)], strides, dilations, padding };
    const effH = (kh - 1) * dilations[0] + 1, effW = (kw - 1) * dilations[1] + 1;
    const padH = Array.isArray(c.padding) ? c.padding[1][0] + c.padding[1][1] : 0;
    const padW = Array.isArray(c.padding) ? c.padding[2][0] + c.padding[2][1] : 0;
    if (c.padding !== 'SAME' && (c.x[1] + padH < effH || c.x[2] + padW < effW)) continue;
    return c;
  }
}

const tfjsPadding = (p: Padding) => (typeof p === 'string' ? (p.toLowerCase() as 'same' | 'valid') : p as tfjs.backend_util.ExplicitPadding);
const describe = (c: ConvCase) => `x [${c.x}] filter [${c.filter}] strides [${c.strides}] dilations [${c.dilations}] padding ${JSON.stringify(c.padding)}`;

test('conv2d: gradients of x and filter, and all four second-order paths, match central differences', () => {
  for (let trial = 0; trial < 10; trial++) {
    const c = randomConv();
    const f = (x: Tensor, w: Tensor) => tf.nn.conv2d(x, w, c.strides, c.padding, 'NHWC', c.dilations);
    const x = rand(c.x), w = rand(c.filter);
    assertGradientsMatch(`conv2d ${describe(c)}`, f, [x, w]);
    const u = rand(f(x, w).shape);
    assertGradientsMatch(`conv2d input gradient ${describe(c)}`, gradientOf(f, 0), [x, w, u]);
    assertGradientsMatch(`conv2d filter gradient ${describe(c)}`, gradientOf(f, 1), [x, w, u]);
  }
});

test('conv2d: values and gradients agree with TF.js (strides or dilations, explicit padding)', () => {
  for (let trial = 0; trial < 10; trial++) {
    const c = randomConv();
    if (c.strides.some((s) => s > 1)) c.dilations = [1, 1];
    // TF.js has no gradient for dilated convolutions: values only there
    assertAgreesWithTfjs(`conv2d ${describe(c)}`,
      (x, w) => tf.nn.conv2d(x, w, c.strides, c.padding, 'NHWC', c.dilations),
      (x, w) => tfjs.conv2d(x as tfjs.Tensor4D, w as tfjs.Tensor4D, c.strides, tfjsPadding(c.padding), 'NHWC', c.dilations),
      [rand(c.x), rand(c.filter)], c.dilations.every((d) => d === 1));
  }
});

test('depthwiseConv2d: finite differences (first and second order) and TF.js agree', () => {
  for (let trial = 0; trial < 8; trial++) {
    const c = randomConv();
    const f = (x: Tensor, w: Tensor) => tf.nn.depthwiseConv2d(x, w, c.strides, c.padding, 'NHWC', c.dilations);
    const x = rand(c.x), w = rand(c.filter);
    assertGradientsMatch(`depthwiseConv2d ${describe(c)}`, f, [x, w]);
    const u = rand(f(x, w).shape);
    assertGradientsMatch(`depthwiseConv2d input gradient ${describe(c)}`, gradientOf(f, 0), [x, w, u]);
    assertGradientsMatch(`depthwiseConv2d filter gradient ${describe(c)}`, gradientOf(f, 1), [x, w, u]);
    if (typeof c.padding !== 'string' || (c.strides.some((s) => s > 1) && c.dilations.some((d) => d > 1))) continue;
    assertAgreesWithTfjs(`depthwiseConv2d ${describe(c)}`, f,
      (a, b) => tfjs.depthwiseConv2d(a as tfjs.Tensor4D, b as tfjs.Tensor4D, c.strides, tfjsPadding(c.padding) as 'same', 'NHWC', c.dilations), [x, w],
      c.dilations.every((d) => d === 1));
  }
});

test('conv1d: finite differences and TF.js agree', () => {
  for (let trial = 0; trial < 6; trial++) {
    const k = randInt(1, 3), stride = randInt(1, 2), dilation = stride === 1 ? randInt(1, 2) : 1;
    const padding = pick(['SAME', 'VALID'] as const);
    const x = rand([randInt(1, 2), randInt(5, 9), randInt(1, 3)]);
    const w = rand([k, x.shape[2], randInt(1, 3)]);
    const f = (a: Tensor, b: Tensor) => tf.nn.conv1d(a, b, stride, padding, 'NWC', dilation);
    assertGradientsMatch(`conv1d k=${k} stride=${stride} dilation=${dilation} ${padding}`, f, [x, w]);
    assertAgreesWithTfjs('conv1d', f, (a, b) => tfjs.conv1d(a as tfjs.Tensor3D, b as tfjs.Tensor3D, stride, padding.toLowerCase() as 'same', 'NWC', dilation), [x, w],
      dilation === 1);
  }
});

test('conv2dTranspose: finite differences (first and second order) and TF.js agree', () => {
  for (let trial = 0; trial < 6; trial++) {
    const stride = randInt(1, 2), padding = pick(['SAME', 'VALID'] as const);
    const k = randInt(1, 3), inC = randInt(1, 3), outC = randInt(1, 3);
    const outShape = [randInt(1, 2), randInt(4, 7), randInt(4, 7), outC];
    const y = tf.nn.conv2d(tf.zeros(outShape, 'float64'), tf.zeros([k, k, outC, inC], 'float64'), stride, padding);
    const x = rand(y.shape), w = rand([k, k, outC, inC]);
    const f = (a: Tensor, b: Tensor) => tf.nn.conv2dTranspose(a, b, outShape, stride, padding);
    assertGradientsMatch(`conv2dTranspose ${padding} stride ${stride}`, f, [x, w]);
    const u = rand(outShape);
    assertGradientsMatch('conv2dTranspose input gradient', gradientOf(f, 0), [x, w, u]);
    assertGradientsMatch('conv2dTranspose filter gradient', gradientOf(f, 1), [x, w, u]);
    assertAgreesWithTfjs(`conv2dTranspose ${padding} stride ${stride}`, f,
      (a, b) => tfjs.conv2dTranspose(a as tfjs.Tensor4D, b as tfjs.Tensor4D, outShape as [number, number, number, number], stride, padding.toLowerCase() as 'same'), [x, w]);
  }
});

function randomPool() {
  const k = [randInt(1, 3), randInt(1, 3)] as [number, number];
  const strides = [randInt(1, 3), randInt(1, 3)] as [number, number];
  const padding = pick(['SAME', 'VALID'] as const);
  const x = [randInt(1, 2), randInt(3, 7), randInt(3, 7), randInt(1, 3)];
  return { k, strides, padding, x, what: `x [${x}] ksize [${k}] strides [${strides}] ${padding}` };
}

test('maxPool2d: gradient and gradient-of-gradient match central differences; TF.js agrees', () => {
  for (let trial = 0; trial < 10; trial++) {
    const p = randomPool();
    const f = (x: Tensor) => tf.nn.maxPool2d(x, p.k, p.strides, p.padding);
    const x = randDistinct(p.x);
    assertGradientsMatch(`maxPool2d ${p.what}`, f, [x]);
    const u = rand(f(x).shape);
    // the gradient is linear in the output gradient u (and piecewise constant in x)
    assertGradientsMatch(`maxPool2d gradient ${p.what}`, gradientOf((a, b) => tf.mul(f(a), b), 0), [x, tf.onesLike(u), u]);
    assertAgreesWithTfjs(`maxPool2d ${p.what}`, f, (a) => tfjs.maxPool(a as tfjs.Tensor4D, p.k, p.strides, p.padding.toLowerCase() as 'same'), [x]);
  }
});

test('avgPool2d: first and second order match central differences (padding not counted); TF.js agrees', () => {
  for (let trial = 0; trial < 10; trial++) {
    const p = randomPool();
    const f = (x: Tensor) => tf.nn.avgPool2d(x, p.k, p.strides, p.padding);
    const x = rand(p.x);
    assertGradientsMatch(`avgPool2d ${p.what}`, f, [x]);
    const u = rand(f(x).shape);
    assertGradientsMatch(`avgPool2d gradient ${p.what}`, gradientOf((a, b) => tf.mul(f(a), b), 0), [x, tf.onesLike(u), u]);
    // TF.js's avgPool gradient divides by the full window even where SAME padding cut it (TF does not): values only there
    assertAgreesWithTfjs(`avgPool2d ${p.what}`, f, (a) => tfjs.avgPool(a as tfjs.Tensor4D, p.k, p.strides, p.padding.toLowerCase() as 'same'), [x],
      p.padding === 'VALID');
  }
});

test('image.resize bilinear and nearest: gradients match central differences; values and gradients agree with TF.js (half-pixel centres)', () => {
  for (let trial = 0; trial < 8; trial++) {
    const method = trial % 2 === 0 ? 'bilinear' : 'nearest';
    const x = rand([randInt(1, 2), randInt(2, 5), randInt(2, 5), randInt(1, 2)]);
    const size = [randInt(1, 9), randInt(1, 9)];
    const f = (a: Tensor) => tf.image.resize(a, size, method);
    assertGradientsMatch(`resize ${method} [${x.shape}] → [${size}]`, f, [x]);
    const u = rand(f(x).shape);
    assertGradientsMatch(`resize ${method} gradient`, gradientOf((a, b) => tf.mul(f(a), b), 0), [x, tf.onesLike(u), u]);
    assertAgreesWithTfjs(`resize ${method} [${x.shape}] → [${size}]`, f, (a) => method === 'bilinear'
      ? tfjs.image.resizeBilinear(a as tfjs.Tensor4D, size as [number, number], false, true)
      : tfjs.image.resizeNearestNeighbor(a as tfjs.Tensor4D, size as [number, number], false, true), [x],
    // TF.js's resize gradients swap height and width for non-square images: gradients compared on square ones
    x.shape[1] === x.shape[2] && size[0] === size[1]);
  }
});

test('batchNormalization: gradients for x, mean, variance, offset, scale (first and second order) match central differences; TF.js agrees', () => {
  for (const shape of [[2, 3, 3, 2], [4, 3], [2, 5]]) {
    const c = shape[shape.length - 1];
    const x = rand(shape), mean = rand([c]), variance = rand([c], 0.5, 2), offset = rand([c]), scale = rand([c]);
    const f = (a: Tensor, m: Tensor, v: Tensor, o: Tensor, s: Tensor) => tf.nn.batchNormalization(a, m, v, o, s, 1e-3);
    assertGradientsMatch(`batchNormalization [${shape}]`, f, [x, mean, variance, offset, scale]);
    const u = rand(shape);
    const dVariance = (v: Tensor, s: Tensor, a: Tensor) => {
      const tape = new tf.GradientTape();
      const y = tape.record(() => { tape.watch(v); return tf.reduceSum(tf.mul(f(a, mean, v, offset, s), u)); });
      return tape.gradient(y, v)!;
    };
    assertGradientsMatch(`batchNormalization second order [${shape}]`, dVariance, [variance, scale, x]);
    assertAgreesWithTfjs(`batchNormalization [${shape}]`, f, (a, m, v, o, s) => tfjs.batchNorm(a, m, v, o, s, 1e-3), [x, mean, variance, offset, scale]);
  }
  // statistics that are not per channel take the broadcasting path, with the same results
  const x = rand([3, 4]), mean = rand([3, 1]), variance = rand([3, 1], 0.5, 2);
  assertGradientsMatch('batchNormalization per-row statistics', (a, m, v) => tf.nn.batchNormalization(a, m, v, null, null, 1e-3), [x, mean, variance]);
});

test('moments: mean and biased variance, their gradients and second order match central differences; TF.js agrees', () => {
  const x = rand([2, 3, 4, 2]);
  const [mean, variance] = tf.nn.moments(x, [0, 1, 2]);
  assert.deepEqual(mean.shape, [2]);
  const { mean: m2, variance: v2 } = tf.nn.moments(x, [0, 1, 2], true);
  assert.deepEqual(v2.shape, [1, 1, 1, 2]);
  assert.deepEqual(Array.from(m2.dataSync()), Array.from(mean.dataSync()));
  assertGradientsMatch('moments mean', (a) => tf.nn.moments(a, [0, 2])[0], [x]);
  assertGradientsMatch('moments variance', (a) => tf.nn.moments(a, [0, 2])[1], [x]);
  assertGradientsMatch('moments variance second order', (a, u) => {
    const tape = new tf.GradientTape();
    const y = tape.record(() => { tape.watch(a); return tf.reduceSum(tf.mul(tf.nn.moments(a, [1, 3])[1], u)); });
    return tape.gradient(y, a)!;
  }, [x, rand([2, 4])]);
  assertAgreesWithTfjs('moments variance', (a) => tf.nn.moments(a, [0, 1, 2]).variance, (a) => tfjs.moments(a, [0, 1, 2]).variance, [x]);
  assertAgreesWithTfjs('moments mean', (a) => tf.nn.moments(a, [1]).mean, (a) => tfjs.moments(a, [1]).mean, [x]);
});

test('TF\'s shape rules: output sizes for SAME, VALID and explicit padding with strides and dilations', () => {
  const x = tf.zeros([1, 10, 9, 2]);
  assert.deepEqual(tf.nn.conv2d(x, tf.zeros([3, 3, 2, 4]), 2, 'SAME').shape, [1, 5, 5, 4]);
  assert.deepEqual(tf.nn.conv2d(x, tf.zeros([3, 3, 2, 4]), [1, 3, 2, 1], 'VALID').shape, [1, 3, 4, 4]);
  assert.deepEqual(tf.nn.conv2d(x, tf.zeros([3, 3, 2, 4]), 1, 'VALID', 'NHWC', 2).shape, [1, 6, 5, 4]);
  assert.deepEqual(tf.nn.conv2d(x, tf.zeros([3, 3, 2, 4]), 1, [[0, 0], [1, 2], [0, 3], [0, 0]]).shape, [1, 11, 10, 4]);
  assert.deepEqual(tf.nn.conv2d(tf.zeros([10, 9, 2]), tf.zeros([3, 3, 2, 4]), 1, 'SAME').shape, [10, 9, 4]);
  assert.deepEqual(tf.nn.maxPool2d(x, 3, 2, 'SAME').shape, [1, 5, 5, 2]);
  assert.deepEqual(tf.nn.depthwiseConv2d(x, tf.zeros([3, 3, 2, 3]), 1, 'VALID').shape, [1, 8, 7, 6]);
});

test('bad inputs give TF\'s error texts naming the op and shapes', () => {
  const x = tf.zeros([1, 8, 8, 3]);
  assert.throws(() => tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), 1, 'SAME'), { message: 'conv2d: input depth 3 does not match filter depth 1 in [5,5,1,32]' });
  assert.throws(() => tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), 1, 'FULL' as 'SAME'), /conv2d: padding must be 'SAME', 'VALID' or explicit .*got "FULL"/);
  assert.throws(() => tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), [2, 1, 1, 1], 'SAME'), /conv2d: strides \[2,1,1,1\]: strides in the batch and depth dimensions must be 1/);
  assert.throws(() => tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), 0, 'SAME'), /conv2d: strides must be positive integers, got \[0,0\]/);
  assert.throws(() => tf.nn.conv2d(x, tf.zeros([9, 9, 3, 2]), 1, 'VALID'), /conv2d: computed output size would be zero: 0 \[input_size: 8, effective_filter_size: 9, stride: 1\]/);
  assert.throws(() => tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), 1, [[1, 1], [0, 0], [0, 0], [0, 0]]), /padding in the batch and depth dimensions must be zero/);
  assert.throws(() => tf.nn.conv2d(tf.zeros([8, 8]), tf.zeros([3, 3, 3, 2]), 1, 'SAME'), /conv2d: input must be rank 4 .*got shape \[8,8\]/);
  assert.throws(() => tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), 1, 'SAME', 'NCHW'), /conv2d: data format NCHW is not supported/);
  assert.throws(() => tf.nn.maxPool2d(x, [1, 2, 2, 2], 2, 'VALID'), /maxPool2d: ksize \[1,2,2,2\]/);
  assert.throws(() => tf.nn.conv2dTranspose(tf.zeros([1, 4, 4, 8]), tf.zeros([3, 3, 1, 8]), [1, 9, 9, 1], 2, 'SAME'), /conv2dTranspose: output_shape \[1,9,9,1\] does not fit/);
  assert.throws(() => tf.image.resize(x, [0, 4]), /image.resize: size must be \[newHeight, newWidth\] of positive integers/);
  assert.throws(() => tf.nn.batchNormalization(x, tf.zeros([4]), tf.ones([4])), /batchNormalization/);
});

test('float32 convolutions (WASM SIMD products staged in place) equal the float64 ones up to rounding', () => {
  const x = rand([4, 12, 11, 5]), w = rand([3, 3, 5, 7]);
  for (const [strides, padding] of [[1, 'SAME'], [2, 'VALID'], [[2, 1], [[0, 0], [2, 1], [0, 2], [0, 0]]]] as Array<[number | number[], Padding]>) {
    const f = (a: Tensor, b: Tensor) => tf.nn.conv2d(a, b, strides, padding);
    const tape64 = new tf.GradientTape(), tape32 = new tf.GradientTape();
    const u = rand(f(x, w).shape);
    const x32 = tf.cast(x, 'float32'), w32 = tf.cast(w, 'float32');
    const y64 = tape64.record(() => { tape64.watch(x); tape64.watch(w); return f(x, w); });
    const y32 = tape32.record(() => { tape32.watch(x32); tape32.watch(w32); return f(x32, w32); });
    const g64 = tape64.gradient(y64, [x, w], { outputGradients: u }) as Tensor[];
    const g32 = tape32.gradient(y32, [x32, w32], { outputGradients: tf.cast(u, 'float32') }) as Tensor[];
    for (const [a, b, what] of [[y32, y64, 'value'], [g32[0], g64[0], 'input gradient'], [g32[1], g64[1], 'filter gradient']] as const) {
      assert.ok(maxRelativeError(a.dataSync(), b.dataSync()) < 1e-4, `${what} with strides ${JSON.stringify(strides)} padding ${JSON.stringify(padding)}`);
    }
  }
});

test('chainable methods under TF.js\'s names (x.conv2d, conv1d, conv2dTranspose, depthwiseConv2d, maxPool, avgPool, batchNorm) equal the ops and TF.js\'s own methods', () => {
  const x = rand([2, 7, 6, 3]);
  const w = rand([3, 3, 3, 4]);
  const tx = tfjs.tensor4d(Array.from(x.dataSync()), [2, 7, 6, 3]);
  const tw = tfjs.tensor4d(Array.from(w.dataSync()), [3, 3, 3, 4]);
  const same = (ours: Tensor, op: Tensor, theirs: tfjs.Tensor, what: string) => {
    assert.deepEqual(ours.shape, theirs.shape, `${what}: shape`);
    assert.deepEqual(Array.from(ours.dataSync()), Array.from(op.dataSync()), `${what}: method = op`);
    assert.ok(maxRelativeError(ours.dataSync(), theirs.dataSync() as Float32Array) < 1e-5, `${what}: agrees with TF.js`);
  };
  same(x.conv2d(w, [2, 1], 'SAME', 'NHWC', 1), tf.nn.conv2d(x, w, [2, 1], 'SAME'), tx.conv2d(tw, [2, 1], 'same'), 'conv2d');
  const dw = rand([2, 2, 3, 2]);
  same(x.depthwiseConv2d(dw, 1, 'VALID'), tf.nn.depthwiseConv2d(x, dw, 1, 'VALID'),
    tx.depthwiseConv2d(tfjs.tensor4d(Array.from(dw.dataSync()), [2, 2, 3, 2]), 1, 'valid'), 'depthwiseConv2d');
  same(x.maxPool(2, 2, 'SAME'), tf.nn.maxPool2d(x, 2, 2, 'SAME'), tx.maxPool(2, 2, 'same'), 'maxPool');
  same(x.avgPool([3, 2], 1, 'VALID'), tf.nn.avgPool2d(x, [3, 2], 1, 'VALID'), tx.avgPool([3, 2], 1, 'valid'), 'avgPool');
  const mean = rand([3]), variance = rand([3], 0.5, 2), offset = rand([3]), scale = rand([3]);
  same(x.batchNorm(mean, variance, offset, scale, 1e-3), tf.nn.batchNormalization(x, mean, variance, offset, scale, 1e-3),
    tx.batchNorm(tfjs.tensor1d(Array.from(mean.dataSync())), tfjs.tensor1d(Array.from(variance.dataSync())), tfjs.tensor1d(Array.from(offset.dataSync())), tfjs.tensor1d(Array.from(scale.dataSync())), 1e-3), 'batchNorm');
  const seq = rand([2, 9, 3]), f1 = rand([3, 3, 5]);
  same(seq.conv1d(f1, 2, 'SAME'), tf.nn.conv1d(seq, f1, 2, 'SAME'),
    tfjs.tensor3d(Array.from(seq.dataSync()), [2, 9, 3]).conv1d(tfjs.tensor3d(Array.from(f1.dataSync()), [3, 3, 5]), 2, 'same'), 'conv1d');
  const dy = rand([2, 4, 3, 4]), ft = rand([3, 3, 3, 4]);
  same(dy.conv2dTranspose(ft, [2, 7, 6, 3], 2, 'SAME'), tf.nn.conv2dTranspose(dy, ft, [2, 7, 6, 3], 2, 'SAME'),
    tfjs.tensor4d(Array.from(dy.dataSync()), [2, 4, 3, 4]).conv2dTranspose(tfjs.tensor4d(Array.from(ft.dataSync()), [3, 3, 3, 4]), [2, 7, 6, 3], 2, 'same'), 'conv2dTranspose');
});
