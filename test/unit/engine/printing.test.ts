// Tensors print the way TF eager and NumPy print them, so cell output reads like the tutorials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine';

test('scalars: str and repr', () => {
  assert.equal(String(tf.constant(12.0)), 'tf.Tensor(12.0, shape=(), dtype=float32)');
  assert.equal(tf.constant(2.88).repr(), '<tf.Tensor: shape=(), dtype=float32, numpy=2.88>');
  assert.equal(tf.constant(-0.3333333).repr(), '<tf.Tensor: shape=(), dtype=float32, numpy=-0.3333333>');
  assert.equal(tf.constant(1e-5).repr(), '<tf.Tensor: shape=(), dtype=float32, numpy=1e-05>');
  assert.equal(tf.constant(3, 'int32').repr(), '<tf.Tensor: shape=(), dtype=int32, numpy=3>');
  assert.equal(tf.constant(true).repr(), '<tf.Tensor: shape=(), dtype=bool, numpy=True>');
  assert.equal(tf.constant(0.1, 'float64').repr(), '<tf.Tensor: shape=(), dtype=float64, numpy=0.1>');
});

test('vectors pad to a common width like NumPy (maxprec, right padding)', () => {
  assert.equal(tf.constant([-0.189046, 0.33562157, -0.14657557]).repr(),
    '<tf.Tensor: shape=(3,), dtype=float32, numpy=array([-0.189046  ,  0.33562157, -0.14657557], dtype=float32)>');
  assert.equal(String(tf.constant([0.5, 0.25])), 'tf.Tensor([0.5  0.25], shape=(2,), dtype=float32)');
  assert.equal(tf.constant([2, 0], 'int32').repr(), '<tf.Tensor: shape=(2,), dtype=int32, numpy=array([2, 0], dtype=int32)>');
  assert.equal(tf.constant([true, false]).repr(), '<tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>');
  assert.equal(tf.constant([1, 2], 'float64').repr(), '<tf.Tensor: shape=(2,), dtype=float64, numpy=array([1., 2.])>');
});

test('matrices go on their own lines, as in the seed', () => {
  const g = tf.constant([
    [0.06164198, 0.00467886, -0.06632083],
    [0.02359621, -0.03324214, 0.00964593],
    [0.05432683, 0.05197052, -0.10629735],
    [0.13250771, -0.03988266, -0.09262505],
  ]);
  assert.equal(g.repr(), `<tf.Tensor: shape=(4, 3), dtype=float32, numpy=
array([[ 0.06164198,  0.00467886, -0.06632083],
       [ 0.02359621, -0.03324214,  0.00964593],
       [ 0.05432683,  0.05197052, -0.10629735],
       [ 0.13250771, -0.03988266, -0.09262505]], dtype=float32)>`);
  assert.equal(String(tf.constant([[256, 2048], [4, 32]])), 'tf.Tensor(\n[[ 256. 2048.]\n [   4.   32.]], shape=(2, 2), dtype=float32)');
});

test('large tensors are elided with ... like NumPy; NaN and inf print as numpy does', () => {
  const big = tf.range(2000).reshape([2, 1000]);
  const text = String(big);
  assert.ok(text.includes('...'), text);
  assert.ok(text.length < 400, `elided text should be short, got ${text.length} chars`);
  assert.equal(String(tf.constant([NaN, Infinity, -Infinity, 1])), 'tf.Tensor([ nan  inf -inf   1.], shape=(4,), dtype=float32)');
});

test('numpy() gives a number for scalars and nested arrays otherwise', () => {
  assert.equal(tf.constant(3.5).numpy(), 3.5);
  assert.deepEqual(tf.ones([2, 1, 2]).numpy(), [[[1, 1]], [[1, 1]]]);
  assert.deepEqual(tf.constant([true, false]).numpy(), [true, false]);
});

test('variables print as TF variables', () => {
  const v = new tf.Variable(2.88, { name: 'x' });
  assert.equal(String(v), "<tf.Variable 'x:0' shape=() dtype=float32, numpy=2.88>");
});
