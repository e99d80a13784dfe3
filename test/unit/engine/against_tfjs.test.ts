// The same computations in TensorFlow.js (CPU backend), run in the same test: values and gradients must agree.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tfjs from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's slim entry needs its chained methods and gradients registered
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { tf, Tensor } from '../../../engine';
import { makeRng } from '../../../engine/ops/random';

before(async () => {
  await tfjs.setBackend('cpu');
});

const rng = makeRng(99);
const randomArray = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => rng() * 4 - 2);
};

function assertClose(ours: Tensor, theirs: tfjs.Tensor, what: string, tol = 1e-5) {
  assert.deepEqual(ours.shape, theirs.shape, `${what}: shape`);
  const a = ours.dataSync();
  const b = theirs.dataSync();
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ours ${a[i]} vs tfjs ${b[i]}`);
  }
}

type Pair = { name: string; shapes: number[][]; ours: (...x: Tensor[]) => Tensor; theirs: (...x: tfjs.Tensor[]) => tfjs.Tensor };

const pairs: Pair[] = [
  { name: 'x*w+b broadcasting', shapes: [[3, 4], [4], [1]], ours: (x, w, b) => x.mul(w).add(b), theirs: (x, w, b) => x.mul(w).add(b) },
  { name: 'matmul + relu', shapes: [[5, 3], [3, 4]], ours: (a, b) => tf.relu(tf.matmul(a, b)), theirs: (a, b) => tfjs.relu(tfjs.matMul(a, b)) },
  { name: 'matmul transposed', shapes: [[3, 5], [4, 3]], ours: (a, b) => tf.matmul(a, b, true, true), theirs: (a, b) => tfjs.matMul(a, b, true, true) },
  { name: 'softmax', shapes: [[4, 6]], ours: (x) => tf.nn.softmax(x), theirs: (x) => tfjs.softmax(x) },
  { name: 'logSoftmax', shapes: [[4, 6]], ours: (x) => tf.nn.logSoftmax(x), theirs: (x) => tfjs.logSoftmax(x) },
  { name: 'tanh sigmoid chain', shapes: [[7]], ours: (x) => tf.tanh(tf.sigmoid(x).mul(3)), theirs: (x) => tfjs.tanh(tfjs.sigmoid(x).mul(3)) },
  { name: 'reduceMean axis 1 keepdims', shapes: [[3, 4, 2]], ours: (x) => tf.reduceMean(x, 1, true), theirs: (x) => tfjs.mean(x, 1, true) },
  { name: 'reduceMax axis 0', shapes: [[5, 3]], ours: (x) => tf.reduceMax(x, 0), theirs: (x) => tfjs.max(x, 0) },
  { name: 'transpose + reshape', shapes: [[2, 3, 4]], ours: (x) => tf.reshape(tf.transpose(x, [2, 0, 1]), [4, 6]), theirs: (x) => tfjs.reshape(tfjs.transpose(x, [2, 0, 1]), [4, 6]) },
  { name: 'concat + slice', shapes: [[2, 3], [2, 2]], ours: (a, b) => tf.slice(tf.concat([a, b], 1), [0, 1], [2, 3]), theirs: (a, b) => tfjs.slice(tfjs.concat([a, b], 1), [0, 1], [2, 3]) },
  { name: 'exp log sqrt square', shapes: [[6]], ours: (x) => tf.sqrt(tf.exp(x)).add(tf.log(tf.square(x).add(1))), theirs: (x) => tfjs.sqrt(tfjs.exp(x)).add(tfjs.log(tfjs.square(x).add(1))) },
  { name: 'maximum minimum', shapes: [[4], [4]], ours: (a, b) => tf.maximum(a, b).mul(tf.minimum(a, b)), theirs: (a, b) => tfjs.maximum(a, b).mul(tfjs.minimum(a, b)) },
  { name: 'div pow', shapes: [[5], [5]], ours: (a, b) => tf.div(a, tf.square(b).add(1)).pow(2), theirs: (a, b) => tfjs.div(a, tfjs.square(b).add(1)).pow(2) },
  { name: 'categorical cross-entropy from logits', shapes: [[3, 4]], ours: (x) => tf.losses.categoricalCrossentropy(tf.oneHot([0, 3, 1], 4), x, { fromLogits: true }), theirs: (x) => tfjs.neg(tfjs.sum(tfjs.mul(tfjs.oneHot(tfjs.tensor1d([0, 3, 1], 'int32'), 4), tfjs.logSoftmax(x)), -1)) },
  { name: 'gather', shapes: [[5, 3]], ours: (x) => tf.gather(x, [4, 0, 4]), theirs: (x) => tfjs.gather(x, tfjs.tensor1d([4, 0, 4], 'int32')) },
];

for (const p of pairs) {
  test(`agrees with TensorFlow.js: ${p.name} (value and gradients)`, () => {
    const data = p.shapes.map(randomArray);
    const ours = data.map((d, i) => tf.constant(d, 'float32', p.shapes[i]));
    const theirs = data.map((d, i) => tfjs.tensor(d, p.shapes[i]));
    assertClose(p.ours(...ours), p.theirs(...theirs), `${p.name} value`);
    const tape = new tf.GradientTape();
    const y = tape.record(() => { tape.watch(ours); return p.ours(...ours); });
    const ourGrads = tape.gradient(y, ours);
    const theirGrads = tfjs.grads((...xs: tfjs.Tensor[]) => p.theirs(...xs))(theirs);
    ourGrads.forEach((g, i) => assertClose(g!, theirGrads[i], `${p.name} gradient ${i}`, 1e-4));
  });
}
