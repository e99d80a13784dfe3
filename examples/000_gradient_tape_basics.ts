// GradientTape basics: watching constants, persistent tapes, second derivatives, and the
// gradients of an MSE and a cross-entropy loss. Put the cursor in a cell and press Shift+Enter.
// (Transcribed from a TensorFlow 2 tutorial notebook: `with tf.GradientTape() as tape:` becomes
// `tape.record(() => ...)`, `x*w` becomes `x.mul(w)`, `None` prints as None.)
import type { Tensor } from 'tapescope';

// %% Element-wise product: [0.25, 0.25, 0.25, 0.25] * [2, 2, 2, 2] = [0.5, 0.5, 0.5, 0.5]
let a = tf.fill([4], 0.25);
let b: Tensor = tf.fill([4], 2.0);
a.mul(b)

// %% Constants
let w: Tensor = tf.constant(1.0);
let x: Tensor = tf.constant(2.0);
let y = x.mul(w);

// %% Only ops run inside record() are taped; a constant must be watched to get a gradient
let tape = new tf.GradientTape();
let y2 = tape.record(() => {
  tape.watch([w]);
  return x.mul(w);
});
// A tape frees its resources after one gradient() call unless it is persistent.
let grad2 = tape.gradient(y2, [w]);
grad2

// %% A persistent tape can be asked several times; y was computed outside it, so its gradient is None
tape = new tf.GradientTape({ persistent: true });
y2 = tape.record(() => {
  tape.watch([w]);
  return x.mul(w);
});
let grad1 = tape.gradient(y, [w]);
grad2 = tape.gradient(y2, [w]);
[grad1, grad2]

// %% Variables are watched automatically
x = new tf.Variable(x);
w = new tf.Variable(w);
b = new tf.Variable(0.0);

// %% Second derivative: a tape recording another tape's gradient computation
const t1 = new tf.GradientTape();
const [dyDw, dyDb] = t1.record(() => {
  const t2 = new tf.GradientTape();
  y = t2.record(() => x.mul(w).add(b));
  return t2.gradient(y, [w, b]);
});
const d2yDw2 = t1.gradient(dyDw!, w);
print(dyDw, dyDb, d2yDw2);

// %%
[x, w, b]

// %% MSE gradient
x = tf.random.normal([2, 4]);
w = tf.random.normal([4, 3]);
b = tf.zeros([3]);
y = tf.constant([2, 0], 'int32');

// %%
tape = new tf.GradientTape();
let loss = tape.record(() => {
  tape.watch([w, b]);
  const prob = tf.nn.softmax(tf.matmul(x, w).add(b), 1);
  return tf.reduceMean(tf.losses.MSE(tf.oneHot(y, 3), prob));
});
let grads = tape.gradient(loss, [w, b]);
grads[0]

// %%
grads[1]

// %% Cross-entropy gradient (fromLogits: softmax and cross-entropy fused, numerically stable)
x = tf.random.normal([2, 4]);
w = tf.random.normal([4, 3]);
b = tf.zeros([3]);
y = tf.constant([2, 0], 'int32');
tape = new tf.GradientTape();
loss = tape.record(() => {
  tape.watch([w, b]);
  const logits = tf.matmul(x, w).add(b);
  return tf.reduceMean(tf.losses.categoricalCrossentropy(tf.oneHot(y, 3), logits, { fromLogits: true }));
});
grads = tape.gradient(loss, [w, b]);
[grads[0], grads[1]]

// %% The chain rule: dy2/dy1 * dy1/dw1 equals dy2/dw1
x = tf.constant(1.0);
const w1 = tf.constant(2.0);
const b1 = tf.constant(1.0);
const w2 = tf.constant(2.0);
const b2 = tf.constant(1.0);

// %%
tape = new tf.GradientTape({ persistent: true });
let y1: Tensor = tf.constant(0);
y2 = tape.record(() => {
  tape.watch([w1, b1, w2, b2]);
  y1 = x.mul(w1).add(b1);
  return y1.mul(w2).add(b2);
});
const dy2Dy1 = tape.gradient(y2, [y1])[0]!;
const dy1Dw1 = tape.gradient(y1, [w1])[0]!;
const dy2Dw1 = tape.gradient(y2, [w1])[0]!;
print(dy2Dy1.mul(dy1Dw1), '\n', dy2Dw1);
