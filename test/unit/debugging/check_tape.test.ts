// tf.test.checkTape: node-by-node finite differences (float64) agree with a correct tape everywhere, and a
// deliberately wrong customGradient is pinpointed as the suspect op.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';

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
