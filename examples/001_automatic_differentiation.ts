// Automatic differentiation with tf.GradientTape: gradients with respect to inputs and to
// intermediate values, persistent tapes, control flow, and higher-order gradients.
// (Transcribed from the TensorFlow 2.0 "automatic differentiation" tutorial.)

// %% Gradient with respect to the input: z = (sum x)^2, dz/dx = 2 * sum(x) = 8
let x = tf.ones([2, 2]);
let t = new tf.GradientTape();
let z = t.record(() => {
  t.watch(x);
  const y = tf.reduceSum(x);
  return tf.multiply(y, y);
});
const dzDx = t.gradient(z, x)!;
for (const value of dzDx.dataSync()) {
  console.assert(value === 8.0, 'dz/dx should be 8 everywhere');
}
dzDx

// %% Gradient with respect to an intermediate value y
x = tf.ones([2, 2]);
t = new tf.GradientTape();
let y = tf.constant(0);
z = t.record(() => {
  t.watch(x);
  y = tf.reduceSum(x);
  return tf.multiply(y, y);
});
const dzDy = t.gradient(z, y)!;
console.assert(dzDy.numpy() === 8.0);
dzDy

// %% A persistent tape answers several gradient() calls
x = tf.constant(3.0);
t = new tf.GradientTape({ persistent: true });
z = t.record(() => {
  t.watch(x);
  y = x.mul(x);
  return y.mul(y);
});
print(t.gradient(z, x)); // 108.0 (4*x^3 at x = 3)
print(t.gradient(y, x)); // 6.0

// %% Control flow is recorded as it runs
function f(x: ReturnType<typeof tf.constant>, y: number) {
  let output = tf.constant(1.0);
  for (let i = 0; i < y; i++) {
    if (i > 1 && i < 5) output = tf.multiply(output, x);
  }
  return output;
}

function grad(x: ReturnType<typeof tf.constant>, y: number) {
  const tape = new tf.GradientTape();
  const out = tape.record(() => {
    tape.watch(x);
    return f(x, y);
  });
  return tape.gradient(out, x)!;
}

x = tf.convertToTensor(2.0);
[grad(x, 6).numpy(), grad(x, 5).numpy(), grad(x, 4).numpy()] // 12, 12, 4

// %% Higher-order gradients: the outer tape records the inner tape's gradient computation
const v = new tf.Variable(1.0);
const outer = new tf.GradientTape();
const dyDx = outer.record(() => {
  const inner = new tf.GradientTape();
  const cube = inner.record(() => v.mul(v).mul(v));
  return inner.gradient(cube, v)!;
});
const d2yDx2 = outer.gradient(dyDx, v)!;
[dyDx.numpy(), d2yDx2.numpy()] // 3, 6
