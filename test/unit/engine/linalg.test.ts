// tf.linalg (inv, det, solve, matvec, bandPart, diag, diagPart, trace), tensordot and einsum: TF's numbers,
// float64 finite differences (first and second order) on random batched shapes, TensorFlow.js where it has the op.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { rand, randInt, assertGradientsMatch, assertSecondOrderMatches } from './gradient_checks';
import { tfjs, useTfjsCpu, assertAgreesWithTfjs } from './tfjs_reference';

before(useTfjsCpu);

/** Well-conditioned random square matrices: n·I plus noise. */
function wellConditioned(batch: number[], n: number): Tensor {
  return tf.add(rand([...batch, n, n], -1, 1), tf.mul(tf.eye(n, n, 'float64'), n + 1));
}

function close(t: Tensor, expected: number[], what: string, tol = 1e-9) {
  const v = t.dataSync();
  assert.equal(v.length, expected.length, `${what}: size`);
  expected.forEach((e, i) => assert.ok(Math.abs(v[i] - e) < tol, `${what}[${i}]: ${v[i]} vs ${e}`));
}

test('inv, det, solve: TF values; A·inv(A) = I; singular matrices are refused by name', () => {
  close(tf.linalg.inv(tf.constant([[2, 0], [0, 4]], 'float64')), [0.5, 0, 0, 0.25], 'inv');
  close(tf.linalg.det(tf.constant([[1, 2], [3, 4]], 'float64')), [-2], 'det');
  close(tf.linalg.det(tf.constant([[0, 1], [1, 0]], 'float64')), [-1], 'det with a row swap');
  close(tf.linalg.solve(tf.constant([[2, 1], [1, 3]], 'float64'), tf.constant([[3], [5]], 'float64')), [0.8, 1.4], 'solve');
  close(tf.linalg.solve(tf.constant([[2, 1], [0, 3]], 'float64'), tf.constant([[2], [7]], 'float64'), true), [1, 2], 'solve adjoint');
  const a = wellConditioned([2], 3);
  close(tf.matmul(a, tf.linalg.inv(a)), Array.from(tf.broadcastTo(tf.eye(3, 3, 'float64'), [2, 3, 3]).dataSync()), 'A·inv(A)', 1e-12);
  assert.throws(() => tf.linalg.inv([[1, 2], [2, 4]]), /inv: matrix 0 of the batch \(shape \[2,2\]\) is singular/);
  assert.throws(() => tf.linalg.det([[1, 2, 3]]), /det: expected square matrices \[\.\.\., n, n\], got shape \[1,3\]/);
  assert.throws(() => tf.linalg.solve([[1, 0], [0, 1]], [[1, 2, 3]]), /solve: rhs must be \[\.\.\., 2, k\]/);
});

test('inv, det, solve: gradients and second order match finite differences on random batched shapes', () => {
  for (let trial = 0; trial < 3; trial++) {
    const n = randInt(1, 4);
    const batch = trial === 0 ? [] : [randInt(1, 3)];
    const a = wellConditioned(batch, n);
    const b = rand([...batch, n, randInt(1, 3)]);
    assertGradientsMatch('inv', tf.linalg.inv, [a]);
    assertSecondOrderMatches('inv', tf.linalg.inv, a);
    assertGradientsMatch('det', tf.linalg.det, [a]);
    assertSecondOrderMatches('det', tf.linalg.det, a);
    for (const adjoint of [false, true]) {
      assertGradientsMatch(`solve adjoint=${adjoint}`, (m, r) => tf.linalg.solve(m, r, adjoint), [a, b]);
      assertSecondOrderMatches(`solve(A, b) adjoint=${adjoint}`, (m) => tf.linalg.solve(m, b, adjoint), a);
    }
  }
});

test('matvec, bandPart, diag, diagPart, trace, matrixTranspose: values, finite differences (first and second order), TF.js bandPart', () => {
  close(tf.linalg.matvec(tf.constant([[1, 2], [3, 4]], 'float64'), tf.constant([1, 1], 'float64')), [3, 7], 'matvec');
  close(tf.linalg.bandPart(tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 'float64'), 0, -1), [1, 2, 3, 0, 5, 6, 0, 0, 9], 'bandPart upper');
  close(tf.linalg.diag(tf.constant([1, 2], 'float64')), [1, 0, 0, 2], 'diag');
  close(tf.linalg.diagPart(tf.constant([[1, 2, 3], [4, 5, 6]], 'float64')), [1, 5], 'diagPart non-square');
  close(tf.linalg.trace(tf.constant([[1, 2], [3, 4]], 'float64')), [5], 'trace');
  const m = rand([2, 3, 4]);
  const checks: Array<[string, (t: Tensor) => Tensor]> = [
    ['matvec', (t) => tf.linalg.matvec(t, tf.constant([1, -2, 0.5, 3], 'float64'))],
    ['matvec transposeA', (t) => tf.linalg.matvec(t, tf.constant([1, -2, 0.5], 'float64'), true)],
    ['bandPart(1, 0)', (t) => tf.linalg.bandPart(t, 1, 0)],
    ['bandPart(-1, 1)', (t) => tf.linalg.bandPart(t, -1, 1)],
    ['diag', (t) => tf.linalg.diag(t)],
    ['diagPart', (t) => tf.linalg.diagPart(t)],
    ['trace', (t) => tf.linalg.trace(t)],
    ['matrixTranspose', (t) => tf.linalg.matrixTranspose(t)],
  ];
  for (const [name, f] of checks) {
    assertGradientsMatch(name, f, [m]);
    assertSecondOrderMatches(name, (t) => tf.square(f(t)), m);
  }
  for (const [lo, hi] of [[0, -1], [-1, 0], [1, 1], [0, 0]]) {
    assertAgreesWithTfjs(`bandPart(${lo}, ${hi})`, [m], (t) => tf.linalg.bandPart(t, lo, hi), (t) => tfjs.linalg.bandPart(t, lo, hi));
  }
});

test('tensordot: integer and paired axes, finite differences, TF.js dot for the matrix case', () => {
  close(tf.tensordot(tf.constant([[1, 2], [3, 4]], 'float64'), tf.constant([1, 1], 'float64'), 1), [3, 7], 'tensordot 1');
  const a = rand([2, 3, 4]), b = rand([4, 3, 2]);
  assert.deepEqual(tf.tensordot(a, b, 1).shape, [2, 3, 3, 2]);
  assert.deepEqual(tf.tensordot(a, b, [[1, 2], [1, 0]]).shape, [2, 2]);
  assert.deepEqual(tf.tensordot(a, b, 0).shape, [2, 3, 4, 4, 3, 2]);
  assertGradientsMatch('tensordot 1', (x, y) => tf.tensordot(x, y, 1), [a, b]);
  assertGradientsMatch('tensordot pairs', (x, y) => tf.tensordot(x, y, [[1, 2], [1, 0]]), [a, b]);
  assertSecondOrderMatches('tensordot squared', (x) => tf.square(tf.tensordot(x, b, [[2], [0]])), a);
  const p = rand([3, 4]), q = rand([4, 2]);
  assertAgreesWithTfjs('tensordot 1 = dot', [p, q], (x, y) => tf.tensordot(x, y, 1), (x, y) => tfjs.dot(x, y));
  assert.throws(() => tf.tensordot(a, b, [[0], [0]]), /tensordot: axes \[0\] of \[2,3,4\] and \[0\] of \[4,3,2\] do not pair up/);
});

test('einsum: matmul, batched, outer, transpose, sums, three operands; finite differences and TF.js agree', () => {
  const cases: Array<[string, number[][]]> = [
    ['ij,jk->ik', [[2, 3], [3, 4]]], ['bij,bjk->bik', [[2, 2, 3], [2, 3, 4]]], ['i,j->ij', [[3], [4]]],
    ['ij->ji', [[2, 3]]], ['ij->', [[2, 3]]], ['ij->j', [[2, 3]]], ['i,i->', [[4], [4]]], ['ij,kj->ik', [[2, 3], [4, 3]]],
    ['bn,anm,bm->ba', [[2, 3], [4, 3, 5], [2, 5]]], ['ij,jk', [[2, 3], [3, 2]]],
  ];
  for (const [eq, shapes] of cases) {
    const xs = shapes.map((s) => rand(s));
    const f = (...ts: Tensor[]) => tf.einsum(eq, ...ts);
    assertGradientsMatch(`einsum ${eq}`, f, xs);
    assertSecondOrderMatches(`einsum ${eq} squared`, (x) => tf.square(tf.einsum(eq, x, ...xs.slice(1))), xs[0]);
    // TF.js's einsum has no gradient (and at most two operands): values only
    if (eq.split(',').length <= 2 && eq.includes('->')) assertAgreesWithTfjs(`einsum ${eq}`, xs, f, (...ts) => tfjs.einsum(eq, ...ts), false);
  }
  close(tf.einsum('ij,jk->ik', tf.constant([[1, 2]], 'float64'), tf.constant([[3], [4]], 'float64')), [11], 'einsum matmul');
  assert.throws(() => tf.einsum('ii->i', [[1, 2], [3, 4]]), /einsum: repeated subscripts within one operand/);
  assert.throws(() => tf.einsum('ij,jk->ik', [[1, 2]], [[1, 2]]), /einsum: subscript 'j' is 2 in one operand and 1 in operand 1/);
});
