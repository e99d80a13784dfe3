// Softmax, log-softmax, softmax cross-entropy and its gradient share the row exponentials of immutable logits
// (cachedRowExponentials). Each must give bit for bit what it computes on its own, in float32 and float64, on
// random shapes, whichever kernel runs first; mutable or large logits are not cached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedRowExponentials, softmaxKernel } from '../../../engine/kernels/softmax';
import { softmaxCrossEntropyGradKernel, softmaxCrossEntropyKernel } from '../../../engine/kernels/fused';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** The four kernels' outputs on one [rows, cols] problem, the logits passed as immutable or not, in `order`. */
function outputs(ctor: Ctor, logits: Float32Array | Float64Array, labels: Float32Array | Float64Array, dLoss: Float32Array | Float64Array,
  rows: number, cols: number, immutable: boolean, order: number[]): number[][] {
  const results: number[][] = [];
  const run = [
    () => { const o = new ctor(rows * cols); softmaxKernel(logits, rows, cols, o, false, immutable); return o; },
    () => { const o = new ctor(rows * cols); softmaxKernel(logits, rows, cols, o, true, immutable); return o; },
    () => { const o = new ctor(rows); softmaxCrossEntropyKernel(labels, logits, o, rows, cols, immutable); return o; },
    () => { const o = new ctor(rows * cols); softmaxCrossEntropyGradKernel(dLoss, labels, logits, o, rows, cols, immutable); return o; },
  ];
  for (const k of order) results[k] = Array.from(run[k]());
  return results;
}

test('cached row exponentials give every kernel its own uncached result exactly (random shapes, both dtypes, any order)', () => {
  const next = random(3);
  for (let trial = 0; trial < 24; trial++) {
    const ctor: Ctor = trial % 2 === 0 ? Float32Array : Float64Array;
    const rows = 1 + Math.floor((next() + 0.5) * 40);
    const cols = 1 + Math.floor((next() + 0.5) * 30);
    const scale = trial % 3 === 0 ? 60 : 4; // large logits too (exp would overflow unshifted)
    const logits = new ctor(rows * cols).map(() => next() * scale);
    if (trial % 5 === 0) logits[0] = -Infinity;
    const labels = new ctor(rows * cols);
    for (let r = 0; r < rows; r++) labels[r * cols + Math.floor((next() + 0.5) * cols) % cols] = trial % 4 === 0 ? 0.5 : 1;
    const dLoss = new ctor(rows).map(() => next());
    const order = [0, 1, 2, 3].sort(() => next());
    const alone = outputs(ctor, logits, labels, dLoss, rows, cols, false, order);
    const shared = outputs(ctor, logits, labels, dLoss, rows, cols, true, order);
    for (let k = 0; k < 4; k++) {
      const at = shared[k].findIndex((x, i) => !Object.is(x, alone[k][i]));
      assert.equal(at, -1, `${ctor.name} [${rows}, ${cols}] kernel ${k}: ${shared[k][at]} cached vs ${alone[k][at]}`);
    }
  }
});

test('only immutable logits of at most 65,536 values are cached, and the same exponentials are handed out again', () => {
  const small = new Float32Array(12).map((_, i) => i / 3);
  assert.equal(cachedRowExponentials(small, 3, 4, false), null);
  const first = cachedRowExponentials(small, 3, 4, true);
  assert.notEqual(first, null);
  assert.equal(cachedRowExponentials(small, 3, 4, true), first);
  assert.equal(first!.exps[5], Math.exp(small[5] - small[7]));
  assert.equal(first!.sum[1], [4, 5, 6, 7].reduce((s, i) => s + Math.exp(small[i] - small[7]), 0));
  assert.equal(cachedRowExponentials(new Float32Array(65_537), 1, 65_537, true), null);
  assert.equal(cachedRowExponentials(small, 2, 4, true), null, 'a shape that does not cover the array is not cached');
});
