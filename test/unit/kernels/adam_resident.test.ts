// Adam with its state resident in shared WebAssembly memory, against Adam written out per element in float64:
// the one-call kernel (steps of 1024 weights or more) and the plain loop (smaller steps), over several steps so
// the moments carry over, on regions allocated before and after the memory grows and regions reused once freed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamResidentMemory, adamResidentMemory, type AdamRegion } from '../../../engine/kernels/optimizers/adam_resident';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

interface Reference { w: number[]; m: number[]; v: number[] }

function referenceStep(r: Reference, g: ArrayLike<number>, lrT: number, b1: number, b2: number, eps: number): void {
  for (let i = 0; i < r.w.length; i++) {
    r.m[i] = b1 * r.m[i] + (1 - b1) * g[i];
    r.v[i] = b2 * r.v[i] + (1 - b2) * g[i] * g[i];
    r.w[i] -= lrT * r.m[i] / (Math.sqrt(r.v[i]) + eps);
  }
}

function checkRegions(memory: AdamResidentMemory, sizes: number[], seed: number): AdamRegion[] {
  const next = random(seed);
  const owner = {};
  const regions = sizes.map((n) => memory.allocate(n, owner));
  const refs: Reference[] = regions.map((r) => {
    for (let i = 0; i < r.length; i++) r.weights[i] = next();
    return { w: Array.from(r.weights), m: new Array(r.length).fill(0), v: new Array(r.length).fill(0) };
  });
  for (const r of regions) {
    assert.equal(r.m.every((x) => x === 0) && r.v.every((x) => x === 0), true, `fresh moments of ${r.length} are zero`);
  }
  const [b1, b2, eps] = [0.9, 0.999, 1e-7];
  for (let step = 1; step <= 5; step++) {
    for (const r of regions) for (let i = 0; i < r.length; i++) r.gradient[i] = next() * (i % 5 === 0 ? 1e-3 : 1);
    const lrT = 0.01 * Math.sqrt(1 - b2 ** step) / (1 - b1 ** step);
    memory.update(regions, lrT, b1, b2, eps);
    regions.forEach((r, j) => referenceStep(refs[j], r.gradient, lrT, b1, b2, eps));
  }
  regions.forEach((r, j) => {
    for (let i = 0; i < r.length; i++) {
      for (const [name, got, want] of [['w', r.weights[i], refs[j].w[i]], ['m', r.m[i], refs[j].m[i]], ['v', r.v[i], refs[j].v[i]]] as const) {
        if (!(Math.abs(got - want) <= 2e-6 * Math.max(1, Math.abs(want)))) {
          assert.fail(`sizes ${sizes}: variable ${j} ${name}[${i}] = ${got}, reference ${want}`);
        }
      }
    }
  });
  return regions;
}

test('Node has the resident Adam path (shared WebAssembly memory)', () => {
  assert.notEqual(adamResidentMemory(), null);
});

test('resident Adam in one kernel call matches the per-element reference (ragged sizes, tails of 1-3, random sizes)', () => {
  const memory = AdamResidentMemory.create()!;
  checkRegions(memory, [784 * 128, 128, 1280, 10], 1);
  checkRegions(memory, [1021, 3, 1, 2, 7], 2);
  const next = random(7);
  for (let trial = 0; trial < 4; trial++) checkRegions(memory, Array.from({ length: 1 + trial }, () => 1024 + Math.floor((next() + 0.5) * 3000)), 10 + trial);
});

test('resident Adam below 1024 weights runs the plain loop, and matches the reference too', () => {
  const memory = AdamResidentMemory.create()!;
  checkRegions(memory, [5, 6], 3);
  checkRegions(memory, [1], 4);
  checkRegions(memory, [1023], 5);
});

test('views handed out before the memory grows still read and write the same state afterwards', () => {
  const memory = AdamResidentMemory.create()!;
  const [early] = checkRegions(memory, [3000], 6);
  const m = Array.from(early.m);
  const w = Array.from(early.weights);
  checkRegions(memory, [600_000, 400_000], 7); // 16 MB of regions: the memory grows well past its first pages
  assert.deepEqual(Array.from(early.m), m);
  assert.deepEqual(Array.from(early.weights), w);
  early.m[0] = 42;
  assert.equal(new Float32Array(early.m.buffer, early.m.byteOffset, 1)[0], 42);
});

test('the table of a step grows with the number of variables (200 variables in one call)', () => {
  const memory = AdamResidentMemory.create()!;
  checkRegions(memory, Array.from({ length: 200 }, (_, i) => 8 + (i % 13)), 8);
});
