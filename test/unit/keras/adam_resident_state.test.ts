// Adam keeps float32 moments and a mirror of the weights in shared WebAssembly memory. These tests hold it to
// the copying path it replaced (the same kernel, operands copied in and out at every step): the same weights
// and slots bit for bit, also when something else writes a variable between steps, when a tape still holds
// the old value, with AdamW's per-variable update, and (to float32 rounding) with float64 variables beside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Variable } from '../../../engine';
import type { Optimizer } from '../../../engine/keras/optimizers/optimizer';
import { setAdamResidentEnabled } from '../../../engine/kernels/optimizers/adam_resident';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

/** Variables of the given sizes (and dtypes) with seeded values, and a function giving seeded gradients for them. */
function problem(seed: number, sizes: number[], dtypes: ('float32' | 'float64')[] = sizes.map(() => 'float32')) {
  const next = random(seed);
  const variables = sizes.map((n, i) => new tf.Variable(tf.constant(Array.from({ length: n }, next), dtypes[i], [n]), { name: `v${i}` }));
  const gradients = () => variables.map((v) => tf.constant(Array.from({ length: v.size }, () => next() * 0.1), v.dtype, [v.size]));
  return { variables, gradients };
}

function withResident<T>(on: boolean, f: () => T): T {
  const previous = setAdamResidentEnabled(on);
  try {
    return f();
  } finally {
    setAdamResidentEnabled(previous);
  }
}

/** Runs `steps` updates (with `between` after each) on fresh variables; returns the weights and slots, flat. */
function train(resident: boolean, make: () => Optimizer, sizes: number[], dtypes?: ('float32' | 'float64')[],
  between: (variables: Variable[], step: number) => void = () => {}): number[][] {
  return withResident(resident, () => {
    const { variables, gradients } = problem(11, sizes, dtypes);
    const optimizer = make();
    for (let step = 0; step < 4; step++) {
      optimizer.applyGradients(gradients(), variables);
      between(variables, step);
    }
    return variables.flatMap((v) => [Array.from(v.dataSync()), Array.from(optimizer.getSlot(v, 'm')!.dataSync()), Array.from(optimizer.getSlot(v, 'v')!.dataSync())]);
  });
}

/** Equal bit for bit, or within `tolerance` relative where the two paths round differently. */
function assertSame(resident: number[][], copied: number[][], what: string, tolerance = 0): void {
  assert.equal(resident.length, copied.length);
  resident.forEach((a, i) => {
    const at = a.findIndex((x, j) => (tolerance === 0 ? !Object.is(x, copied[i][j]) : !(Math.abs(x - copied[i][j]) <= tolerance * Math.max(1, Math.abs(x)))));
    assert.equal(at, -1, `${what}: array ${i} differs at ${at}: ${a[at]} (resident) vs ${copied[i][at]} (copied)`);
  });
}

const adam = () => tf.keras.optimizers.Adam({ learningRate: 0.01 });

test('resident Adam gives the copying path\'s weights and slots exactly (kernel-sized and loop-sized steps)', () => {
  for (const sizes of [[784 * 4, 128, 40, 10], [5, 3], [1500]]) {
    assertSame(train(true, adam, sizes), train(false, adam, sizes), `sizes ${sizes}`);
  }
});

test('a variable assigned between steps is read again, not taken from the stale mirror', () => {
  const reassign = (variables: Variable[], step: number) => {
    if (step === 1) variables[0].assign(tf.fill([variables[0].size], 0.25));
    if (step === 2) variables[1].assignSub(tf.fill([variables[1].size], 0.5));
  };
  const sizes = [2000, 700];
  const resident = train(true, adam, sizes, undefined, reassign);
  assertSame(resident, train(false, adam, sizes, undefined, reassign), 'assign / assignSub between steps');
  assert.notDeepEqual(resident, train(true, adam, sizes), 'the assignments changed the result');
});

test('a value a tape (or the user) still holds keeps the weights it saw; the variable moves on', () => {
  withResident(true, () => {
    const { variables, gradients } = problem(5, [3000]);
    const [v] = variables;
    const optimizer = adam();
    optimizer.applyGradients(gradients(), variables);
    const held = v.readValue();
    const seen = Array.from(held.dataSync());
    optimizer.applyGradients(gradients(), variables);
    assert.deepEqual(Array.from(held.dataSync()), seen);
    assert.notDeepEqual(Array.from(v.dataSync()), seen);
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => tf.sum(tf.square(v)));
    const atRecord = Array.from(v.dataSync());
    optimizer.applyGradients(gradients(), variables);
    assert.notDeepEqual(Array.from(v.dataSync()), atRecord);
    // d/dv Σv² = 2v with v as the tape saw it, not as the update left it
    assert.deepEqual(Array.from(tape.gradient(y, v)!.dataSync(), (x) => x / 2), atRecord);
  });
});

test('float64 variables beside float32 ones, and AdamW, match the copying path too', () => {
  const sizes = [1800, 40, 1200];
  const dtypes: ('float32' | 'float64')[] = ['float32', 'float64', 'float32'];
  // copying, a step that mixes dtypes runs the plain loop for all; resident, the float32 ones take the kernel
  assertSame(train(true, adam, sizes, dtypes), train(false, adam, sizes, dtypes), 'float32 + float64', 2e-6);
  const adamw = () => tf.keras.optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.1 });
  assertSame(train(true, adamw, [2100, 9]), train(false, adamw, [2100, 9]), 'AdamW');
});

test('slots stay readable while other optimizers grow the shared memory', () => {
  withResident(true, () => {
    const { variables, gradients } = problem(9, [4000]);
    const optimizer = adam();
    optimizer.applyGradients(gradients(), variables);
    const m = Array.from(optimizer.getSlot(variables[0], 'm')!.dataSync());
    const others = Array.from({ length: 3 }, () => problem(10, [500_000]));
    for (const o of others) adam().applyGradients(o.gradients(), o.variables);
    assert.deepEqual(Array.from(optimizer.getSlot(variables[0], 'm')!.dataSync()), m);
    assert.ok(m.some((x) => x !== 0));
  });
});
