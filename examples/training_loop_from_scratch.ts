// TensorFlow's guide "Writing a training loop from scratch", transcribed cell by cell, on Fashion-MNIST (the
// same file format as the guide's MNIST, from /usr/share/datasets/fashion-mnist/). A Keras functional model
// trained with our own loop: GradientTape, a loss object, optimizer.applyGradients, metric objects for train
// and validation accuracy, and finally the step compiled with tf.function.
// One change from the guide: Adam(1e-3) instead of SGD(1e-3), because Fashion-MNIST is harder than MNIST and
// two epochs of plain SGD at that rate stop well short of the accuracy the guide shows.
import type { Tensor } from 'tapescope';

// %% The model: 784 → Dense(64, relu) → Dense(64, relu) → Dense(10) logits
const inputs = tf.keras.Input({ shape: [784], name: 'digits' });
const x1 = tf.keras.layers.Dense(64, { activation: 'relu' })(inputs);
const x2 = tf.keras.layers.Dense(64, { activation: 'relu' })(x1);
const outputs = tf.keras.layers.Dense(10, { name: 'predictions' })(x2);
const model = tf.keras.Model({ inputs, outputs });
const optimizer = tf.keras.optimizers.Adam({ learningRate: 1e-3 });
const lossFn = tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true });

// %% The data: 50,000 training and 10,000 validation images (the guide holds out the last 10,000), int labels
const batchSize = 64;
const dataset = tf.data.readDataSets(undefined, { validationSize: 10000, seed: 1234 });
const stepsPerEpoch = Math.ceil(dataset.train.numExamples / batchSize);
const valImages = dataset.validation.images;
const valLabels = dataset.validation.labels;
print(`${dataset.train.numExamples} training and ${dataset.validation.numExamples} validation examples, ${stepsPerEpoch} steps per epoch`);

// %% Metrics: the accuracy of the training batches seen this epoch, and of the validation set
const trainAccMetric = tf.keras.metrics.SparseCategoricalAccuracy();
const valAccMetric = tf.keras.metrics.SparseCategoricalAccuracy();

// %% The training step compiled with tf.function (the guide's @tf.function train_step / test_step)
const trainStep = tf.function((x: Tensor, y: Tensor) => {
  const tape = new tf.GradientTape();
  const [logits, lossValue] = tape.record(() => {
    const out = model(x, { training: true });
    return [out, lossFn(y, out)];
  });
  const grads = tape.gradient(lossValue, model.trainableWeights);
  optimizer.applyGradients(grads.map((g, i) => [g, model.trainableWeights[i]] as const));
  trainAccMetric.updateState(y, logits);
  return lossValue;
});

const testStep = tf.function((x: Tensor, y: Tensor) => {
  const valLogits = model(x, { training: false });
  valAccMetric.updateState(y, valLogits);
});

// %% The loop: two epochs, the loss every 200 steps, both accuracies at the end of each epoch
const epochs = 2;
for (let epoch = 0; epoch < epochs; epoch++) {
  print(`\nStart of epoch ${epoch}`);
  for (let step = 0; step < stepsPerEpoch; step++) {
    const [xBatch, yBatch] = dataset.train.nextBatch(batchSize);
    const lossValue = trainStep(xBatch, yBatch);
    tf.summary.scalar('loss', lossValue, epoch * stepsPerEpoch + step);
    if (step % 200 === 0) print(`Training loss (for one batch) at step ${step}: ${lossValue.dataSync()[0].toFixed(4)}`);
  }
  const trainAcc = trainAccMetric.result().dataSync()[0];
  print(`Training acc over epoch: ${trainAcc.toFixed(4)}`);
  trainAccMetric.resetState();

  for (let start = 0; start < valLabels.shape[0]; start += 1000) {
    testStep(valImages.slice([start, 0], [1000, 784]), valLabels.slice([start], [1000]));
  }
  const valAcc = valAccMetric.result().dataSync()[0];
  valAccMetric.resetState();
  tf.summary.scalar('val_accuracy', valAcc, epoch);
  print(`Validation acc: ${valAcc.toFixed(4)}`);
}

// %% The test set, once at the end
const testAcc = tf.keras.metrics.SparseCategoricalAccuracy();
testAcc.updateState(dataset.test.labels, model(dataset.test.images));
testAcc.result()
