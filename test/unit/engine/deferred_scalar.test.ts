// Float scalars made by elementwise ops keep their value and make their typed array only when it is read: every way
// of reading one must see exactly the value a stored float32/float64 would hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine';
import { scalarTensor } from '../../../engine/tensor/tensor';

test('a deferred float32 scalar reads as its float32 rounding everywhere: item, dataSync, numpy, size, print', () => {
  const t = tf.add(tf.scalar(0.1), tf.scalar(0.2));
  const stored = Math.fround(Math.fround(0.1) + Math.fround(0.2));
  assert.equal(t.scalarValue(), stored);
  assert.equal(t.item(), stored);
  assert.equal(t.size, 1);
  assert.equal(t.rank, 0);
  assert.equal(t.numpy(), stored);
  const values = t.dataSync();
  assert.ok(values instanceof Float32Array, 'float32 storage once read');
  assert.equal(values[0], stored);
  assert.equal(t.dataSync(), values, 'made once');
  assert.equal(t.toString(), 'tf.Tensor(0.3, shape=(), dtype=float32)');
  assert.equal(tf.tanh(tf.scalar(0.5)).item(), Math.fround(Math.tanh(Math.fround(0.5))));
});

test('float64 scalars keep every bit, int32 and bool scalars keep their typed arrays', () => {
  const t = tf.mul(tf.scalar(0.1, 'float64'), tf.scalar(3, 'float64'));
  assert.equal(t.item(), 0.1 * 3);
  assert.ok(t.dataSync() instanceof Float64Array);
  const i = tf.add(tf.scalar(7, 'int32'), tf.scalar(-2, 'int32'));
  assert.equal(i.item(), 5);
  assert.ok(i.dataSync() instanceof Int32Array);
  assert.equal(scalarTensor(1 / 3, 'float32').item(), Math.fround(1 / 3));
});

test('deferred scalars flow into non-scalar ops, broadcasting and variables unchanged', () => {
  const s = tf.sub(tf.scalar(5), tf.scalar(3));
  assert.deepEqual(tf.mul(tf.constant([1, 2, 3]), s).numpy(), [2, 4, 6]);
  assert.deepEqual(tf.stack([s, tf.neg(s)]).numpy(), [2, -2]);
  const v = new tf.Variable(tf.exp(tf.scalar(0)));
  assert.equal(v.item(), 1);
  v.assign(tf.square(tf.scalar(3)));
  assert.equal(v.item(), 9);
});
