// reduceProd, reduceLogSumExp, reduceStd, reduceVariance, tf.nn.moments, cumsum, cumprod, norm, clipByNorm,
// clipByGlobalNorm: float64 finite differences (first and second order) on random shapes and axes, TF's
// numbers, and TensorFlow.js agreement in the same test where TF.js has the op.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { rand, randShape, assertGradientsMatch, assertSecondOrderMatches } from './gradient_checks';
import { tfjs, useTfjsCpu, assertAgreesWithTfjs } from './tfjs_reference';

before(useTfjsCpu);

const AXES: Array<number | number[] | undefined> = [undefined, 0, 1, -1, [0, 2], [1, 2]];

test('reduceProd: every axis set, keepdims, including zeros in the input (exclusive-product gradient), TF.js agrees', () => {
  for (const axis of AXES) for (const keepdims of [false, true]) {
    const x = rand([2, 3, 4], 0.5, 1.5);
    const f = (t: Tensor) => tf.math.reduceProd(t, axis, keepdims);
    assertGradientsMatch(`reduceProd ${axis}`, f, [x]);
    assertSecondOrderMatches(`reduceProd ${axis}`, f, x);
    const positive = axis === undefined ? undefined : ([] as number[]).concat(axis).map((a) => (a + 3) % 3);
    assertAgreesWithTfjs(`reduceProd ${axis}`, [x], f, (t) => tfjs.prod(t, positive, keepdims));
  }
  const withZero = tf.constant([[2, 0, 3], [1, 4, 5]], 'float64');
  assertGradientsMatch('reduceProd with a zero', (t) => tf.math.reduceProd(t, 1), [withZero]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(withZero); return tf.math.reduceProd(withZero, 1); });
  assert.deepEqual(Array.from(tape.gradient(y, withZero)!.dataSync()), [0, 6, 0, 20, 5, 4]);
});

test('reduceLogSumExp, reduceVariance, reduceStd: finite differences (first, second order), stable for large inputs, TF.js agrees', () => {
  for (const axis of AXES) {
    const x = rand([2, 3, 4]);
    for (const keepdims of [false, true]) {
      const lse = (t: Tensor) => tf.math.reduceLogSumExp(t, axis, keepdims);
      const variance = (t: Tensor) => tf.math.reduceVariance(t, axis, keepdims);
      const std = (t: Tensor) => tf.math.reduceStd(t, axis, keepdims);
      for (const [name, f] of [['reduceLogSumExp', lse], ['reduceVariance', variance], ['reduceStd', std]] as const) {
        assertGradientsMatch(`${name} ${axis}`, f, [x]);
        assertSecondOrderMatches(`${name} ${axis}`, f, x);
      }
      assertAgreesWithTfjs(`logSumExp ${axis}`, [x], lse, (t) => tfjs.logSumExp(t, axis as number[], keepdims));
      assertAgreesWithTfjs(`variance ${axis}`, [x], variance, (t) => tfjs.moments(t, axis as number[], keepdims).variance);
    }
  }
  const big = tf.math.reduceLogSumExp(tf.constant([1000, 1000]));
  assert.ok(Math.abs(big.dataSync()[0] - (1000 + Math.log(2))) < 1e-3, 'no overflow at 1000');
  assert.ok(Math.abs(tf.math.reduceStd([1, 2, 3, 4]).dataSync()[0] - Math.sqrt(1.25)) < 1e-6);
});

test('tf.nn.moments: [mean, variance] as TF (destructured) and .mean/.variance as TF.js, gradients of both', () => {
  const x = rand([4, 3, 2]);
  for (const axes of [[0], [0, 1], [2]]) {
    const [mean, variance] = tf.nn.moments(x, axes);
    const theirs = tfjs.moments(tfjs.tensor(Array.from(x.dataSync()), x.shape), axes);
    assertAgreesWithTfjs('moments mean', [x], (t) => tf.nn.moments(t, axes).mean, (t) => tfjs.moments(t, axes).mean);
    assertAgreesWithTfjs('moments variance', [x], (t) => tf.nn.moments(t, axes)[1], (t) => tfjs.moments(t, axes).variance);
    assert.deepEqual(mean.shape, theirs.mean.shape);
    assert.deepEqual(variance.shape, theirs.variance.shape);
    assertGradientsMatch('moments variance', (t) => tf.nn.moments(t, axes).variance, [x]);
    assertSecondOrderMatches('moments variance', (t) => tf.nn.moments(t, axes).variance, x);
  }
  assert.deepEqual(tf.nn.moments(x, [0], true).mean.shape, [1, 3, 2]);
  assert.deepEqual(tf.nn.moments(x, [0], null, true).variance.shape, [1, 3, 2], "TF's positional (x, axes, shift, keepdims)");
});

test('cumsum and cumprod: every axis, exclusive and reverse, first and second order, TF.js agrees', () => {
  for (let trial = 0; trial < 2; trial++) {
    const shape = randShape(3);
    for (const axis of [0, 1, 2, -1]) for (const exclusive of [false, true]) for (const reverse of [false, true]) {
      const x = rand(shape, 0.5, 1.5);
      const cs = (t: Tensor) => tf.math.cumsum(t, axis, exclusive, reverse);
      const cp = (t: Tensor) => tf.math.cumprod(t, axis, exclusive, reverse);
      assertGradientsMatch('cumsum', cs, [x]);
      assertGradientsMatch('cumprod', cp, [x]);
      assertSecondOrderMatches('cumprod', cp, x);
      assertSecondOrderMatches('cumsum of squares', (t) => cs(tf.square(t)), x);
      // TF.js's own Cumsum gradient breaks off the last axis (wrong shape) and with exclusive; it has none for
      // Cumprod: values only there (finite differences above check our gradients)
      const tfjsGradientOk = (axis === -1 || axis === 2) && !exclusive;
      assertAgreesWithTfjs('cumsum', [x], cs, (t) => tfjs.cumsum(t, (axis + 3) % 3, exclusive, reverse), tfjsGradientOk);
      assertAgreesWithTfjs('cumprod', [x], cp, (t) => tfjs.cumprod(t, (axis + 3) % 3, exclusive, reverse), false);
    }
  }
  assert.deepEqual(Array.from(tf.math.cumsum([1, 2, 3], 0, true).dataSync()), [0, 1, 3]);
  assert.deepEqual(Array.from(tf.math.cumprod([1, 2, 3], 0, false, true).dataSync()), [6, 6, 3]);
  assert.throws(() => tf.math.cumsum(3), /cumsum: expected a tensor of rank ≥ 1/);
});

test('norm: euclidean / 1 / inf / p over all, one axis and a pair of axes; first and second order; TF.js agrees', () => {
  const x = rand([3, 4], -2, 2, 0);
  const cases: Array<[tf_ord, number | number[] | null]> = [
    ['euclidean', null], ['euclidean', 0], ['euclidean', -1], [1, null], [1, 1], [Infinity, 0], [3, 1],
    ['fro', [0, 1]], [1, [0, 1]], [Infinity, [0, 1]], ['euclidean', [0, 1]],
  ];
  for (const [ord, axis] of cases) for (const keepdims of [false, true]) {
    const f = (t: Tensor) => tf.norm(t, ord, axis, keepdims);
    assertGradientsMatch(`norm ${ord} ${axis}`, f, [x]);
    if (ord !== Infinity && !(ord === 1 && Array.isArray(axis))) assertSecondOrderMatches(`norm ${ord} ${axis}`, f, x);
    const tjOrd = ord === 'fro' ? 'fro' : ord;
    if (ord !== 3) assertAgreesWithTfjs(`norm ${ord} ${axis}`, [x], f, (t) => tfjs.norm(t, tjOrd as number, axis ?? undefined, keepdims));
  }
  assert.equal(tf.norm([3, 4]).dataSync()[0], 5);
  assert.equal(tf.norm([[1, -2], [3, 4]], 1, [-2, -1]).dataSync()[0], 6);
  assert.throws(() => tf.norm(rand([2, 2]), 2, [0, 1]), /norm: matrix norm of order 2 is not supported/);
});
type tf_ord = 'euclidean' | 'fro' | number;

test('clipByNorm and clipByGlobalNorm: TF numbers, gradients (clipped and unclipped), finite at zero', () => {
  assert.deepEqual(Array.from(tf.clipByNorm(tf.constant([3, 4], 'float64'), 1).dataSync()).map((v) => +v.toFixed(6)), [0.6, 0.8]);
  assert.deepEqual(Array.from(tf.clipByNorm(tf.constant([0.3, 0.4], 'float64'), 1).dataSync()).map((v) => +v.toFixed(6)), [0.3, 0.4]);
  for (const clip of [0.5, 100]) {
    const x = rand([3, 2]);
    assertGradientsMatch(`clipByNorm ${clip}`, (t) => tf.clipByNorm(t, clip), [x]);
    assertGradientsMatch(`clipByNorm ${clip} axes 1`, (t) => tf.clipByNorm(t, clip, [1]), [x]);
    assertSecondOrderMatches(`clipByNorm ${clip}`, (t) => tf.clipByNorm(t, clip), x);
    assertGradientsMatch(`clipByGlobalNorm ${clip}`, (a, b) => tf.concat([tf.reshape(tf.clipByGlobalNorm([a, b], clip)[0][0]!, [-1]), tf.reshape(tf.clipByGlobalNorm([a, b], clip)[0][1]!, [-1])], 0), [x, rand([4])]);
  }
  const zero = tf.zeros([3], 'float64');
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(zero); return tf.reduceSum(tf.clipByNorm(zero, 1)); });
  assert.ok(Array.from(tape.gradient(y, zero)!.dataSync()).every(Number.isFinite), 'finite gradient at zero');
  const [clipped, globalNorm] = tf.clipByGlobalNorm([tf.constant([3]), null, tf.constant([4])], 1);
  assert.equal(globalNorm.dataSync()[0], 5);
  assert.equal(clipped[1], null);
  assert.ok(Math.abs(clipped[0]!.dataSync()[0] - 0.6) < 1e-6 && Math.abs(clipped[2]!.dataSync()[0] - 0.8) < 1e-6);
  assert.equal(tf.linalg.globalNorm([tf.constant([3]), tf.constant([4])]).dataSync()[0], 5);
});
