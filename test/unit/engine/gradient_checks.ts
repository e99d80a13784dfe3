// Finite-difference machinery shared by the gradient test files: float64 random tensors (kept away from kinks),
// first-order checks against central differences, and second-order checks through nested tapes.
import assert from 'node:assert/strict';
import { tf, Tensor } from '../../../engine';
import { makeRng } from '../../../engine/ops/random';

export const rng = makeRng(1234);
export const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const randShape = (rank: number) => Array.from({ length: rank }, () => randInt(1, 4));

/** A float64 tensor with values in [lo, hi], kept away from `avoid` (kinks of abs/relu/max). */
export function rand(shape: number[], lo = -2, hi = 2, avoid?: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x: number;
    do { x = lo + (hi - lo) * rng(); } while (avoid !== undefined && Math.abs(x - avoid) < 0.1);
    v[i] = x;
  }
  return tf.constant(v, 'float64', shape);
}

export function assertGradientsMatch(name: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[], tol = 1e-4) {
  const { theoretical, numerical } = tf.test.computeGradient(f, xs);
  theoretical.forEach((th, k) => {
    const a = th.dataSync(), b = numerical[k].dataSync();
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    assert.ok(worst < tol, `${name}: input ${k} shapes ${xs.map((x) => `[${x.shape}]`).join(' ')}: max relative error ${worst}`);
  });
}

/** Second order: the gradient (with random output weights) as a function of x, checked by differences again. */
export function assertSecondOrderMatches(name: string, f: (x: Tensor) => Tensor, x: Tensor) {
  const weights = rand(f(x).shape);
  const gradientOf = (xv: Tensor) => {
    const tape = new tf.GradientTape();
    const y = tape.record(() => { tape.watch(xv); return f(xv); });
    return tape.gradient(y, xv, { outputGradients: weights })!;
  };
  assertGradientsMatch(`${name} (second order)`, gradientOf, [x]);
}

/** Pairs of broadcast-compatible shapes: equal, scalar, trailing, and mutual broadcast. */
export function broadcastPairs(): Array<[number[], number[]]> {
  const s = randShape(3);
  return [
    [s, s], [s, []], [[], s], [s, s.slice(1)], [s.slice(1), s],
    [[s[0], 1, s[2]], [1, s[1], 1]], [[s[0], s[1], 1], [s[2]]],
  ];
}

