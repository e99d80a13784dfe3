// Every differentiable op against central differences in float64, over random shapes (broadcasting included),
// and second-order checks for the elementwise ops (the gradient of the gradient, through nested tapes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { rand, randInt, randShape, assertGradientsMatch, assertSecondOrderMatches, broadcastPairs } from './gradient_checks';

const unary: Array<[string, (x: Tensor) => Tensor, number, number, number?]> = [
  ['neg', tf.neg, -2, 2], ['square', tf.square, -2, 2], ['sqrt', tf.sqrt, 0.5, 3], ['exp', tf.exp, -2, 2],
  ['log', tf.log, 0.5, 3], ['abs', tf.abs, -2, 2, 0], ['tanh', tf.tanh, -2, 2], ['sigmoid', tf.sigmoid, -3, 3],
  ['relu', tf.relu, -2, 2, 0], ['sin', tf.sin, -3, 3], ['cos', tf.cos, -3, 3], ['reciprocal', tf.reciprocal, 0.5, 3],
  ['elu', tf.nn.elu, -2, 2, 0], ['softplus', tf.nn.softplus, -3, 3], ['leakyRelu', (x) => tf.nn.leakyRelu(x, 0.1), -2, 2, 0],
  ['selu', tf.nn.selu, -2, 2, 0], ['swish', tf.nn.swish, -2, 2], ['gelu', tf.nn.gelu, -2, 2],
  ['pow (constant exponent)', (x) => tf.pow(x, 3), -2, 2], ['clipByValue', (x) => tf.clipByValue(x, -1, 1), -2, 2, 1],
];

for (const [name, f, lo, hi, avoid] of unary) {
  test(`${name}: gradient and second derivative match finite differences`, () => {
    for (let trial = 0; trial < 3; trial++) {
      const x = rand(randShape(randInt(0, 3)), lo, hi, avoid);
      assertGradientsMatch(name, f, [x]);
      if (!['relu', 'abs', 'leakyRelu', 'clipByValue'].includes(name)) assertSecondOrderMatches(name, f, x);
    }
  });
}

const binary: Array<[string, (a: Tensor, b: Tensor) => Tensor, [number, number], [number, number]]> = [
  ['add', tf.add, [-2, 2], [-2, 2]], ['sub', tf.sub, [-2, 2], [-2, 2]], ['mul', tf.mul, [-2, 2], [-2, 2]],
  ['div', tf.div, [-2, 2], [0.5, 2]], ['pow', tf.pow, [0.5, 2], [-2, 2]],
];

for (const [name, f, ra, rb] of binary) {
  test(`${name}: gradients with broadcasting match finite differences, and second order`, () => {
    for (const [sa, sb] of broadcastPairs()) {
      const a = rand(sa, ...ra), b = rand(sb, ...rb);
      assertGradientsMatch(name, f, [a, b]);
      assertSecondOrderMatches(`${name}(x, b)`, (x) => f(x, b), a);
      assertSecondOrderMatches(`${name}(a, x)`, (x) => f(a, x), b);
    }
  });
}

test('maximum and minimum: gradients go to the winning operand, with broadcasting', () => {
  for (const [sa, sb] of broadcastPairs()) {
    const a = rand(sa), b = rand(sb);
    assertGradientsMatch('maximum', tf.maximum, [a, tf.add(b, 0.05)]);
    assertGradientsMatch('minimum', tf.minimum, [a, tf.add(b, 0.05)]);
  }
});

test('matmul: all four transpose combinations and broadcast batches match finite differences', () => {
  for (let trial = 0; trial < 3; trial++) {
    const [m, k, n] = [randInt(1, 4), randInt(1, 4), randInt(1, 4)];
    for (const ta of [false, true]) for (const tb of [false, true]) {
      const a = rand(ta ? [k, m] : [m, k]);
      const b = rand(tb ? [n, k] : [k, n]);
      assertGradientsMatch(`matmul ta=${ta} tb=${tb}`, (x, y) => tf.matmul(x, y, ta, tb), [a, b]);
      assertSecondOrderMatches('matmul(x, b) squared', (x) => tf.square(tf.matmul(x, b, ta, tb)), a);
    }
    const batch = randInt(2, 3);
    assertGradientsMatch('batched matmul', (a, b) => tf.matmul(a, b), [rand([batch, m, k]), rand([batch, k, n])]);
    assertGradientsMatch('batched @ broadcast matrix', (a, b) => tf.matmul(a, b), [rand([batch, m, k]), rand([k, n])]);
  }
});

test('reductions: sum, mean, max, min over every axis set, with and without keepdims', () => {
  const shape = [2, 3, 4];
  const axesList: Array<number | number[] | undefined> = [undefined, 0, 1, 2, -1, [0, 2], [0, 1], [1, 2]];
  for (const axis of axesList) for (const keepdims of [false, true]) {
    const x = rand(shape);
    assertGradientsMatch(`reduceSum ${axis}`, (t) => tf.reduceSum(t, axis, keepdims), [x]);
    assertGradientsMatch(`reduceMean ${axis}`, (t) => tf.reduceMean(t, axis, keepdims), [x]);
    assertGradientsMatch(`reduceMax ${axis}`, (t) => tf.reduceMax(t, axis, keepdims), [x]);
    assertGradientsMatch(`reduceMin ${axis}`, (t) => tf.reduceMin(t, axis, keepdims), [x]);
    assertSecondOrderMatches(`reduceSum of squares ${axis}`, (t) => tf.reduceSum(tf.square(t), axis, keepdims), x);
  }
});

test('shape ops: reshape, transpose, concat, stack, split, expandDims, squeeze, slice, gather, broadcastTo, tile', () => {
  const x = rand([2, 3, 4]);
  const checks: Array<[string, (t: Tensor) => Tensor]> = [
    ['reshape', (t) => tf.reshape(t, [4, -1])],
    ['transpose default', (t) => tf.transpose(t)],
    ['transpose perm', (t) => tf.transpose(t, [1, 0, 2])],
    ['concat', (t) => tf.concat([t, tf.square(t)], 1)],
    ['stack', (t) => tf.stack([t, tf.exp(t)], 2)],
    ['split', (t) => tf.mul(tf.split(t, [1, 3], 2)[1], 2)],
    ['unstack', (t) => tf.unstack(t, 1)[2]],
    ['expandDims', (t) => tf.expandDims(t, 1)],
    ['squeeze', (t) => tf.squeeze(tf.slice(t, [0, 1, 0], [2, 1, 4]))],
    ['slice begin/size', (t) => tf.slice(t, [1, 0, 1], [1, 2, -1])],
    ['slice python spec', (t) => t.slice('0, 1:, -2:')],
    ['gather', (t) => tf.gather(t, [2, 0, 2], 1)],
    ['broadcastTo', (t) => tf.broadcastTo(tf.slice(t, [0, 0, 0], [1, 3, 1]), [2, 3, 4])],
    ['tile', (t) => tf.tile(t, [1, 2, 1])],
    ['where', (t) => tf.where(tf.greater(t, 0), tf.square(t), tf.neg(t))],
  ];
  for (const [name, f] of checks) {
    assertGradientsMatch(name, f, [x]);
    assertSecondOrderMatches(name, (t) => tf.square(f(t)), x);
  }
});

test('softmax and logSoftmax on any axis, with second order', () => {
  for (const axis of [-1, 0, 1]) {
    const x = rand([3, 4]);
    const weights = rand([3, 4]);
    assertGradientsMatch(`softmax axis ${axis}`, (t) => tf.mul(tf.nn.softmax(t, axis), weights), [x]);
    assertGradientsMatch(`logSoftmax axis ${axis}`, (t) => tf.nn.logSoftmax(t, axis), [x]);
    assertSecondOrderMatches(`softmax axis ${axis}`, (t) => tf.nn.softmax(t, axis), x);
    assertSecondOrderMatches(`logSoftmax axis ${axis}`, (t) => tf.nn.logSoftmax(t, axis), x);
  }
});

test('losses: MSE, categorical (probabilities and logits), sparse categorical, binary (probabilities and logits)', () => {
  const labels = tf.cast(tf.oneHot([2, 0, 1], 3), 'float64');
  const logits = rand([3, 3]);
  const targets = rand([3, 3], 0, 1);
  assertGradientsMatch('MSE', (a, b) => tf.losses.MSE(a, b), [targets, logits]);
  assertGradientsMatch('categoricalCrossentropy logits', (l) => tf.losses.categoricalCrossentropy(labels, l, { fromLogits: true }), [logits]);
  assertGradientsMatch('categoricalCrossentropy probs', (p) => tf.losses.categoricalCrossentropy(labels, p), [rand([3, 3], 0.3, 0.9)]);
  assertGradientsMatch('sparseCategoricalCrossentropy', (l) => tf.losses.sparseCategoricalCrossentropy([2, 0, 1], l, { fromLogits: true }), [logits]);
  assertGradientsMatch('binaryCrossentropy logits', (l) => tf.losses.binaryCrossentropy(targets, l, { fromLogits: true }), [logits]);
  assertGradientsMatch('binaryCrossentropy probs', (p) => tf.losses.binaryCrossentropy(targets, p), [rand([3, 3], 0.1, 0.9)]);
  assertSecondOrderMatches('categoricalCrossentropy logits', (l) => tf.losses.categoricalCrossentropy(labels, l, { fromLogits: true }), logits);
});

test('customGradient: the tape uses the user\'s gradient (here the true one for log(1 + e^x))', () => {
  const logExp = tf.customGradient((x: Tensor) => {
    const e = tf.exp(x);
    return { value: tf.log(tf.add(1, e)), gradFunc: (dy: Tensor) => tf.mul(dy, tf.sub(1, tf.div(1, tf.add(1, tf.exp(x))))) };
  });
  const x = rand([5]);
  assertGradientsMatch('customGradient', (t) => logExp(t), [x]);
  // stable even where the naive gradient e^x / (1 + e^x) overflows
  const tape = new tf.GradientTape();
  const big = tf.constant([100.0]);
  const y = tape.record(() => { tape.watch(big); return logExp(big); });
  assert.deepEqual(tape.gradient(y, big)!.numpy(), [1]);
});
