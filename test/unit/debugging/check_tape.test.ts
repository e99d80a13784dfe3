// tf.test.checkTape: node-by-node finite differences (float64) agree with a correct tape everywhere, and a
// deliberately wrong customGradient is pinpointed as the suspect op.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { setFloat64ElementwisePath } from '../../../engine/kernels/elementwise/elementwise_f64_wasm';

const cube = (wrongFactor: number) => tf.customGradient((x: Tensor) => ({
  value: x.mul(x).mul(x),
  gradFunc: (dy: Tensor) => dy.mul(x.square().mul(wrongFactor)),   // the right factor is 3
}));

function model(x: Tensor, w: Tensor, cubeOp: (x: Tensor) => Tensor): Tensor {
  const h = tf.tanh(tf.matmul(x, w));
  const c = cubeOp(h.add(0.5));
  return tf.reduceSum(tf.exp(c.mul(0.3)).mul(h));
}

const inputs = () => ({
  x: tf.constant([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], 'float64'),
  w: tf.constant([[0.3, -0.1], [0.2, 0.4], [-0.5, 0.1]], 'float64'),
});

test('a correct tape passes at every node', () => {
  const { x, w } = inputs();
  const tape = new tf.GradientTape({ persistent: true, checkable: true });
  const y = tape.record(() => { tape.watch([x, w]); return model(x, w, (h) => cube(3)(h) as Tensor); });
  const report = tf.test.checkTape(tape, y, [x, w]);
  assert.equal(report.ok, true, JSON.stringify(report.nodes));
  assert.equal(report.suspect, null);
  assert.ok(report.nodes.length >= 8);
  for (const n of report.nodes) assert.ok(n.relativeError < 1e-6, `${n.op}: ${n.relativeError}`);
  // the check leaves the values as they were
  assert.ok(Math.abs(y.dataSync()[0] - model(x, w, (h) => h.mul(h).mul(h)).dataSync()[0]) < 1e-12);
});

test('a wrong customGradient is pinpointed: its output checks out, its input does not', () => {
  const { x, w } = inputs();
  const tape = new tf.GradientTape({ persistent: true, checkable: true });
  const y = tape.record(() => { tape.watch([x, w]); return model(x, w, (h) => cube(2)(h) as Tensor); });
  const report = tf.test.checkTape(tape, y, [x, w]);
  assert.equal(report.ok, false);
  assert.equal(report.suspect?.op, 'CustomGradient');
  const byOp = new Map(report.nodes.map((n) => [n.op, n]));
  assert.ok(byOp.get('CustomGradient')!.ok, 'the gradient reaching the custom op is right');
  assert.ok(!byOp.get('Add')!.ok, 'the gradient it passes back is wrong');
  assert.ok(!byOp.get('MatMul')!.ok);
  // downstream of the custom op everything agrees
  assert.ok(byOp.get('Exp')!.ok);
});

test('checkTape explains what it needs when the tape keeps no forward log', () => {
  const x = tf.constant(1.0, 'float64');
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(x); return x.mul(x); });
  assert.throws(() => tf.test.checkTape(tape, y, x), /checkable: true/);
});

// A Dense 60→40 tanh → 8 MLP in float64, large enough that tanh, its gradient and the products run in WASM.
function mlp(tanhOp: (z: Tensor) => Tensor) {
  const normal = (shape: number[], stddev: number, seed: number) => tf.cast(tf.random.normal(shape, { stddev, seed }), 'float64');
  const x = normal([32, 60], 1, 1);
  const w1 = normal([60, 40], 0.2, 2);
  const w2 = normal([40, 8], 0.3, 3);
  const labels = tf.cast(tf.oneHot(tf.constant(Array.from({ length: 32 }, (_, i) => i % 8), 'int32'), 8), 'float64');
  const tape = new tf.GradientTape({ persistent: true, checkable: true });
  const loss = tape.record(() => {
    tape.watch([w1, w2]);
    return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits(labels, tf.matmul(tanhOp(tf.matmul(x, w1)), w2)));
  });
  return { tape, loss, w1, w2 };
}

/** tanh with a hand-written gradient; `wrongAt` ≥ 0 corrupts the gradient of that one entry. */
const tanhWithGradient = (wrongAt: number) => tf.customGradient((z: Tensor) => {
  const y = tf.tanh(z);
  return {
    value: y,
    gradFunc: (dy: Tensor) => {
      const g = dy.mul(tf.sub(1, y.square()));
      if (wrongAt < 0) return g;
      const bump = new Float64Array(g.size);
      bump[wrongAt] = 0.5;
      return g.add(tf.reshape(tf.constant(Array.from(bump), 'float64'), g.shape));
    },
  };
});

for (const path of ['wasm-simd', 'typescript'] as const) {
  test(`a float64 MLP (float64 elementwise kernels on ${path}): a right tanh gradient passes, one wrong in a single entry is pinpointed`, () => {
    setFloat64ElementwisePath(path);
    try {
      const right = mlp((z) => tanhWithGradient(-1)(z) as Tensor);
      const good = tf.test.checkTape(right.tape, right.loss, [right.w1, right.w2]);
      assert.equal(good.ok, true, JSON.stringify(good.nodes));
      for (const n of good.nodes) assert.ok(n.relativeError < 1e-6, `${n.op}: ${n.relativeError}`);

      const wrong = mlp((z) => tanhWithGradient(17)(z) as Tensor);
      const bad = tf.test.checkTape(wrong.tape, wrong.loss, [wrong.w1, wrong.w2]);
      assert.equal(bad.ok, false);
      assert.equal(bad.suspect?.op, 'CustomGradient');
      const [hidden, logits] = bad.nodes.filter((n) => n.op === 'MatMul');
      assert.ok(bad.nodes.find((n) => n.op === 'CustomGradient')!.ok, 'the gradient reaching tanh is right');
      assert.ok(logits.ok);
      assert.ok(!hidden.ok, 'the one it passes back is wrong');
      assert.ok(!bad.nodes[0].ok, 'so is W1’s');
      assert.ok(bad.nodes[1].ok, 'W2’s gradient does not go through tanh');
    } finally {
      setFloat64ElementwisePath('wasm-simd');
    }
  });
}

test('the check leaves every logged value exactly as it was', () => {
  const { tape, loss, w1, w2 } = mlp((z) => tf.tanh(z));
  const before = tape.forwardLog!.nodes.map((n) => Array.from(n.output.dataSync()));
  const sources = [w1, w2].map((w) => Array.from(w.dataSync()));
  assert.equal(tf.test.checkTape(tape, loss, [w1, w2]).ok, true);
  assert.deepEqual(tape.forwardLog!.nodes.map((n) => Array.from(n.output.dataSync())), before);
  assert.deepEqual([w1, w2].map((w) => Array.from(w.dataSync())), sources);
});

test('a customGradient whose value is a source it does not take as input is caught (its reruns include that op)', () => {
  const x = tf.constant([0.5, -1, 2], 'float64');
  const w = tf.constant([0.3, 0.7, -0.2], 'float64');
  // value = w, but the op claims to depend on x only: the tape misses one of w's two paths to y = Σ w·w
  const hidden = tf.customGradient((_x: Tensor) => ({ value: w, gradFunc: (dy: Tensor) => dy.mul(0) }));
  const tape = new tf.GradientTape({ persistent: true, checkable: true });
  const y = tape.record(() => { tape.watch([x, w]); return tf.reduceSum(tf.mul(hidden(x), w)); });
  const report = tf.test.checkTape(tape, y, [x, w]);
  const wCheck = report.nodes.find((n) => n.op === 'source' && n.tensorId === w.id)!;
  assert.equal(wCheck.ok, false, JSON.stringify(wCheck));
  assert.ok(Math.abs(wCheck.numeric - 2 * wCheck.analytic) < 1e-8, 'the differences see both paths (2w), the tape one (w)');
});
