// tf.shape / tf.size / tf.rank, Variable.readValue, tf.Module's variable tracking and name scopes,
// tf.TensorSpec input signatures, and layer.build(shape) marking a layer built — each as TF has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, Variable } from '../../../engine';

test('tf.shape, tf.size, tf.rank return int32 tensors as TF', () => {
  const x = tf.zeros([2, 3, 4]);
  assert.deepEqual(Array.from(tf.shape(x).dataSync()), [2, 3, 4]);
  assert.equal(tf.shape(x).dtype, 'int32');
  assert.equal(tf.size(x).dataSync()[0], 24);
  assert.equal(tf.rank(x).dataSync()[0], 3);
  assert.deepEqual(tf.rank(x).shape, []);
  assert.deepEqual(Array.from(tf.shape(5).dataSync()), []);
});

test('Variable.readValue: the current value, unchanged by a later assign, and differentiable to the variable', () => {
  const v = new tf.Variable([1, 2]);
  const before = v.readValue();
  v.assign([3, 4]);
  assert.deepEqual(Array.from(before.dataSync()), [1, 2]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.reduceSum(tf.square(v.readValue())));
  assert.deepEqual(Array.from(tape.gradient(y, v)!.dataSync()), [6, 8]);
});

class Dense extends tf.Module {
  w: Variable;
  b: Variable;
  frozen: Variable;
  constructor(inDim: number, outDim: number, name?: string) {
    super(name);
    this.w = new tf.Variable(tf.ones([inDim, outDim]), { name: 'w' });
    this.b = new tf.Variable(tf.zeros([outDim]), { name: 'b' });
    this.frozen = new tf.Variable(tf.zeros([1]), { name: 'frozen', trainable: false });
  }
  call(x: Tensor): Tensor {
    return this.withNameScope(() => tf.add(tf.matmul(x, this.w), this.b));
  }
}

class MLP extends tf.Module {
  layers: Dense[];
  extra = { scale: new tf.Variable(2, { name: 'scale' }) };
  constructor() {
    super('mlp');
    this.layers = [new Dense(3, 2, 'dense_a'), new Dense(2, 1, 'dense_b')];
  }
}

test('tf.Module: variables, trainableVariables and submodules found through properties, lists and objects (TF\'s guide)', () => {
  const m = new MLP();
  assert.equal(m.name, 'mlp');
  assert.deepEqual(m.trainableVariables.map((v) => v.name), ['w', 'b', 'w', 'b', 'scale']);
  assert.equal(m.variables.length, 7);
  assert.deepEqual(m.submodules.map((s) => s.name), ['dense_a', 'dense_b']);
  assert.equal(new Dense(1, 1).name.startsWith('dense'), true);
  assert.throws(() => new Dense(1, 1, 'bad name!'), /Module: 'bad name!' is not a valid module name/);
  // a Keras layer held by a module is tracked through its own variables
  class Wrapper extends tf.Module { layer = tf.keras.layers.Dense(2); }
  const w = new Wrapper();
  w.layer.apply(tf.zeros([1, 3]));
  assert.equal(w.trainableVariables.length, 2);
});

test('tf.Module: ops run inside the module\'s name scope, and gradients reach its trainableVariables', () => {
  const d = new Dense(3, 2, 'my_dense');
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.reduceSum(d.call(tf.ones([1, 3]))));
  const nodes = tape.nodes.slice();
  const grads = tape.gradient(y, d.trainableVariables);
  assert.deepEqual(Array.from(grads[0]!.dataSync()), [1, 1, 1, 1, 1, 1]);
  const inside = nodes.filter((n) => n.op !== 'Sum');
  assert.ok(inside.length >= 2 && inside.every((n) => n.scope.includes('my_dense')), `ops in the my_dense scope: ${inside.map((n) => `${n.op} [${n.scope}]`)}`);
  assert.deepEqual(nodes.find((n) => n.op === 'Sum')!.scope, []);
});

test('tf.TensorSpec: a tf.function with an input signature accepts matching calls (None dims) and refuses others with TF\'s error', () => {
  const spec = new tf.TensorSpec([null, 2], 'float32');
  assert.equal(String(spec), "TensorSpec(shape=(None, 2), dtype=tf.float32, name=None)");
  const f = tf.function((x: Tensor) => tf.mul(x, 2), { inputSignature: [spec] });
  assert.deepEqual(Array.from(f(tf.ones([3, 2])).dataSync()), [2, 2, 2, 2, 2, 2]);
  assert.deepEqual(f(tf.ones([1, 2])).shape, [1, 2]);
  assert.throws(() => f(tf.ones([3])), /Python inputs incompatible with input_signature/);
  assert.throws(() => f(tf.ones([3, 2], 'float64')), /Python inputs incompatible with input_signature/);
  assert.throws(() => new tf.TensorSpec([2, -1]), /TensorSpec: shape must be a list of non-negative integers or null/);
});

test('layer.build(shape) marks the layer built: the first call reuses those weights (Keras)', () => {
  const layer = tf.keras.layers.Dense(4);
  layer.build([null, 3]);
  assert.equal(layer.built, true);
  const kernel = layer.weights[0];
  layer.apply(tf.ones([2, 3]));
  assert.equal(layer.weights.length, 2);
  assert.equal(layer.weights[0], kernel, 'the same kernel variable');
});
