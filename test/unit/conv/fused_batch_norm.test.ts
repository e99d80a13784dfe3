// The fused batch-norm op (TF's FusedBatchNormV3 in training mode, the Keras layer's training path): its typed-array
// gradient against float64 central differences on random NHWC shapes, its second order (written with ops) too, and
// its values and gradients against the composite path (tf.nn.moments + tf.nn.batchNormalization) in float32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { makeRng } from '../../../engine/ops/random';
import { fusedBatchNorm } from '../../../engine/ops/normalization';

const rng = makeRng(714);
const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function rand(shape: number[], lo = -1, hi = 1, dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(n);
  // a per-element shift so channels have means well away from 0 (the two-pass statistics must handle it)
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng() + (i % shape[shape.length - 1]);
  return tf.cast(tf.constant(v, 'float64', shape), dtype);
}

function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

function assertGradientsMatch(what: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[], tol = 1e-5): void {
  const { theoretical, numerical } = tf.test.computeGradient(f, xs);
  theoretical.forEach((th, k) => {
    const worst = maxRelativeError(th.dataSync(), numerical[k].dataSync());
    assert.ok(worst < tol, `${what}: input ${k} (shapes ${xs.map((x) => `[${x.shape}]`).join(' ')}): max relative error ${worst}`);
  });
}

const randomNhwc = () => [randInt(1, 3), randInt(1, 4), randInt(1, 4), randInt(1, 5)];

/** The composite path the layer took before: tf.nn.moments, then tf.nn.batchNormalization. */
function composite(x: Tensor, scale: Tensor | null, offset: Tensor | null, epsilon: number): Tensor {
  const { mean, variance } = tf.nn.moments(x, [0, 1, 2]);
  return tf.nn.batchNormalization(x, mean, variance, offset, scale, epsilon);
}

test('fusedBatchNorm: dx, dscale and doffset match float64 central differences on random NHWC shapes', () => {
  for (let trial = 0; trial < 6; trial++) {
    const shape = randomNhwc();
    if (shape[0] * shape[1] * shape[2] < 2) shape[0] = 2;
    const c = shape[3];
    const x = rand(shape), scale = rand([c]), offset = rand([c]);
    const u = rand(shape);
    // a weighted sum, so dy is not constant (a constant dy gives dx = 0 for any batch norm)
    const f = (a: Tensor, s: Tensor, o: Tensor) => tf.mul(fusedBatchNorm(a, s, o, 1e-3).y, u);
    assertGradientsMatch(`fusedBatchNorm [${shape}]`, f, [x, scale, offset]);
    assertGradientsMatch(`fusedBatchNorm without scale/offset [${shape}]`, (a) => tf.mul(fusedBatchNorm(a, null, null, 1e-3).y, u), [x]);
  }
});

test('fusedBatchNorm: second order (the gradient written with ops under an outer tape) matches central differences', () => {
  const shape = [2, 3, 2, 3];
  const x = rand(shape), scale = rand([3]), offset = rand([3]), u = rand(shape);
  const dxOf = (a: Tensor, s: Tensor) => {
    const tape = new tf.GradientTape();
    const y = tape.record(() => { tape.watch(a); return tf.reduceSum(tf.mul(fusedBatchNorm(a, s, offset, 1e-3).y, u)); });
    return tape.gradient(y, a)!;
  };
  assertGradientsMatch('fusedBatchNorm second order', dxOf, [x, scale], 1e-4);
});

test('fusedBatchNorm agrees with tf.nn.moments + tf.nn.batchNormalization in float32: y, statistics, dx, dscale, doffset', () => {
  for (let trial = 0; trial < 4; trial++) {
    const shape = [randInt(2, 8), randInt(2, 6), randInt(2, 6), randInt(1, 8)];
    const c = shape[3];
    const x = rand(shape, -3, 3, 'float32'), scale = rand([c], 0.5, 2, 'float32'), offset = rand([c], -1, 1, 'float32');
    const u = rand(shape, -1, 1, 'float32');
    const run = (f: typeof composite, dtype: 'float32' | 'float64') => {
      const [xs, s, o] = [x, scale, offset].map((t) => tf.cast(t, dtype));
      const tape = new tf.GradientTape();
      const y = tape.record(() => { [xs, s, o].forEach((t) => tape.watch(t)); return f(xs, s, o, 1e-3); });
      const loss = tape.record(() => tf.reduceSum(tf.mul(y, tf.cast(u, dtype))));
      return { y, grads: tape.gradient(loss, [xs, s, o]) as Tensor[] };
    };
    const fused = run((a, s, o, e) => fusedBatchNorm(a, s, o, e).y, 'float32');
    const reference = run(composite, 'float32');
    // the same inputs in float64 through the composite path: the truth both float32 results are held to
    const truth = run(composite, 'float64');
    assert.ok(maxRelativeError(fused.y.dataSync(), reference.y.dataSync()) < 1e-5, `y [${shape}]`);
    ['dx', 'dscale', 'doffset'].forEach((name, k) => {
      const worst = maxRelativeError(fused.grads[k].dataSync(), reference.grads[k].dataSync());
      assert.ok(worst < 1e-3, `${name} [${shape}]: max relative difference to the composite float32 path ${worst}`);
      // the fused kernels accumulate in float64, so they are at least as close to the truth as the composite path
      const fusedError = maxRelativeError(fused.grads[k].dataSync(), truth.grads[k].dataSync());
      const compositeError = maxRelativeError(reference.grads[k].dataSync(), truth.grads[k].dataSync());
      assert.ok(fusedError < Math.max(2 * compositeError, 1e-5), `${name} [${shape}]: fused ${fusedError}, composite ${compositeError} from float64`);
    });
    const { mean, variance } = fusedBatchNorm(x, scale, offset, 1e-3);
    const moments = tf.nn.moments(x, [0, 1, 2]);
    assert.ok(maxRelativeError(mean.dataSync(), moments.mean.dataSync()) < 1e-5, 'mean');
    assert.ok(maxRelativeError(variance.dataSync(), moments.variance.dataSync()) < 1e-5, 'variance');
  }
});

test('fusedBatchNorm: the tape records FusedBatchNorm (not the broadcasting ops), and bad parameters name the op and shapes', () => {
  const x = rand([2, 2, 2, 3], -1, 1, 'float32'), scale = tf.ones([3]);
  const tape = new tf.GradientTape();
  tape.record(() => { tape.watch(x); return fusedBatchNorm(x, scale, null, 1e-3).y; });
  const ops = (tape as unknown as { nodes: Array<{ op: string }> }).nodes.map((n) => n.op);
  assert.deepEqual(ops, ['FusedBatchNorm']);
  assert.throws(() => fusedBatchNorm(x, tf.ones([4]), null, 1e-3), /fusedBatchNorm: scale and offset must be float32 vectors of the channels of x \[2,2,2,3\]; got \[4\]/);
});

test('BatchNormalization (training) goes through the fused op: same output and gradients as the composite formula, moving statistics moved by momentum', () => {
  const bn = tf.keras.layers.BatchNormalization({ momentum: 0.9 });
  const x = rand([4, 3, 3, 2], -2, 2, 'float32');
  const u = rand([4, 3, 3, 2], -1, 1, 'float32');
  const tape = new tf.GradientTape();
  const loss = tape.record(() => { tape.watch(x); return tf.reduceSum(tf.mul(bn.apply(x, { training: true }) as Tensor, u)); });
  const ops = (tape as unknown as { nodes: Array<{ op: string }> }).nodes.map((n) => n.op);
  assert.ok(ops.includes('FusedBatchNorm'), `ops on the tape: ${ops}`);
  const [dx, dgamma, dbeta] = tape.gradient(loss, [x, bn.gamma!, bn.beta!]) as Tensor[];
  const tape2 = new tf.GradientTape();
  const gamma = tf.ones([2]), beta = tf.zeros([2]);
  const loss2 = tape2.record(() => { [x, gamma, beta].forEach((t) => tape2.watch(t)); return tf.reduceSum(tf.mul(composite(x, gamma, beta, 1e-3), u)); });
  const expected = tape2.gradient(loss2, [x, gamma, beta]) as Tensor[];
  [dx, dgamma, dbeta].forEach((g, k) => assert.ok(maxRelativeError(g.dataSync(), expected[k].dataSync()) < 1e-4, `gradient ${k}`));
  const { mean, variance } = tf.nn.moments(x, [0, 1, 2]);
  const m = mean.dataSync(), v = variance.dataSync();
  assert.ok(maxRelativeError(bn.movingMean!.dataSync(), [0.1 * m[0], 0.1 * m[1]]) < 1e-6, 'moving mean');
  assert.ok(maxRelativeError(bn.movingVariance!.dataSync(), [0.9 + 0.1 * v[0], 0.9 + 0.1 * v[1]]) < 1e-6, 'moving variance');
});

test('fusedBatchNorm inside tf.function: a replay on new inputs recomputes the statistics and the gradients (nothing captured from the trace)', () => {
  const scale = rand([3], 0.5, 2, 'float32'), u = rand([2, 2, 2, 3], -1, 1, 'float32');
  const step = (x: Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => { tape.watch(x); tape.watch(scale); return tf.reduceSum(tf.mul(fusedBatchNorm(x, scale, null, 1e-3).y, u)); });
    const [dx, dscale] = tape.gradient(loss, [x, scale]) as Tensor[];
    return tf.concat([tf.reshape(dx, [-1]), dscale], 0);
  };
  const traced = tf.function(step);
  traced(rand([2, 2, 2, 3], -1, 1, 'float32'));
  const x = rand([2, 2, 2, 3], -4, 4, 'float32');
  const replayed = (traced(x) as Tensor).dataSync(), eager = step(x).dataSync();
  assert.ok(maxRelativeError(replayed, eager) < 1e-6, `replay differs from eager by ${maxRelativeError(replayed, eager)}`);
});
