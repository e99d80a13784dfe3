// Gradients of gradients with nested tapes: which variable you differentiate with respect to
// matters. Differentiating with respect to X (the concatenation) works; with respect to the x
// it was built from, the inner gradient g1 depends on X only, so the answer is None.
// (Transcribed from a blog post comparing TF1 tf.gradients with TF2 GradientTape.)

// %% y = tanh(X · w) with X = [x, t]
function graFun(X: ReturnType<typeof tf.constant>) {
  const w = tf.constant([[2.0], [1.0]]);
  return tf.tanh(tf.matmul(X, w));
}

let x = tf.ones([4, 1]);
let t = tf.ones([4, 1]).mul(2.0);
let X = tf.concat([x, t], 1);

// %% First and second derivatives with respect to X
let tape1 = new tf.GradientTape();
let g1 = tf.constant(0);
let gg1 = tape1.record(() => {
  tape1.watch(X);
  const tape2 = new tf.GradientTape();
  const y = tape2.record(() => {
    tape2.watch(X);
    return graFun(X);
  });
  g1 = tape2.gradient(y, X)!;
  return g1;
});
print(g1);
print(tape1.gradient(gg1, X));

// %% With respect to the small x it came from: None (x is not on the path to g1)
tape1 = new tf.GradientTape();
gg1 = tape1.record(() => {
  tape1.watch([X, x]);
  const tape2 = new tf.GradientTape();
  const y = tape2.record(() => {
    tape2.watch(X);
    return graFun(X);
  });
  return tape2.gradient(y, X)!;
});
print(tape1.gradient(gg1, x));

// %% y = X⁴ elementwise: dy/dX = 4X³, d²y/dX² = 12X²
x = tf.constant([[4.0], [1.0]]);
t = tf.constant([[4.0], [1.0]]).mul(2.0);
X = tf.concat([x, t], 1);
tape1 = new tf.GradientTape();
gg1 = tape1.record(() => {
  tape1.watch(X);
  const tape2 = new tf.GradientTape();
  const y = tape2.record(() => {
    tape2.watch(X);
    return X.mul(X).mul(X).mul(X);
  });
  g1 = tape2.gradient(y, X)!;
  return g1;
});
print(g1); // [[256, 2048], [4, 32]]
print(tape1.gradient(gg1, X)!.numpy()); // [[192, 768], [12, 48]]

// %% A partial derivative: slice one column of the first derivative, differentiate it again
tape1 = new tf.GradientTape();
const g1T = tape1.record(() => {
  tape1.watch(X);
  const tape2 = new tf.GradientTape();
  const y = tape2.record(() => {
    tape2.watch(X);
    return X.mul(X).mul(X).mul(X);
  });
  g1 = tape2.gradient(y, X)!;
  return tf.slice(g1, [0, 1], [-1, 1]);
});
print(g1);
print(g1T.numpy()); // [[2048], [32]]
print(tape1.gradient(g1T, X)!.numpy()); // [[0, 768], [0, 48]]
