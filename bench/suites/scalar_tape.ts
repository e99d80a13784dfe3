// A scalar-heavy tape, micrograd style: a 2-16-16-1 tanh MLP over 100 points built from scalar tensors, then
// the gradient of the squared error for all 337 parameters. µs per recorded op, forward and backward together,
// vs the practical limit — the same graph as bare micrograd-style closures (bench/peers/micrograd.ts), measured in
// rounds that alternate with ours so machine load hits both alike — and TF.js's CPU backend with tf.variableGrads.
import type { BenchRow } from '../bench_row';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { tf } from '../../engine';
import type { Tensor, Variable } from '../../engine';
import { makeRng } from '../../engine/ops/random';
import { median } from '../measure';
import { TFJS_PEER_NAME, useTfjsBackend } from '../peers/tfjs';
import { MICROGRAD_PEER_NAME, Value } from '../peers/micrograd';

const SIZES = [2, 16, 16, 1];
const POINTS = 100;
const TFJS_POINTS = 10;

interface Data { xs: number[][]; ys: number[]; weights: number[] }

function makeData(): Data {
  const rng = makeRng(42);
  const xs = Array.from({ length: POINTS }, () => [rng() * 4 - 2, rng() * 4 - 2]);
  const ys = xs.map(([a, b]) => (a * b > 0 ? 1 : -1));
  let count = 0;
  for (let l = 1; l < SIZES.length; l++) count += SIZES[l] * (SIZES[l - 1] + 1);
  return { xs, ys, weights: Array.from({ length: count }, () => rng() * 2 - 1) };
}

/** The MLP over scalars: `mul`, `add` and `tanh` are the library's ops on scalar tensors; returns the loss. */
function mlpLoss<T>(ops: { mul: (a: T, b: T) => T; add: (a: T, b: T) => T; sub: (a: T, b: T) => T; tanh: (a: T) => T; c: (v: number) => T },
  params: T[], xs: number[][], ys: number[]): T {
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

const ROUNDS = 15;
const WARMUP_ROUNDS = 3;

/** One forward + backward of the whole MLP on our tape; returns the number of recorded ops. */
function tapescopeRound(params: Variable[], data: Data): number {
  const ops = { mul: tf.mul, add: tf.add, sub: tf.sub, tanh: tf.tanh, c: (v: number) => tf.scalar(v) };
  const tape = new tf.GradientTape();
  const loss = tape.record(() => mlpLoss<Tensor>(ops, params as Tensor[], data.xs, data.ys));
  const recorded = tape.nodes.length;
  tape.gradient(loss, params);
  return recorded;
}

const VALUE_OPS = {
  mul: (a: Value, b: Value) => a.mul(b),
  add: (a: Value, b: Value) => a.add(b),
  sub: (a: Value, b: Value) => a.sub(b),
  tanh: (a: Value) => a.tanh(),
  c: (v: number) => new Value(v),
};

/** The same round with bare closures: zero the parameters' gradients, forward, backward. */
function closureRound(params: Value[], data: Data): void {
  for (const p of params) p.grad = 0;
  mlpLoss<Value>(VALUE_OPS, params, data.xs, data.ys).backward();
}

/** The peer must compute the gradient we do (to float32 accuracy), or its time means nothing. */
function checkPeerAgrees(ours: Variable[], data: Data): void {
  const tape = new tf.GradientTape();
  const ops = { mul: tf.mul, add: tf.add, sub: tf.sub, tanh: tf.tanh, c: (v: number) => tf.scalar(v) };
  const loss = tape.record(() => mlpLoss<Tensor>(ops, ours as Tensor[], data.xs, data.ys));
  const grads = tape.gradient(loss, ours);
  const values = data.weights.map((w) => new Value(w));
  mlpLoss<Value>(VALUE_OPS, values, data.xs, data.ys).backward();
  const scale = Math.max(...values.map((v) => Math.abs(v.grad)));
  values.forEach((v, i) => {
    const g = grads[i]?.item() ?? 0;
    if (Math.abs(g - v.grad) > 1e-3 * scale) throw new Error(`scalar tape: the closure peer's gradient ${v.grad} of parameter ${i} differs from ours (${g})`);
  });
}

/** µs per recorded op for us and for the closure peer, from alternating rounds. */
function tapescopeAndClosureUsPerOp(data: Data): { tapescope: number; closures: number } {
  const params = data.weights.map((w) => new tf.Variable(w));
  const values = data.weights.map((w) => new Value(w));
  checkPeerAgrees(params, data);
  const ours: number[] = [];
  const theirs: number[] = [];
  let recorded = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    recorded = tapescopeRound(params, data);
    ours.push(performance.now() - start);
    start = performance.now();
    closureRound(values, data);
    theirs.push(performance.now() - start);
  }
  const usPerOp = (times: number[]) => (median(times.slice(WARMUP_ROUNDS)) * 1000) / recorded;
  return { tapescope: usPerOp(ours), closures: usPerOp(theirs) };
}

async function tfjsUsPerOp(data: Data): Promise<number> {
  const tfjs = await useTfjsBackend('cpu');
  const params = data.weights.map((w) => tfjs.variable(tfjs.scalar(w)));
  type T = ReturnType<typeof tfjs.scalar>;
  const ops = {
    mul: (a: T, b: T) => tfjs.mul(a, b) as T,
    add: (a: T, b: T) => tfjs.add(a, b) as T,
    sub: (a: T, b: T) => tfjs.sub(a, b) as T,
    tanh: (a: T) => tfjs.tanh(a) as T,
    c: (v: number) => tfjs.scalar(v),
  };
  const xs = data.xs.slice(0, TFJS_POINTS);
  const ys = data.ys.slice(0, TFJS_POINTS);
  const times: number[] = [];
  for (let round = 0; round < 4; round++) {
    const start = performance.now();
    const { value, grads } = tfjs.variableGrads(() => mlpLoss<T>(ops, params, xs, ys), params);
    times.push(performance.now() - start);
    value.dispose();
    tfjs.dispose(Object.values(grads));
  }
  // the same graph as ours: count its recorded ops the same way (one per mul/add/sub/tanh/…)
  const tape = new tf.GradientTape();
  tape.record(() => mlpLoss<Tensor>({ mul: tf.mul, add: tf.add, sub: tf.sub, tanh: tf.tanh, c: (v: number) => tf.scalar(v) },
    data.weights.map((w) => new tf.Variable(w)) as Tensor[], xs, ys));
  const opsCounted = tape.nodes.length;
  for (const p of params) p.dispose();
  return (median(times.slice(1)) * 1000) / opsCounted;
}

export default async function run(): Promise<BenchRow[]> {
  const data = makeData();
  const { tapescope, closures } = tapescopeAndClosureUsPerOp(data);
  return [{
    suite: 'scalar tape',
    case: 'micrograd-style 2-16-16-1 tanh MLP, 100 points, scalar tensors',
    unit: 'µs/op',
    tapescope,
    peers: { [MICROGRAD_PEER_NAME]: closures, [TFJS_PEER_NAME.cpu]: await tfjsUsPerOp(data) },
    higherIsBetter: false,
    note: `forward + backward per recorded op (644 ops per point); ours / bare closures = ${(tapescope / closures).toFixed(2)} (target ≤ 1.3, and ≤ 1.0 µs/op); ` +
      `TF.js CPU over ${TFJS_POINTS} points to keep the run short`,
  }];
}
