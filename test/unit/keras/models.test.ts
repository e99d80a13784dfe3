// Functional and Sequential models: same weights give the same outputs, summary() prints Keras's table,
// fit() lowers the loss and logs metric points through the metric sink, evaluate/predict agree with calls.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, runtime } from '../../../engine';
import type { MetricPoint } from '../../../engine/trace/trace_format';

afterEach(() => {
  runtime.setMetricSink(null);
  runtime.setPrintSink(null);
});

function assertClose(a: Tensor, b: Tensor, what: string, tol = 1e-5): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const x = a.dataSync(), y = b.dataSync();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= tol * Math.max(1, Math.abs(y[i])), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
}

function seed002Model() {
  const input = tf.keras.Input({ shape: [6] });
  const hidden = tf.keras.layers.Dense(8, { activation: 'relu' }).apply(input);
  const out = tf.keras.layers.Dense(3, { activation: 'softmax' })(hidden);
  return tf.keras.Model({ inputs: input, outputs: out });
}

test('the functional and the Sequential model give the same output for the same weights, and match explicit matmuls', () => {
  const functional = seed002Model();
  const sequential = tf.keras.Sequential([
    tf.keras.layers.Dense(8, { activation: 'relu', inputShape: [6] }),
    tf.keras.layers.Dense(3, { activation: 'softmax' }),
  ]);
  sequential.setWeights(functional.getWeights());
  const x = tf.random.normal([5, 6], { seed: 9 });
  const [k1, b1, k2, b2] = functional.getWeights();
  const explicit = tf.nn.softmax(tf.add(tf.matmul(tf.relu(tf.add(tf.matmul(x, k1), b1)), k2), b2));
  assertClose(functional(x), explicit, 'functional');
  assertClose(sequential(x), explicit, 'sequential');
  assert.equal(functional.trainableVariables.length, 4);
  assert.equal(typeof functional, 'function');
  assert.ok(functional instanceof tf.keras.Model);
});

test('summary() prints the Keras table through the print sink', () => {
  tf.keras.backend.clearSession();
  const printed: string[] = [];
  runtime.setPrintSink((t) => printed.push(t));
  const input = tf.keras.Input({ shape: [784] });
  const dense = tf.keras.layers.Dense(128, { activation: 'relu' })(input);
  const out = tf.keras.layers.Dense(10, { activation: 'softmax' })(dense);
  tf.keras.Model({ inputs: input, outputs: out }).summary();
  const text = printed.join('\n');
  assert.match(text, /^Model: "model"/);
  assert.match(text, /input_1 \(InputLayer\)\s+\[\(None, 784\)\]\s+0/);
  assert.match(text, /dense \(Dense\)\s+\(None, 128\)\s+100480/);
  assert.match(text, /dense_1 \(Dense\)\s+\(None, 10\)\s+1290/);
  assert.match(text, /Total params: 101,770\nTrainable params: 101,770\nNon-trainable params: 0/);
  const unbuilt = tf.keras.Sequential([tf.keras.layers.Dense(2)]);
  assert.throws(() => unbuilt.summary(), /has not yet been built/);
});

test('fit() lowers the loss on a small problem, logs loss and accuracy points, and returns a History', () => {
  tf.random.setSeed(1);
  // two Gaussian blobs per class of three, one-hot labels
  const n = 120;
  const xs: number[][] = [];
  const ys: number[][] = [];
  const rng = tf.random.normal([n, 2], { seed: 3 }).dataSync();
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push([rng[2 * i] * 0.3 + [0, 2, -2][c], rng[2 * i + 1] * 0.3 + [2, -1, -1][c]]);
    ys.push([0, 1, 2].map((k) => (k === c ? 1 : 0)));
  }
  const model = tf.keras.Sequential([tf.keras.layers.Dense(8, { activation: 'tanh', inputShape: [2] }), tf.keras.layers.Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer: tf.keras.optimizers.Adam(0.05), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const points: MetricPoint[] = [];
  runtime.setMetricSink((p) => points.push(p));
  runtime.setPrintSink(() => {});
  const epochsSeen: number[] = [];
  const x = tf.constant(xs), y = tf.constant(ys);
  const lossBefore = model.evaluate(x, y) as number[];
  const history = model.fit(x, y, { epochs: 10, batchSize: 16, seed: 4, validationData: [x, y], callbacks: [{ onEpochEnd: (e) => epochsSeen.push(e) }] });
  const lossAfter = model.evaluate(x, y) as number[];
  assert.ok(lossAfter[0] < lossBefore[0] * 0.3, `loss ${lossBefore[0]} → ${lossAfter[0]}`);
  assert.ok(lossAfter[1] > 0.95, `accuracy ${lossAfter[1]}`);
  assert.deepEqual(epochsSeen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.equal(history.history.loss.length, 10);
  assert.ok(history.history.loss[9] < history.history.loss[0]);
  const stepLoss = points.filter((p) => p.name === 'loss');
  assert.equal(stepLoss.length, 10 * Math.ceil(n / 16));
  assert.deepEqual(stepLoss.slice(0, 3).map((p) => p.step), [0, 1, 2]);
  assert.equal(points.filter((p) => p.name === 'accuracy').length, stepLoss.length);
  assert.deepEqual(points.filter((p) => p.name === 'epoch_val_loss').map((p) => p.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assertClose(model.predict(x, { batchSize: 7 }), model(x), 'predict');
});

test('fit() without compile, and bad shapes, give clear errors', () => {
  const model = seed002Model();
  assert.throws(() => model.fit(tf.ones([4, 6]), tf.ones([4, 3])), /compile the model first/);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.ok(model.compiled!.optimizer instanceof tf.keras.optimizers.SGD);
  assert.equal(model.compiled!.optimizer.learningRate, 0.01);
  assert.throws(() => model.fit(tf.ones([4, 6]), tf.ones([5, 3])), /x has 4 examples .* y has shape \[5,3\]/);
  assert.throws(() => model(tf.ones([4, 5])), /input shape \[4, 5\] does not match the model's input \(None, 6\)/);
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'nope' }), /unknown loss 'nope'/);
});

test('seed 002 style: a GradientTape step through model(x) updates every variable', () => {
  const model = seed002Model();
  const before = model.getWeights();
  const optimizer = tf.keras.optimizers.Adam();
  const x = tf.random.uniform([4, 6], { seed: 1 });
  const y = tf.oneHot(tf.constant([0, 1, 2, 1], 'int32'), 3);
  const tape = new tf.GradientTape();
  const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(y, model(x))));
  const grads = tape.gradient(loss, model.trainableVariables);
  assert.ok(grads.every((g) => g !== null));
  optimizer.applyGradients(grads.map((g, i) => [g, model.trainableVariables[i]] as const));
  model.getWeights().forEach((w, i) => assert.notDeepEqual(Array.from(w.dataSync()), Array.from(before[i].dataSync())));
});

test('Sequential([Input, Flatten, Dense]) trains on integer labels with sparse cross-entropy and accuracy', () => {
  tf.random.setSeed(3);
  const images: number[][][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 60; i++) {
    const c = i % 2;
    images.push([[c, 1 - c], [c * 0.5, (1 - c) * 0.5]]);
    labels.push(c);
  }
  const model = tf.keras.Sequential([tf.keras.Input({ shape: [2, 2] }), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2, { activation: 'softmax' })]);
  assert.deepEqual(model.trainableVariables.map((v) => v.shape), [[4, 2], [2]], 'built from the Input before any data');
  model.compile({ optimizer: tf.keras.optimizers.Adam(0.05), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  runtime.setPrintSink(() => {});
  const history = model.fit(tf.constant(images), tf.constant(labels, 'int32'), { epochs: 30, batchSize: 10, seed: 2 });
  assert.ok(history.history.loss[29] < history.history.loss[0], `loss ${history.history.loss[0]} → ${history.history.loss[29]}`);
  const [, accuracy] = model.evaluate(tf.constant(images), tf.constant(labels, 'int32')) as number[];
  assert.equal(accuracy, 1);
});
