// Cutting a long tape to the trace's node cap keeps what gradient() was asked about: the targets, the sources and
// the ops on the paths between them, joined through one node that stands for the ops left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture, type Tensor } from '../../../engine';
import { CUT_NODE_ID, type TapeTrace } from '../../../engine/trace/trace_format';

function record(cap: number, body: (x0: Tensor, w: Tensor) => Tensor): { trace: TapeTrace; x0: Tensor; w: Tensor } {
  const x0 = new tf.Variable(1.0, { name: 'x0' });
  const w = new tf.Variable(2.0, { name: 'w' });
  traceCapture.begin({ maxNodesPerTape: cap });
  const tape = new tf.GradientTape();
  const y = tape.record(() => body(x0, w));
  tape.gradient(y, [x0, w]);
  return { trace: traceCapture.end()[0], x0, w };
}

/** Node ids from which `to` is reached along the trace's edges. */
function ancestors(trace: TapeTrace, to: string): Set<string> {
  const parents = new Map<string, string[]>();
  for (const e of trace.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  const seen = new Set([to]);
  const stack = [to];
  while (stack.length > 0) for (const p of parents.get(stack.pop()!) ?? []) if (!seen.has(p)) { seen.add(p); stack.push(p); }
  return seen;
}

test('a 10,000-op chain cut to 1,000 ops: the target, the source and one path between them through the cut node', () => {
  const { trace, x0 } = record(1_000, (x) => {
    let h = x;
    for (let i = 0; i < 5_000; i++) h = h.mul(0.999).add(0.001);
    return h;
  });
  assert.equal(trace.truncated, true);
  assert.equal(trace.totalNodes, 10_000);
  const ops = trace.nodes.filter((n) => n.kind === 'op');
  assert.equal(ops.length, 1_000, 'exactly the cap is kept');
  const cut = trace.nodes.find((n) => n.id === CUT_NODE_ID)!;
  assert.equal(cut.op, 'Cut');
  assert.equal(cut.label, '⋯ 9,000 ops cut', 'kept + cut = recorded');
  const target = trace.tensors.find((t) => t.isTarget)!;
  const targetNode = trace.nodes.find((n) => n.output === target.id)!;
  assert.equal(targetNode.kind, 'op', 'the op that made the target is kept');
  const reach = ancestors(trace, targetNode.id);
  assert.ok(reach.has(CUT_NODE_ID), 'the target is reached through the cut');
  assert.ok(reach.has(`t${x0.id}`), 'and from the source');
  // Every edge joins nodes of the trace, and the cut's edges carry tensors the trace describes.
  const ids = new Set(trace.nodes.map((n) => n.id));
  const tensors = new Set(trace.tensors.map((t) => t.id));
  for (const e of trace.edges) assert.ok(ids.has(e.from) && ids.has(e.to) && tensors.has(e.tensor), JSON.stringify(e));
  // The replay's steps name only nodes of the trace.
  for (const step of trace.gradientCalls[0].backward!.steps) for (const s of step.sends) assert.ok(ids.has(s.from), s.from);
});

test('ops off the path are what the cut drops first: a side computation the target does not need', () => {
  const { trace, w } = record(600, (x, wv) => {
    let side: Tensor = tf.constant(0.5);
    for (let i = 0; i < 1_000; i++) side = side.mul(wv); // reads w, but feeds nothing the target needs
    let h = x;
    for (let i = 0; i < 100; i++) h = h.add(wv); // the path: x0 and w to the target, 100 ops
    return h;
  });
  const ops = trace.nodes.filter((n) => n.kind === 'op');
  assert.equal(ops.length, 600);
  const adds = ops.filter((n) => n.op === 'AddV2' || n.op === 'Add');
  assert.equal(adds.length, 100, 'every op on the path from the sources to the target is kept');
  const target = trace.tensors.find((t) => t.isTarget)!;
  const reach = ancestors(trace, trace.nodes.find((n) => n.output === target.id)!.id);
  assert.ok(reach.has(`t${w.id}`), 'the source w is reached without going through the cut');
  assert.ok(!reach.has(CUT_NODE_ID), 'the cut holds only ops off the path');
});

test('a tape under the cap is exported whole, with no cut node', () => {
  const { trace } = record(1_000, (x) => x.mul(2).add(1));
  assert.equal(trace.truncated, false);
  assert.equal(trace.nodes.some((n) => n.id === CUT_NODE_ID), false);
});
