// Conformance: every cell of the five seed tutorials (../shared/seeds/), transcribed into Tapescope, gives the
// values the seeds print. Random cells are checked against finite differences and an independent computation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { NON_PERSISTENT_MESSAGE } from '../../../engine/autodiff/gradient_tape';

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
const values = (t: Tensor | null) => Array.from(t!.dataSync());

test('seed 000 [2-3]: fill and elementwise product print like TF', () => {
  const a = tf.fill([4], 0.25);
  const b = tf.fill([4], 2.0);
  assert.equal(a.mul(b).repr(), '<tf.Tensor: shape=(4,), dtype=float32, numpy=array([0.5, 0.5, 0.5, 0.5], dtype=float32)>');
});

test('seed 000 [6-9]: watched constant gives 2.0; a value computed outside the tape gives null', () => {
  const w = tf.constant(1.0);
  const x = tf.constant(2.0);
  const y = x.mul(w);
  const tape = new tf.GradientTape();
  const y2 = tape.record(() => { tape.watch([w]); return x.mul(w); });
  const grad2 = tape.gradient(y2, [w]);
  assert.equal(grad2[0]!.repr(), '<tf.Tensor: shape=(), dtype=float32, numpy=2.0>');

  const persistent = new tf.GradientTape({ persistent: true });
  const y3 = persistent.record(() => { persistent.watch([w]); return x.mul(w); });
  const grad1 = persistent.gradient(y, [w]);
  const grad3 = persistent.gradient(y3, [w]);
  assert.deepEqual(grad1, [null]);
  assert.equal(grad3[0]!.repr(), '<tf.Tensor: shape=(), dtype=float32, numpy=2.0>');
});

test('seed 000 [10-14]: nested tapes over variables: dy/dw = 2, dy/db = 1, d2y/dw2 = None', () => {
  const x = new tf.Variable(tf.constant(2.0));
  const w = new tf.Variable(tf.constant(1.0));
  const b = new tf.Variable(0.0);
  const t1 = new tf.GradientTape();
  let dyDw: Tensor | null = null;
  let dyDb: Tensor | null = null;
  t1.record(() => {
    const t2 = new tf.GradientTape();
    const y = t2.record(() => x.mul(w).add(b));
    [dyDw, dyDb] = t2.gradient(y, [w, b]);
  });
  const d2yDw2 = t1.gradient(dyDw!, w);
  assert.equal(`${dyDw} ${dyDb} ${d2yDw2}`,
    'tf.Tensor(2.0, shape=(), dtype=float32) tf.Tensor(1.0, shape=(), dtype=float32) null');
  assert.equal(x.repr(), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=2.0>");
  assert.equal(w.repr(), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>");
  assert.equal(b.repr(), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=0.0>");
});

/** The seed's random cells: the gradient must match finite differences of the same loss in float64. */
function checkRandomLossCell(loss: (w: Tensor, b: Tensor) => Tensor) {
  const w = tf.random.normal([4, 3], { seed: 7 });
  const b = tf.zeros([3]);
  const tape = new tf.GradientTape();
  const value = tape.record(() => { tape.watch([w, b]); return loss(w, b); });
  const [gw, gb] = tape.gradient(value, [w, b]);
  assert.deepEqual(gw!.shape, [4, 3]);
  assert.deepEqual(gb!.shape, [3]);
  const { numerical } = tf.test.computeGradient((w64, b64) => loss(w64, b64), [w, b]);
  values(numerical[0]).forEach((n, i) => close(values(gw)[i], n, 1e-4));
  values(numerical[1]).forEach((n, i) => close(values(gb)[i], n, 1e-4));
  return { gw: gw!, gb: gb! };
}

test('seed 000 [15-18]: softmax + MSE gradient matches finite differences, and the bias gradient sums to 0', () => {
  const x = tf.random.normal([2, 4], { seed: 3 });
  const y = tf.constant([2, 0]);
  const { gb } = checkRandomLossCell((w, b) => {
    const prob = tf.nn.softmax(tf.cast(x, w.dtype).matmul(w).add(b), 1);
    return tf.reduceMean(tf.losses.MSE(tf.cast(tf.oneHot(y, 3), w.dtype), prob));
  });
  // softmax outputs sum to one, so shifting all logits equally changes nothing: dL/db sums to zero
  close(values(gb).reduce((s, v) => s + v, 0), 0, 1e-6);
});

test('seed 000 [19-21]: cross-entropy from logits matches finite differences and the closed form (softmax - onehot)/N', () => {
  const x = tf.random.normal([2, 4], { seed: 5 });
  const y = tf.constant([2, 0]);
  const w = tf.random.normal([4, 3], { seed: 7 });
  const { gb } = checkRandomLossCell((wv, b) => {
    const logits = tf.cast(x, wv.dtype).matmul(wv).add(b);
    return tf.reduceMean(tf.losses.categoricalCrossentropy(tf.cast(tf.oneHot(y, 3), wv.dtype), logits, { fromLogits: true }));
  });
  const expected = tf.nn.softmax(x.matmul(w)).sub(tf.oneHot(y, 3)).reduceMean(0);
  values(expected).forEach((v, i) => close(values(gb)[i], v, 1e-5));
});

test('seed 000 [24-27]: chain rule dy2/dy1 * dy1/dw1 equals dy2/dw1 = 2.0', () => {
  const x = tf.constant(1.0), w1 = tf.constant(2.0), b1 = tf.constant(1.0), w2 = tf.constant(2.0), b2 = tf.constant(1.0);
  const tape = new tf.GradientTape({ persistent: true });
  let y1!: Tensor, y2!: Tensor;
  tape.record(() => {
    tape.watch([w1, b1, w2, b2]);
    y1 = x.mul(w1).add(b1);
    y2 = y1.mul(w2).add(b2);
  });
  const dy2Dy1 = tape.gradient(y2, [y1])[0]!;
  const dy1Dw1 = tape.gradient(y1, [w1])[0]!;
  const dy2Dw1 = tape.gradient(y2, [w1])[0]!;
  assert.equal(String(dy2Dy1.mul(dy1Dw1)), 'tf.Tensor(2.0, shape=(), dtype=float32)');
  assert.equal(String(dy2Dw1), 'tf.Tensor(2.0, shape=(), dtype=float32)');
});

test('seed 001: dz/dx = 8 for z = (sum x)^2, also via the intermediate y', () => {
  for (const viaIntermediate of [false, true]) {
    const x = tf.ones([2, 2]);
    const t = new tf.GradientTape();
    let y!: Tensor;
    const z = t.record(() => { t.watch(x); y = tf.reduceSum(x); return tf.multiply(y, y); });
    if (viaIntermediate) assert.equal(t.gradient(z, y)!.numpy(), 8.0);
    else assert.deepEqual(t.gradient(z, x)!.numpy(), [[8, 8], [8, 8]]);
  }
});

test('seed 001: a persistent tape gives dz/dx = 108 and dy/dx = 6 at x = 3', () => {
  const x = tf.constant(3.0);
  const t = new tf.GradientTape({ persistent: true });
  let y!: Tensor;
  const z = t.record(() => { t.watch(x); y = x.mul(x); return y.mul(y); });
  assert.equal(t.gradient(z, x)!.numpy(), 108.0);
  assert.equal(t.gradient(y, x)!.numpy(), 6.0);
});

test('seed 001: gradients through Python-style control flow', () => {
  const f = (x: Tensor, y: number) => {
    let output: Tensor | number = 1.0;
    for (let i = 0; i < y; i++) if (i > 1 && i < 5) output = tf.multiply(output, x);
    return output as Tensor;
  };
  const grad = (x: Tensor, y: number) => {
    const t = new tf.GradientTape();
    const out = t.record(() => { t.watch(x); return f(x, y); });
    return t.gradient(out, x)!;
  };
  const x = tf.convertToTensor(2.0);
  assert.equal(grad(x, 6).numpy(), 12.0);
  assert.equal(grad(x, 5).numpy(), 12.0);
  assert.equal(grad(x, 4).numpy(), 4.0);
});

test('seed 001: second derivative of x^3 at 1 through nested tapes is 6', () => {
  const x = new tf.Variable(1.0);
  const t = new tf.GradientTape();
  let dyDx!: Tensor;
  t.record(() => {
    const t2 = new tf.GradientTape();
    const y = t2.record(() => x.mul(x).mul(x));
    dyDx = t2.gradient(y, x)!;
  });
  const d2yDx2 = t.gradient(dyDx, x)!;
  assert.equal(dyDx.numpy(), 3.0);
  assert.equal(d2yDx2.numpy(), 6.0);
});

test('seed 002 [2-4]: y = 2x^2 gives 12.0, null for an unwatched constant, and d2y/dx2 = 4.0', () => {
  const x = new tf.Variable(3.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.mul(2, x.pow(2)));
  assert.equal(String(tape.gradient(y, x)), 'tf.Tensor(12.0, shape=(), dtype=float32)');

  const c = tf.constant(3.0);
  const unwatched = new tf.GradientTape();
  const yc = unwatched.record(() => tf.mul(2, c.pow(2)));
  assert.equal(unwatched.gradient(yc, c), null);
  const watched = new tf.GradientTape();
  const yw = watched.record(() => { watched.watch(c); return tf.mul(2, c.pow(2)); });
  assert.equal(String(watched.gradient(yw, c)), 'tf.Tensor(12.0, shape=(), dtype=float32)');

  const outer = new tf.GradientTape();
  let dYx!: Tensor;
  outer.record(() => {
    const inner = new tf.GradientTape();
    const y2 = inner.record(() => tf.mul(2, x.pow(2)));
    dYx = inner.gradient(y2, x)!;
  });
  assert.equal(String(outer.gradient(dYx, x)), 'tf.Tensor(4.0, shape=(), dtype=float32)');
});

test('seed 002 [5]: the SGD formula x - lr * dy gives 2.88', () => {
  const x = new tf.Variable(3.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.mul(2, x.pow(2)));
  const dY = tape.gradient(y, x)!;
  assert.equal(String(x.sub(tf.mul(0.01, dY))), 'tf.Tensor(2.88, shape=(), dtype=float32)');
});

test('seed 003 eager: X^4 gives g1 = 4X^3, gg1 = 12X^2, and the column slice gives [[0, 768], [0, 48]]', () => {
  const x = tf.constant([[4.0], [1.0]]);
  const t = tf.constant([[4.0], [1.0]]).mul(2.0);
  const X = tf.concat([x, t], 1);
  const tape1 = new tf.GradientTape();
  let g1!: Tensor, g1T!: Tensor;
  tape1.record(() => {
    tape1.watch(X);
    const tape2 = new tf.GradientTape();
    const y = tape2.record(() => { tape2.watch(X); return X.mul(X).mul(X).mul(X); });
    g1 = tape2.gradient(y, X)!;
    g1T = g1.slice(':, 1:2');
  });
  assert.deepEqual(g1.numpy(), [[256, 2048], [4, 32]]);
  assert.deepEqual(g1T.numpy(), [[2048], [32]]);
  assert.deepEqual(tape1.gradient(g1T, X)!.numpy(), [[0, 768], [0, 48]]);

  const tape3 = new tf.GradientTape();
  let g!: Tensor;
  tape3.record(() => {
    tape3.watch(X);
    const tape4 = new tf.GradientTape();
    const y = tape4.record(() => { tape4.watch(X); return X.mul(X).mul(X).mul(X); });
    g = tape4.gradient(y, X)!;
  });
  assert.deepEqual(tape3.gradient(g, X)!.numpy(), [[192, 768], [12, 48]]);
});

test('seed 003 eager: X = [1, 2] rows give g1 = [4, 32] and gg1[:, 0:1] = 12; the un-watched small x gives null', () => {
  const x = tf.ones([4, 1]);
  const t = tf.ones([4, 1]).mul(2.0);
  const X = tf.concat([x, t], 1);
  const tape1 = new tf.GradientTape();
  let g1!: Tensor;
  tape1.record(() => {
    tape1.watch(X);
    const tape2 = new tf.GradientTape();
    const y = tape2.record(() => { tape2.watch(X); return X.mul(X).mul(X).mul(X); });
    g1 = tape2.gradient(y, X)!;
  });
  const gg1 = tape1.gradient(g1, X)!;
  assert.deepEqual(g1.numpy(), [[4, 32], [4, 32], [4, 32], [4, 32]]);
  assert.deepEqual(gg1.slice(':, 0:1').numpy(), [[12], [12], [12], [12]]);

  // the seed's first eager cell: differentiating with respect to x, which only fed X before recording began
  const tape3 = new tf.GradientTape();
  let g3!: Tensor;
  tape3.record(() => {
    tape3.watch(X);
    const tape4 = new tf.GradientTape();
    const y = tape4.record(() => { tape4.watch(X); return tf.tanh(X.matmul(tf.constant([[2.0], [1.0]]))); });
    g3 = tape4.gradient(y, X)!;
  });
  assert.equal(tape3.gradient(g3, x), null);
});

test('seed 003 numbers 0.01973224, 0.00986612, -0.07853862, 0.31104344: first to third derivatives of tanh([x,t]@w)', () => {
  const x = tf.ones([4, 1]);
  const t = tf.ones([4, 1]);
  const X = tf.concat([x, t], 1);
  const w = tf.constant([[2.0], [1.0]]);
  const t0 = new tf.GradientTape(), t1 = new tf.GradientTape(), t2 = new tf.GradientTape();
  let g1!: Tensor, gg!: Tensor, g1Column!: Tensor, ggColumn!: Tensor;
  t0.record(() => {
    t0.watch(X);
    t1.record(() => {
      t1.watch(X);
      const y = t2.record(() => { t2.watch(X); return tf.tanh(X.matmul(w)); });
      g1 = t2.gradient(y, X)!;          // recorded on t1 and t0
      g1Column = g1.slice(':, 0:1');   // d y / d x, as x is column 0 of X
    });
    gg = t1.gradient(g1Column, X)!;     // recorded on t0
    ggColumn = gg.slice(':, 0:1');
  });
  const ggg = t0.gradient(ggColumn, X)!;
  close(values(g1)[0], 0.01973224, 1e-6);
  close(values(g1)[1], 0.00986612, 1e-6);
  close(values(gg)[0], -0.07853862, 1e-6);
  close(values(ggg)[0], 0.31104344, 1e-5);
});

test('seed 004: approximate derivatives give the seed\'s exact doubles', () => {
  const f = (x: number) => 3 * x ** 2 + 2 * x - 1;
  assert.equal(tf.test.approximateDerivative(f, 1, 1e-4), 7.999999999994678);
  const g = (x1: number, x2: number) => (x1 + 5) * x2 ** 2;
  assert.equal(tf.test.approximateDerivative((x) => g(2, x), 3, 1e-3), 41.999999999994486);
});

const g = (x1: Tensor, x2: Tensor) => x1.add(5).mul(x2.pow(2));

test('seed 004: a second gradient() on a non-persistent tape raises TF\'s message; a persistent tape allows it', () => {
  const x1 = new tf.Variable(2.0), x2 = new tf.Variable(3.0);
  const tape = new tf.GradientTape();
  const z = tape.record(() => g(x1, x2));
  assert.equal(String(tape.gradient(z, x1)), 'tf.Tensor(9.0, shape=(), dtype=float32)');
  assert.throws(() => tape.gradient(z, x2), { message: NON_PERSISTENT_MESSAGE });
  assert.equal(NON_PERSISTENT_MESSAGE, 'GradientTape.gradient can only be called once on non-persistent tapes.');

  const p = new tf.GradientTape({ persistent: true });
  const zp = p.record(() => g(x1, x2));
  assert.equal(String(p.gradient(zp, x1)), 'tf.Tensor(9.0, shape=(), dtype=float32)');
  assert.equal(String(p.gradient(zp, x2)), 'tf.Tensor(42.0, shape=(), dtype=float32)');
});

test('seed 004: gradients with respect to a list, and of a list of targets (summed)', () => {
  const x1 = new tf.Variable(2.0), x2 = new tf.Variable(3.0);
  const tape = new tf.GradientTape();
  const z = tape.record(() => g(x1, x2));
  assert.deepEqual(tape.gradient(z, [x1, x2]).map((t) => t!.repr()),
    ['<tf.Tensor: shape=(), dtype=float32, numpy=9.0>', '<tf.Tensor: shape=(), dtype=float32, numpy=42.0>']);
  const x = new tf.Variable(5.0);
  const t2 = new tf.GradientTape();
  const [z1, z2] = t2.record(() => [tf.mul(3, x), x.pow(2)]);
  assert.equal(t2.gradient([z1, z2], x)!.repr(), '<tf.Tensor: shape=(), dtype=float32, numpy=13.0>');
});

test('seed 004: the Hessian of (x1+5)*x2^2 at (2, 3) is [[None, 6], [6, 14]]', () => {
  const x1 = new tf.Variable(2.0), x2 = new tf.Variable(3.0);
  const outer = new tf.GradientTape({ persistent: true });
  let innerGrads!: (Tensor | null)[];
  outer.record(() => {
    const inner = new tf.GradientTape({ persistent: true });
    const z = inner.record(() => g(x1, x2));
    innerGrads = inner.gradient(z, [x1, x2]);
  });
  const outerGrads = innerGrads.map((ig) => outer.gradient(ig!, [x1, x2]).map((t) => (t === null ? null : t.numpy())));
  assert.deepEqual(outerGrads, [[null, 6], [6, 14]]);
});

test('seed 004: 100 hand SGD steps on 3x^2+2x-1 end at -0.3333333', () => {
  const f = (x: Tensor) => tf.mul(3, x.pow(2)).add(tf.mul(2, x)).sub(1);
  const x = new tf.Variable(0.0);
  for (let i = 0; i < 100; i++) {
    const tape = new tf.GradientTape();
    const z = tape.record(() => f(x));
    x.assignSub(tf.mul(0.1, tape.gradient(z, x)!));
  }
  assert.equal(String(x), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=-0.3333333>");
});
