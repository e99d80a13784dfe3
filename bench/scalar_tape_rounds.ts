// The scalar_tape suite's timed rounds, run in a process of their own on the engine bundled by esbuild, as the
// kernel's cell thread runs it (bench/suites/scalar_tape.ts builds and starts it with the cell thread's
// --max-semi-space-size=64): our tape, the bare-closure peer, and our tape under trace capture, interleaved round by
// round in a rotating order so machine load and the shared heap's state hit all three alike. Prints one JSON line:
// the samples (wall and CPU ms per round) of each, the recorded op count, and the capture rounds' export times.
import { tf, traceCapture } from '../engine';
import type { Tensor } from '../engine';
import { MICROGRAD_PEER_NAME, Value } from './peers/micrograd';
import { makeData, mlpLoss, type ScalarOps } from './scalar_mlp';

export type Variant = 'ours' | 'closures' | 'capture';
export interface RoundSamples { wall: number[]; cpu: number[] }
export interface RoundsOutput { recorded: number; samples: Record<Variant, RoundSamples>; exportMs: number[]; peer: string }

const rounds = Number(process.argv[2] ?? 25);
const data = makeData();
const TF_OPS: ScalarOps<Tensor> = { mul: tf.mul, add: tf.add, sub: tf.sub, tanh: tf.tanh, c: (v) => tf.scalar(v) };
const VALUE_OPS: ScalarOps<Value> = {
  mul: (a, b) => a.mul(b), add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), tanh: (a) => a.tanh(), c: (v) => new Value(v),
};
const params = data.weights.map((w) => new tf.Variable(w));
const values = data.weights.map((w) => new Value(w));
let recorded = 0;

/** One forward + backward of the whole MLP on our tape. */
function tapeRound(): void {
  const tape = new tf.GradientTape();
  const loss = tape.record(() => mlpLoss(TF_OPS, params as Tensor[], data.xs, data.ys));
  recorded = tape.nodes.length;
  tape.gradient(loss, params);
}

/** The same round with bare closures: zero the parameters' gradients, forward, backward. */
function closureRound(): void {
  for (const p of values) p.grad = 0;
  mlpLoss(VALUE_OPS, values, data.xs, data.ys).backward();
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const samples: Record<Variant, RoundSamples> = { ours: { wall: [], cpu: [] }, closures: { wall: [], cpu: [] }, capture: { wall: [], cpu: [] } };
const exportMs: number[] = [];
const order: Variant[] = ['ours', 'closures', 'capture'];
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < order.length; k++) {
    const variant = order[(round + k) % order.length];
    if (variant === 'capture') traceCapture.begin();
    const wall = performance.now();
    const cpu = cpuMs();
    if (variant === 'closures') closureRound(); else tapeRound();
    samples[variant].cpu.push(cpuMs() - cpu);
    samples[variant].wall.push(performance.now() - wall);
    if (variant === 'capture') {
      const start = performance.now();
      traceCapture.end();
      exportMs.push(performance.now() - start);
    }
  }
}
const output: RoundsOutput = { recorded, samples, exportMs, peer: MICROGRAD_PEER_NAME };
process.stdout.write(`${JSON.stringify(output)}\n`);
