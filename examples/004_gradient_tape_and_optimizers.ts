// Numerical derivatives against GradientTape, gradients of several targets, nested tapes,
// and gradient descent by hand and with an optimizer.
// (Transcribed from a TensorFlow 2 course notebook.)

// %% f(x) = 3x² + 2x - 1 and a central-difference derivative
const f = (x: number) => 3.0 * x ** 2 + 2.0 * x - 1;
function approximateDerivative(fn: (x: number) => number, x: number, eps = 1e-3) {
  return (fn(x + eps) - fn(x - eps)) / (2.0 * eps);
}
approximateDerivative(f, 1, 1e-4) // ≈ 8

// %% g(x1, x2) = (x1 + 5) · x2², by partial differences
const g = (x1: number, x2: number) => (x1 + 5) * x2 ** 2;
function approximateGradient(fn: (a: number, b: number) => number, x1: number, x2: number, eps = 1e-3) {
  const dgX1 = approximateDerivative((x) => fn(x, x2), x1, eps);
  const dgX2 = approximateDerivative((x) => fn(x1, x), x2, eps);
  return [dgX1, dgX2];
}
approximateGradient(g, 2.0, 3.0) // ≈ [9, 42]

// %% The same g on tensors: a non-persistent tape answers only once
type T = ReturnType<typeof tf.constant>;
const gT = (x1: T, x2: T) => x1.add(5).mul(x2.pow(2));
let x1 = new tf.Variable(2.0);
let x2 = new tf.Variable(3.0);
let tape = new tf.GradientTape();
let z = tape.record(() => gT(x1, x2));
print(tape.gradient(z, x1));
try {
  print(tape.gradient(z, x2));
} catch (ex) {
  print((ex as Error).message);
}

// %% A persistent tape answers as often as asked
tape = new tf.GradientTape({ persistent: true });
z = tape.record(() => gT(x1, x2));
print(tape.gradient(z, x1));
print(tape.gradient(z, x2));

// %% Both partial derivatives at once
tape = new tf.GradientTape();
z = tape.record(() => gT(x1, x2));
tape.gradient(z, [x1, x2]) // [9, 42]

// %% Several targets: their gradients add up, d(3x)/dx + d(x²)/dx = 3 + 10
const x = new tf.Variable(5.0);
tape = new tf.GradientTape();
const [z1, z2] = tape.record(() => [x.mul(3), x.pow(2)]);
tape.gradient([z1, z2], x)

// %% Second derivatives (the Hessian of g) with nested persistent tapes
x1 = new tf.Variable(2.0);
x2 = new tf.Variable(3.0);
const outerTape = new tf.GradientTape({ persistent: true });
const innerGrads = outerTape.record(() => {
  const innerTape = new tf.GradientTape({ persistent: true });
  const zz = innerTape.record(() => gT(x1, x2));
  return innerTape.gradient(zz, [x1, x2]);
});
const outerGrads = innerGrads.map((innerGrad) => outerTape.gradient(innerGrad!, [x1, x2]));
print(outerGrads); // [[None, 6], [6, 14]]

// %% Gradient descent by hand: x ← x - lr · f'(x) converges to the minimum at -1/3
const fT = (v: T) => v.pow(2).mul(3).add(v.mul(2)).sub(1);
const learningRate = 0.1;
let v = new tf.Variable(0.0);
for (let step = 0; step < 100; step++) {
  const stepTape = new tf.GradientTape();
  const loss = stepTape.record(() => fT(v));
  const dzDx = stepTape.gradient(loss, v)!;
  v.assignSub(dzDx.mul(learningRate));
}
print(v);

// %% The same with an optimizer
v = new tf.Variable(0.0);
const optimizer = tf.keras.optimizers.SGD({ learningRate });
for (let step = 0; step < 100; step++) {
  const stepTape = new tf.GradientTape();
  const loss = stepTape.record(() => fT(v));
  const dzDx = stepTape.gradient(loss, v)!;
  optimizer.applyGradients([[dzDx, v]]);
}
print(v);
