// GradientTape's contract, point by point, as TensorFlow states it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';

test('trainable variables read while recording are watched; non-trainable ones and constants are not', () => {
  const v = new tf.Variable(2.0);
  const frozen = new tf.Variable(3.0, { trainable: false });
  const c = tf.constant(4.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => v.mul(frozen).mul(c));
  assert.deepEqual(tape.watchedVariables(), [v]);
  const [gv, gf, gc] = tape.gradient(y, [v, frozen, c]);
  assert.equal(gv!.numpy(), 12);
  assert.equal(gf, null);
  assert.equal(gc, null);
});

test('watchAccessedVariables: false watches only what watch() names', () => {
  const a = new tf.Variable(2.0), b = new tf.Variable(5.0);
  const tape = new tf.GradientTape({ watchAccessedVariables: false });
  const y = tape.record(() => { tape.watch(a); return a.mul(b); });
  const [ga, gb] = tape.gradient(y, [a, b]);
  assert.equal(ga!.numpy(), 5);
  assert.equal(gb, null);
});

test('ops on unwatched values are not recorded', () => {
  const c = tf.constant([1, 2, 3]);
  const tape = new tf.GradientTape();
  tape.record(() => c.mul(2).add(1).reduceSum());
  assert.equal(tape.nodes.length, 0);
});

test('unconnectedGradients: "zero" gives zeros of the source shape instead of null', () => {
  const x = tf.constant([1, 2]);
  const z = tf.constant([[3, 4]]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch([x, z]); return x.square().reduceSum(); });
  const [gx, gz] = tape.gradient(y, [x, z], { unconnectedGradients: 'zero' });
  assert.deepEqual(gx!.numpy(), [2, 4]);
  assert.deepEqual(gz!.numpy(), [[0, 0]]);
});

test('sources as an object (nested) give gradients of the same structure', () => {
  const w = new tf.Variable([[1, 2]]), b = new tf.Variable([3]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => w.reduceSum().mul(b.reduceSum()));
  const g = tape.gradient(y, { layer: { w, b }, again: [w] });
  assert.deepEqual(g.layer.w!.numpy(), [[3, 3]]);
  assert.deepEqual(g.layer.b!.numpy(), [3]);
  assert.deepEqual(g.again[0]!.numpy(), [[3, 3]]);
});

test('a non-scalar target gives the gradient of its sum; outputGradients weights it', () => {
  const x = tf.constant([1, 2, 3]);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(x); return x.square(); });
  assert.deepEqual(tape.gradient(y, x)!.numpy(), [2, 4, 6]);
  assert.deepEqual(tape.gradient(y, x, { outputGradients: [1, 0, -1] })!.numpy(), [2, 0, -6]);
  assert.throws(() => tape.gradient(y, x, { outputGradients: [1, 0] }), /outputGradients shape \[2\] does not match target shape \[3\]/);
});

test('integer sources give null, even when watched', () => {
  const i = tf.constant([1, 2], 'int32');
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(i); return tf.cast(i, 'float32').mul(2).reduceSum(); });
  assert.equal(tape.gradient(y, i), null);
});

test('stopRecording pauses the tape; stopGradient cuts the path', () => {
  const x = new tf.Variable(3.0);
  const tape = new tf.GradientTape({ persistent: true });
  let paused!: Tensor;
  const y = tape.record(() => {
    paused = tape.stopRecording(() => x.mul(x));
    return x.mul(tf.stopGradient(x.mul(x)));
  });
  assert.equal(tape.gradient(paused, x), null);
  assert.equal(tape.gradient(y, x)!.numpy(), 9); // d/dx [x * const(x^2)] = x^2
});

test('reset() forgets records and watches', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  tape.record(() => { tape.watch(x); return x.square(); });
  tape.reset();
  const y = tape.record(() => x.square());
  assert.equal(tape.gradient(y, x), null);
});

test('record() returns the function\'s value, works with async functions, and refuses re-entry', async () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape();
  const y = await tape.record(async () => {
    tape.watch(x);
    await new Promise((r) => setTimeout(r, 1));
    assert.throws(() => tape.record(() => 1), /already recording/);
    return x.mul(x).mul(x);
  });
  assert.equal(tape.isRecording, false);
  assert.equal(tape.gradient(y, x)!.numpy(), 12);
});

test('gradient of the sum of several targets, the same target twice counts twice', () => {
  const x = tf.constant(1.5);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return x.mul(x); });
  assert.equal(tape.gradient([y, y], x)!.numpy(), 6);
});

test('jacobian: shape target ++ source, equal to the hand-derived matrix, and differentiable by an outer tape', () => {
  const x = tf.constant([1.0, 2.0, 3.0]);
  const outer = new tf.GradientTape();
  let jac!: Tensor;
  outer.record(() => {
    outer.watch(x);
    const tape = new tf.GradientTape();
    const y = tape.record(() => { tape.watch(x); return x.square().mul(tf.constant([[1], [2]])); }); // [2,3]
    jac = tape.jacobian(y, x)!;
  });
  assert.deepEqual(jac.shape, [2, 3, 3]);
  assert.deepEqual(jac.numpy(), [
    [[2, 0, 0], [0, 4, 0], [0, 0, 6]],
    [[4, 0, 0], [0, 8, 0], [0, 0, 12]],
  ]);
  // d/dx of the sum of the jacobian = sum over rows of d(2 c x_i)/dx_i = 2 * (1 + 2) per element
  assert.deepEqual(outer.gradient(jac, x)!.numpy(), [6, 6, 6]);
});

test('batchJacobian: per-example Jacobians of a batch', () => {
  const x = tf.constant([[1, 2], [3, 4]]);
  const w = tf.constant([[1, 0, 2], [0, 1, 3]]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return x.matmul(w).square(); }); // [2,3]
  const bj = tape.batchJacobian(y, x)!;
  assert.deepEqual(bj.shape, [2, 3, 2]);
  // example 0: h = [1, 2, 8]; d(h_j^2)/dx_i = 2 h_j w_ij
  assert.deepEqual(bj.numpy(), [
    [[2, 0], [0, 4], [32, 48]],
    [[6, 0], [0, 8], [2 * 18 * 2, 2 * 18 * 3]],
  ]);
});

test('watch() refuses non-tensors with a clear message', () => {
  const tape = new tf.GradientTape();
  assert.throws(() => tape.watch(3 as unknown as Tensor), /GradientTape.watch: expected a tf.Tensor or tf.Variable, got number/);
});

test('gradients of a variable stay right after it is assigned (reads are snapshots)', () => {
  const v = new tf.Variable(3.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => v.mul(v));
  v.assign(100);
  assert.equal(tape.gradient(y, v)!.numpy(), 6);
  assert.equal(v.numpy(), 100);
});

test('nested tapes: the inner gradient is recorded on the outer tape and marked as such', () => {
  const x = new tf.Variable(2.0);
  const outer = new tf.GradientTape();
  const inner = new tf.GradientTape();
  let g!: Tensor;
  outer.record(() => {
    const y = inner.record(() => x.pow(3));
    g = inner.gradient(y, x)!;
  });
  assert.equal(inner.parentTapeId, outer.id);
  assert.deepEqual(outer.childTapeIds, [inner.id]);
  assert.ok(outer.nodes.some((n) => n.recordedDuringGradientOf === inner.id));
  assert.equal(outer.gradient(g, x)!.numpy(), 12);
});

test('name scopes are recorded on nodes', () => {
  const x = new tf.Variable([1, 2]);
  const tape = new tf.GradientTape();
  tape.record(() => tf.nameScope('dense', () => tf.nameScope('inner', () => x.mul(2))));
  assert.deepEqual(tape.nodes[0].scope, ['dense', 'inner']);
});
