// Layers against explicit matmuls, the fused ops against their unfused compositions (values and gradients,
// first and second order), and Keras's naming, scoping and callable conventions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, traceCapture } from '../../../engine';
import { biasActivation, softmaxCrossEntropyWithLogits } from '../../../engine/ops/fused';

function assertClose(a: Tensor, b: Tensor, what: string, tol = 1e-5): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const x = a.dataSync(), y = b.dataSync();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= tol * Math.max(1, Math.abs(y[i])), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
}

const input = tf.random.uniform([4, 3], { minval: -2, maxval: 2, seed: 7 });

for (const activation of ['relu', 'sigmoid', 'tanh', 'linear', 'softmax', 'elu', 'selu', 'softplus', 'swish', 'gelu'] as const) {
  test(`Dense(${activation}) equals activation(x @ kernel + bias) computed by hand`, () => {
    const layer = tf.keras.layers.Dense(5, { activation, biasInitializer: 'randomNormal', seed: 3 });
    const out = layer(input);
    const [kernel, bias] = layer.getWeights();
    const x = input.dataSync(), k = kernel.dataSync(), b = bias.dataSync();
    const expected = new Float32Array(20);
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 5; c++) {
        let z = b[c];
        for (let i = 0; i < 3; i++) z += x[r * 3 + i] * k[i * 5 + c];
        expected[r * 5 + c] = z;
      }
    }
    const z = tf.constant(expected, 'float32', [4, 5]);
    const reference: Record<string, (t: Tensor) => Tensor> = {
      relu: tf.nn.relu, sigmoid: tf.nn.sigmoid, tanh: tf.nn.tanh, linear: (t) => t, softmax: (t) => tf.nn.softmax(t), elu: tf.nn.elu,
      selu: tf.nn.selu, softplus: tf.nn.softplus, swish: tf.nn.swish, gelu: tf.nn.gelu,
    };
    assertClose(out, reference[activation](z), `Dense ${activation}`);
  });
}

test('Dense uses Glorot-uniform kernels within ±√(6/(fanIn+fanOut)), zero biases, and seeds reproducibly', () => {
  const a = tf.keras.layers.Dense(50, { seed: 11 });
  const b = tf.keras.layers.Dense(50, { seed: 11 });
  a(tf.zeros([1, 30]));
  b(tf.zeros([1, 30]));
  const limit = Math.sqrt(6 / 80);
  const k = a.getWeights()[0].dataSync();
  assert.ok(k.every((v) => Math.abs(v) <= limit));
  assert.ok(Math.max(...k) > limit * 0.9, 'spread over the whole range');
  assert.deepEqual(Array.from(k), Array.from(b.getWeights()[0].dataSync()));
  assert.ok(a.getWeights()[1].dataSync().every((v) => v === 0));
  tf.random.setSeed(5);
  const c = tf.keras.layers.Dense(4);
  c(tf.zeros([1, 3]));
  tf.random.setSeed(5);
  const d = tf.keras.layers.Dense(4);
  d(tf.zeros([1, 3]));
  assert.deepEqual(Array.from(c.getWeights()[0].dataSync()), Array.from(d.getWeights()[0].dataSync()));
});

test('layers are callable and apply()-able, name themselves and their variables like Keras', () => {
  tf.keras.backend.clearSession();
  const first = tf.keras.layers.Dense(2);
  const second = new tf.keras.layers.Dense(2, { useBias: false });
  assert.equal(typeof first, 'function');
  assert.ok(first instanceof tf.keras.layers.Dense);
  assert.equal(first.name, 'dense');
  assert.equal(second.name, 'dense_1');
  const x = tf.ones([1, 3]);
  assertClose(first(x), first.apply(x), 'layer(x) vs layer.apply(x)');
  second(x);
  assert.deepEqual(first.trainableVariables.map((v) => v.name), ['dense/kernel', 'dense/bias']);
  assert.deepEqual(second.trainableWeights.map((v) => v.name), ['dense_1/kernel']);
  assert.match(first.trainableVariables[0].repr(), /^<tf\.Variable 'dense\/kernel:0' shape=\(3, 2\) dtype=float32/);
  assert.throws(() => first(tf.ones([1, 4])), /dense \(Dense\): expected inputs of shape \[batch, \.\.\., 3\], got \[1,4\]/);
  assert.throws(() => tf.keras.layers.Dense(3, { activation: 'bogus' }), /unknown activation 'bogus'/);
  assert.throws(() => tf.keras.layers.Dense(0), /units must be a positive integer/);
});

test('a Dense layer records its ops inside its name scope', () => {
  tf.keras.backend.clearSession();
  const layer = tf.keras.layers.Dense(2, { activation: 'relu' });
  layer(tf.ones([1, 3]));
  traceCapture.begin();
  const tape = new tf.GradientTape();
  tape.record(() => tf.reduceSum(layer(tf.ones([1, 3]))));
  const [trace] = traceCapture.end();
  const scoped = trace.nodes.filter((n) => n.scope.join('/') === 'dense').map((n) => n.op);
  assert.deepEqual(scoped, ['MatMul', 'BiasAddRelu']);
});

test('Flatten, Activation and Dropout', () => {
  const x = tf.reshape(tf.range(0, 24), [2, 3, 4]);
  assert.deepEqual(tf.keras.layers.Flatten()(x).shape, [2, 12]);
  assertClose(tf.keras.layers.Activation('tanh')(x), tf.tanh(x), 'Activation');
  const drop = tf.keras.layers.Dropout(0.5, { seed: 1 });
  const ones = tf.ones([100, 100]);
  assert.equal(drop(ones), ones, 'identity outside training');
  const dropped = drop(ones, { training: true }).dataSync();
  const zeros = dropped.filter((v) => v === 0).length;
  assert.ok(zeros > 4500 && zeros < 5500, `about half dropped, got ${zeros}`);
  assert.ok(dropped.every((v) => v === 0 || v === 2), 'survivors scaled by 1/(1-rate)');
});

test('biasActivation matches add + activation in value, gradient and second derivative', () => {
  const x = tf.random.normal([3, 4], { seed: 2 });
  const b = tf.random.normal([4], { seed: 3 });
  const reference = { relu: tf.nn.relu, sigmoid: tf.nn.sigmoid, tanh: tf.nn.tanh, linear: (t: Tensor) => t } as const;
  for (const kind of ['relu', 'sigmoid', 'tanh', 'linear'] as const) {
    const grads = (f: (x: Tensor, b: Tensor) => Tensor) => {
      const outer = new tf.GradientTape();
      const inner = new tf.GradientTape();
      let g: (Tensor | null)[] = [];
      const h = outer.record(() => {
        outer.watch([x, b]);
        const y = inner.record(() => {
          inner.watch([x, b]);
          return tf.reduceSum(tf.square(f(x, b)));
        });
        g = inner.gradient(y, [x, b]);
        return tf.reduceSum(g[0]!);
      });
      return [f(x, b), g[0]!, g[1]!, outer.gradient(h, x)!];
    };
    const fused = grads((x, b) => biasActivation(x, b, kind));
    const plain = grads((x, b) => reference[kind](tf.add(x, b)));
    ['value', 'dx', 'db', 'd²'].forEach((what, i) => assertClose(fused[i], plain[i], `${kind} ${what}`, 1e-4));
  }
});

test('softmaxCrossEntropyWithLogits matches -Σ labels·logSoftmax in value, gradients and second derivative', () => {
  const z = tf.random.normal([5, 4], { seed: 4 });
  const labels = tf.nn.softmax(tf.random.normal([5, 4], { seed: 5 }));
  const grads = (f: (l: Tensor, z: Tensor) => Tensor) => {
    const outer = new tf.GradientTape();
    const inner = new tf.GradientTape();
    let g: (Tensor | null)[] = [];
    const h = outer.record(() => {
      outer.watch(z);
      const y = inner.record(() => {
        inner.watch([labels, z]);
        return tf.reduceSum(tf.mul(f(labels, z), tf.range(1, 6)));
      });
      g = inner.gradient(y, [labels, z]);
      return tf.reduceSum(tf.square(g[1]!));
    });
    return [f(labels, z), g[0]!, g[1]!, outer.gradient(h, z)!];
  };
  const fused = grads(softmaxCrossEntropyWithLogits);
  const plain = grads((l, z) => tf.neg(tf.reduceSum(tf.mul(l, tf.nn.logSoftmax(z)), -1)));
  ['value', 'dLabels', 'dLogits', 'd²'].forEach((what, i) => assertClose(fused[i], plain[i], what, 1e-4));
});

test('cross-entropy of a softmax Dense output takes the logits path: same value, stable for confident outputs', () => {
  const layer = tf.keras.layers.Dense(3, { activation: 'softmax', kernelInitializer: 'ones' });
  const x = tf.constant([[30, 0], [0, -30]]);
  const labels = tf.constant([[0, 1, 0], [1, 0, 0]]);
  const probs = layer(x);
  const viaLogits = tf.keras.losses.categoricalCrossentropy(labels, probs);
  const plain = tf.keras.losses.categoricalCrossentropy(labels, tf.identity(probs));
  // the logits are all equal per row (kernel of ones): loss is log 3 either way
  assertClose(viaLogits, tf.fill([2], Math.log(3)), 'fused');
  assertClose(plain, tf.fill([2], Math.log(3)), 'plain');
  const confident = tf.keras.layers.Dense(2, { activation: 'softmax', kernelInitializer: (s) => tf.constant([[100, -100], [-100, 100]], 'float32', s) });
  const loss = tf.keras.losses.categoricalCrossentropy(tf.constant([[0, 1]]), confident(tf.constant([[1, 0]])));
  assert.ok(Math.abs(loss.item() - 200) < 1e-3, `logits path gives the exact 200, not the clipped -log(1e-7); got ${loss.item()}`);
});
