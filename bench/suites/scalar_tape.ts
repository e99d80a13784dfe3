// A scalar-heavy tape, micrograd style: a 2-16-16-1 tanh MLP over 100 points built from scalar tensors, then
// the gradient of the squared error for all 337 parameters. µs per recorded op, forward and backward together,
// vs the practical limit — the same graph as bare micrograd-style closures (bench/peers/micrograd.ts) — and
// TF.js's CPU backend with tf.variableGrads. Ours and the closures run in a process of their own on the engine
// bundled as the kernel's cell thread runs it, same young generation (bench/scalar_tape_rounds.ts), in interleaved
// rounds; ours again with trace capture on (as the kernel runs every cell).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { BenchRow } from '../bench_row';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { tf } from '../../engine';
import type { Tensor, Variable } from '../../engine';
import { median } from '../measure';
import { TFJS_PEER_NAME, useTfjsBackend } from '../peers/tfjs';
import { MICROGRAD_PEER_NAME, Value } from '../peers/micrograd';
import { makeData, mlpLoss, type Data, type ScalarOps } from '../scalar_mlp';
import type { RoundSamples, RoundsOutput } from '../scalar_tape_rounds';

const TFJS_POINTS = 10;
const ROUNDS = 30;
const WARMUP_ROUNDS = 5;
/** The kernel's cell thread runs with this young generation (src/kernel/host/kernel.ts); so do the rounds. */
const SEMI_SPACE_MB = 64;

const TF_OPS: ScalarOps<Tensor> = { mul: tf.mul, add: tf.add, sub: tf.sub, tanh: tf.tanh, c: (v) => tf.scalar(v) };
const VALUE_OPS: ScalarOps<Value> = {
  mul: (a, b) => a.mul(b), add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), tanh: (a) => a.tanh(), c: (v) => new Value(v),
};

/** The peer must compute the gradient we do (to float32 accuracy), or its time means nothing. */
function checkPeerAgrees(data: Data): void {
  const ours = data.weights.map((w) => new tf.Variable(w));
  const tape = new tf.GradientTape();
  const loss = tape.record(() => mlpLoss(TF_OPS, ours as Tensor[], data.xs, data.ys));
  const grads = tape.gradient(loss, ours);
  const values = data.weights.map((w) => new Value(w));
  mlpLoss(VALUE_OPS, values, data.xs, data.ys).backward();
  const scale = Math.max(...values.map((v) => Math.abs(v.grad)));
  values.forEach((v, i) => {
    const g = grads[i]?.item() ?? 0;
    if (Math.abs(g - v.grad) > 1e-3 * scale) throw new Error(`scalar tape: the closure peer's gradient ${v.grad} of parameter ${i} differs from ours (${g})`);
  });
}

/** Bundles the rounds with the engine (as scripts/build.mjs bundles the cell thread) and runs them in a fresh process. */
async function runRounds(): Promise<RoundsOutput> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = mkdtempSync(path.join(tmpdir(), 'scalar-tape-'));
  try {
    const outfile = path.join(dir, 'rounds.cjs');
    await esbuild.build({
      entryPoints: [path.join(root, 'bench', 'scalar_tape_rounds.ts')], outfile, bundle: true, platform: 'node', format: 'cjs',
      target: 'es2022', logLevel: 'warning', absWorkingDir: root,
    });
    const stdout = execFileSync(process.execPath, [`--max-semi-space-size=${SEMI_SPACE_MB}`, outfile, String(ROUNDS)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as RoundsOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tfjsUsPerOp(data: Data): Promise<number> {
  const tfjs = await useTfjsBackend('cpu');
  const params = data.weights.map((w) => tfjs.variable(tfjs.scalar(w)));
  type T = ReturnType<typeof tfjs.scalar>;
  const ops: ScalarOps<T> = {
    mul: (a, b) => tfjs.mul(a, b) as T, add: (a, b) => tfjs.add(a, b) as T, sub: (a, b) => tfjs.sub(a, b) as T,
    tanh: (a) => tfjs.tanh(a) as T, c: (v) => tfjs.scalar(v),
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
  tape.record(() => mlpLoss(TF_OPS, data.weights.map((w) => new tf.Variable(w)) as Variable[] as Tensor[], xs, ys));
  const opsCounted = tape.nodes.length;
  for (const p of params) p.dispose();
  return (median(times.slice(1)) * 1000) / opsCounted;
}

export default async function run(): Promise<BenchRow[]> {
  const data = makeData();
  checkPeerAgrees(data);
  const { recorded, samples, exportMs } = await runRounds();
  const usPerOp = (s: RoundSamples, clock: 'wall' | 'cpu') => (median(s[clock].slice(WARMUP_ROUNDS)) * 1000) / recorded;
  const ours = { wall: usPerOp(samples.ours, 'wall'), cpu: usPerOp(samples.ours, 'cpu') };
  const closures = { wall: usPerOp(samples.closures, 'wall'), cpu: usPerOp(samples.closures, 'cpu') };
  const capture = { wall: usPerOp(samples.capture, 'wall'), cpu: usPerOp(samples.capture, 'cpu') };
  const ratio = (clock: 'wall' | 'cpu') => `ours / bare closures = ${(ours[clock] / closures[clock]).toFixed(2)} (target ≤ 1.3, and ≤ 1.0 µs/op)`;
  const rounds = `median of ${ROUNDS - WARMUP_ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up, ours / closures / ours captured interleaved in one process on the bundled engine (--max-semi-space-size=${SEMI_SPACE_MB})`;
  return [{
    suite: 'scalar tape',
    case: 'micrograd-style 2-16-16-1 tanh MLP, 100 points, scalar tensors',
    unit: 'µs/op',
    tapescope: ours.wall,
    peers: { [MICROGRAD_PEER_NAME]: closures.wall, [TFJS_PEER_NAME.cpu]: await tfjsUsPerOp(data) },
    higherIsBetter: false,
    note: `forward + backward per recorded op (${recorded.toLocaleString('en-US')} ops); ${ratio('wall')}; ${rounds}; TF.js CPU over ${TFJS_POINTS} points, in this process, to keep the run short`,
  }, {
    suite: 'scalar tape',
    case: 'same rounds, process CPU time',
    unit: 'µs/op',
    tapescope: ours.cpu,
    peers: { [MICROGRAD_PEER_NAME]: closures.cpu },
    higherIsBetter: false,
    note: `${ratio('cpu')}; CPU time of the rounds' process (GC threads included) — steadier than the wall clock on a shared machine`,
  }, {
    suite: 'scalar tape',
    case: 'same graph with trace capture on (as the kernel runs a cell)',
    unit: 'µs/op',
    tapescope: capture.wall,
    peers: { [MICROGRAD_PEER_NAME]: closures.wall },
    higherIsBetter: false,
    note: `capture on / off = ${(capture.wall / ours.wall).toFixed(2)} wall, ${(capture.cpu / ours.cpu).toFixed(2)} CPU (${capture.cpu.toFixed(3)} vs ${ours.cpu.toFixed(3)} µs/op); ` +
      `forward (with lineage) + backward on numbers, the replay's steps kept; the trace export after it ${(median(exportMs.slice(WARMUP_ROUNDS)) * 1000 / recorded).toFixed(2)} µs/op more (5,000 nodes kept of ${recorded.toLocaleString('en-US')})`,
  }];
}
