// The Adam kernel (WASM SIMD over all variables at once, and the plain loop) against Adam written out per
// element in float64, over several steps so the moments carry over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adamFloat32Path, adamUpdate, type AdamOperands } from '../../../engine/kernels/optimizers/adam';

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

function checkKernel(useWasm: boolean, ctor: Float32ArrayConstructor | Float64ArrayConstructor, sizes: number[], seed: number): void {
  const next = random(seed);
  const make = (n: number, f: () => number) => { const a = new ctor(n); for (let i = 0; i < n; i++) a[i] = f(); return a; };
  const operands: AdamOperands[] = sizes.map((n) => ({ weights: make(n, next), gradient: new ctor(n), m: new ctor(n), v: new ctor(n) }));
  const refs: Reference[] = operands.map((o) => ({ w: Array.from(o.weights), m: new Array(o.weights.length).fill(0), v: new Array(o.weights.length).fill(0) }));
  const [b1, b2, eps] = [0.9, 0.999, 1e-7];
  for (let step = 1; step <= 5; step++) {
    for (const o of operands) for (let i = 0; i < o.gradient.length; i++) o.gradient[i] = next() * (i % 5 === 0 ? 1e-3 : 1);
    const lrT = 0.01 * Math.sqrt(1 - b2 ** step) / (1 - b1 ** step);
    adamUpdate(operands, lrT, b1, b2, eps, useWasm);
    operands.forEach((o, j) => referenceStep(refs[j], o.gradient, lrT, b1, b2, eps));
  }
  const tolerance = ctor === Float32Array ? 2e-6 : 1e-12;
  operands.forEach((o, j) => {
    for (let i = 0; i < o.weights.length; i++) {
      for (const [name, got, want] of [['w', o.weights[i], refs[j].w[i]], ['m', o.m[i], refs[j].m[i]], ['v', o.v[i], refs[j].v[i]]] as const) {
        if (!(Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want)))) {
          assert.fail(`${useWasm ? 'wasm' : 'loop'} ${ctor.name} sizes ${sizes}: variable ${j} ${name}[${i}] = ${got}, reference ${want}`);
        }
      }
    }
  });
}

test('the WASM SIMD Adam kernel is available (Node has WebAssembly SIMD)', () => {
  assert.equal(adamFloat32Path(), 'wasm-simd');
});

test('Adam over all variables in one WASM call matches the per-element reference (ragged sizes, tails of 1-3)', () => {
  checkKernel(true, Float32Array, [784 * 128, 128, 1280, 10], 1);
  checkKernel(true, Float32Array, [1021, 3, 1, 2, 7], 2);
  checkKernel(true, Float32Array, [4099], 3);
});

test('the plain loop (float64, small steps, no WASM) matches the reference too', () => {
  checkKernel(false, Float32Array, [1021, 3], 4);
  checkKernel(true, Float64Array, [2000, 5], 5);
  checkKernel(true, Float32Array, [5, 6], 6);
});

test('with `before` given, both paths read the old weights there and write every new one to `weights`', () => {
  for (const [useWasm, sizes] of [[true, [3000, 7, 130]], [false, [50, 3]]] as const) {
    const next = random(9);
    const inPlace: AdamOperands[] = sizes.map((n) => ({ weights: Float32Array.from({ length: n }, next), gradient: Float32Array.from({ length: n }, next), m: new Float32Array(n), v: new Float32Array(n) }));
    const moved: AdamOperands[] = inPlace.map((o) => ({ before: o.weights.slice(), weights: new Float32Array(o.weights.length).fill(NaN), gradient: o.gradient, m: new Float32Array(o.m.length), v: new Float32Array(o.v.length) }));
    const oldWeights = moved.map((o) => Array.from(o.before!));
    adamUpdate(inPlace, 0.01, 0.9, 0.999, 1e-7, useWasm);
    adamUpdate(moved, 0.01, 0.9, 0.999, 1e-7, useWasm);
    moved.forEach((o, j) => {
      assert.deepEqual(Array.from(o.weights), Array.from(inPlace[j].weights), `${useWasm ? 'wasm' : 'loop'} variable ${j}: new weights`);
      assert.deepEqual(Array.from(o.before!), oldWeights[j], `${useWasm ? 'wasm' : 'loop'} variable ${j}: before is left as it was`);
    });
  }
});
