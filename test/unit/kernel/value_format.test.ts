import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine';
import { formatPrint, reprValue, shortValue } from '../../../src/kernel/value_format';

test('print shows a tensor as TF prints it, a Variable by its repr, None/True/False as Python does', () => {
  const t = tf.constant([1, 2]);
  const v = new tf.Variable(2.88, { name: 'x' });
  assert.equal(formatPrint([t]), 'tf.Tensor([1. 2.], shape=(2,), dtype=float32)');
  assert.equal(formatPrint([v]), "<tf.Variable 'x:0' shape=() dtype=float32, numpy=2.88>");
  assert.equal(formatPrint(['a', null, true, false, 3]), 'a None True False 3');
});

test('lists print like Python lists, their items by repr (strings quoted, tensors in full repr)', () => {
  assert.equal(formatPrint([[1, 'a', [null, tf.scalar(2)]]]), "[1, 'a', [None, <tf.Tensor: shape=(), dtype=float32, numpy=2.0>]]");
  assert.equal(reprValue({ loss: 0.5, name: "it's" }), "{'loss': 0.5, 'name': 'it\\'s'}");
  const cyclic: unknown[] = [1];
  cyclic.push(cyclic);
  assert.equal(reprValue(cyclic), '[1, [...]]');
});

test('a long tensor is elided like NumPy in the full value, and cut to one line inline', () => {
  const full = reprValue(tf.range(0, 2000));
  assert.match(full, /\.\.\./);
  assert.ok(full.length < 400, full);
  const inline = shortValue(full, 60);
  assert.equal(inline.length, 60);
  assert.ok(inline.endsWith('…'));
  assert.doesNotMatch(inline, /\n/);
});
