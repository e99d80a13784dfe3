// The chain rule, step by step: run a cell, then open the inspector's "Backward pass" tab and step through the
// gradient with → (or press play). Each step shows the gradient a node received, its local rule and what it sent
// along each edge; the editor shows each tensor's value and gradient at the end of its line (hover a name for more;
// the setting tapescope.editor.inlineGradients turns the text off).
import type { Tensor } from 'tapescope';

// %% Seed 002: y = 2x² at x = 3, dy/dx = 4x = 12 (shown on the gradient line; hover x for its value and gradient)
let x = new tf.Variable(3.0);
let tape = new tf.GradientTape();
let y = tape.record(() => tf.mul(2, x.square()));
let dyDx = tape.gradient(y, x);
dyDx

// %% Seed 000: dy2/dw1 = dy2/dy1 · dy1/dw1 — the replay shows the seed 1 at y2, then 2 (= w2) at y1, then 2 at w1
let w1 = tf.constant(2.0), b1 = tf.constant(1.0), w2 = tf.constant(2.0), b2 = tf.constant(1.0);
let chain = new tf.GradientTape({ persistent: true });
let y1: Tensor = tf.constant(0);
let y2 = chain.record(() => {
  chain.watch([w1, b1, w2, b2]);
  y1 = tf.constant(1.0).mul(w1).add(b1);
  return y1.mul(w2).add(b2);
});
let dy2Dw1 = chain.gradient(y2, [w1]);
dy2Dw1

// %% A tensor used twice: z = x·x + 3x at x = 5 receives 5, 5 and 3, their running sum 13
let u = tf.constant(5.0);
let twice = new tf.GradientTape();
let z = twice.record(() => { twice.watch(u); return u.mul(u).add(u.mul(3)); });
let dzDu = twice.gradient(z, u);
dzDu

// %% Higher order: the outer tape records the inner gradient (the "Higher order" tab links them), x³ at 1 → 3 then 6
let v = tf.constant(1.0);
let outer = new tf.GradientTape();
let dyDv: Tensor = v;
outer.record(() => {
  outer.watch(v);
  let inner = new tf.GradientTape();
  let cube = inner.record(() => { inner.watch(v); return v.mul(v).mul(v); });
  dyDv = inner.gradient(cube, v) as Tensor;
});
let d2yDv2 = outer.gradient(dyDv, v);
d2yDv2

// %% Seed 004's Hessian of z = (x1 + 5)·x2² at (2, 3): [[None, 6], [6, 14]], drawn as a heatmap
let x1 = new tf.Variable(2.0, { name: 'x1' }), x2 = new tf.Variable(3.0, { name: 'x2' });
let outerTape = new tf.GradientTape({ persistent: true });
let innerGrads: Array<Tensor | null> = [];
outerTape.record(() => {
  let innerTape = new tf.GradientTape({ persistent: true });
  let g = innerTape.record(() => x1.add(5).mul(x2.square()));
  innerGrads = innerTape.gradient(g, [x1, x2]);
});
innerGrads.map((g) => outerTape.gradient(g!, [x1, x2]))

// %% tape.jacobian of y = x² at x = [1, 2]: [[2, 0], [0, 4]], a heatmap with y[0], y[1] down and x[0], x[1] across
let xs = tf.constant([1, 2]);
let jTape = new tf.GradientTape();
jTape.watch(xs);
let ys = jTape.record(() => xs.square());
jTape.jacobian(ys, xs)

// %% Compare two runs: run this cell, change the loss to tf.pow(p, 3) and run it again — the "Compare" tab flags
// dloss/dp changing from 6 to 27 (hover p for its value and gradient, and follow the link to its node)
let p = tf.constant(3.0);
let lossTape = new tf.GradientTape();
lossTape.watch(p);
let loss = lossTape.record(() => tf.pow(p, 2));
let dLossDp = lossTape.gradient(loss, p);
dLossDp
