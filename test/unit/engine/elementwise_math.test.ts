// The elementwise ops TF's guides use (tf.math.*, tf.nn.*): float64 finite differences on random shapes,
// second order through nested tapes, and TensorFlow.js agreement in the same test where TF.js has the op.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { rand, randInt, randShape, assertGradientsMatch, assertSecondOrderMatches, broadcastPairs } from './gradient_checks';
import { tfjs, useTfjsCpu, assertAgreesWithTfjs, assertCloseToTfjs } from './tfjs_reference';

before(useTfjsCpu);

type Unary = { name: string; ours: (x: Tensor) => Tensor; lo: number; hi: number; avoid?: number; theirs?: (x: tfjs.Tensor) => tfjs.Tensor };

const unary: Unary[] = [
  { name: 'sinh', ours: tf.math.sinh, lo: -2, hi: 2, theirs: tfjs.sinh },
  { name: 'cosh', ours: tf.math.cosh, lo: -2, hi: 2, theirs: tfjs.cosh },
  { name: 'asin', ours: tf.math.asin, lo: -0.9, hi: 0.9, theirs: tfjs.asin },
  { name: 'acos', ours: tf.math.acos, lo: -0.9, hi: 0.9, theirs: tfjs.acos },
  { name: 'atan', ours: tf.math.atan, lo: -3, hi: 3, theirs: tfjs.atan },
  { name: 'erf', ours: tf.math.erf, lo: -3, hi: 3, theirs: tfjs.erf },
  { name: 'softplus', ours: tf.math.softplus, lo: -3, hi: 3, theirs: tfjs.softplus },
  { name: 'softsign', ours: tf.nn.softsign, lo: -3, hi: 3, avoid: 0 },
  { name: 'elu', ours: tf.nn.elu, lo: -2, hi: 2, avoid: 0, theirs: tfjs.elu },
  { name: 'selu', ours: tf.nn.selu, lo: -2, hi: 2, avoid: 0, theirs: tfjs.selu },
  { name: 'gelu (exact)', ours: (x) => tf.nn.gelu(x), lo: -3, hi: 3 },
  { name: 'gelu (tanh approximation)', ours: (x) => tf.nn.gelu(x, true), lo: -3, hi: 3 },
  { name: 'swish', ours: tf.nn.swish, lo: -3, hi: 3, theirs: (x) => x.mul(tfjs.sigmoid(x)) },
  { name: 'silu', ours: tf.nn.silu, lo: -3, hi: 3 },
  { name: 'leakyRelu', ours: (x) => tf.nn.leakyRelu(x, 0.3), lo: -2, hi: 2, avoid: 0, theirs: (x) => tfjs.leakyRelu(x, 0.3) },
  { name: 'logSigmoid', ours: tf.math.logSigmoid, lo: -4, hi: 4, theirs: tfjs.logSigmoid },
  { name: 'log1p', ours: tf.math.log1p, lo: -0.5, hi: 2, theirs: tfjs.log1p },
  { name: 'expm1', ours: tf.math.expm1, lo: -2, hi: 2, theirs: tfjs.expm1 },
  { name: 'reciprocal', ours: tf.math.reciprocal, lo: 0.5, hi: 3, theirs: tfjs.reciprocal },
  { name: 'rsqrt', ours: tf.math.rsqrt, lo: 0.5, hi: 3, theirs: tfjs.rsqrt },
];

for (const op of unary) {
  test(`${op.name}: gradient and second derivative match finite differences${op.theirs ? ', and TF.js agrees' : ''}`, () => {
    for (let trial = 0; trial < 3; trial++) {
      const x = rand(randShape(randInt(0, 3)), op.lo, op.hi, op.avoid);
      assertGradientsMatch(op.name, op.ours, [x]);
      assertSecondOrderMatches(op.name, op.ours, x);
      if (op.theirs) assertAgreesWithTfjs(op.name, [x], op.ours, op.theirs);
    }
  });
}

test('erf: values to double precision (erf(0.5), erf(1), erf(2), erf(-3) from tables)', () => {
  const v = tf.math.erf(tf.constant([0.5, 1, 2, -3], 'float64')).dataSync();
  [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014].forEach((e, i) => assert.ok(Math.abs(v[i] - e) < 1e-15, `erf: ${v[i]} vs ${e}`));
});

test('gelu: exact by default (TF approximate=False): gelu(1) = Φ(1) = 0.841345', () => {
  assert.ok(Math.abs(tf.nn.gelu(tf.constant([1], 'float64')).dataSync()[0] - 0.8413447460685429) < 1e-12);
});

test('round (half to even), floor, ceil: TF values, zero gradient (finite differences agree), TF.js agrees', () => {
  const x = tf.constant([0.5, 1.5, 2.5, -0.5, -1.5, 2.7, -2.7], 'float64');
  assert.deepEqual(Array.from(tf.math.round(x).dataSync()), [0, 2, 2, -0, -2, 3, -3]);
  assert.deepEqual(Array.from(tf.math.floor(x).dataSync()), [0, 1, 2, -1, -2, 2, -3]);
  assert.deepEqual(Array.from(tf.math.ceil(x).dataSync()), [1, 2, 3, -0, -1, 3, -2]);
  for (const [name, f, g] of [['round', tf.math.round, tfjs.round], ['floor', tf.math.floor, tfjs.floor], ['ceil', tf.math.ceil, tfjs.ceil]] as const) {
    const away = tf.add(tf.round(rand([2, 3], -3, 3)), rand([2, 3], 0.1, 0.35));
    assertGradientsMatch(name, f, [away]);
    const tape = new tf.GradientTape();
    const y = tape.record(() => { tape.watch(away); return f(away); });
    assert.deepEqual(Array.from(tape.gradient(y, away)!.dataSync()), new Array(6).fill(0), `${name}: gradient is zeros, not null`);
    assertAgreesWithTfjs(name, [away], f, g, false);
  }
});

test('sign: gradient is zeros, not null (TF)', () => {
  const x = tf.constant([-2, 0, 3]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return tf.sign(x); });
  assert.deepEqual(Array.from(tape.gradient(y, x)!.dataSync()), [0, 0, 0]);
});

test('atan2: gradients with broadcasting, second order, and TF.js agrees', () => {
  for (const [sa, sb] of broadcastPairs()) {
    const y = rand(sa, -2, 2), x = rand(sb, 0.3, 2);
    assertGradientsMatch('atan2', tf.math.atan2, [y, x]);
    assertSecondOrderMatches('atan2(y, b)', (t) => tf.math.atan2(t, x), y);
    assertSecondOrderMatches('atan2(a, x)', (t) => tf.math.atan2(y, t), x);
    assertAgreesWithTfjs('atan2', [y, x], tf.math.atan2, tfjs.atan2);
  }
  assert.ok(Math.abs(tf.math.atan2(1, -1).dataSync()[0] - 3 * Math.PI / 4) < 1e-6, 'atan2 uses the quadrant');
});

test('floorMod: Python semantics, gradients with broadcasting (dx = dy, dy = -floor(x/y)·dy), TF.js agrees; floorDiv', () => {
  assert.deepEqual(Array.from(tf.math.floorMod([7, -7, 7, -7], [3, 3, -3, -3]).dataSync()), [1, 2, -2, -1]);
  assert.deepEqual(Array.from(tf.math.floorDiv([7, -7, 7, -7], [2, 2, -2, -2]).dataSync()), [3, -4, -4, 3]);
  for (const [sa, sb] of broadcastPairs()) {
    // |x| < y, so x/y stays inside (0, 1) or (-1, 0): away from the jumps of floor
    const x = rand(sa, 0.1, 1.9), y = rand(sb, 2, 3);
    for (const xs of [x, tf.neg(x)]) {
      assertGradientsMatch('floorMod', tf.math.floorMod, [xs, y]);
      assertAgreesWithTfjs('floorMod', [xs, y], tf.math.floorMod, tfjs.mod);
      assertAgreesWithTfjs('floorDiv', [xs, y], tf.math.floorDiv, tfjs.floorDiv, false);
    }
  }
});

test('isNan, isFinite, isInf: bool results as TF (and TF.js for isNaN/isFinite)', () => {
  const x = tf.constant([1, NaN, Infinity, -Infinity, 0]);
  assert.deepEqual(Array.from(tf.math.isNan(x).dataSync()), [0, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(tf.math.isFinite(x).dataSync()), [1, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(tf.math.isInf(x).dataSync()), [0, 0, 1, 1, 0]);
  assert.equal(tf.math.isNan(x).dtype, 'bool');
  const their = tfjs.tensor([1, NaN, Infinity, -Infinity, 0]);
  assertCloseToTfjs(tf.cast(tf.math.isNan(x), 'int32'), tfjs.cast(tfjs.isNaN(their), 'int32'), 'isNaN');
  assertCloseToTfjs(tf.cast(tf.math.isFinite(x), 'int32'), tfjs.cast(tfjs.isFinite(their), 'int32'), 'isFinite');
});

test('xlogy and addN: TF values (0 where x = 0), gradients with broadcasting and second order', () => {
  assert.deepEqual(Array.from(tf.math.xlogy([0, 2], [0, Math.E]).dataSync()).map((v) => +v.toFixed(5)), [0, 2]);
  assert.deepEqual(Array.from(tf.math.addN([[1, 2], [3, 4], [5, 6]]).dataSync()), [9, 12]);
  assert.throws(() => tf.math.addN([]), /addN: expected a non-empty list/);
  for (const [sa, sb] of broadcastPairs()) {
    const x = rand(sa, -2, 2), y = rand(sb, 0.5, 2);
    assertGradientsMatch('xlogy', tf.math.xlogy, [x, y]);
    assertSecondOrderMatches('xlogy(x, b)', (t) => tf.math.xlogy(t, y), x);
    assertSecondOrderMatches('xlogy(a, y)', (t) => tf.math.xlogy(x, t), y);
  }
  const a = rand([2, 3]), b = rand([2, 3]), c = rand([2, 3]);
  assertGradientsMatch('addN', (p, q, r) => tf.math.addN([p, tf.square(q), r]), [a, b, c]);
  assertAgreesWithTfjs('addN', [a, b, c], (p, q, r) => tf.math.addN([p, tf.square(q), r]), (p, q, r) => tfjs.addN([p, tfjs.square(q), r]));
});

test('tf.math holds the existing elementwise ops and reductions under their TF names', () => {
  for (const name of ['add', 'subtract', 'multiply', 'divide', 'sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'square', 'abs', 'sign', 'negative',
    'pow', 'maximum', 'minimum', 'tanh', 'sigmoid', 'squaredDifference', 'reduceSum', 'reduceMean', 'reduceMax', 'reduceMin', 'reduceProd',
    'reduceLogsumexp', 'reduceStd', 'reduceVariance', 'reduceAll', 'reduceAny', 'argmax', 'argmin', 'cumsum', 'cumprod', 'equal', 'less', 'logicalAnd', 'topK']) {
    assert.equal(typeof (tf.math as Record<string, unknown>)[name], 'function', `tf.math.${name}`);
  }
  assert.deepEqual(Array.from(tf.math.squaredDifference([1, 4], 2).dataSync()), [1, 4]);
  assert.deepEqual(Array.from(tf.math.divideNoNan([1, 2], [0, 4]).dataSync()), [0, 0.5]);
  assert.equal(tf.math.reduceAll([true, false]).dataSync()[0], 0);
  assert.equal(tf.math.reduceAny([true, false]).dataSync()[0], 1);
});
