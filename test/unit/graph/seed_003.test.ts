// Seed 003 (求梯度测试): derivatives of y = tanh(concat([x, t], 1) @ w) and of X⁴, in graph mode (tf.function +
// tf.gradients, which can differentiate with respect to x before the concat) and with eager tapes (which can
// only differentiate with respect to the watched X). Every number the seed prints, both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';

const values = (t: Tensor | null) => Array.from(t!.dataSync());
const closeAll = (actual: number[], expected: number[], tol = 1e-5) => {
  assert.equal(actual.length, expected.length, `${actual} vs ${expected}`);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${actual} ≠ ${expected}`));
};
const w = () => tf.constant([[2.0], [1.0]]);
const graFun = (X: Tensor) => tf.tanh(tf.matmul(X, w()));

// y = tanh(2x + t) at x = t = 1, by hand: s = 1 - tanh(3)², y' = 2s, d/dt = s, y'' = -8 y s, y''' = (24y² - 8)·2s
const y3 = Math.tanh(3);
const s = 1 - y3 * y3;
const expected = { g1: 2 * s, g2: s, gg1: -8 * y3 * s, ggg1: (24 * y3 * y3 - 8) * 2 * s };

test('seed 003 in graph mode: tf.gradients through concat gives 0.01973224, 0.00986612, -0.07853862, 0.31104344', () => {
  const derivatives = tf.function((x: Tensor, t: Tensor) => {
    const X = tf.concat([x, t], 1);
    const y = graFun(X);
    const [g1] = tf.gradients(y, x);
    const [g2] = tf.gradients(y, t);
    const [gg1] = tf.gradients(g1!, x);
    const [ggg1] = tf.gradients(gg1!, x);
    return { g1: g1!, g2: g2!, gg1: gg1!, ggg1: ggg1! };
  });
  const r = derivatives(tf.ones([4, 1]), tf.ones([4, 1]));
  closeAll(values(r.g1), new Array(4).fill(0.01973224));
  closeAll(values(r.g2), new Array(4).fill(0.00986612));
  closeAll(values(r.gg1), new Array(4).fill(-0.07853862));
  closeAll(values(r.ggg1), new Array(4).fill(0.31104344));
  // and the hand-derived values agree with the seed's printout
  closeAll([expected.g1, expected.g2, expected.gg1, expected.ggg1], [0.01973224, 0.00986612, -0.07853862, 0.31104344]);
});

test('seed 003 in graph mode: finite differences of the traced function confirm each derivative order', () => {
  const w64 = tf.constant([[2.0], [1.0]], 'float64');
  const f = tf.function((x: Tensor) => tf.tanh(tf.matmul(tf.concat([x, tf.ones([1, 1], 'float64')], 1), w64)));
  const at = (v: number) => f(tf.constant([[v]], 'float64')).dataSync()[0];
  const h = 1e-3;
  const d1 = (at(1 + h) - at(1 - h)) / (2 * h);
  const d2 = (at(1 + h) - 2 * at(1) + at(1 - h)) / (h * h);
  const d3 = (at(1 + 2 * h) - 2 * at(1 + h) + 2 * at(1 - h) - at(1 - 2 * h)) / (2 * h * h * h);
  closeAll([d1, d2, d3], [expected.g1, expected.gg1, expected.ggg1], 1e-4);
  // seven calls with one signature: traced once, the graph replayed on new values
  assert.equal(f.tracingCount, 1);
});

test('seed 003 X⁴ in graph mode: g1 = [4, 32], gg1[:, 0:1] = 12 (x = 1, t = 2)', () => {
  const f = tf.function((x: Tensor, t: Tensor) => {
    const X = tf.concat([x, t], 1);
    const y = X.mul(X).mul(X).mul(X);
    const [g1] = tf.gradients(y, X);
    const [gg1] = tf.gradients(g1!, X);
    return [g1!, gg1!.slice([0, 0], [-1, 1])];
  });
  const [g1, gg1Col] = f(tf.ones([4, 1]), tf.ones([4, 1]).mul(2));
  assert.deepEqual(g1.numpy(), [[4, 32], [4, 32], [4, 32], [4, 32]]);
  assert.deepEqual(gg1Col.numpy(), [[12], [12], [12], [12]]);
});

test('seed 003 X⁴ with eager tapes: g1 = [[256, 2048], [4, 32]], gg1 = [[192, 768], [12, 48]]', () => {
  const x = tf.constant([[4.0], [1.0]]);
  const t = tf.constant([[4.0], [1.0]]).mul(2.0);
  const X = tf.concat([x, t], 1);
  const tape1 = new tf.GradientTape();
  let g1: Tensor | null = null;
  tape1.record(() => {
    tape1.watch(X);
    const tape2 = new tf.GradientTape();
    const y = tape2.record(() => { tape2.watch(X); return X.mul(X).mul(X).mul(X); });
    g1 = tape2.gradient(y, X);
  });
  const gg1 = tape1.gradient(g1!, X);
  assert.deepEqual(g1!.numpy(), [[256, 2048], [4, 32]]);
  assert.deepEqual(gg1!.numpy(), [[192, 768], [12, 48]]);
});

test('seed 003 partial derivative with eager tapes: g1[:, 1:2] = [[2048], [32]], its gradient [[0, 768], [0, 48]]', () => {
  const x = tf.constant([[4.0], [1.0]]);
  const t = tf.constant([[4.0], [1.0]]).mul(2.0);
  const X = tf.concat([x, t], 1);
  const tape1 = new tf.GradientTape();
  let g1: Tensor | null = null;
  let g1t: Tensor | null = null;
  tape1.record(() => {
    tape1.watch(X);
    const tape2 = new tf.GradientTape();
    const y = tape2.record(() => { tape2.watch(X); return X.mul(X).mul(X).mul(X); });
    g1 = tape2.gradient(y, X);
    g1t = g1!.slice([0, 1], [-1, 1]);
  });
  const gg1t = tape1.gradient(g1t!, X);
  assert.deepEqual(g1!.numpy(), [[256, 2048], [4, 32]]);
  assert.deepEqual(g1t!.numpy(), [[2048], [32]]);
  assert.deepEqual(gg1t!.numpy(), [[0, 768], [0, 48]]);
});

test('seed 003 eager cells in graph mode give the same numbers', () => {
  const f = tf.function((x: Tensor, t: Tensor) => {
    const X = tf.concat([x, t], 1);
    const y = X.mul(X).mul(X).mul(X);
    const [g1] = tf.gradients(y, X);
    const g1t = g1!.slice([0, 1], [-1, 1]);
    const [gg1] = tf.gradients(g1!, X);
    const [gg1t] = tf.gradients(g1t, X);
    return [g1!, gg1!, g1t, gg1t!];
  });
  const [g1, gg1, g1t, gg1t] = f(tf.constant([[4.0], [1.0]]), tf.constant([[8.0], [2.0]]));
  assert.deepEqual(g1.numpy(), [[256, 2048], [4, 32]]);
  assert.deepEqual(gg1.numpy(), [[192, 768], [12, 48]]);
  assert.deepEqual(g1t.numpy(), [[2048], [32]]);
  assert.deepEqual(gg1t.numpy(), [[0, 768], [0, 48]]);
});

test('seed 003 eager tape with tanh: the same first and second derivatives as graph mode, with respect to X', () => {
  const X = tf.concat([tf.ones([4, 1]), tf.ones([4, 1])], 1);
  const tape1 = new tf.GradientTape();
  let g1: Tensor | null = null;
  tape1.record(() => {
    tape1.watch(X);
    const tape2 = new tf.GradientTape();
    const y = tape2.record(() => { tape2.watch(X); return graFun(X); });
    g1 = tape2.gradient(y, X);
  });
  const gg1 = tape1.gradient(g1!, X);
  closeAll(values(g1).filter((_, i) => i % 2 === 0), new Array(4).fill(expected.g1));
  closeAll(values(g1).filter((_, i) => i % 2 === 1), new Array(4).fill(expected.g2));
  // gradient of sum(g1) = d/dx (y_x + y_t) = d/dx 3s = 3·(-2y·2s) = -12ys; the t column is half of it
  closeAll(values(gg1).filter((_, i) => i % 2 === 0), new Array(4).fill(-12 * y3 * s));
  closeAll(values(gg1).filter((_, i) => i % 2 === 1), new Array(4).fill(-6 * y3 * s));
});

test('seed 003: an eager tape that watched only X cannot differentiate with respect to x, and says why', () => {
  const x = tf.ones([4, 1]);
  const t = tf.ones([4, 1]);
  tf.debugging.enableGradientExplanations(); // lineage tells where the path broke (the concat before recording)
  const X = tf.concat([x, t], 1);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(X); return graFun(X); });
  assert.equal(tape.gradient(y, x), null);
  const why = tape.explainGradient(y, x);
  tf.debugging.disableGradientExplanations();
  assert.equal(why.reason, 'recorded-outside');
  assert.match(why.message, /ConcatV2/);
});

test('seed 003 X⁴ with eager tapes at x = 1, t = 2: g1 = [4, 32] per row, gg1[:, 0:1] = 12', () => {
  const X = tf.concat([tf.ones([4, 1]), tf.ones([4, 1]).mul(2.0)], 1);
  const tape1 = new tf.GradientTape();
  let g1: Tensor | null = null;
  tape1.record(() => {
    tape1.watch(X);
    const tape2 = new tf.GradientTape();
    const y = tape2.record(() => { tape2.watch(X); return X.mul(X).mul(X).mul(X); });
    g1 = tape2.gradient(y, X);
  });
  const gg1 = tape1.gradient(g1!, X)!;
  assert.deepEqual(g1!.numpy(), [[4, 32], [4, 32], [4, 32], [4, 32]]);
  assert.deepEqual(gg1.slice([0, 0], [-1, 1]).numpy(), [[12], [12], [12], [12]]);
});

test('seed 003 eager: with respect to x (before the concat) the inner gradient is None, as the seed found', () => {
  tf.debugging.enableGradientExplanations();
  const x = tf.ones([4, 1]);
  const X = tf.concat([x, tf.ones([4, 1])], 1);
  const tape1 = new tf.GradientTape({ persistent: true });
  let g1: Tensor | null = null;
  tape1.record(() => {
    tape1.watch(X);
    const tape2 = new tf.GradientTape();
    const y = tape2.record(() => { tape2.watch(X); return graFun(X); });
    g1 = tape2.gradient(y, X);
  });
  tf.debugging.disableGradientExplanations();
  assert.equal(tape1.gradient(g1!, x), null);
  assert.equal(tape1.explainGradient(g1!, x).reason, 'recorded-outside');
});
