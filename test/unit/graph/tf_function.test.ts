// tf.function: tracing once per signature, replaying the static graph, tf.gradients' options and its eager-mode
// error, variables read by the graph, and the graph's JSON trace beside an eager tape's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, traceCapture } from '../../../engine';
import { EAGER_GRADIENTS_MESSAGE } from '../../../engine/graph/gradients';

test('tf.gradients outside a traced function throws TF\'s message', () => {
  const x = tf.constant(2.0);
  assert.throws(() => tf.gradients(x.mul(x), x), { message: 'tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.' });
  assert.equal(EAGER_GRADIENTS_MESSAGE, 'tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.');
  // inside an eager tape it is still eager
  const tape = new tf.GradientTape();
  assert.throws(() => tape.record(() => { tape.watch(x); return tf.gradients(x.mul(x), x); }), { message: EAGER_GRADIENTS_MESSAGE });
});

test('a traced function is traced once per shape/dtype signature and retraced when it changes', () => {
  let jsRuns = 0;
  const f = tf.function((x: Tensor) => { jsRuns++; return x.mul(x).reduceSum(); });
  assert.equal(f(tf.constant([1, 2, 3])).dataSync()[0], 14);
  assert.equal(f(tf.constant([2, 3, 4])).dataSync()[0], 29);
  assert.equal(f(tf.constant([0, 0, 5])).dataSync()[0], 25);
  assert.equal(f.tracingCount, 1);
  assert.equal(jsRuns, 1, 'replays do not run the JavaScript body again');
  assert.equal(f(tf.constant([1, 1])).dataSync()[0], 2);
  assert.equal(f(tf.constant([1, 1], 'float64')).dataSync()[0], 2);
  assert.equal(f.tracingCount, 3);
});

test('the graph is static: JavaScript control flow on values is frozen at trace time, like TF', () => {
  const f = tf.function((x: Tensor) => (x.dataSync()[0] > 0 ? x.mul(2) : x.mul(-1)));
  assert.deepEqual(f(tf.constant([3])).numpy(), [6]);
  assert.deepEqual(f(tf.constant([-3])).numpy(), [-6], 'the branch traced for x > 0 is replayed');
});

test('results returned earlier are not changed by later calls (the graph rewrites its own tensors)', () => {
  const f = tf.function((x: Tensor) => x.add(1));
  const a = f(tf.constant([1]));
  const b = f(tf.constant([10]));
  assert.deepEqual(a.numpy(), [2]);
  assert.deepEqual(b.numpy(), [11]);
});

test('variables read inside the graph are read again on every call', () => {
  const v = new tf.Variable(tf.constant([1.0, 2.0]));
  const f = tf.function((x: Tensor) => x.mul(v).reduceSum());
  assert.equal(f(tf.constant([1, 1])).dataSync()[0], 3);
  v.assign(tf.constant([10.0, 20.0]));
  assert.equal(f(tf.constant([1, 1])).dataSync()[0], 30);
  v.assignAdd(tf.constant([1.0, 1.0]));
  assert.equal(f(tf.constant([1, 2])).dataSync()[0], 53);
  assert.equal(f.tracingCount, 1);
});

test('a function that assigns variables is retraced on each call so the assignment happens each time', () => {
  const v = new tf.Variable(tf.constant(1.0));
  const step = tf.function((g: Tensor) => { const y = v.mul(g); v.assignSub(y); return y; });
  step(tf.constant(0.5));
  step(tf.constant(0.5));
  assert.equal(v.dataSync()[0], 0.25);
});

test('tf.gradients: gradYs weights each y, several ys are summed, stopGradients cuts, unconnected gives null or zeros', () => {
  const f = tf.function((x: Tensor, z: Tensor) => {
    const a = x.mul(x);       // da/dx = 2x
    const b = x.mul(3);       // db/dx = 3
    const [sum] = tf.gradients([a, b], x);
    const [weighted] = tf.gradients(a, x, { gradYs: tf.constant([10.0, 100.0]) });
    const c = a.add(b);
    const [cut] = tf.gradients(c.mul(a), x, { stopGradients: a });
    const [none, zero] = [tf.gradients(a, z)[0], tf.gradients(a, z, { unconnectedGradients: 'zero' })[0]];
    return { sum: sum!, weighted: weighted!, cut: cut!, none, zero: zero! };
  });
  const r = f(tf.constant([1.0, 2.0]), tf.constant([5.0, 5.0]));
  assert.deepEqual(r.sum.numpy(), [5, 7]);
  assert.deepEqual(r.weighted.numpy(), [20, 400]);
  // with a held constant: d(c·a)/dx = a·dc/dx where only b's path is live: a·3 = [3, 12]
  assert.deepEqual(r.cut.numpy(), [3, 12]);
  assert.equal(r.none, null);
  assert.deepEqual(r.zero.numpy(), [0, 0]);
});

test('graph gradients replay on new inputs too', () => {
  const f = tf.function((x: Tensor) => tf.gradients(tf.sin(x).reduceSum(), x)[0]!);
  f(tf.constant([0.0, 1.0]));
  const g = f(tf.constant([0.5, 2.0]));
  assert.ok(Math.abs(g.dataSync()[0] - Math.cos(0.5)) < 1e-6);
  assert.ok(Math.abs(g.dataSync()[1] - Math.cos(2.0)) < 1e-6);
  assert.equal(f.tracingCount, 1);
});

test('called under an eager tape, a traced function is differentiable by that tape', () => {
  const f = tf.function((x: Tensor) => x.mul(x).mul(x));
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return f(x); });
  assert.equal(tape.gradient(y, x)!.dataSync()[0], 12);
});

test('the traced graph exports as a mode "graph" trace with its gradient nodes, captured beside the eager tape', () => {
  traceCapture.begin();
  const x0 = tf.constant([[1.0], [1.0]]);
  const tape = new tf.GradientTape();
  const y0 = tape.record(() => { tape.watch(x0); return tf.tanh(x0.mul(2)); });
  tape.gradient(y0, x0);
  const f = tf.function((x: Tensor, t: Tensor) => {
    const y = tf.tanh(tf.matmul(tf.concat([x, t], 1), tf.constant([[2.0], [1.0]])));
    return tf.gradients(y, x)[0]!;
  });
  f(tf.ones([2, 1]), tf.ones([2, 1]));
  const traces = traceCapture.end();
  assert.deepEqual(traces.map((t) => t.mode), ['tape', 'graph']);
  const graph = traces[1];
  const forwardOps = graph.nodes.filter((n) => n.kind === 'op' && n.recordedDuringGradientOf === undefined).map((n) => n.op);
  assert.deepEqual(forwardOps, ['ConcatV2', 'MatMul', 'Tanh']);
  const gradientNodes = graph.nodes.filter((n) => n.recordedDuringGradientOf === graph.tapeId);
  assert.ok(gradientNodes.length >= 3, 'tanh, matmul and concat gradients appear as nodes');
  assert.deepEqual(graph.nodes.filter((n) => n.op === 'Placeholder').map((n) => n.label), ['arg0', 'arg1']);
  const x = graph.tensors.find((t) => t.name === 'arg0')!;
  assert.equal(x.isSource, true);
  assert.ok(Math.abs((x.grad!.values![0] as number) - 2 * (1 - Math.tanh(3) ** 2)) < 1e-6);
  // every edge joins nodes that exist
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const e of graph.edges) assert.ok(ids.has(e.from) && ids.has(e.to));
  assert.equal(f.getTrace()!.mode, 'graph');
  assert.equal(JSON.parse(JSON.stringify(graph)).nodes.length, graph.nodes.length);
});

test('index values baked into the graph (int labels, oneHot of float labels) retrace when they change', () => {
  const pick = tf.function((x: Tensor, i: Tensor) => tf.gather(x, i));
  const x = tf.constant([10.0, 20.0, 30.0]);
  assert.deepEqual(pick(x, tf.constant([0, 2], 'int32')).numpy(), [10, 30]);
  assert.deepEqual(pick(x, tf.constant([1, 1], 'int32')).numpy(), [20, 20]);
  assert.deepEqual(pick(tf.constant([1.0, 2.0, 3.0]), tf.constant([1, 1], 'int32')).numpy(), [2, 2], 'same indices: replayed');
  assert.equal(pick.tracingCount, 2);
  const encode = tf.function((labels: Tensor) => tf.oneHot(labels, 3));
  assert.deepEqual(encode(tf.constant([0.0, 2.0])).numpy(), [[1, 0, 0], [0, 0, 1]]);
  assert.deepEqual(encode(tf.constant([1.0, 1.0])).numpy(), [[0, 1, 0], [0, 1, 0]]);
});

test('graph and tape traces, gradient nodes and numerics marks included, pass the inspector message validator', async () => {
  const { validateHostToInspector } = await import('../../../src/protocol/inspector_messages');
  traceCapture.begin({ sourceLines: true });
  const f = tf.function((x: Tensor) => {
    const y = tf.tanh(x.mul(x));
    return [y, tf.gradients(y, x)[0]!, tf.gradients(tf.gradients(y, x)[0]!, x)[0]!];
  });
  f(tf.constant([0.5, -1.0]));
  tf.debugging.enableCheckNumerics();
  const tape = new tf.GradientTape();
  try {
    assert.throws(() => tape.record(() => { const c = tf.constant([-1.0]); tape.watch(c); return tf.sqrt(c); }));
  } finally {
    tf.debugging.disableCheckNumerics();
  }
  const tapes = JSON.parse(JSON.stringify(traceCapture.end()));
  assert.deepEqual(tapes.map((t: { mode: string }) => t.mode), ['graph', 'tape']);
  const message = validateHostToInspector({ type: 'tapes', run: { runId: 1, cellTitle: 'graph', file: 'cell.ts', line: 1 }, tapes });
  assert.equal(message.type, 'tapes');
  assert.equal(tapes[1].nodes.find((n: { op: string }) => n.op === 'Sqrt').numericsFault, 'forward');
});

test('a non-trainable variable read inside tf.function is re-read on every call', () => {
  const scale = new tf.Variable(2.0, { trainable: false });
  const f = tf.function((x: Tensor) => x.mul(scale));
  assert.equal(f(tf.constant(3.0)).numpy(), 6);
  scale.assign(10);
  assert.equal(f(tf.constant(3.0)).numpy(), 30);
});
