// From y = 2x² to a real classifier: gradients of variables and watched constants, a second
// derivative, one SGD step by hand and by the optimizer, then an MLP trained on Fashion-MNIST
// with a GradientTape loop. (Transcribed from a TensorFlow 2 tutorial notebook.)

// %% y = 2x², dy/dx = 4x: a tape differentiates variables by default
let x = new tf.Variable(3.0);
let tape = new tf.GradientTape();
let y = tape.record(() => x.pow(2).mul(2));
let dYx = tape.gradient(y, x);
print(dYx);

// %% A constant needs tape.watch, otherwise its gradient is None
const c = tf.constant(3.0);
tape = new tf.GradientTape();
y = tape.record(() => c.pow(2).mul(2));
print(tape.gradient(y, c));

tape = new tf.GradientTape();
y = tape.record(() => {
  tape.watch(c);
  return c.pow(2).mul(2);
});
print(tape.gradient(y, c));

// %% Higher derivatives: d²y/dx² = 4
x = new tf.Variable(3.0);
const tape1 = new tf.GradientTape();
const dYdx = tape1.record(() => {
  const tape2 = new tf.GradientTape();
  const y2 = tape2.record(() => x.pow(2).mul(2));
  return tape2.gradient(y2, x)!;
});
print(tape1.gradient(dYdx, x));

// %% One gradient-descent step, Δw = -lr · ∇w, by hand and with the SGD optimizer
const learningRate = 0.01;
const sgd = tf.keras.optimizers.SGD(learningRate);
x = new tf.Variable(3.0);
tape = new tf.GradientTape();
y = tape.record(() => x.pow(2).mul(2));
const dY = tape.gradient(y, x)!;
print('x from the formula:', x.sub(dY.mul(learningRate)));
sgd.applyGradients([[dY, x]]);
print('x after the optimizer step:', x);

// %% Fashion-MNIST (same format as MNIST): 60,000 training images of 28×28 pixels, one-hot labels
const dataset = tf.data.readDataSets(undefined, { oneHot: true });

const input = tf.keras.Input({ shape: [784] });
const hidden = tf.keras.layers.Dense(128, { activation: 'relu' })(input);
const output = tf.keras.layers.Dense(10, { activation: 'softmax' })(hidden);
const model = tf.keras.Model({ inputs: input, outputs: output });
const optimizer = tf.keras.optimizers.Adam();

// %% Train: 2,000 steps of 128 images (Interrupt keeps the weights learned so far)
const totalSteps = 2000;
const batchSize = 128;
print('training');
for (let i = 0; i < totalSteps; i++) {
  const [images, labels] = dataset.train.nextBatch(batchSize);
  const stepTape = new tf.GradientTape();
  const loss = stepTape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, model(images))));
  const grads = stepTape.gradient(loss, model.trainableVariables);
  optimizer.applyGradients(grads.map((g, k) => [g, model.trainableVariables[k]] as const));
  tf.summary.scalar('loss', loss, i);
  if (i % 100 === 0) print(`steps: ${i}, loss: ${loss.dataSync()[0].toFixed(6)}`);
}

// %% Test accuracy
const predictions = model(dataset.test.images);
tf.reduceMean(tf.cast(tf.equal(tf.argmax(predictions, 1), tf.argmax(dataset.test.labels, 1)), 'float32'))
