// Debugging gradients: why is my gradient None?, where did this NaN come from?, is this op's gradient right?
import type { Tensor } from 'tapescope';

// %% Why is a gradient None? tape.explainGradient names the cause and where the path broke
let x = tf.constant([1.0, 2.0]);
let h = x.mul(3);   // computed before recording began
let tape = new tf.GradientTape({ persistent: true });
let y = tape.record(() => { tape.watch(h); return h.square().reduceSum(); });
print(tape.gradient(y, x));
print(tape.explainGradient(y, x).message);

// %% A Variable replaced by a Tensor (v = v.add(1)) instead of v.assignAdd(1)
let v: Tensor = new tf.Variable(tf.constant(3.0), { name: 'v' });
let t2 = new tf.GradientTape({ persistent: true });
let loss = t2.record(() => { const l = v.mul(v); v = v.add(1); return l; });
print(t2.gradient(loss, v));
print(t2.explainGradient(loss, v).message);

// %% Through stopGradient
let s = tf.constant(2.0);
let t3 = new tf.GradientTape({ persistent: true });
let z = t3.record(() => { t3.watch(s); return tf.stopGradient(s.mul(s)).mul(3); });
print(t3.explainGradient(z, s).reason, '-', t3.explainGradient(z, s).message);

// %% Where did the NaN come from? With check numerics on, the first op that makes one throws, naming it
tf.debugging.enableCheckNumerics();
try {
  let a = tf.constant([0.5, 1.5]);
  for (let i = 0; i < 6; i++) a = tf.tanh(a.mul(0.9));
  let b = tf.log(a.sub(2));   // log of a negative number: the origin
  b.mul(2).exp();
} catch (e) {
  print((e as Error).message);
}

// %% Backward too: sqrt(0) is fine forward, but its gradient is infinite
let zero = tf.constant([0.0, 4.0]);
let t4 = new tf.GradientTape();
let r = t4.record(() => { t4.watch(zero); return tf.sqrt(zero.mul(zero).sub(zero.mul(zero))).add(zero).reduceSum(); });
try {
  t4.gradient(r, zero);
} catch (e) {
  print((e as Error).message);
}
tf.debugging.disableCheckNumerics();

// %% Is this gradient right? checkTape compares every node with finite differences (use float64)
let cube = tf.customGradient((u: Tensor) => ({
  value: u.mul(u).mul(u),
  gradFunc: (dy: Tensor) => dy.mul(u.square().mul(2)),   // wrong: should be 3u²
}));
let inp = tf.constant([[0.1, -0.2], [0.3, 0.4]], 'float64');
let wts = tf.constant([[0.5, -0.1], [0.2, 0.3]], 'float64');
let t5 = new tf.GradientTape({ persistent: true, checkable: true });
let out = t5.record(() => { t5.watch([inp, wts]); return tf.reduceSum(cube(tf.tanh(tf.matmul(inp, wts))).mul(2)); });
let report = tf.test.checkTape(t5, out, [inp, wts]);
print('suspect:', report.suspect?.op);
for (const n of report.nodes) print(n.op.padEnd(14), n.ok ? 'ok   ' : 'WRONG', n.relativeError.toExponential(2));
