// TensorFlow's guide "Advanced automatic differentiation", transcribed cell by cell: controlling what a tape
// records, a custom gradient that clips, higher-order gradients, input-gradient regularisation, Jacobians,
// the Hessian of a small MLP used for a Newton step, batch Jacobians — then gradient clipping in an
// optimizer step and tf.cond inside a traced function, differentiated by tf.gradients.
import type { Tensor } from 'tapescope';

// %% Stop recording: the tape does not see z's dependence on y
const x = new tf.Variable(2.0);
const y = new tf.Variable(3.0);
let t = new tf.GradientTape({ persistent: true });
let z = t.record(() => {
  const xSq = x.mul(x);
  const ySq = t.stopRecording(() => y.mul(y));
  return xSq.add(ySq);
});
print('dz/dx:', t.gradient(z, x));
print('dz/dy:', t.gradient(z, y));

// %% Stop gradient: the same through tf.stopGradient
t = new tf.GradientTape({ persistent: true });
z = t.record(() => x.mul(x).add(tf.stopGradient(y.mul(y))));
print('dz/dx:', t.gradient(z, x));
print('dz/dy:', t.gradient(z, y));

// %% A custom gradient that clips the incoming gradient's norm to 0.5
const clipGradients = tf.customGradient((v: Tensor) => ({ value: tf.identity(v), gradFunc: (dy: Tensor) => tf.clipByNorm(dy, 0.5) }));
const w = new tf.Variable(2.0);
t = new tf.GradientTape();
const clipped = t.record(() => clipGradients(w.mul(w)));
print('clipped gradient:', t.gradient(clipped, w));

// %% Higher-order gradients: y = x³ at 1 gives 3 and 6
const x1 = new tf.Variable(1.0);
const t2 = new tf.GradientTape();
let dyDx: Tensor | null = null;
const d2yDx2Source = t2.record(() => {
  const t1 = new tf.GradientTape();
  const y1 = t1.record(() => x1.mul(x1).mul(x1));
  dyDx = t1.gradient(y1, x1);
  return dyDx!;
});
const d2yDx2 = t2.gradient(d2yDx2Source, x1);
print('dy_dx:', dyDx!.numpy());
print('d2y_dx2:', d2yDx2!.numpy());

// %% Input-gradient regularisation: the gradient of ‖∂out/∂x‖² with respect to the layer's weights
tf.random.setSeed(0);
const xIn = tf.random.normal([7, 5]);
const layer = tf.keras.layers.Dense(10, { activation: 'relu' });
const outer = new tf.GradientTape();
const xGradNorm = outer.record(() => {
  const inner = new tf.GradientTape();
  const out = inner.record(() => {
    inner.watch(xIn);
    return tf.reduceSum(tf.square(layer(xIn)));
  });
  const doutDx = inner.gradient(out, xIn)!;
  return tf.reduceSum(tf.square(doutDx));
});
const dxNormDw = outer.gradient(xGradNorm, layer.trainableVariables);
print('regulariser gradient shapes:', dxNormDw.map((g) => g!.shape));

// %% Jacobian with a scalar source: the derivative of a sigmoid, one entry per x
const xs = tf.linspace(-10.0, 10.0, 201);
const delta = new tf.Variable(0.0);
t = new tf.GradientTape({ persistent: true });
const sig = t.record(() => tf.nn.sigmoid(xs.add(delta)));
const dyDelta = t.jacobian(sig, delta)!;
print('jacobian shape:', dyDelta.shape, 'max |jacobian - gradient|:', tf.reduceMax(tf.abs(tf.sub(dyDelta, tf.nn.sigmoid(xs).mul(tf.sub(1, tf.nn.sigmoid(xs)))))).dataSync()[0].toExponential(2));

// %% Jacobian with a tensor source: [7, 10] outputs by a [5, 10] kernel; summed, it is the gradient
const denseSig = tf.keras.layers.Dense(10, { activation: 'sigmoid' });
t = new tf.GradientTape({ persistent: true });
const yDense = t.record(() => denseSig(tf.random.normal([7, 5])));
const jKernel = t.jacobian(yDense, denseSig.kernel!)!;
const gKernel = t.gradient(yDense, denseSig.kernel!)!;
print('kernel jacobian shape:', jKernel.shape);
print('max |gradient - summed jacobian|:', tf.reduceMax(tf.abs(tf.sub(gKernel, tf.reduceSum(jKernel, [0, 1])))).dataSync()[0].toExponential(2));

// %% The Hessian of a small MLP's loss with respect to the first kernel, and one Newton step with it
const xMlp = tf.random.normal([7, 5]);
const layer1 = tf.keras.layers.Dense(8, { activation: 'elu' });
const layer2 = tf.keras.layers.Dense(6, { activation: 'elu' });
const mlpLoss = () => tf.reduceMean(tf.square(layer2(layer1(xMlp))));
const th2 = new tf.GradientTape();
const g = th2.record(() => {
  const th1 = new tf.GradientTape();
  const loss = th1.record(mlpLoss);
  return th1.gradient(loss, layer1.kernel!)!;
});
const h = th2.jacobian(g, layer1.kernel!)!;
print('hessian shape:', h.shape);
const n = layer1.kernel!.size;
const hMat = tf.reshape(h, [n, n]);
const gVec = tf.reshape(g, [n, 1]);
const damped = tf.add(hMat, tf.mul(tf.eye(n), 1e-3));
const update = tf.linalg.solve(damped, gVec);
print('newton equation residual |(H + εI)·u - g|:', tf.reduceMax(tf.abs(tf.sub(tf.matmul(damped, update), gVec))).dataSync()[0] < 1e-4);
// the step goes to the stationary point of the local quadratic model; on a non-convex loss that can be a saddle
const lossBefore = mlpLoss().dataSync()[0];
layer1.kernel!.assignSub(tf.reshape(update, layer1.kernel!.shape));
print(`newton step: loss ${lossBefore.toFixed(5)} -> ${mlpLoss().dataSync()[0].toFixed(5)}`);

// %% Batch Jacobian: each example's outputs depend only on its own inputs
const xb = tf.random.normal([2, 3]);
const bl1 = tf.keras.layers.Dense(5, { activation: 'elu' });
const bl2 = tf.keras.layers.Dense(6, { activation: 'elu' });
t = new tf.GradientTape({ persistent: true });
const yb = t.record(() => { t.watch(xb); return bl2(bl1(xb)); });
const jFull = t.jacobian(yb, xb)!;
const jBatch = t.batchJacobian(yb, xb)!;
print('jacobian:', jFull.shape, 'batch jacobian:', jBatch.shape);
print('diagonal blocks agree:', tf.reduceMax(tf.abs(tf.sub(jBatch, tf.stack([jFull.slice([0, 0, 0, 0], [1, 6, 1, 3]).reshape([6, 3]), jFull.slice([1, 0, 1, 0], [1, 6, 1, 3]).reshape([6, 3])])))).dataSync()[0] < 1e-6);

// %% Gradient clipping in a training step: clip by global norm by hand, or let the optimizer do it
const model = tf.keras.Sequential([tf.keras.layers.Dense(4, { activation: 'tanh', inputShape: [3] }), tf.keras.layers.Dense(1)]);
const xTrain = tf.random.normal([16, 3]).mul(10);
const yTrain = tf.random.normal([16, 1]).mul(10);
t = new tf.GradientTape();
const stepLoss = t.record(() => tf.reduceMean(tf.square(tf.sub(model(xTrain), yTrain))));
const grads = t.gradient(stepLoss, model.trainableVariables);
const [clippedGrads, globalNorm] = tf.clipByGlobalNorm(grads, 1.0);
print(`global norm ${globalNorm.dataSync()[0].toFixed(3)} clipped to ${tf.linalg.globalNorm(clippedGrads).dataSync()[0].toFixed(3)}`);
tf.keras.optimizers.SGD({ learningRate: 0.1 }).applyGradients(clippedGrads.map((cg, i) => [cg, model.trainableVariables[i]] as const));
const clippingSgd = tf.keras.optimizers.SGD({ learningRate: 0.1, globalClipnorm: 1.0 });
print('optimizer with globalClipnorm:', clippingSgd.getConfig());

// %% tf.cond inside a traced function: both branches traced once, picked per call, tf.gradients through it
const piecewise = tf.function((v: Tensor) => {
  const out = tf.cond(tf.greater(v, 0), () => tf.pow(v, 3), () => tf.sin(v));
  const [dOut] = tf.gradients(out, v);
  return [out, dOut!];
});
for (const v of [2.0, -0.5]) {
  const [out, dOut] = piecewise(tf.constant(v));
  print(`x=${v}: y=${out.dataSync()[0].toFixed(4)} dy/dx=${dOut.dataSync()[0].toFixed(4)}`);
}
print('traces:', piecewise.tracingCount);
