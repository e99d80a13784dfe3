// Under trace capture (the kernel captures every cell) a scalar graph's backward pass runs on plain numbers too, and
// the inspector must not see the difference: the exported trace — every tensor's value and gradient, the replay's
// steps with their incoming gradients, contributions and running sums, the results — equals the one the tensor pass
// gives (forced with withoutScalarPass), for a micrograd-style MLP in float32 and float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture } from '../../../engine';
import { scalarTensor, type Tensor } from '../../../engine/tensor/tensor';
import { summarizeScalar, summarizeTensor } from '../../../engine/trace/summarize';
import type { DType } from '../../../engine/tensor/dtype';
import type { TapeTrace } from '../../../engine/trace/trace_format';
import { backprop } from '../../../engine/tape/backprop';
import { withoutScalarPass } from '../../../engine/tape/scalar_backprop';
import { BackwardStepRecorder } from '../../../engine/trace/backward_steps';
import { add } from '../../../engine/ops/arithmetic';
import { makeRng } from '../../../engine/ops/random';

interface Captured { trace: TapeTrace; grads: (number | null)[] }

/**
 * One captured cell: a 2-3-1 MLP (tanh, sigmoid, relu) over three points, a parameter read twice in one op (w·w),
 * a watched constant, an unread variable, the loss seeded by outputGradients; its trace and the gradient values.
 */
function capturedCell(dtype: DType): Captured {
  const rng = makeRng(11);
  traceCapture.begin();
  try {
    const params = Array.from({ length: 13 }, () => new tf.Variable(tf.scalar(rng() * 2 - 1, dtype)));
    const unread = new tf.Variable(tf.scalar(0.25, dtype));
    const shift = tf.scalar(0.3, dtype);
    const tape = new tf.GradientTape();
    const loss = tape.record(() => {
      tape.watch(shift);
      let total: Tensor = tf.scalar(0, dtype);
      for (const [a, b] of [[0.5, -1.5], [2, 0.25], [-0.75, 1]]) {
        const x = [tf.scalar(a, dtype), tf.scalar(b, dtype)];
        const hidden = [0, 1, 2].map((j) => {
          const s = tf.add(tf.add(tf.mul(params[3 * j], x[0]), tf.mul(params[3 * j + 1], x[1])), params[3 * j + 2]);
          return j === 0 ? tf.tanh(s) : j === 1 ? tf.sigmoid(s) : tf.relu(tf.sub(s, shift));
        });
        let out: Tensor = params[12];
        hidden.forEach((h, j) => { out = tf.add(out, tf.mul(params[9 + j], h)); });
        const d = tf.sub(out, tf.div(tf.scalar(a * b, dtype), tf.add(tf.mul(params[0], params[0]), 1)));
        total = tf.add(total, tf.mul(d, d));
      }
      return total;
    });
    const grads = tape.gradient(loss, [...params, shift, unread], { outputGradients: tf.scalar(0.5, dtype) });
    const [trace] = traceCapture.end();
    return { trace, grads: grads.map((g) => (g === null ? null : g.item())) };
  } finally {
    if (traceCapture.active) traceCapture.end();
  }
}

/** The trace with tensor ids counted from the cell's first tensor (both cells make their tensors alike), the
 * tape's id (and the label that says it) and the result tensors' ids (made by the pass, so numbered differently) left out. */
function normalized(trace: TapeTrace): unknown {
  const first = Math.min(...trace.tensors.map((t) => t.id));
  const shift = (id: number) => id - first;
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
      return out;
    }
    if (typeof value === 'number' && ['tensor', 'output', 'inputs', 'targets', 'sources'].includes(key ?? '')) return shift(value);
    if (typeof value === 'number' && key === 'id') return shift(value);
    if (typeof value === 'string' && /^t\d+$/.test(value)) return `t${shift(Number(value.slice(1)))}`;
    return value;
  };
  const { tapeId: _t, label: _l, ...rest } = trace;
  const copy = walk(rest) as { gradientCalls: { results: ({ tensor?: number } | null)[] }[] };
  for (const call of copy.gradientCalls) for (const r of call.results) if (r !== null) delete r.tensor;
  return copy;
}

for (const dtype of ['float32', 'float64'] as DType[]) {
  test(`a captured scalar MLP's trace is the same from the scalar pass as from the tensor pass (${dtype}): values, gradients, steps, contributions`, () => {
    const scalar = capturedCell(dtype);
    const tensor = withoutScalarPass(() => capturedCell(dtype));
    assert.deepEqual(scalar.grads, tensor.grads, 'the gradients tape.gradient returned');
    assert.equal(scalar.grads[14], null, 'the unread variable gets None');
    assert.ok(scalar.grads.slice(0, 14).every((g) => g !== null && g !== 0), 'every parameter and the watched constant get a gradient');
    const steps = scalar.trace.gradientCalls[0].backward?.steps ?? [];
    assert.ok(steps.length > 50, `the replay has the pass's steps (${steps.length})`);
    assert.ok(steps.some((s) => s.sends.length === 2 && s.sends[0].tensor === s.sends[1].tensor), 'd·d sends to one tensor twice');
    assert.ok(scalar.trace.tensors.filter((t) => t.grad).length > 50, 'every tensor on a path shows its gradient');
    assert.deepEqual(normalized(scalar.trace), normalized(tensor.trace));
  });
}

test('under capture a scalar graph takes the scalar pass (the tensor pass only when forced), and a non-scalar node on the path still sends it back to tensors', () => {
  traceCapture.begin();
  try {
    const w = new tf.Variable(0.5);
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => tf.mul(tf.tanh(tf.mul(w, 3)), w));
    const run = () => {
      const seeds = new Map([[y.id, tf.onesLike(y)]]);
      return backprop(tape.nodes, seeds, new Set([w.id]), true, tape.id, add, new BackwardStepRecorder(seeds));
    };
    const scalar = run();
    const tensor = withoutScalarPass(run);
    assert.equal(scalar.pass, 'scalar');
    assert.equal(tensor.pass, 'tensor');
    assert.deepEqual([...scalar.grads.keys()].sort(), [...tensor.grads.keys()].sort(), 'every gradient kept, for the same tensors');
    for (const [id, g] of tensor.grads) assert.ok(Object.is(scalar.grads.get(id)!.item(), g.item()), `tensor #${id}`);
    const z = tape.record(() => tf.sum(tf.mul(w, tf.constant([1, 2]))));
    const seeds = new Map([[z.id, tf.onesLike(z)]]);
    assert.equal(backprop(tape.nodes, seeds, new Set([w.id]), true, tape.id, add, new BackwardStepRecorder(seeds)).pass, 'tensor');
  } finally {
    traceCapture.end();
  }
});

test("summarizeScalar gives summarizeTensor's summary of the scalar, bit for bit and key for key (NaN, ±Infinity, -0, under- and overflow, random)", () => {
  const rng = makeRng(5);
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-200, -3e-40, 1e200, 3.4e38, 1 / 3, -2.5];
  const random = Array.from({ length: 200 }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 20 - 10));
  for (const dtype of ['float32', 'float64'] as const) {
    for (const v of [...special, ...random]) {
      const expected = summarizeTensor(scalarTensor(v, dtype));
      const actual = summarizeScalar(v, dtype);
      assert.deepEqual(actual, expected, `${v} (${dtype})`);
      assert.equal(JSON.stringify(actual), JSON.stringify(expected), `${v} (${dtype}) as JSON`);
    }
  }
});
