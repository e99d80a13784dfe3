// Every optimizer against updates worked out by hand (three steps with gradients 0.5, -1, 2 on w = 1, lr 0.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, Variable } from '../../../engine';

const GRADS = [0.5, -1.0, 2.0];

function run(optimizer: { applyGradients: (pairs: [Tensor, Variable][]) => number }, grads = GRADS): number[] {
  const w = new tf.Variable(1.0);
  return grads.map((g) => {
    optimizer.applyGradients([[tf.constant(g), w]]);
    return w.item();
  });
}

function assertSteps(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) < 2e-6, `${what} step ${i + 1}: got ${a}, expected ${expected[i]}`));
}

test('SGD: w -= lr·g', () => {
  // 1 - 0.05 = 0.95; 0.95 + 0.1 = 1.05; 1.05 - 0.2 = 0.85
  assertSteps(run(tf.keras.optimizers.SGD({ learningRate: 0.1 })), [0.95, 1.05, 0.85], 'SGD');
});

test('SGD with momentum 0.9: velocity = 0.9·velocity - lr·g; w += velocity', () => {
  // v1 = -0.05, w = 0.95; v2 = -0.045 + 0.1 = 0.055, w = 1.005; v3 = 0.0495 - 0.2 = -0.1505, w = 0.8545
  assertSteps(run(tf.keras.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 })), [0.95, 1.005, 0.8545], 'momentum');
});

test('SGD with Nesterov momentum: w += 0.9·velocity - lr·g', () => {
  // v1 = -0.05: w = 1 - 0.045 - 0.05 = 0.905; v2 = 0.055: w = 0.905 + 0.0495 + 0.1 = 1.0545;
  // v3 = -0.1505: w = 1.0545 - 0.13545 - 0.2 = 0.71905
  assertSteps(run(tf.keras.optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })), [0.905, 1.0545, 0.71905], 'nesterov');
});

test('SGD accepts a positional learning rate and the old lr spelling', () => {
  assert.equal(tf.keras.optimizers.SGD(0.25).learningRate, 0.25);
  assert.equal(tf.keras.optimizers.SGD({ lr: 0.3 }).learningRate, 0.3);
  assert.equal(new tf.keras.optimizers.SGD().learningRate, 0.01);
});

test('Adam: bias-corrected step lr·√(1-β2ᵗ)/(1-β1ᵗ)·m/(√v + ε), Keras defaults', () => {
  const adam = tf.keras.optimizers.Adam({ learningRate: 0.1 });
  assert.equal(adam.beta1, 0.9);
  assert.equal(adam.beta2, 0.999);
  assert.equal(adam.epsilon, 1e-7);
  assert.equal(tf.keras.optimizers.Adam().learningRate, 0.001);
  // step 1: m = 0.05, v = 0.00025, lr_t = 0.1·√0.001/0.1 → w ≈ 1 - 0.1 (Adam's first step is lr·sign(g))
  assertSteps(run(adam), [0.9000006324515321, 0.9366108815953381, 0.894645377681933], 'Adam');
  const w = new tf.Variable(0, { name: 'w_adam_slots' });
  const fresh = tf.keras.optimizers.Adam({ learningRate: 0.1 });
  fresh.applyGradients([[tf.constant(0.5), w]]);
  fresh.applyGradients([[tf.constant(-1.0), w]]);
  assert.ok(Math.abs(fresh.getSlot(w, 'm')!.item() - -0.055) < 1e-7);
  assert.ok(Math.abs(fresh.getSlot(w, 'v')!.item() - 0.00124975) < 1e-9);
  assert.equal(fresh.iterations, 2);
  assert.deepEqual(fresh.slots().map((s) => `${s.variable}/${s.slot}`), ['w_adam_slots/m', 'w_adam_slots/v']);
  assert.throws(() => fresh.getSlot(w, 'momentum'), /no slot 'momentum'.*m, v/);
});

test('RMSprop: rms = 0.9·rms + 0.1·g²; w -= lr·g/(√rms + ε)', () => {
  // step 1: rms = 0.025, w = 1 - 0.1·0.5/0.158113 = 0.683772
  assertSteps(run(tf.keras.optimizers.RMSprop({ learningRate: 0.1 })), [0.6837724339830356, 0.9694866380646916, 0.6894992764107222], 'RMSprop');
  assertSteps(run(tf.keras.optimizers.RMSprop({ learningRate: 0.1, momentum: 0.5 })), [0.6837724339830356, 0.8113728550562093, 0.5951857039388266], 'RMSprop momentum');
});

test('Adagrad: accumulator starts at 0.1, += g²; w -= lr·g/(√acc + ε)', () => {
  // step 1: acc = 0.35, w = 1 - 0.05/0.591608 = 0.915485
  assertSteps(run(tf.keras.optimizers.Adagrad({ learningRate: 0.1 })), [0.9154845888128602, 1.0015508779878406, 0.9150833414927348], 'Adagrad');
});

test('applyGradients skips null gradients, and fails when every gradient is null', () => {
  const a = new tf.Variable(1.0);
  const b = new tf.Variable(2.0);
  const sgd = tf.keras.optimizers.SGD(0.5);
  sgd.applyGradients([[null, a], [tf.constant(1.0), b]]);
  assert.equal(a.item(), 1.0);
  assert.equal(b.item(), 1.5);
  assert.throws(() => sgd.applyGradients([[null, a]]), /no gradients provided for any variable/);
  assert.throws(() => sgd.applyGradients([[tf.constant([1, 2]), a]]), /shape \[2\] does not match variable/);
});

test('updates write into the variable in place, yet a value read earlier keeps what it saw', () => {
  const w = new tf.Variable([1, 2, 3]);
  const sgd = tf.keras.optimizers.SGD(1);
  const before = tf.identity(w);
  const storage = w.dataSync();
  sgd.applyGradients([[tf.constant([1, 1, 1]), w]]);
  assert.deepEqual(Array.from(before.dataSync()), [1, 2, 3]);
  assert.deepEqual(Array.from(w.dataSync()), [0, 1, 2]);
  const storageAfterCopy = w.dataSync();
  sgd.applyGradients([[tf.constant([1, 1, 1]), w]]);
  assert.equal(w.dataSync(), storageAfterCopy, 'no snapshot outstanding: the same storage is updated');
  assert.notEqual(storage, storageAfterCopy);
});

test('minimize records the loss, differentiates and applies', () => {
  const x = new tf.Variable(3.0);
  const sgd = tf.keras.optimizers.SGD(0.01);
  const loss = sgd.minimize(() => tf.mul(2, tf.pow(x, 2)), [x]);
  assert.equal(loss.item(), 18);
  assert.ok(Math.abs(x.item() - 2.88) < 1e-6);
});

test('seed 002: one SGD step on y = 2x² from x = 3 prints 2.88', () => {
  const x = new tf.Variable(3.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.mul(2, tf.pow(x, 2)));
  const dy = tape.gradient(y, x)!;
  tf.keras.optimizers.SGD(0.01).applyGradients([[dy, x]]);
  assert.match(x.repr(), /^<tf\.Variable 'Variable:0' shape=\(\) dtype=float32, numpy=2\.88>$/);
});

test('seed 004: the hand loop and the SGD loop both end at x = -0.3333333', () => {
  const f = (x: Tensor) => tf.sub(tf.add(tf.mul(3, tf.pow(x, 2)), tf.mul(2, x)), 1);
  const byHand = new tf.Variable(0.0);
  for (let i = 0; i < 100; i++) {
    const tape = new tf.GradientTape();
    const z = tape.record(() => f(byHand));
    byHand.assignSub(tf.mul(0.1, tape.gradient(z, byHand)!));
  }
  const withSgd = new tf.Variable(0.0);
  const optimizer = tf.keras.optimizers.SGD({ lr: 0.1 });
  for (let i = 0; i < 100; i++) {
    const tape = new tf.GradientTape();
    const z = tape.record(() => f(withSgd));
    optimizer.applyGradients([[tape.gradient(z, withSgd), withSgd]]);
  }
  for (const x of [byHand, withSgd]) assert.match(x.repr(), /shape=\(\) dtype=float32, numpy=-0\.3333333>$/);
});
