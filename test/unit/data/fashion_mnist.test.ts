// The real Fashion-MNIST files from Debian's dataset-fashion-mnist: their shapes and label balance, and a short
// training run of seed 002's model that must beat chance (10%) by far on the test set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tf } from '../../../engine';

const DIR = '/usr/share/datasets/fashion-mnist';
const skip = existsSync(DIR) ? false : `${DIR} is absent (apt-get install dataset-fashion-mnist to run this test)`;

test('the real Fashion-MNIST files read as 60,000 + 10,000 28×28 images with balanced labels', { skip }, () => {
  const train = tf.data.readIdx(`${DIR}/train-images-idx3-ubyte.gz`);
  assert.deepEqual(train.shape, [60000, 28, 28]);
  const labels = tf.data.readIdx(`${DIR}/t10k-labels-idx1-ubyte.gz`);
  assert.deepEqual(labels.shape, [10000]);
  const counts = new Array(10).fill(0);
  for (const l of labels.values) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(1000), 'Fashion-MNIST test set: 1,000 of each class');
  const sets = tf.data.readDataSets(DIR, { oneHot: true, seed: 1 });
  assert.equal(sets.train.numExamples, 55000);
  assert.equal(sets.validation.numExamples, 5000);
  assert.equal(sets.test.numExamples, 10000);
});

test('300 steps of seed 002 on Fashion-MNIST reach well above chance on the test set', { skip }, () => {
  tf.random.setSeed(7);
  const sets = tf.data.readDataSets(DIR, { oneHot: true, seed: 7 });
  const input = tf.keras.Input({ shape: [784] });
  const hidden = tf.keras.layers.Dense(128, { activation: 'relu' })(input);
  const out = tf.keras.layers.Dense(10, { activation: 'softmax' })(hidden);
  const model = tf.keras.Model({ inputs: input, outputs: out });
  const optimizer = tf.keras.optimizers.Adam();
  for (let i = 0; i < 300; i++) {
    const [images, labels] = sets.train.nextBatch(128);
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, model(images))));
    optimizer.applyGradients(tape.gradient(loss, model.trainableVariables), model.trainableVariables);
  }
  const accuracy = tf.keras.metrics.categoricalAccuracy(sets.test.labels, model.predict(sets.test.images, { batchSize: 1000 }));
  assert.ok(accuracy > 0.6, `test accuracy ${accuracy}`);
});
