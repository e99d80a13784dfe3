// The trace the inspector draws: nodes, edges, values and gradients at every node, null reasons, nesting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture, Tensor } from '../../../engine';

test('capturing the seed-000 MSE cell exports its graph with values and gradients at every node', () => {
  traceCapture.begin();
  const x = tf.random.normal([2, 4], { seed: 1 });
  const w = tf.random.normal([4, 3], { seed: 2 });
  const b = tf.zeros([3]);
  const unused = tf.constant(1.0);
  const tape = new tf.GradientTape();
  const loss = tape.record(() => {
    tape.watch([w, b, unused]);
    const prob = tf.nameScope('model', () => tf.nn.softmax(x.matmul(w).add(b), 1));
    return tf.reduceMean(tf.losses.MSE(tf.oneHot([2, 0], 3), prob));
  });
  const [gw, gb, gu] = tape.gradient(loss, [w, b, unused]);
  const [trace] = traceCapture.end();

  assert.equal(trace.mode, 'tape');
  const ops = trace.nodes.filter((n) => n.kind === 'op').map((n) => n.op);
  assert.deepEqual(ops, ['MatMul', 'Add', 'Softmax', 'Sub', 'Square', 'Mean', 'Mean']);
  assert.deepEqual(trace.nodes.find((n) => n.op === 'MatMul')!.scope, ['model']);
  // every edge joins existing nodes
  const ids = new Set(trace.nodes.map((n) => n.id));
  for (const e of trace.edges) assert.ok(ids.has(e.from) && ids.has(e.to), JSON.stringify(e));
  // the gradient shown for w equals the tape's
  const wEntry = trace.tensors.find((t) => t.id === w.id)!;
  assert.equal(wEntry.isSource, true);
  assert.equal(wEntry.kind, 'watched');
  assert.deepEqual(wEntry.grad!.values, Array.from(gw!.dataSync()));
  assert.deepEqual(trace.tensors.find((t) => t.id === b.id)!.grad!.values, Array.from(gb!.dataSync()));
  // intermediate tensors carry gradients too (softmax output)
  const softmaxOut = trace.nodes.find((n) => n.op === 'Softmax')!.output;
  assert.equal(trace.tensors.find((t) => t.id === softmaxOut)!.grad!.shape.join(), '2,3');
  assert.equal(trace.tensors.find((t) => t.id === loss.id)!.isTarget, true);
  // the unconnected source explains itself
  assert.equal(gu, null);
  const u = trace.tensors.find((t) => t.id === unused.id)!;
  assert.equal(u.nullReason, 'no-path');
  assert.match(u.nullExplanation!, /no recorded op connects/);
});

test('large tensors cross as summaries: histogram and heatmap, never all values', () => {
  traceCapture.begin();
  const w = new tf.Variable(tf.random.normal([100, 50], { seed: 3 }), { name: 'dense/kernel' });
  const tape = new tf.GradientTape();
  const y = tape.record(() => w.square().reduceSum());
  tape.gradient(y, w);
  const [trace] = traceCapture.end();
  const entry = trace.tensors.find((t) => t.id === w.id)!;
  assert.equal(entry.kind, 'variable');
  assert.equal(entry.name, 'dense/kernel');
  assert.equal(entry.value!.values, undefined);
  assert.equal(entry.value!.histogram!.counts.reduce((a, b) => a + b, 0), 5000);
  assert.equal(entry.value!.heatmap!.rows, 32);
  assert.equal(entry.value!.heatmap!.cols, 32);
  assert.deepEqual(entry.value!.heatmap!.sourceShape, [100, 50]);
  // gradient of sum(w^2) is 2w: its mean is twice the value's mean
  assert.ok(Math.abs(entry.grad!.mean - 2 * entry.value!.mean) < 1e-5);
  assert.ok(JSON.stringify(trace).length < 60_000);
});

test('nested tapes are linked and inner-gradient nodes are marked', () => {
  traceCapture.begin();
  const x = new tf.Variable(1.0);
  const outer = new tf.GradientTape();
  let g!: Tensor;
  outer.record(() => {
    const inner = new tf.GradientTape();
    const y = inner.record(() => x.mul(x).mul(x));
    g = inner.gradient(y, x)!;
  });
  outer.gradient(g, x);
  const traces = traceCapture.end();
  assert.equal(traces.length, 2);
  const [outerTrace, innerTrace] = traces;
  assert.equal(innerTrace.parentTapeId, outerTrace.tapeId);
  assert.deepEqual(outerTrace.childTapeIds, [innerTrace.tapeId]);
  assert.ok(outerTrace.nodes.some((n) => n.recordedDuringGradientOf === innerTrace.tapeId));
  assert.equal(innerTrace.nodes.some((n) => n.recordedDuringGradientOf !== undefined), false);
});

test('without a capture session, tapes are not kept and a non-persistent tape releases its records', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return x.square(); });
  tape.gradient(y, x);
  assert.equal(tape.nodes.length, 0);
  assert.deepEqual(traceCapture.end(), []);
});

test('a capture keeps only the most recent tapes of a long loop', () => {
  traceCapture.begin({ maxTapes: 3 });
  const v = new tf.Variable(1.0);
  for (let i = 0; i < 10; i++) {
    const tape = new tf.GradientTape();
    const y = tape.record(() => v.square());
    v.assignSub(tf.mul(0.1, tape.gradient(y, v)!));
  }
  const traces = traceCapture.end();
  assert.deepEqual(traces.map((t) => t.order), [7, 8, 9]);
});
