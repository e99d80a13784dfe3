// Keras convolution, pooling, normalisation and reshaping layers: output shapes, weights and parameter counts as
// Keras reports them, values against the tf.nn ops they wrap, and BatchNormalization's training and inference
// outputs and moving statistics against hand-computed numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, runtime } from '../../../engine';

function assertNear(actual: Tensor, expected: number[], what: string, tol = 1e-5): void {
  const a = Array.from(actual.dataSync());
  assert.equal(a.length, expected.length, `${what}: length`);
  a.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol, `${what}[${i}]: ${v} vs ${expected[i]}`));
}

test('summary() of the tutorial CNN lists Keras\'s names, output shapes and parameter counts', () => {
  tf.keras.backend.clearSession();
  const printed: string[] = [];
  runtime.setPrintSink((t) => printed.push(t));
  const model = tf.keras.Sequential([
    tf.keras.Input({ shape: [28, 28, 1] }),
    tf.keras.layers.Conv2D(32, 3, { activation: 'relu' }),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(64, [3, 3], { activation: 'relu' }),
    tf.keras.layers.MaxPooling2D([2, 2]),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10),
  ]);
  model.summary();
  runtime.setPrintSink(null);
  const text = printed.join('\n');
  assert.match(text, /conv2d \(Conv2D\)\s+\(None, 26, 26, 32\)\s+320\n/);
  assert.match(text, /max_pooling2d \(MaxPooling2D\)\s+\(None, 13, 13, 32\)\s+0\n/);
  assert.match(text, /conv2d_1 \(Conv2D\)\s+\(None, 11, 11, 64\)\s+18496\n/);
  assert.match(text, /max_pooling2d_1 \(MaxPooling2D\)\s+\(None, 5, 5, 64\)\s+0\n/);
  assert.match(text, /flatten \(Flatten\)\s+\(None, 1600\)\s+0\n/);
  assert.match(text, /dense \(Dense\)\s+\(None, 10\)\s+16010\n/);
  assert.match(text, /Total params: 34,826\nTrainable params: 34,826\nNon-trainable params: 0/);
  assert.deepEqual(model.apply(tf.zeros([3, 28, 28, 1])).shape, [3, 10]);
});

test('BatchNormalization in summary(): 4 weights per channel, 2 of them non-trainable', () => {
  tf.keras.backend.clearSession();
  const printed: string[] = [];
  runtime.setPrintSink((t) => printed.push(t));
  tf.keras.Sequential([tf.keras.Input({ shape: [8, 8, 3] }), tf.keras.layers.Conv2D(16, 3, { padding: 'same' }), tf.keras.layers.BatchNormalization()]).summary();
  runtime.setPrintSink(null);
  const text = printed.join('\n');
  assert.match(text, /batch_normalization \(BatchNormalization\)\s+\(None, 8, 8, 16\)\s+64\n/);
  assert.match(text, /Total params: 512\nTrainable params: 480\nNon-trainable params: 32/);
});

test('Conv2D, Conv1D, DepthwiseConv2D and Conv2DTranspose compute their tf.nn op plus bias and activation', () => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(3);
  const x = tf.random.normal([2, 9, 8, 3]);
  const conv = tf.keras.layers.Conv2D(4, 3, { strides: 2, padding: 'same', activation: 'relu' });
  const y = conv(x);
  assert.deepEqual(y.shape, [2, 5, 4, 4]);
  assert.deepEqual(conv.weights.map((w) => [w.name, w.shape]), [['conv2d/kernel', [3, 3, 3, 4]], ['conv2d/bias', [4]]]);
  conv.bias!.assign([0.1, -0.2, 0.3, 0]);
  const expected = tf.relu(tf.add(tf.nn.conv2d(x, conv.kernel!, 2, 'SAME'), conv.bias!));
  assertNear(conv(x), Array.from(expected.dataSync()), 'Conv2D');

  const seq = tf.random.normal([2, 10, 3]);
  const c1 = tf.keras.layers.Conv1D({ filters: 5, kernelSize: 4, dilationRate: 2 });
  assert.deepEqual(c1(seq).shape, [2, 4, 5]);
  assertNear(c1(seq), Array.from(tf.nn.conv1d(seq, c1.kernel!, 1, 'VALID', 'NWC', 2).dataSync()), 'Conv1D');

  const dw = tf.keras.layers.DepthwiseConv2D(3, { depthMultiplier: 2, useBias: false });
  assert.deepEqual(dw(x).shape, [2, 7, 6, 6]);
  assert.deepEqual(dw.weights.map((w) => w.shape), [[3, 3, 3, 2]]);
  assertNear(dw(x), Array.from(tf.nn.depthwiseConv2d(x, dw.kernel!, 1, 'VALID').dataSync()), 'DepthwiseConv2D');

  const up = tf.keras.layers.Conv2DTranspose(2, 3, { strides: 2, padding: 'valid' });
  assert.deepEqual(up(x).shape, [2, 19, 17, 2]);
  assert.deepEqual(up.kernel!.shape, [3, 3, 2, 3]);
  const same = tf.keras.layers.Conv2DTranspose(2, 3, { strides: 2, padding: 'same' });
  assert.deepEqual(same(x).shape, [2, 18, 16, 2]);
  assert.throws(() => tf.keras.layers.Conv2D(4, 3)(tf.ones([2, 5, 5])), /conv2d_\d+ \(Conv2D\): expected inputs of rank 4/);
});

test('pooling, global pooling, Reshape, UpSampling2D and ZeroPadding2D give Keras\'s shapes and values', () => {
  const x = tf.reshape(tf.range(16), [1, 4, 4, 1]);
  assertNear(tf.keras.layers.MaxPooling2D(2)(x), [5, 7, 13, 15], 'MaxPooling2D');
  assertNear(tf.keras.layers.AveragePooling2D({ poolSize: 2, strides: 1 })(x), [2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5], 'AveragePooling2D');
  assert.deepEqual(tf.keras.layers.MaxPooling2D(3, { strides: 2, padding: 'same' })(tf.ones([2, 7, 7, 3])).shape, [2, 4, 4, 3]);
  assertNear(tf.keras.layers.GlobalAveragePooling2D()(x), [7.5], 'GlobalAveragePooling2D');
  assertNear(tf.keras.layers.GlobalMaxPooling2D()(x), [15], 'GlobalMaxPooling2D');
  assert.deepEqual(tf.keras.layers.GlobalMaxPooling2D({ keepdims: true })(x).shape, [1, 1, 1, 1]);
  assert.deepEqual(tf.keras.layers.Reshape([4, -1])(tf.ones([3, 2, 8])).shape, [3, 4, 4]);
  assert.throws(() => tf.keras.layers.Reshape([5, 5])(tf.ones([2, 24])), /cannot reshape an example of shape \[24\]/);
  const small = tf.reshape(tf.constant([1, 2, 3, 4]), [1, 2, 2, 1]);
  assertNear(tf.keras.layers.UpSampling2D(2)(small), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], 'UpSampling2D nearest');
  assert.deepEqual(tf.keras.layers.UpSampling2D({ size: [2, 3], interpolation: 'bilinear' })(small).shape, [1, 4, 6, 1]);
  assertNear(tf.keras.layers.ZeroPadding2D([[1, 0], [0, 1]])(small), [0, 0, 0, 1, 2, 0, 3, 4, 0], 'ZeroPadding2D');
  assert.deepEqual(tf.keras.layers.ZeroPadding2D(2)(small).shape, [1, 6, 6, 1]);
});

test('BatchNormalization: training uses batch statistics and moves the moving ones by momentum; inference uses the moving ones', () => {
  const bn = tf.keras.layers.BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const x = tf.constant([[1, 2], [3, 6]]);
  bn.build([null, 2]);
  bn.built = true;
  bn.setWeights([[2, 0.5], [1, -1], [0, 0], [1, 1]]);
  // batch mean [2, 4], biased variance [1, 4]
  const y = bn(x, { training: true });
  const s0 = 2 / Math.sqrt(1 + 1e-3), s1 = 0.5 / Math.sqrt(4 + 1e-3);
  assertNear(y, [1 - s0, -1 - 2 * s1, 1 + s0, -1 + 2 * s1], 'training output');
  assertNear(bn.movingMean!, [0.2, 0.4], 'moving mean after one step');
  assertNear(bn.movingVariance!, [0.9 + 0.1, 0.9 + 0.4], 'moving variance after one step');
  bn(x, { training: true });
  assertNear(bn.movingMean!, [0.2 * 0.9 + 0.2, 0.4 * 0.9 + 0.4], 'moving mean after two steps');
  const inference = bn(x);
  const mm = [0.38, 0.76], mv = [1, 1.3 * 0.9 + 0.4];
  assertNear(inference, [[1, 2], [3, 6]].flatMap((row) => row.map((v, c) => (v - mm[c]) * [2, 0.5][c] / Math.sqrt(mv[c] + 1e-3) + [1, -1][c])), 'inference output');
  assertNear(bn.movingMean!, [0.38, 0.76], 'inference leaves the moving mean');
  assert.deepEqual(bn.trainableVariables.map((v) => v.name), ['batch_normalization/gamma', 'batch_normalization/beta'].map((n) => n.replace('batch_normalization', bn.name)));
  assert.deepEqual(bn.nonTrainableWeights.map((v) => v.name.split('/')[1]), ['moving_mean', 'moving_variance']);
});

test('BatchNormalization over NHWC: gradients reach gamma and beta through the batch statistics (hand-derived: dβ = Σdy, dγ = Σdy·x̂)', () => {
  const bn = tf.keras.layers.BatchNormalization();
  const x = tf.random.normal([4, 3, 3, 2], { seed: 5 });
  const u = tf.random.normal([4, 3, 3, 2], { seed: 6 });
  const tape = new tf.GradientTape();
  const loss = tape.record(() => tf.reduceSum(tf.mul(bn(x, { training: true }), u)));
  const [dGamma, dBeta] = tape.gradient(loss, [bn.gamma!, bn.beta!]) as Tensor[];
  const { mean, variance } = tf.nn.moments(x, [0, 1, 2]);
  const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3)));
  assertNear(dBeta, Array.from(tf.reduceSum(u, [0, 1, 2]).dataSync()), 'dβ', 1e-4);
  assertNear(dGamma, Array.from(tf.reduceSum(tf.mul(u, xhat), [0, 1, 2]).dataSync()), 'dγ', 1e-4);
});

test('LayerNormalization normalises each example over its features', () => {
  const ln = tf.keras.layers.LayerNormalization({ epsilon: 0 });
  assertNear(ln(tf.constant([[1, 3], [2, 10]])), [-1, 1, -1, 1], 'LayerNormalization');
  const x = tf.random.normal([2, 3, 4], { seed: 9 });
  const y = tf.keras.layers.LayerNormalization()(x);
  const { mean, variance } = tf.nn.moments(y, [2]);
  assertNear(mean, new Array(6).fill(0), 'per-example mean', 1e-5);
  variance.dataSync().forEach((v) => assert.ok(Math.abs(v - 1) < 5e-3, `per-example variance ${v}`));
});
