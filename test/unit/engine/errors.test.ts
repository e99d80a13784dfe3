// Bad input gets an Error that names the op and the shapes; never a wrong answer or a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine';

const cases: Array<[string, () => unknown, RegExp]> = [
  ['broadcast mismatch', () => tf.mul(tf.ones([2, 4]), tf.ones([3])), /^mul: incompatible shapes \[2,4\] and \[3\]$/],
  ['method form names the op too', () => tf.ones([2, 4]).add(tf.ones([2, 3])), /^add: incompatible shapes \[2,4\] and \[2,3\]$/],
  ['matmul inner dimensions', () => tf.matmul(tf.ones([2, 3]), tf.ones([4, 5])), /^matmul: inner dimensions must match: \[2,3\] @ \[4,5\] has 3 ≠ 4$/],
  ['matmul rank', () => tf.matmul(tf.ones([3]), tf.ones([3, 1])), /matmul: both operands need rank ≥ 2, got shapes \[3\] and \[3,1\]/],
  ['axis out of range', () => tf.reduceSum(tf.ones([2, 2]), 5), /reduceSum: axis 5 is out of range for a tensor of rank 2/],
  ['dtype mismatch', () => tf.add(tf.ones([2]), tf.ones([2], 'int32')), /add: dtype mismatch: float32 and int32/],
  ['float op on ints', () => tf.matmul(tf.ones([2, 2], 'int32'), tf.ones([2, 2], 'int32')), /matmul: expected a float32 or float64 tensor, got int32/],
  ['reshape size', () => tf.reshape(tf.ones([2, 3]), [4, -1]), /reshape: cannot reshape a tensor of 6 elements \(shape \[2,3\]\) into shape \[4,-1\]/],
  ['ragged array', () => tf.constant([[1, 2], [3]]), /constant: ragged nested array/],
  ['slice bounds', () => tf.slice(tf.ones([2, 3]), [1, 1], [2, 2]), /slice: begin \[1,1\] with size \[2,2\] is out of bounds for shape \[2,3\]/],
  ['slice spec index', () => tf.ones([2, 3]).slice('5, :'), /slice: index 5 is out of range for axis 0 of size 2/],
  ['gather index', () => tf.gather(tf.ones([3, 2]), [0, 3]), /gather: index 3 is out of range \[0, 3\)/],
  ['concat shapes', () => tf.concat([tf.ones([2, 3]), tf.ones([3, 3])], 1), /concat: shapes \[2,3\], \[3,3\] differ outside axis 1/],
  ['unknown dtype', () => tf.cast(tf.ones([1]), 'float16' as 'float32'), /cast: unknown dtype 'float16'/],
  ['assign shape', () => new tf.Variable([1, 2]).assign([1, 2, 3]), /assign: cannot assign a value of shape \[3\] to variable 'Variable' of shape \[2\]/],
  ['gradient target not a tensor', () => new tf.GradientTape().gradient(3 as never, tf.ones([1])), /GradientTape.gradient: target must be a tf.Tensor, got number/],
  ['record without a function', () => new tf.GradientTape().record(undefined as never), /GradientTape.record: expected a function/],
];

for (const [name, fn, message] of cases) {
  test(`clear error: ${name}`, () => {
    assert.throws(fn, (e: unknown) => e instanceof Error && message.test(e.message));
  });
}

test('a failing op inside record() leaves the tape stack clean', () => {
  const tape = new tf.GradientTape();
  assert.throws(() => tape.record(() => tf.mul(tf.ones([2]), tf.ones([3]))));
  assert.equal(tape.isRecording, false);
  const x = tf.constant(2.0);
  const t2 = new tf.GradientTape();
  const y = t2.record(() => { t2.watch(x); return x.square(); });
  assert.equal(t2.gradient(y, x)!.numpy(), 4);
  assert.equal(tape.nodes.length, 0);
});
