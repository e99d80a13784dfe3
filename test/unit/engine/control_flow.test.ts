// tf.cond and tf.whileLoop: eager, inside tf.function (branches and loops traced once, then picked / run for a
// data-dependent number of iterations on each call), with tf.gradients and tapes through both, checked against
// hand-derived derivatives and finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';

const values = (t: Tensor | null) => Array.from(t!.dataSync());
const close = (t: Tensor | null, expected: number[], what: string, tol = 1e-4) =>
  expected.forEach((e, i) => assert.ok(Math.abs(t!.dataSync()[i] - e) < tol, `${what}[${i}]: ${t!.dataSync()[i]} vs ${e}`));

test('tf.cond eager: runs one branch; a tape differentiates through the branch taken', () => {
  const x = tf.constant([1, 2]);
  assert.deepEqual(values(tf.cond(tf.greater(tf.reduceSum(x), 0), () => tf.square(x), () => tf.neg(x))), [1, 4]);
  assert.deepEqual(values(tf.cond(false, () => tf.square(x), () => tf.neg(x))), [-1, -2]);
  let falseRan = false;
  tf.cond(true, () => x, () => { falseRan = true; return x; });
  assert.equal(falseRan, false, 'eager cond does not run the other branch');
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return tf.reduceSum(tf.cond(tf.less(x.sum(), 10), () => tf.mul(x, x), () => x)); });
  assert.deepEqual(values(tape.gradient(y, x)), [2, 4]);
  assert.throws(() => tf.cond(tf.constant([true, false]), () => x, () => x), /tf.cond: the predicate must be a scalar, got shape \[2\]/);
});

test('tf.cond in tf.function: traced once, both branches recorded, the branch picked by each call\'s values', () => {
  let traces = 0;
  const f = tf.function((x: Tensor) => {
    traces++;
    return tf.cond(tf.greater(tf.reduceSum(x), 0), () => tf.square(x), () => tf.mul(x, -3));
  });
  assert.deepEqual(values(f(tf.constant([1, 2]))), [1, 4]);
  assert.deepEqual(values(f(tf.constant([-1, -2]))), [3, 6]);
  assert.deepEqual(values(f(tf.constant([3, -1]))), [9, 1]);
  assert.equal(traces, 1, 'one trace for one signature');
  assert.equal(f.tracingCount, 1);
  const ops = f.getGraph()!.nodes.map((n) => n.op);
  assert.ok(ops.includes('Cond'), `the graph has a Cond node: ${ops}`);
  assert.throws(() => tf.function((x: Tensor) => tf.cond(tf.greater(x.sum(), 0), () => x, () => x.sum()))(tf.ones([2])),
    /tf.cond: trueFn and falseFn must return the same structure of tensors with the same shapes and dtypes; got \[float32\[2\]\] and \[float32\[\]\]/);
});

test('tf.gradients through tf.cond in tf.function, first and second order, following the branch of each call', () => {
  // y = x³ if x > 0 else sin(x)
  const grads = tf.function((x: Tensor) => {
    const y = tf.cond(tf.greater(x, 0), () => tf.pow(x, 3), () => tf.sin(x));
    const [dy] = tf.gradients(y, x);
    const [d2y] = tf.gradients(dy!, x);
    return [y, dy!, d2y!];
  });
  for (const v of [2, -0.5, 1.5, -2]) {
    const [y, dy, d2y] = grads(tf.constant(v));
    const pos = v > 0;
    close(y, [pos ? v ** 3 : Math.sin(v)], `y(${v})`);
    close(dy, [pos ? 3 * v * v : Math.cos(v)], `dy(${v})`);
    close(d2y, [pos ? 6 * v : -Math.sin(v)], `d2y(${v})`);
  }
  assert.equal(grads.tracingCount, 1);
});

test('tf.cond with captured variables: tf.gradients and an outer tape reach the variable through the branch', () => {
  const w = new tf.Variable(3);
  const f = tf.function((x: Tensor) => {
    const y = tf.cond(tf.greater(x, 0), () => tf.mul(w, x), () => tf.square(w));
    return tf.gradients(y, [w, x]);
  });
  close(f(tf.constant(2))[0], [2], 'dy/dw, x > 0');
  close(f(tf.constant(-2))[0], [6], 'dy/dw, x < 0');
  // as in TF's graphs: x is connected through the cond, so the untaken branch contributes zeros (not None)
  close(f(tf.constant(-2))[1], [0], 'dy/dx, x < 0');
  close(f(tf.constant(2))[1], [3], 'dy/dx, x > 0');
  const g = tf.function((x: Tensor) => tf.cond(tf.greater(x, 0), () => tf.mul(w, x), () => tf.square(w)));
  const tape = new tf.GradientTape();
  const y = tape.record(() => g(tf.constant(-2)));
  close(tape.gradient(y, w), [6], 'outer tape: dy/dw');
});

test('a variable read only inside a traced branch or loop body is re-read on every replay (after assign)', () => {
  const w = new tf.Variable(2);
  const inBranch = tf.function((x: Tensor) => tf.cond(tf.greater(x, 0), () => tf.mul(w, x), () => x));
  const inLoop = tf.function((x: Tensor) => tf.whileLoop((v) => tf.less(v, 50), (v) => tf.mul(v, w), x) as Tensor);
  close(inBranch(tf.constant(3)), [6], 'w = 2');
  close(inLoop(tf.constant(3)), [96], 'w = 2: 3·2⁵');
  w.assign(5);
  close(inBranch(tf.constant(3)), [15], 'w = 5');
  close(inLoop(tf.constant(3)), [75], 'w = 5: 3·5²');
  assert.equal(inBranch.tracingCount, 1);
  assert.equal(inLoop.tracingCount, 1);
});

test('tf.whileLoop eager: runs until cond is false; a tape differentiates through every iteration', () => {
  const [i, x] = tf.whileLoop((i) => tf.less(i, 3), (i, x) => [tf.add(i, 1), tf.mul(x, 2)], [tf.constant(0), tf.constant(1)]) as Tensor[];
  assert.equal(i.dataSync()[0], 3);
  assert.equal(x.dataSync()[0], 8);
  const x0 = tf.constant(1.5);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x0); return tf.whileLoop((v) => tf.less(v, 10), (v) => tf.mul(v, v), x0) as Tensor; });
  // 1.5 → 2.25 → 5.0625 → 25.63: y = x^8, dy/dx = 8x^7
  close(y, [1.5 ** 8], 'y');
  close(tape.gradient(y, x0), [8 * 1.5 ** 7], 'dy/dx', 1e-2);
  assert.equal((tf.whileLoop(() => tf.constant(true), (v) => tf.add(v, 1), tf.constant(0), { maximumIterations: 5 }) as Tensor).dataSync()[0], 5);
  assert.throws(() => tf.whileLoop((v) => tf.less(tf.reduceSum(v), 5), (v) => tf.concat([v, v], 0), tf.ones([1])),
    /tf.whileLoop: loop variable 0 is float32\[1\] on entry but float32\[2\] after an iteration/);
});

test('tf.whileLoop in tf.function: one trace, a data-dependent trip count on every call, equal to the eager loop', () => {
  let traces = 0;
  const doubleUntil = (x: Tensor) => tf.whileLoop((v) => tf.less(tf.reduceSum(v), 100), (v) => tf.mul(v, 2), x) as Tensor;
  const f = tf.function((x: Tensor) => { traces++; return doubleUntil(x); });
  for (const start of [[1, 2], [30, 40], [200, 1], [0.5, 0.25]]) {
    assert.deepEqual(values(f(tf.constant(start))), values(doubleUntil(tf.constant(start))), `start ${start}`);
  }
  assert.equal(traces, 1);
  assert.ok(f.getGraph()!.nodes.some((n) => n.op === 'While'));
});

test('tf.gradients through tf.whileLoop in tf.function: 2ⁿ for a data-dependent n, captured variables included', () => {
  const g = tf.function((x: Tensor) => {
    const y = tf.whileLoop((v) => tf.less(v, 100), (v) => tf.mul(v, 2), x) as Tensor;
    return [y, tf.gradients(y, x)[0]!];
  });
  for (const [x0, n] of [[3, 6], [60, 1], [0.7, 8], [150, 0]]) {
    const [y, dy] = g(tf.constant(x0));
    close(y, [x0 * 2 ** n], `y(${x0})`);
    close(dy, [2 ** n], `dy/dx(${x0})`);
  }
  // x ← x·w for `steps` iterations (steps is data): y = x0·w^steps, dy/dw = steps·x0·w^(steps-1)
  const w = new tf.Variable(1.5);
  const h = tf.function((x0: Tensor, steps: Tensor) => {
    const [, y] = tf.whileLoop((i) => tf.less(i, steps), (i, x) => [tf.add(i, 1), tf.mul(x, w)], [tf.constant(0, 'int32'), x0]) as Tensor[];
    return tf.gradients(y, [w, x0]);
  });
  for (const steps of [1, 3, 4]) {
    const [dw, dx] = h(tf.constant(2), tf.constant(steps, 'int32'));
    close(dw, [steps * 2 * 1.5 ** (steps - 1)], `dy/dw, ${steps} steps`);
    close(dx, [1.5 ** steps], `dy/dx0, ${steps} steps`);
  }
});

test('a tape around a tf.function with cond and whileLoop matches finite differences', () => {
  const f = tf.function((x: Tensor) => {
    const y = tf.whileLoop((v) => tf.less(tf.reduceSum(tf.abs(v)), 20), (v) => tf.add(tf.mul(v, 1.5), tf.sin(v)), x) as Tensor;
    return tf.cond(tf.greater(tf.reduceSum(y), 0), () => tf.square(y), () => tf.exp(tf.mul(y, 0.1)));
  });
  for (const start of [[0.7, 1.1], [-1.3, -0.4]]) {
    const { theoretical, numerical } = tf.test.computeGradient((x: Tensor) => f(x), [tf.constant(start, 'float64')]);
    const a = theoretical[0].dataSync(), b = numerical[0].dataSync();
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4 * Math.max(1, Math.abs(b[i])), `start ${start} [${i}]: ${a[i]} vs ${b[i]}`);
  }
});
