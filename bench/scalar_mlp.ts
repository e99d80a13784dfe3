// The scalar_tape suite's graph, shared by the suite (TF.js, the peer check) and its rounds' process
// (bench/scalar_tape_rounds.ts): a 2-16-16-1 tanh MLP over 100 points, micrograd style, built from any scalar type.
import { makeRng } from '../engine/ops/random';

export const SIZES = [2, 16, 16, 1];
export const POINTS = 100;

export interface Data { xs: number[][]; ys: number[]; weights: number[] }

export interface ScalarOps<T> {
  mul: (a: T, b: T) => T;
  add: (a: T, b: T) => T;
  sub: (a: T, b: T) => T;
  tanh: (a: T) => T;
  c: (v: number) => T;
}

export function makeData(points = POINTS): Data {
  const rng = makeRng(42);
  const xs = Array.from({ length: points }, () => [rng() * 4 - 2, rng() * 4 - 2]);
  const ys = xs.map(([a, b]) => (a * b > 0 ? 1 : -1));
  let count = 0;
  for (let l = 1; l < SIZES.length; l++) count += SIZES[l] * (SIZES[l - 1] + 1);
  return { xs, ys, weights: Array.from({ length: count }, () => rng() * 2 - 1) };
}

/** The MLP's squared error over the points, with `ops` on the library's scalars; returns the loss. */
export function mlpLoss<T>(ops: ScalarOps<T>, params: T[], xs: number[][], ys: number[]): T {
  let loss: T | null = null;
  for (let p = 0; p < xs.length; p++) {
    let acts: T[] = xs[p].map(ops.c);
    let k = 0;
    for (let l = 1; l < SIZES.length; l++) {
      const next: T[] = [];
      for (let j = 0; j < SIZES[l]; j++) {
        let s = params[k++];
        for (const a of acts) s = ops.add(s, ops.mul(params[k++], a));
        next.push(l === SIZES.length - 1 ? s : ops.tanh(s));
      }
      acts = next;
    }
    const d = ops.sub(acts[0], ops.c(ys[p]));
    const sq = ops.mul(d, d);
    loss = loss === null ? sq : ops.add(loss, sq);
  }
  return loss as T;
}
