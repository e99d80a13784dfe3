// pad (constant / reflect / symmetric), gatherNd, scatterNd, tensorScatterUpdate, booleanMask, reverse, repeat,
// sequenceMask, unstack, meshgrid, sort / argsort / topk: TF's values, float64 finite differences (gradients
// flow through the values), second order, and TensorFlow.js agreement where it has the op.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { rand, randShape, assertGradientsMatch, assertSecondOrderMatches } from './gradient_checks';
import { tfjs, useTfjsCpu, assertAgreesWithTfjs, assertCloseToTfjs } from './tfjs_reference';

before(useTfjsCpu);

const values = (t: Tensor) => Array.from(t.dataSync());

/** First and second order (through a square, so the second derivative is not trivially zero). */
function checkBoth(name: string, f: (t: Tensor) => Tensor, x: Tensor) {
  assertGradientsMatch(name, f, [x]);
  assertSecondOrderMatches(name, (t) => tf.square(f(t)), x);
}

test('pad: constant (with a value), REFLECT and SYMMETRIC as TF; gradients fold back; TF.js pad/mirrorPad agree', () => {
  assert.deepEqual(values(tf.pad([[1, 2], [3, 4]], [[1, 0], [0, 1]])), [0, 0, 0, 1, 2, 0, 3, 4, 0]);
  assert.deepEqual(values(tf.pad([1, 2, 3], [[2, 1]], 'REFLECT')), [3, 2, 1, 2, 3, 2]);
  assert.deepEqual(values(tf.pad([1, 2, 3], [[2, 1]], 'SYMMETRIC')), [2, 1, 1, 2, 3, 3]);
  assert.deepEqual(values(tf.pad([1, 2], [[1, 1]], 'CONSTANT', 9)), [9, 1, 2, 9]);
  for (let trial = 0; trial < 3; trial++) {
    const shape = randShape(3).map((d) => d + 2);
    const x = rand(shape);
    const paddings = shape.map((d) => [Math.min(trial, d - 1), Math.min(1, d - 1)] as [number, number]);
    for (const mode of ['CONSTANT', 'REFLECT', 'SYMMETRIC'] as const) {
      const f = (t: Tensor) => tf.pad(t, paddings, mode, mode === 'CONSTANT' ? 0.5 : 0);
      checkBoth(`pad ${mode}`, f, x);
      const theirs = mode === 'CONSTANT' ? (t: tfjs.Tensor) => tfjs.pad(t, paddings, 0.5) : (t: tfjs.Tensor) => tfjs.mirrorPad(t, paddings, mode.toLowerCase() as 'reflect');
      // TF.js's MirrorPad gradient is a plain slice (it drops the mirrored entries): values only there
      assertAgreesWithTfjs(`pad ${mode}`, [x], f, theirs, mode === 'CONSTANT');
    }
  }
  assert.throws(() => tf.pad([1, 2, 3], [[3, 0]], 'REFLECT'), /pad: REFLECT padding of \[3, 0\] on axis 0 of length 3 must be < 3/);
  assert.throws(() => tf.pad([1, 2], [[1]]), /pad: paddings must be 1 pairs/);
  assert.throws(() => tf.pad([1, 2], [[1, 1]], 'WRAP' as 'REFLECT'), /pad: mode must be/);
});

test('gatherNd, scatterNd, tensorScatterUpdate: TF values, gradients both ways, TF.js agrees', () => {
  assert.deepEqual(values(tf.gatherNd([[1, 2], [3, 4]], [[1, 0], [0, 1]])), [3, 2]);
  assert.deepEqual(values(tf.gatherNd([[1, 2], [3, 4]], [[1]])), [3, 4]);
  assert.deepEqual(values(tf.scatterNd([[4], [3], [1], [7]], [9, 10, 11, 12], [8])), [0, 11, 0, 10, 9, 0, 0, 12]);
  assert.deepEqual(values(tf.scatterNd([[1], [1]], [2, 3], [3])), [0, 5, 0], 'duplicates add');
  assert.deepEqual(values(tf.tensorScatterUpdate([1, 2, 3, 4], [[0], [2]], [9, 8])), [9, 2, 8, 4]);
  const params = rand([3, 4, 2]);
  const idx = [[2, 1], [0, 3], [2, 1]];
  const idx1 = [[1], [0]];
  checkBoth('gatherNd depth 2', (t) => tf.gatherNd(t, idx), params);
  checkBoth('gatherNd depth 1', (t) => tf.gatherNd(t, idx1), params);
  const tidx = tfjs.tensor(idx, undefined, 'int32');
  // TF.js has no gradient for GatherNd, ScatterNd or TensorScatterUpdate: values only
  assertAgreesWithTfjs('gatherNd', [params], (t) => tf.gatherNd(t, idx), (t) => tfjs.gatherND(t, tidx), false);
  const updates = rand([3, 2]);
  checkBoth('scatterNd', (u) => tf.scatterNd(idx, u, [3, 4, 2]), updates);
  assertAgreesWithTfjs('scatterNd', [updates], (u) => tf.scatterNd(idx, u, [3, 4, 2]), (u) => tfjs.scatterND(tidx, u, [3, 4, 2]), false);
  const unique = [[2, 1], [0, 3]];
  const up2 = rand([2, 2]);
  assertGradientsMatch('tensorScatterUpdate', (t, u) => tf.tensorScatterUpdate(t, unique, u), [params, up2]);
  assertSecondOrderMatches('tensorScatterUpdate', (t) => tf.square(tf.tensorScatterUpdate(t, unique, up2)), params);
  assertAgreesWithTfjs('tensorScatterUpdate', [params, up2], (t, u) => tf.tensorScatterUpdate(t, unique, u), (t, u) => tfjs.tensorScatterUpdate(t, tfjs.tensor(unique, undefined, 'int32'), u), false);
  assert.throws(() => tf.gatherNd([[1, 2]], [[0, 2]]), /gatherNd: index \[0,2\] is out of range for shape \[1,2\]/);
  assert.throws(() => tf.scatterNd([[0]], [1, 2], [3]), /scatterNd: updates must have shape \[1\], got \[2\]/);
});

test('booleanMask, reverse, repeat: TF values, finite differences (first and second order), TF.js reverse and booleanMask agree', async () => {
  assert.deepEqual(values(tf.booleanMask([1, 2, 3], [true, false, true])), [1, 3]);
  assert.deepEqual(tf.booleanMask(tf.zeros([2, 3, 4]), [[true, false, true], [false, false, true]], 0).shape, [3, 4]);
  assert.deepEqual(values(tf.reverse([[1, 2], [3, 4]], [1])), [2, 1, 4, 3]);
  assert.deepEqual(values(tf.repeat([1, 2], 2)), [1, 1, 2, 2]);
  assert.deepEqual(values(tf.repeat([[1, 2], [3, 4]], [1, 2], 0)), [1, 2, 3, 4, 3, 4]);
  assert.deepEqual(values(tf.repeat([[1, 2], [3, 4]], 2, 1)), [1, 1, 2, 2, 3, 3, 4, 4]);
  const x = rand([2, 3, 4]);
  const mask = [[true, false, true], [false, true, true]];
  checkBoth('booleanMask 2-D', (t) => tf.booleanMask(t, mask), x);
  checkBoth('booleanMask axis 2', (t) => tf.booleanMask(t, [true, false, false, true], 2), x);
  const theirs = await tfjs.booleanMaskAsync(tfjs.tensor(Array.from(x.dataSync()), x.shape), tfjs.tensor(mask, undefined, 'bool'));
  assertCloseToTfjs(tf.booleanMask(x, mask), theirs, 'booleanMask vs tfjs');
  for (const axes of [[0], [1, 2], [-1]]) {
    checkBoth(`reverse ${axes}`, (t) => tf.reverse(t, axes), x);
    assertAgreesWithTfjs(`reverse ${axes}`, [x], (t) => tf.reverse(t, axes), (t) => tfjs.reverse(t, axes));
  }
  checkBoth('repeat flat', (t) => tf.repeat(t, 2), x);
  checkBoth('repeat per entry', (t) => tf.repeat(t, [0, 2, 1], 1), x);
  assert.throws(() => tf.booleanMask([1, 2, 3], [true, false]), /booleanMask: mask of shape \[2\] does not match axes 0\.\.0 of shape \[3\]/);
  assert.throws(() => tf.repeat([1, 2], [1, 2, 3]), /repeat: repeats must be one non-negative integer or 2 of them/);
});

test('sequenceMask, unstack, meshgrid: TF values; meshgrid and unstack gradients; TF.js meshgrid agrees', () => {
  assert.deepEqual(values(tf.sequenceMask([1, 3, 2], 5)), [1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0]);
  assert.equal(tf.sequenceMask([1, 3]).dtype, 'bool');
  assert.deepEqual(tf.sequenceMask([[1, 3], [2, 0]]).shape, [2, 2, 3]);
  assert.deepEqual(values(tf.sequenceMask([2], 3, 'float32')), [1, 1, 0]);
  const [X, Y] = tf.meshgrid([1, 2, 3], [4, 5]);
  assert.deepEqual(X.shape, [2, 3]);
  assert.deepEqual(values(X), [1, 2, 3, 1, 2, 3]);
  assert.deepEqual(values(Y), [4, 4, 4, 5, 5, 5]);
  const [I, J] = tf.meshgrid([1, 2, 3], [4, 5], { indexing: 'ij' });
  assert.deepEqual(I.shape, [3, 2]);
  assert.deepEqual(values(J), [4, 5, 4, 5, 4, 5]);
  const a = rand([3]), b = rand([4]);
  for (const indexing of ['xy', 'ij'] as const) {
    assertGradientsMatch(`meshgrid ${indexing}`, (p, q) => { const [u, v] = tf.meshgrid(p, q, { indexing }); return tf.mul(u, tf.square(v)); }, [a, b]);
    assertAgreesWithTfjs(`meshgrid ${indexing}`, [a, b], (p, q) => { const [u, v] = tf.meshgrid(p, q, { indexing }); return tf.mul(u, v); }, (p, q) => { const [u, v] = tfjs.meshgrid(p, q, { indexing }); return tfjs.mul(u, v); });
  }
  const x = rand([2, 3, 4]);
  for (const axis of [0, 1, 2]) {
    const f = (t: Tensor) => tf.mul(tf.unstack(t, axis)[1], tf.unstack(t, axis)[0]);
    checkBoth(`unstack ${axis}`, f, x);
    assertAgreesWithTfjs(`unstack ${axis}`, [x], f, (t) => tfjs.mul(tfjs.unstack(t, axis)[1], tfjs.unstack(t, axis)[0]));
  }
});

test('sort, argsort, topk: TF values (stable, descending), gradients flow through the values, TF.js topk agrees', () => {
  assert.deepEqual(values(tf.sort([3, 1, 2])), [1, 2, 3]);
  assert.deepEqual(values(tf.sort([3, 1, 2], -1, 'DESCENDING')), [3, 2, 1]);
  assert.deepEqual(values(tf.argsort([3, 1, 2, 1])), [1, 3, 2, 0], 'stable');
  assert.deepEqual(values(tf.sort([[3, 1], [0, 2]], 0)), [0, 1, 3, 2]);
  const { values: top, indices } = tf.topk([1, 5, 3], 2);
  assert.deepEqual(values(top), [5, 3]);
  assert.deepEqual(values(indices), [1, 2]);
  const [top2] = tf.topk([[1, 5, 3], [9, 0, 4]], 1);
  assert.deepEqual(values(top2), [5, 9]);
  // distinct values at least 0.2 apart, so a finite-difference step never reorders them
  const x = tf.add(tf.mul(tf.cast(tf.argsort(rand([15])), 'float64'), 0.3), rand([15], 0, 0.1)).reshape([3, 5]);
  for (const axis of [0, 1, -1]) for (const dir of ['ASCENDING', 'DESCENDING'] as const) checkBoth(`sort ${axis} ${dir}`, (t) => tf.sort(t, axis, dir), x);
  for (const k of [1, 3, 5]) {
    checkBoth(`topk ${k}`, (t) => tf.topk(t, k).values, x);
    // TF.js has no gradient for TopK: values only
    assertAgreesWithTfjs(`topk ${k}`, [x], (t) => tf.topk(t, k).values, (t) => tfjs.topk(t, k).values, false);
  }
  assert.throws(() => tf.topk([1, 2], 3), /topk: k must be an integer in \[0, 2\]/);
  assert.throws(() => tf.sort([1, 2], -1, 'UP' as 'ASCENDING'), /sort: direction must be 'ASCENDING' or 'DESCENDING'/);
});

test('inside tf.function: sort/topk replay with each call\'s order (one trace); a data-dependent booleanMask retraces, never replays stale positions', () => {
  const sorted = tf.function((x: Tensor) => {
    const { values } = tf.topk(x, 2);
    return [tf.sort(x), values, tf.gradients(tf.reduceSum(tf.mul(values, tf.constant([1, 10]))), x)[0]!];
  });
  for (const v of [[3, 1, 2], [0, 5, -1], [7, 8, 9]]) {
    const [s, top, g] = sorted(tf.constant(v));
    const order = [...v].sort((a, b) => a - b);
    assert.deepEqual(values(s), order);
    assert.deepEqual(values(top), [order[2], order[1]]);
    const expected = v.map((e) => (e === order[2] ? 1 : e === order[1] ? 10 : 0));
    assert.deepEqual(values(g), expected, `gradient through the values for ${v}`);
  }
  assert.equal(sorted.tracingCount, 1);
  const positive = tf.function((x: Tensor) => tf.booleanMask(x, tf.greater(x, 0)));
  assert.deepEqual(values(positive(tf.constant([1, -2, 3]))), [1, 3]);
  assert.deepEqual(values(positive(tf.constant([-1, 2, -3]))), [2]);
  assert.deepEqual(values(positive(tf.constant([1, -2, 3]))), [1, 3]);
  const picked = tf.function((x: Tensor, i: Tensor) => tf.gatherNd(x, i));
  assert.deepEqual(values(picked(tf.constant([[1, 2], [3, 4]]), tf.constant([[1, 1]], 'int32'))), [4]);
  assert.deepEqual(values(picked(tf.constant([[1, 2], [3, 4]]), tf.constant([[0, 1]], 'int32'))), [2]);
});
