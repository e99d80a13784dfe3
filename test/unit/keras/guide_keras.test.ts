// Keras pieces TF's guides use: loss objects (with reduction and sample weights), metric objects
// (updateState/result/resetState, and inside tf.function), clipping options, learning-rate schedules,
// Adamax / Nadam / AdamW, and the Embedding layer — against the numbers Keras's documentation states,
// hand-derived values, TF.js's Adamax, and finite differences.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tfjs from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tf, Tensor } from '../../../engine';

before(async () => { await tfjs.setBackend('cpu'); });

const near = (t: Tensor | number, expected: number, tol = 1e-3, what = '') => {
  const v = typeof t === 'number' ? t : t.dataSync()[0];
  assert.ok(Math.abs(v - expected) < tol, `${what}: ${v} vs ${expected}`);
};

test('loss objects: the values Keras documents, for every class', () => {
  const { losses } = tf.keras;
  near(losses.SparseCategoricalCrossentropy()([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), 1.177, 1e-3, 'SparseCategoricalCrossentropy');
  near(losses.CategoricalCrossentropy()([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), 1.177, 1e-3, 'CategoricalCrossentropy');
  near(losses.BinaryCrossentropy({ fromLogits: true })([[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]]), 0.865, 1e-3, 'BinaryCrossentropy logits');
  near(losses.BinaryCrossentropy()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 0.815, 1e-3, 'BinaryCrossentropy');
  near(losses.MeanSquaredError()([[0, 1], [0, 0]], [[1, 1], [1, 0]]), 0.5, 1e-6, 'MeanSquaredError');
  near(losses.MeanAbsoluteError()([[0, 1], [0, 0]], [[1, 1], [1, 0]]), 0.5, 1e-6, 'MeanAbsoluteError');
  near(losses.Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 0.155, 1e-3, 'Huber');
  near(new losses.Huber({ delta: 0.5 })([[0]], [[3]]), 0.5 * (3 - 0.25), 1e-6, 'Huber linear part');
  // from logits equals the probability path on softmax(logits)
  const logits = tf.constant([[1, 2, 0.5], [0.3, -1, 2]]);
  near(losses.SparseCategoricalCrossentropy({ fromLogits: true })([1, 2], logits), losses.SparseCategoricalCrossentropy()([1, 2], tf.nn.softmax(logits)).dataSync()[0], 1e-5, 'fromLogits');
});

test('loss objects agree with TF.js\'s losses on random batches (MSE, MAE, Huber, softmax and sigmoid cross-entropy)', () => {
  const rows = 5, cols = 4;
  const rnd = (n: number, lo = -2, hi = 2) => Array.from({ length: n }, (_, i) => lo + (hi - lo) * ((Math.sin(i * 12.9898 + n) * 43758.5453) % 1 + 1) % 1);
  const yTrue = rnd(rows * cols, 0, 1), yPred = rnd(rows * cols);
  const t = tf.constant(yTrue, 'float32', [rows, cols]), p = tf.constant(yPred, 'float32', [rows, cols]);
  const tt = tfjs.tensor(yTrue, [rows, cols]), tp = tfjs.tensor(yPred, [rows, cols]);
  const { losses } = tf.keras;
  near(losses.MeanSquaredError()(t, p), tfjs.losses.meanSquaredError(tt, tp).dataSync()[0], 1e-5, 'MSE');
  near(losses.MeanAbsoluteError()(t, p), tfjs.losses.absoluteDifference(tt, tp).dataSync()[0], 1e-5, 'MAE');
  near(new losses.Huber({ delta: 0.7 })(t, p), tfjs.losses.huberLoss(tt, tp, undefined, 0.7).dataSync()[0], 1e-5, 'Huber');
  near(losses.BinaryCrossentropy({ fromLogits: true })(t, p), tfjs.losses.sigmoidCrossEntropy(tt, tp).dataSync()[0], 1e-5, 'BCE logits');
  const labels = [0, 3, 1, 2, 3];
  near(losses.SparseCategoricalCrossentropy({ fromLogits: true })(labels, p), tfjs.losses.softmaxCrossEntropy(tfjs.oneHot(tfjs.tensor1d(labels, 'int32'), cols), tp).dataSync()[0], 1e-5, 'sparse CCE logits');
  near(losses.CategoricalCrossentropy({ fromLogits: true })(tf.oneHot(labels, cols), p), tfjs.losses.softmaxCrossEntropy(tfjs.oneHot(tfjs.tensor1d(labels, 'int32'), cols), tp).dataSync()[0], 1e-5, 'CCE logits');
});

test('loss objects: reduction sum / none / sum_over_batch_size and sample weights (Keras doc values); bad reduction refused', () => {
  const mse = (reduction?: 'sum' | 'none') => tf.keras.losses.MeanSquaredError(reduction ? { reduction } : {});
  const yT = [[0, 1], [0, 0]], yP = [[1, 1], [1, 0]];
  near(mse()(yT, yP, [0.8, 0.2]), 0.25, 1e-6, 'sample weights');
  near(mse('sum')(yT, yP), 1.0, 1e-6, 'sum');
  assert.deepEqual(Array.from(mse('none')(yT, yP).dataSync()), [0.5, 0.5]);
  assert.throws(() => tf.keras.losses.MeanSquaredError({ reduction: 'mean' as 'sum' }), /reduction must be/);
  assert.ok(tf.keras.losses.Huber() instanceof tf.keras.losses.Loss);
});

test('loss objects are differentiable: gradient of SparseCategoricalCrossentropy(fromLogits) is softmax - onehot, over the batch', () => {
  const logits = tf.constant([[1, 2, 0.5], [0.3, -1, 2]], 'float64');
  const tape = new tf.GradientTape();
  const loss = tape.record(() => { tape.watch(logits); return tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true })([1, 2], logits); });
  const g = tape.gradient(loss, logits)!.dataSync();
  const p = tf.nn.softmax(logits).dataSync();
  const expected = Array.from(p, (v, i) => (v - ([0, 1, 0, 0, 0, 1][i])) / 2);
  expected.forEach((e, i) => near(g[i], e, 1e-9, `dlogits[${i}]`));
  const huber = tf.test.computeGradient((yp: Tensor) => tf.keras.losses.Huber()(tf.constant([[0, 1, 2]], 'float64'), yp), [tf.constant([[0.3, 3, 1.5]], 'float64')]);
  Array.from(huber.theoretical[0].dataSync()).forEach((v, i) => near(v, huber.numerical[0].dataSync()[i], 1e-6, 'Huber finite differences'));
});

test('metric objects: updateState / result / resetState with the values Keras documents', () => {
  const { metrics } = tf.keras;
  const mean = metrics.Mean();
  mean.updateState([1, 3, 5, 7]);
  near(mean.result(), 4, 1e-6, 'Mean');
  mean.resetState();
  mean.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
  near(mean.result(), 2, 1e-6, 'Mean weighted');
  const sum = metrics.Sum();
  sum.updateState([1, 3, 5, 7]);
  near(sum.result(), 16, 1e-6, 'Sum');
  const sca = metrics.SparseCategoricalAccuracy();
  sca.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
  near(sca.result(), 0.5, 1e-6, 'SparseCategoricalAccuracy');
  sca.resetState();
  sca.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.7, 0.3]);
  near(sca.result(), 0.3, 1e-6, 'SparseCategoricalAccuracy weighted');
  near(metrics.CategoricalAccuracy()([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), 0.5, 1e-6, 'CategoricalAccuracy');
  near(metrics.BinaryAccuracy()([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]), 0.75, 1e-6, 'BinaryAccuracy');
  near(metrics.MeanSquaredError()([[0, 1], [0, 0]], [[1, 1], [0, 0]]), 0.25, 1e-6, 'MeanSquaredError metric');
  const auc = metrics.AUC({ numThresholds: 3 });
  auc.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
  near(auc.result(), 0.75, 1e-6, 'AUC');
  // a perfect ranking has AUC 1, a reversed one 0 (200 thresholds)
  near(metrics.AUC()([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1, 1e-6, 'AUC perfect');
  near(metrics.AUC()([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]), 0, 1e-6, 'AUC reversed');
  sca.resetState();
  assert.equal(sca.result().dataSync()[0], 0, 'reset');
  assert.equal(sca.variables.every((v) => !v.trainable), true);
});

test('metric objects accumulate across calls of a tf.function (a stateful step is re-run, never replayed without the update)', () => {
  const acc = tf.keras.metrics.SparseCategoricalAccuracy();
  const step = tf.function((y: Tensor, p: Tensor) => { acc.updateState(y, p); return tf.reduceSum(p); });
  const p = tf.constant([[0.1, 0.9], [0.8, 0.2]]);
  step(tf.constant([1, 0], 'int32'), p);
  step(tf.constant([1, 0], 'int32'), p);
  step(tf.constant([0, 0], 'int32'), p);
  near(acc.result(), 5 / 6, 1e-6, 'accuracy over three calls');
});

test('optimizer clipping: clipnorm, clipvalue, globalClipnorm give TF\'s clipped updates; two at once are refused', () => {
  const run = (args: Record<string, number>, grads: number[][]) => {
    const vars = grads.map((g) => new tf.Variable(tf.zeros([g.length])));
    tf.keras.optimizers.SGD({ learningRate: 1, ...args }).applyGradients(grads.map((g, i) => [tf.constant(g), vars[i]] as const));
    return vars.map((v) => Array.from(v.dataSync()).map((x) => +x.toFixed(5)));
  };
  assert.deepEqual(run({ clipnorm: 1 }, [[3, 4], [0.3, 0.4]]), [[-0.6, -0.8], [-0.3, -0.4]]);
  assert.deepEqual(run({ clipvalue: 0.5 }, [[3, -0.2]]), [[-0.5, 0.2]]);
  assert.deepEqual(run({ globalClipnorm: 1 }, [[3], [4]]), [[-0.6], [-0.8]]);
  assert.deepEqual(run({ globalClipnorm: 10 }, [[3], [4]]), [[-3], [-4]]);
  assert.throws(() => tf.keras.optimizers.SGD({ clipnorm: 1, clipvalue: 1 }), /only one of clipnorm, clipvalue and globalClipnorm/);
  assert.throws(() => tf.keras.optimizers.Adam({ clipnorm: -1 }), /clipnorm must be a positive number/);
});

test('learning-rate schedules: Keras formulas at given steps, and an optimizer follows its schedule step by step', () => {
  const { schedules } = tf.keras.optimizers;
  const exp = schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  near(exp.call(0), 0.1, 1e-12); near(exp.call(10), 0.05, 1e-12); near(exp.call(5), 0.1 * Math.SQRT1_2, 1e-12);
  near(schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }).call(15), 0.05, 1e-12);
  const pw = schedules.PiecewiseConstantDecay([100, 200], [1, 0.5, 0.1]);
  assert.deepEqual([pw.call(0), pw.call(100), pw.call(101), pw.call(200), pw.call(201)], [1, 1, 0.5, 0.5, 0.1]);
  const cos = schedules.CosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0.1 });
  near(cos.call(0), 1, 1e-12); near(cos.call(5), 0.55, 1e-12); near(cos.call(10), 0.1, 1e-12); near(cos.call(50), 0.1, 1e-12);
  assert.throws(() => schedules.PiecewiseConstantDecay([1, 2], [1]), /needs one more value than boundaries/);
  // SGD with lr 0.1·0.5^step on a constant gradient 1: w = -(0.1 + 0.05 + 0.025)
  const w = new tf.Variable([0]);
  const opt = tf.keras.optimizers.SGD(schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }));
  for (let i = 0; i < 3; i++) opt.applyGradients([[tf.constant([1]), w]]);
  near(w.dataSync()[0], -0.175, 1e-6, 'scheduled SGD');
  near(opt.learningRate, 0.025, 1e-9, 'learningRate reports the rate of the last step');
});

test('Adamax matches TF.js\'s Adamax step for step', () => {
  const w = new tf.Variable([1, -2, 0.5]);
  const theirs = tfjs.variable(tfjs.tensor([1, -2, 0.5]));
  const ours = tf.keras.optimizers.Adamax({ learningRate: 0.01, epsilon: 1e-7 });
  const ref = tfjs.train.adamax(0.01, 0.9, 0.999, 1e-7);
  for (let step = 0; step < 5; step++) {
    const g = [0.3 * (step + 1), -1 + step * 0.4, 2 - step];
    ours.applyGradients([[tf.constant(g), w]]);
    ref.applyGradients({ [theirs.name]: tfjs.tensor(g) } as unknown as Record<string, tfjs.Variable>);
  }
  Array.from(theirs.dataSync()).forEach((v, i) => near(w.dataSync()[i], v, 1e-5, `Adamax w[${i}]`));
});

test('Nadam: first step equals the hand-derived value; it minimises a quadratic', () => {
  const w = new tf.Variable([1]);
  tf.keras.optimizers.Nadam({ learningRate: 0.1 }).applyGradients([[tf.constant([2]), w]]);
  // step 1 with g = 2: m = 0.2, v = 0.004; μ1 = 0.9(1 - ½·0.96^0.004), μ2 = 0.9(1 - ½·0.96^0.008)
  const mu1 = 0.9 * (1 - 0.5 * Math.pow(0.96, 0.004)), mu2 = 0.9 * (1 - 0.5 * Math.pow(0.96, 0.008));
  const mHat = mu2 * 0.2 / (1 - mu1 * mu2) + (1 - mu1) * 2 / (1 - mu1);
  near(w.dataSync()[0], 1 - 0.1 * mHat / (2 + 1e-7), 1e-6, 'Nadam step 1');
  const x = new tf.Variable([3, -4]);
  const opt = tf.keras.optimizers.Nadam(0.1);
  for (let i = 0; i < 300; i++) opt.minimize(() => tf.reduceSum(tf.square(x)), [x]);
  assert.ok(Math.abs(x.dataSync()[0]) < 0.05 && Math.abs(x.dataSync()[1]) < 0.05, `Nadam converges: ${x.dataSync()}`);
});

test('AdamW: decoupled decay w·(1 - lr·λ)ᵗ with a zero gradient; with λ = 0 it is Adam exactly', () => {
  const w = new tf.Variable([2, -1]);
  const opt = tf.keras.optimizers.AdamW({ learningRate: 0.1, weightDecay: 0.5 });
  for (let i = 0; i < 3; i++) opt.applyGradients([[tf.constant([0, 0]), w]]);
  near(w.dataSync()[0], 2 * Math.pow(0.95, 3), 1e-6, 'decayed');
  near(w.dataSync()[1], -Math.pow(0.95, 3), 1e-6, 'decayed');
  const a = new tf.Variable([1, 2]), b = new tf.Variable([1, 2]);
  const adam = tf.keras.optimizers.Adam(0.05), adamw = tf.keras.optimizers.AdamW({ learningRate: 0.05, weightDecay: 0 });
  for (let i = 0; i < 4; i++) {
    adam.applyGradients([[tf.constant([0.5, -i]), a]]);
    adamw.applyGradients([[tf.constant([0.5, -i]), b]]);
  }
  assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
  assert.equal(adamw.name, 'AdamW');
});

test('Embedding: looks up rows, output [batch, ..., outputDim], gradient counts the rows used, bad ids are refused', () => {
  const emb = tf.keras.layers.Embedding(10, 4);
  const out = emb.apply([[1, 1, 3], [0, 9, 1]]);
  assert.deepEqual(out.shape, [2, 3, 4]);
  const table = emb.embeddings!;
  assert.deepEqual(Array.from(out.slice([0, 2, 0], [1, 1, 4]).dataSync()), Array.from(table.slice([3, 0], [1, 4]).dataSync()));
  const values = Array.from(table.dataSync());
  assert.ok(values.every((v) => Math.abs(v) <= 0.05), 'uniform in [-0.05, 0.05]');
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.reduceSum(emb.apply([[1, 1, 3], [0, 9, 1]])));
  const g = tape.gradient(y, table)!;
  assert.deepEqual(Array.from(tf.reduceSum(g, 1).dataSync()), [4, 12, 0, 4, 0, 0, 0, 0, 0, 4]);
  assert.throws(() => emb.apply([[10]]), /index 10 is out of range \[0, 10\)/);
  const model = tf.keras.Sequential([tf.keras.layers.Embedding({ inputDim: 5, outputDim: 2 }), tf.keras.layers.Flatten(), tf.keras.layers.Dense(1)]);
  assert.deepEqual(model.apply(tf.constant([[1, 2, 3]])).shape, [1, 1]);
});
