// tf.autodiff.ForwardAccumulator: J·v agrees with reverse mode (uᵀJ·v = (Jᵀu)·v for random u, v) on random
// shapes with broadcasting and matmul, and forward-over-reverse Hessian-vector products agree with nested tapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { makeRng } from '../../../engine/ops/random';

const rng = makeRng(7);
const randn = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.constant(Float64Array.from({ length: n }, () => rng() * 2 - 1), 'float64', shape);
};
const dot = (a: Tensor, b: Tensor) => { const x = a.dataSync(); const y = b.dataSync(); let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * y[i]; return s; };
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);

test('jvp of sin(x) with tangent v is cos(x)·v', () => {
  const x = tf.constant([0.0, 1.0, 2.0]);
  const acc = new tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0, 3.0]));
  const y = acc.record(() => tf.sin(x));
  const j = acc.jvp(y)!.dataSync();
  [0, 1, 2].forEach((i) => close(j[i], Math.cos(i) * (i + 1), 1e-6));
});

test('jvp agrees with vjp on random shapes (broadcasting, matmul, reductions, nonlinearities)', () => {
  for (let trial = 0; trial < 6; trial++) {
    const m = 1 + Math.floor(rng() * 4);
    const k = 1 + Math.floor(rng() * 4);
    const n = 1 + Math.floor(rng() * 4);
    const a = randn([m, k]);
    const w = randn([k, n]);
    const b = randn([n]);       // broadcast over rows
    const f = (a: Tensor, w: Tensor, b: Tensor) => tf.tanh(tf.matmul(a, w).add(b)).mul(tf.exp(b.mul(0.5))).sub(tf.reduceSum(a.square(), 1, true));
    const [va, vw, vb] = [randn([m, k]), randn([k, n]), randn([n])];
    const acc = new tf.autodiff.ForwardAccumulator([a, w, b], [va, vw, vb]);
    const y = acc.record(() => f(a, w, b));
    const jv = acc.jvp(y)!;
    assert.deepEqual(jv.shape, [m, n]);
    const u = randn([m, n]);
    const tape = new tf.GradientTape();
    const y2 = tape.record(() => { tape.watch([a, w, b]); return f(a, w, b); });
    const [ga, gw, gb] = tape.gradient(y2, [a, w, b], { outputGradients: u });
    close(dot(u, jv), dot(ga!, va) + dot(gw!, vw) + dot(gb!, vb));
  }
});

test('jvp of a value that does not depend on the primals is null (or zeros)', () => {
  const x = tf.constant([1.0, 2.0]);
  const acc = new tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0]));
  const c = acc.record(() => tf.constant([3.0, 4.0]).mul(2));
  assert.equal(acc.jvp(c), null);
  assert.deepEqual(acc.jvp(c, { unconnectedGradients: 'zero' })!.numpy(), [0, 0]);
});

test('a tangent whose shape differs from its primal is rejected with both shapes', () => {
  assert.throws(() => new tf.autodiff.ForwardAccumulator(tf.constant([1.0, 2.0]), tf.constant([1.0])), /tangent #0 has shape \[1\] but its primal has shape \[2\]/);
});

test('forward-over-reverse Hessian-vector products agree with nested tapes', () => {
  for (let trial = 0; trial < 4; trial++) {
    const n = 2 + trial;
    const x = randn([n]);
    const A = randn([n, n]);
    const f = (x: Tensor) => tf.reduceSum(tf.tanh(tf.matmul(A, x.reshape([n, 1]))).mul(x.reshape([n, 1]))).add(x.square().mul(x).reduceSum());
    const v = randn([n]);
    // forward over reverse
    const acc = new tf.autodiff.ForwardAccumulator(x, v);
    let grad: Tensor | null = null;
    acc.record(() => {
      const tape = new tf.GradientTape();
      const y = tape.record(() => { tape.watch(x); return f(x); });
      grad = tape.gradient(y, x);
    });
    const hvpForward = acc.jvp(grad!)!;
    // reverse over reverse
    const outer = new tf.GradientTape();
    const gv = outer.record(() => {
      outer.watch(x);
      const inner = new tf.GradientTape();
      const y = inner.record(() => { inner.watch(x); return f(x); });
      return tf.reduceSum(inner.gradient(y, x)!.mul(v));
    });
    const hvpReverse = outer.gradient(gv, x)!;
    Array.from(hvpForward.dataSync()).forEach((h, i) => close(h, hvpReverse.dataSync()[i], 1e-9));
  }
});

test('reverse over forward: a tape around the accumulator differentiates the jvp (also a Hessian-vector product)', () => {
  const x = tf.constant([0.3, -0.7, 1.1], 'float64');
  const v = tf.constant([1.0, 2.0, -1.0], 'float64');
  const tape = new tf.GradientTape();
  const jv = tape.record(() => {
    tape.watch(x);
    const acc = new tf.autodiff.ForwardAccumulator(x, v);
    const y = acc.record(() => tf.reduceSum(x.square().mul(x)));
    return acc.jvp(y)!;
  });
  const h = tape.gradient(jv, x)!.dataSync();
  // f = Σx³: Hessian diag(6x), so Hv = 6·x·v
  [0, 1, 2].forEach((i) => close(h[i], 6 * x.dataSync()[i] * v.dataSync()[i]));
});
