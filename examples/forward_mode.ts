// Forward mode: tf.autodiff.ForwardAccumulator computes Jacobian-vector products J·v. It agrees with reverse
// mode (uᵀ(J·v) = (Jᵀu)·v), and nested with a GradientTape it gives Hessian-vector products without ever
// building the Hessian.
import type { Tensor } from 'tapescope';

// %% J·v for y = sin(x): cos(x)·v
let x = tf.constant([0.0, 1.0, 2.0]);
let acc = new tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0, 3.0]));
let y = acc.record(() => tf.sin(x));
acc.jvp(y)

// %% Forward and reverse agree: u·(J v) equals (Jᵀ u)·v for a small network
let a = tf.random.normal([3, 4], { seed: 1 });
let w = tf.random.normal([4, 2], { seed: 2 });
let v = tf.random.normal([4, 2], { seed: 3 });
let u = tf.random.normal([3, 2], { seed: 4 });
let net = (w: Tensor) => tf.tanh(tf.matmul(a, w));
let fwd = new tf.autodiff.ForwardAccumulator(w, v);
let jv = fwd.jvp(fwd.record(() => net(w)))!;
let tape = new tf.GradientTape();
let out = tape.record(() => { tape.watch(w); return net(w); });
let vjp = tape.gradient(out, w, { outputGradients: u })!;
print(tf.reduceSum(u.mul(jv)).numpy(), tf.reduceSum(vjp.mul(v)).numpy());

// %% Hessian-vector product, forward over reverse: f = Σ x³ has Hessian diag(6x), so Hv = 6·x·v
let p = tf.constant([1.0, -2.0, 0.5]);
let direction = tf.constant([1.0, 1.0, 2.0]);
let hvpAcc = new tf.autodiff.ForwardAccumulator(p, direction);
let grad: Tensor | null = null;
hvpAcc.record(() => {
  const inner = new tf.GradientTape();
  const f = inner.record(() => { inner.watch(p); return tf.reduceSum(p.mul(p).mul(p)); });
  grad = inner.gradient(f, p);
});
hvpAcc.jvp(grad!)
