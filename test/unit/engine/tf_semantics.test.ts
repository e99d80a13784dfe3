// TensorFlow's autodiff contract in the cases TF's guides and tests state (issue #13, item 1), each against TF's
// own number or TF's own error text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine/index';

test('a gradient taken inside a persistent tape\'s own record() is recorded: x³ at 3 gives 27, 18, 6 on one tape (TF guide)', () => {
  const x = new tf.Variable(3.0);
  const tape = new tf.GradientTape({ persistent: true });
  const [y, dy, d2y, d3y] = tape.record(() => {
    const y = x.mul(x).mul(x);
    const dy = tape.gradient(y, x)!;
    const d2y = tape.gradient(dy, x)!;
    const d3y = tape.gradient(d2y, x)!;
    return [y, dy, d2y, d3y];
  });
  assert.deepEqual([y, dy, d2y, d3y].map((t) => t.numpy()), [27, 27, 18, 6]);
});

test('nested ForwardAccumulators give the second-order JVP, read after both blocks (TF forwardprop: x³ at 1 → 9, then 36)', () => {
  const x = tf.constant(1.0);
  const outer = new tf.autodiff.ForwardAccumulator(x, tf.constant(2.0));
  const inner = new tf.autodiff.ForwardAccumulator(x, tf.constant(3.0));
  const y = outer.record(() => inner.record(() => x.pow(3)));
  const jvp = inner.jvp(y)!;
  assert.equal(jvp.numpy(), 9); // 3x²·3
  assert.equal(outer.jvp(jvp)!.numpy(), 36); // 6x·3·2
});

test('a Variable as its own target has gradient 1, watched or not (TF: d x / d x = 1)', () => {
  const v = new tf.Variable(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  tape.record(() => v.mul(1));
  assert.equal(tape.gradient(v, v)!.numpy(), 1);
  const untouched = new tf.GradientTape();
  untouched.record(() => 0);
  assert.equal(untouched.gradient(v, v)!.numpy(), 1);
});

test('a dict of targets is accepted and its sum differentiated (TF nests targets like sources)', () => {
  const w = new tf.Variable(2.0);
  const tape = new tf.GradientTape();
  const out = tape.record(() => ({ linear: w.mul(3), square: w.square(), list: [w.mul(0.5)] }));
  assert.equal(tape.gradient(out, w)!.numpy(), 3 + 4 + 0.5);
});

test('tape.jacobian(z, [x, y]) gives one Jacobian per source (TF returns a list)', () => {
  const x = tf.constant([1, 2]);
  const y = tf.constant([3, 4, 5]);
  const tape = new tf.GradientTape();
  const z = tape.record(() => { tape.watch([x, y]); return tf.concat([x.mul(2), y.square()], 0); });
  const [jx, jy] = tape.jacobian(z, [x, y]);
  assert.deepEqual(jx!.numpy(), [[2, 0], [0, 2], [0, 0], [0, 0], [0, 0]]);
  assert.deepEqual(jy!.numpy(), [[0, 0, 0], [0, 0, 0], [6, 0, 0], [0, 8, 0], [0, 0, 10]]);
});

test('batchJacobian: an empty batch gives an empty Jacobian; rank-1 inputs are refused with TF\'s error', () => {
  const x = tf.zeros([0, 2]);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(x); return tf.concat([x, x], 1).mul(2); });
  const j = tape.batchJacobian(y, x)!;
  assert.deepEqual(j.shape, [0, 4, 2]);
  const v = tf.constant([1, 2, 3]);
  const t = new tf.GradientTape();
  const w = t.record(() => { t.watch(v); return v.square(); });
  assert.throws(() => t.batchJacobian(w, v), { message: 'Shape (3,) must have rank at least 2' });
});

test('unconnectedGradients other than none/zero is rejected with TF\'s error', () => {
  const x = new tf.Variable(1.0);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => x.square());
  assert.throws(() => tape.gradient(y, x, { unconnectedGradients: 'nonsense' as never }), { message: "Unknown value for unconnected_gradients: 'nonsense'" });
  assert.throws(() => tape.jacobian(y, x, { unconnectedGradients: 'nonsense' as never }), { message: "Unknown value for unconnected_gradients: 'nonsense'" });
  assert.equal(tape.gradient(y, x, { unconnectedGradients: 'zero' })!.numpy(), 2);
});

test('a customGradient returning a [2,3] gradient for a [3] input is an error naming the op, the input and both shapes', () => {
  const f = tf.customGradient((x) => ({ value: x.mul(2), gradFunc: () => tf.ones([2, 3]) }));
  const x = tf.constant([1, 2, 3]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return f(x); });
  assert.throws(() => tape.gradient(y, x), /^Error: Error in gradient for op CustomGradient\. The gradient of input 0 has shape \[2,3\], which does not match the shape of the input \[3\]$/);
});
