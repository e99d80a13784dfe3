// tf.debugging.enableCheckNumerics(): a NaN/Inf planted deep in a computation is reported at the op that made
// it (forward) or at the op whose gradient made it (backward), with the inputs and the user's line, and the
// trace marks that node.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, traceCapture, runtime } from '../../../engine';

let line = 0;
afterEach(() => { tf.debugging.disableCheckNumerics(); runtime.setSourceLocator(null); });
const at = <T>(n: number, f: () => T): T => { line = n; return f(); };

function deepChain(x: Tensor, plantAt: number): Tensor {
  let h = x;
  for (let i = 0; i < 12; i++) {
    h = at(100 + i, () => (i === plantAt ? tf.log(h.sub(10)) : tf.tanh(h.mul(0.9).add(0.1))));
  }
  return h;
}

test('forward: the first op producing NaN is named with its inputs and cell line, not the ops after it', () => {
  runtime.setSourceLocator(() => ({ file: 'cell_3.ts', line, column: 1 }));
  tf.debugging.enableCheckNumerics();
  const x = tf.constant([0.5, 1.5]);
  let error: unknown;
  try { deepChain(x, 7); } catch (e) { error = e; }
  assert.ok(error instanceof tf.debugging.NumericsError, String(error));
  const e = error as InstanceType<typeof tf.debugging.NumericsError>;
  assert.equal(e.op, 'Log');
  assert.equal(e.phase, 'forward');
  assert.match(e.message, /Log at cell_3\.ts:107 produced 2 NaN and 0 Inf in its output float32\[2\]; inputs: float32\[2\] min=-9\.\d+ max=-9\.\d+/);
});

test('without check numerics the NaN simply flows on', () => {
  const y = deepChain(tf.constant([0.5, 1.5]), 7);
  assert.ok(Number.isNaN(y.dataSync()[0]));
});

test('forward: the trace marks the faulty node of the tape', () => {
  tf.debugging.enableCheckNumerics();
  traceCapture.begin();
  const x = tf.constant([0.5, 1.5]);
  const tape = new tf.GradientTape();
  assert.throws(() => tape.record(() => { tape.watch(x); return deepChain(x, 5); }), /Log/);
  const [trace] = traceCapture.end();
  const marked = trace.nodes.filter((n) => n.numericsFault !== undefined);
  assert.equal(marked.length, 1);
  assert.equal(marked[0].op, 'Log');
  assert.equal(marked[0].numericsFault, 'forward');
  // the marked node is the sixth Log-or-Tanh step: after 5 Tanh ops
  const steps = trace.nodes.filter((n) => n.op === 'Tanh' || n.op === 'Log').map((n) => n.op);
  assert.deepEqual(steps, ['Tanh', 'Tanh', 'Tanh', 'Tanh', 'Tanh', 'Log']);
});

test('backward: a gradient that turns infinite is blamed on the op whose gradient it is (sqrt at 0)', () => {
  runtime.setSourceLocator(() => ({ file: 'cell_4.ts', line, column: 1 }));
  tf.debugging.enableCheckNumerics();
  traceCapture.begin();
  const x = tf.constant([0.0, 4.0]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => {
    tape.watch(x);
    const a = at(20, () => x.mul(x));
    const r = at(21, () => tf.sqrt(a.sub(a)));   // forward is fine: sqrt(0) = 0
    return at(22, () => r.add(x).reduceSum());
  });
  let error: unknown;
  try { tape.gradient(y, x); } catch (e) { error = e; }
  const traces = traceCapture.end();
  assert.ok(error instanceof tf.debugging.NumericsError, String(error));
  const e = error as InstanceType<typeof tf.debugging.NumericsError>;
  assert.equal(e.op, 'Sqrt');
  assert.equal(e.phase, 'backward');
  assert.match(e.message, /the gradient of Sqrt at cell_4\.ts:21 produced/);
  const marked = traces[0].nodes.filter((n) => n.numericsFault !== undefined);
  assert.deepEqual(marked.map((n) => [n.op, n.numericsFault]), [['Sqrt', 'backward']]);
});

test('a NaN planted deep in a traced graph is located at its op, and the graph trace marks it', () => {
  tf.debugging.enableCheckNumerics();
  traceCapture.begin();
  const f = tf.function((x: Tensor) => deepChain(x, 9));
  assert.throws(() => f(tf.constant([0.5])), (e: unknown) => e instanceof tf.debugging.NumericsError && e.op === 'Log');
  const traces = traceCapture.end();
  const graph = traces.find((t) => t.mode === 'graph')!;
  assert.deepEqual(graph.nodes.filter((n) => n.numericsFault).map((n) => n.op), ['Log']);
});

test('a replayed graph checks numerics too: new inputs that make NaN are caught at the op', () => {
  const f = tf.function((x: Tensor) => tf.sqrt(x).add(1));
  f(tf.constant([4.0]));
  tf.debugging.enableCheckNumerics();
  assert.throws(() => f(tf.constant([-4.0])), (e: unknown) => e instanceof tf.debugging.NumericsError && e.op === 'Sqrt');
  assert.equal(f.tracingCount, 1);
});
