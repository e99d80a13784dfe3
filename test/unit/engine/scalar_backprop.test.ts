// The backward pass on plain numbers for scalar graphs (engine/tape/scalar_backprop.ts) must give exactly the bits
// the tensor pass gives, and must stand aside whenever something would record or watch the gradient's ops:
// an outer tape (second order), a persistent tape differentiated inside its own record, a traced graph, check
// numerics, lineage, a non-scalar node on the path, a seed of another dtype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine';
import type { Tensor } from '../../../engine/tensor/tensor';
import type { DType } from '../../../engine/tensor/dtype';
import { backprop, type BackpropResult } from '../../../engine/tape/backprop';
import { scalarPassAllowed } from '../../../engine/tape/scalar_backprop';
import { add } from '../../../engine/ops/arithmetic';
import { makeRng } from '../../../engine/ops/random';
import { setBeforeOpHook } from '../../../engine/runtime/hooks';
import { GradientTape } from '../../../engine/autodiff/gradient_tape';

type Unary = (x: Tensor) => Tensor;
type Binary = (a: Tensor, b: Tensor) => Tensor;

const UNARY: Record<string, Unary> = {
  Neg: tf.neg, Square: tf.square, Sqrt: tf.sqrt, Exp: tf.exp, Log: tf.log, Tanh: tf.tanh, Sigmoid: tf.sigmoid, Relu: tf.relu,
};
const BINARY: Record<string, Binary> = { Add: tf.add, Sub: tf.sub, Mul: tf.mul, Div: tf.div };

/** Both passes over one tape's nodes: the scalar one (as the tape runs it) and the tensor one (forced by an observer). */
function bothPasses(tape: GradientTape, target: Tensor, sources: Tensor[]): { scalar: BackpropResult; tensor: BackpropResult } {
  const seeds = () => new Map([[target.id, tf.onesLike(target)]]);
  const ids = new Set(sources.map((s) => s.id));
  const scalar = backprop(tape.nodes, seeds(), ids, false, tape.id, add);
  const tensor = backprop(tape.nodes, seeds(), ids, false, tape.id, add, { step() {} });
  return { scalar, tensor };
}

function assertSameBits(scalar: BackpropResult, tensor: BackpropResult, sources: Tensor[], what: string): void {
  assert.equal(scalar.pass, 'scalar', `${what}: the scalar pass ran`);
  assert.equal(tensor.pass, 'tensor', `${what}: the observer forced the tensor pass`);
  for (const s of sources) {
    const a = scalar.grads.get(s.id);
    const b = tensor.grads.get(s.id);
    assert.equal(a === undefined, b === undefined, `${what}: both passes reach source #${s.id} or neither`);
    if (a === undefined || b === undefined) continue;
    assert.equal(a.dtype, b.dtype, `${what}: dtype`);
    assert.deepEqual(a.shape, b.shape, `${what}: shape`);
    assert.ok(Object.is(a.dataSync()[0], b.dataSync()[0]), `${what}: ${a.dataSync()[0]} (scalar pass) vs ${b.dataSync()[0]} (tensor pass)`);
  }
}

for (const dtype of ['float32', 'float64'] as DType[]) {
  test(`every scalar rule gives the tensor gradient's bits (${dtype}, random inputs, gradients summed along two paths)`, () => {
    const rng = makeRng(7);
    for (let trial = 0; trial < 40; trial++) {
      const a = tf.scalar(rng() * 4 - 1, dtype);
      const b = tf.scalar(rng() * 4 - 1.5, dtype);
      for (const [name, f] of Object.entries(UNARY)) {
        const tape = new tf.GradientTape();
        tape.watch([a, b]);
        // a reaches the target through f and through a Mul, so its two contributions are summed
        const y = tape.record(() => tf.add(tf.mul(f(tf.mul(a, b)), a), tf.mul(a, 0.37)));
        const { scalar, tensor } = bothPasses(tape, y, [a, b]);
        assertSameBits(scalar, tensor, [a, b], `${name} at ${a.item()}·${b.item()}`);
      }
      for (const [name, f] of Object.entries(BINARY)) {
        const tape = new tf.GradientTape();
        tape.watch([a, b]);
        const y = tape.record(() => tf.mul(f(tf.tanh(a), b), f(b, a)));
        const { scalar, tensor } = bothPasses(tape, y, [a, b]);
        assertSameBits(scalar, tensor, [a, b], `${name}(${a.item()}, ${b.item()})`);
      }
    }
  });
}

test('a micrograd-style MLP gets the same bits from tape.gradient as from the tensor pass, and the values of finite differences', () => {
  const rng = makeRng(3);
  const params = Array.from({ length: 2 * 4 + 4 + 4 + 1 }, () => new tf.Variable(rng() * 2 - 1));
  const xs = Array.from({ length: 5 }, () => [rng() * 2 - 1, rng() * 2 - 1]);
  const loss = (ps: Tensor[]) => {
    let total: Tensor = tf.scalar(0, ps[0].dtype);
    for (const x of xs) {
      const hidden = [0, 1, 2, 3].map((j) => tf.tanh(tf.add(tf.add(tf.mul(ps[2 * j], x[0]), tf.mul(ps[2 * j + 1], x[1])), ps[8 + j])));
      let out = ps[16];
      hidden.forEach((h, j) => { out = tf.add(out, tf.mul(ps[12 + j], h)); });
      total = tf.add(total, tf.square(tf.sub(out, 0.5)));
    }
    return total;
  };
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => loss(params));
  const { scalar, tensor } = bothPasses(tape, y, params);
  assertSameBits(scalar, tensor, params, 'MLP');
  const grads = tape.gradient(y, params);
  params.forEach((p, i) => assert.ok(Object.is(grads[i]!.item(), scalar.grads.get(p.id)!.item()), `tape.gradient of parameter ${i}`));
  // central differences in float64 on the same function
  const h = 1e-6;
  const values = params.map((p) => p.item());
  const at = (vs: number[]) => loss(vs.map((v) => tf.scalar(v, 'float64'))).item();
  for (const i of [0, 5, 9, 14, 16]) {
    const up = values.slice(); up[i] += h;
    const down = values.slice(); down[i] -= h;
    const fd = (at(up) - at(down)) / (2 * h);
    assert.ok(Math.abs(fd - grads[i]!.item()) < 1e-3 * Math.max(1, Math.abs(fd)), `parameter ${i}: ${grads[i]!.item()} vs finite differences ${fd}`);
  }
});

test('an outer tape sees the inner gradient (second order): the scalar pass stands aside', () => {
  const x = new tf.Variable(3.0);
  const outer = new tf.GradientTape();
  const inner = new tf.GradientTape();
  let allowedInside = true;
  const dy = outer.record(() => {
    allowedInside = scalarPassAllowed();
    return inner.gradient(inner.record(() => tf.mul(tf.mul(x, x), x)), x)!;
  });
  assert.equal(allowedInside, false, 'a recording outer tape rules the scalar pass out');
  assert.equal(dy.item(), 27, 'd(x³)/dx = 3x² = 27');
  assert.equal(outer.gradient(dy, x)!.item(), 18, 'd²(x³)/dx² = 6x = 18, through the ops the inner gradient ran');
});

test("a persistent tape differentiated inside its own record records its gradient (TF's one-tape second order)", () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  const d2 = tape.record(() => {
    tape.watch(x);
    const y = tf.mul(tf.mul(x, x), x);
    const dy = tape.gradient(y, x)!;
    assert.equal(dy.item(), 12);
    return dy;
  });
  assert.equal(tape.gradient(d2, x)!.item(), 12, 'd(3x²)/dx = 6x = 12');
});

test('check numerics, gradient explanations and a traced graph each rule the scalar pass out; stopRecording does not', () => {
  assert.equal(scalarPassAllowed(), true);
  tf.debugging.enableCheckNumerics();
  try { assert.equal(scalarPassAllowed(), false, 'check numerics'); } finally { tf.debugging.disableCheckNumerics(); }
  tf.debugging.enableGradientExplanations();
  try { assert.equal(scalarPassAllowed(), false, 'lineage'); } finally { tf.debugging.disableGradientExplanations(); }
  let inGraph = true;
  tf.function(() => { inGraph = scalarPassAllowed(); return tf.scalar(1); })();
  assert.equal(inGraph, false, 'a graph being traced');
  const tape = new tf.GradientTape();
  let paused = false;
  tape.record(() => tape.stopRecording(() => { paused = scalarPassAllowed(); }));
  assert.equal(paused, true, 'a paused tape hears nothing');
});

test('tf.function differentiates a scalar graph traced with a tape inside it, on replay too', () => {
  const x = new tf.Variable(1.5);
  const f = tf.function(() => {
    const tape = new tf.GradientTape();
    const y = tape.record(() => tf.mul(tf.tanh(x), x));
    return tape.gradient(y, x)!;
  });
  const expected = (v: number) => Math.fround(Math.fround(1 - Math.tanh(v) ** 2) * v) + Math.tanh(v);
  assert.ok(Math.abs(f().item() - expected(1.5)) < 1e-6);
  x.assign(0.5);
  assert.ok(Math.abs(f().item() - expected(0.5)) < 1e-6, 'the replayed graph holds the gradient ops');
});

test('a non-scalar node on the path, or a seed of another dtype, sends the pass back to tensors', () => {
  const a = tf.scalar(2);
  const tape = new tf.GradientTape({ persistent: true });
  tape.watch(a);
  const y = tape.record(() => tf.sum(tf.mul(tf.mul(a, a), tf.constant([1, 2, 3]))));
  const seeds = new Map([[y.id, tf.onesLike(y)]]);
  assert.equal(backprop(tape.nodes, seeds, new Set([a.id]), false, tape.id, add).pass, 'tensor');
  assert.equal(tape.gradient(y, a)!.item(), 24, 'd(6a²)/da = 12a');
  const z = tape.record(() => tf.mul(a, a));
  const wrongDtype = new Map([[z.id, tf.scalar(1, 'float64')]]);
  assert.throws(() => backprop(tape.nodes, wrongDtype, new Set([a.id]), false, tape.id, add), /dtype mismatch/, 'the tensor pass ran and says what is wrong');
  assert.throws(() => tape.gradient(z, a, { outputGradients: tf.scalar(1, 'float64') }), /dtype mismatch/);
});

test("the scalar pass keeps TF's answers: None for unwatched and unconnected sources, zeros on request, the seed for a target that is a source", () => {
  const w = new tf.Variable(2.0);
  const c = tf.constant(5.0);
  const unused = new tf.Variable(1.0);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => tf.mul(w, c));
  const [dw, dc, du] = tape.gradient(y, [w, c, unused]);
  assert.equal(dw!.item(), 5);
  assert.equal(dc, null, 'a constant not watched gets None');
  assert.equal(du, null, 'a variable never read gets None');
  assert.equal(tape.gradient(y, unused, { unconnectedGradients: 'zero' })!.item(), 0);
  assert.equal(tape.gradient(y, y)!.item(), 1, 'dy/dy is the seed');
  assert.equal(tape.gradient(y, w, { outputGradients: tf.scalar(3) })!.item(), 15, 'outputGradients scale the seed');
  const once = new tf.GradientTape();
  const z = once.record(() => tf.mul(w, w));
  assert.equal(once.gradient(z, w)!.item(), 4);
  assert.throws(() => once.gradient(z, w), /only be called once on non-persistent tapes/);
});

test('the interrupt hook is called during the scalar pass, so a long backward pass can be stopped', () => {
  const x = new tf.Variable(0.5);
  const tape = new tf.GradientTape();
  let y: Tensor = x;
  const loss = tape.record(() => { for (let i = 0; i < 50; i++) y = tf.tanh(tf.mul(y, x)); return y; });
  let calls = 0;
  setBeforeOpHook(() => { if (++calls > 10) throw new Error('interrupted'); });
  try {
    assert.throws(() => tape.gradient(loss, x), /interrupted/);
  } finally {
    setBeforeOpHook(null);
  }
});
