// The backward pass recorded step by step under trace capture: the seed, each node's incoming gradient and the
// contribution it sends along each edge, in the engine's order, with running sums where a tensor feeds several ops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture } from '../../../engine';
import type { Tensor } from '../../../engine/tensor/tensor';
import type { BackwardPass, TapeTrace } from '../../../engine/trace/trace_format';
import { validateHostToInspector } from '../../../src/protocol/inspector_messages';

function scalar(s: { values?: Array<number | string> }): number {
  assert.equal(s.values?.length, 1);
  return Number(s.values![0]);
}

function validate(tapes: TapeTrace[]): void {
  validateHostToInspector({ type: 'tapes', run: { runId: 1, cellTitle: 'cell', file: '/c.ts', line: 1 }, tapes });
}

test("seed 000's chain rule: seed 1 at y2, then 2 (= w2) at y1, then 2 at w1, in the engine's order", () => {
  traceCapture.begin();
  const x = tf.constant(1.0);
  const [w1, b1, w2, b2] = [2, 1, 2, 1].map((v) => tf.constant(v));
  const tape = new tf.GradientTape({ persistent: true });
  let y1: Tensor = x;
  const y2 = tape.record(() => {
    tape.watch([w1, b1, w2, b2]);
    y1 = x.mul(w1).add(b1);
    return y1.mul(w2).add(b2);
  });
  const [dy2Dw1] = tape.gradient(y2, [w1]);
  const [trace] = traceCapture.end();
  assert.equal(dy2Dw1!.dataSync()[0], 2);
  const pass = trace.gradientCalls[0].backward as BackwardPass;
  assert.deepEqual(pass.seeds.map((s) => [s.tensor, scalar(s.value)]), [[y2.id, 1]], 'step 0 seeds y2 with 1');
  const ops = pass.steps.map((s) => trace.nodes.find((n) => n.id === s.node)!.op);
  assert.deepEqual(ops, ['Add', 'Mul', 'Add', 'Mul'], 'nodes differentiated last-recorded first');
  const received = (tensorId: number) => pass.steps.flatMap((s) => s.sends).filter((e) => e.tensor === tensorId).map((e) => scalar(e.contribution));
  assert.deepEqual(received(y1.id), [2], 'y1 receives dy2/dy1 = w2 = 2');
  assert.deepEqual(received(w1.id), [2], 'w1 receives dy2/dy1 · dy1/dw1 = 2 · x = 2');
  // the Mul y1·w2 gets 1 from the Add and sends 2 to y1 along the edge from y1's producer
  const mul = pass.steps[1];
  assert.equal(scalar(mul.incoming), 1);
  const toY1 = mul.sends.find((e) => e.tensor === y1.id)!;
  assert.equal(toY1.from, trace.nodes.find((n) => n.output === y1.id)!.id);
  assert.deepEqual(mul.sends.map((e) => e.input), [0], 'only y1 leads to the source w1: w2 is not sent to');
  validate([trace]);
});

test('z = x·x + 3x at x = 5: contributions 5, 5 and 3 to x, their running sum ending at 13', () => {
  traceCapture.begin();
  const x = tf.constant(5);
  x.name = 'x';
  const tape = new tf.GradientTape();
  const z = tape.record(() => {
    tape.watch(x);
    return x.mul(x).add(x.mul(3));
  });
  const g = tape.gradient(z, x) as Tensor;
  const [trace] = traceCapture.end();
  assert.equal(g.dataSync()[0], 13, 'dz/dx = 2x + 3');
  const pass = trace.gradientCalls[0].backward!;
  const toX = pass.steps.flatMap((s) => s.sends).filter((e) => e.tensor === x.id);
  assert.deepEqual(toX.map((e) => scalar(e.contribution)).sort(), [3, 5, 5]);
  assert.deepEqual(toX.map((e) => e.count), [1, 2, 3]);
  assert.equal(scalar(toX[toX.length - 1].total), 13, 'the running sum ends at the gradient');
  const totals = toX.map((e) => scalar(e.total));
  assert.deepEqual(totals, toX.map((_, i) => toX.slice(0, i + 1).reduce((a, e) => a + scalar(e.contribution), 0)));
  assert.equal(toX[0].from, `t${x.id}`);
  validate([trace]);
});

test('outputGradients are the seeds; without capture no pass is recorded', () => {
  traceCapture.begin();
  const x = tf.constant([1, 2]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return x.square(); });
  tape.gradient(y, x, { outputGradients: tf.constant([10, 100]) });
  const [trace] = traceCapture.end();
  const pass = trace.gradientCalls[0].backward!;
  assert.deepEqual(pass.seeds[0].value.values, [10, 100]);
  assert.deepEqual(pass.steps[0].sends[0].contribution.values, [20, 400]);

  const plain = new tf.GradientTape();
  const y2 = plain.record(() => { plain.watch(x); return x.square(); });
  plain.gradient(y2, x);
  assert.equal((plain as unknown as { gradientCalls: Array<{ steps: unknown }> }).gradientCalls[0].steps, null);
});

test('a malformed backward pass is rejected by the inspector protocol', () => {
  traceCapture.begin();
  const x = tf.constant(2);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return x.square(); });
  tape.gradient(y, x);
  const [trace] = traceCapture.end();
  trace.gradientCalls[0].backward!.steps[0].node = 'nope';
  assert.throws(() => validate([trace]), /steps\[0\]\.node is not a node/);
});
