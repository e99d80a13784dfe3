// Seed 002's training loop on Fashion-MNIST: Dense 784→128 relu → Dense 10 softmax, categorical cross-entropy,
// Adam, 2,000 steps of batch 128 through a GradientTape, then accuracy on the 10,000 test images.
// Run: node --import tsx scripts/train_seed002.ts   (data: $TAPESCOPE_DATA_DIR or /usr/share/datasets/fashion-mnist)
import { tf } from '../engine';

const totalSteps = Number(process.env.STEPS ?? 2000);
const batchSize = 128;
tf.random.setSeed(2);

const started = performance.now();
const dataset = tf.data.readDataSets({ oneHot: true, seed: 2 });
const loaded = performance.now();

const input = tf.keras.Input({ shape: [784] });
const dense = tf.keras.layers.Dense(128, { activation: 'relu' })(input);
const out = tf.keras.layers.Dense(10, { activation: 'softmax' })(dense);
const model = tf.keras.Model({ inputs: input, outputs: out });
const optimizer = tf.keras.optimizers.Adam();

console.log('start training');
for (let i = 0; i < totalSteps; i++) {
  const [trainImage, trainLabel] = dataset.train.nextBatch(batchSize);
  const tape = new tf.GradientTape();
  const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(trainLabel, model(trainImage))));
  const grads = tape.gradient(loss, model.trainableVariables);
  optimizer.applyGradients(grads.map((g, k) => [g, model.trainableVariables[k]] as const));
  if (i % 100 === 0 || i === totalSteps - 1) console.log(`steps: ${i}, losses: ${loss.item().toFixed(6)}`);
}
const trained = performance.now();

const predictions = model.predict(dataset.test.images, { batchSize: 1000 });
const accuracy = tf.keras.metrics.categoricalAccuracy(dataset.test.labels, predictions);
console.log(`test accuracy: ${(accuracy * 100).toFixed(2)}%`);
console.log(`data load ${((loaded - started) / 1000).toFixed(2)} s, training ${((trained - loaded) / 1000).toFixed(2)} s `
  + `(${((trained - loaded) / totalSteps).toFixed(2)} ms/step), total ${((performance.now() - started) / 1000).toFixed(2)} s`);
