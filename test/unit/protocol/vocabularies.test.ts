// Each protocol vocabulary and cap is declared once (engine/trace/trace_format.ts): the producer's summaries pass
// the inspector's validator at the cap and one past it is rejected; every declared dtype, kind and reason is accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine/index';
import { summarizeTensor } from '../../../engine/trace/summarize';
import { DTYPES, MAX_HEATMAP_SIDE, NULL_GRADIENT_REASONS, TENSOR_KINDS, type TapeTrace, type TensorSummary } from '../../../engine/trace/trace_format';
import { validateHostToInspector } from '../../../src/protocol/inspector_messages';

const run = { runId: 1, cellTitle: 'cell', file: '/tmp/cell.ts', line: 1 };

function traceWith(summary: TensorSummary, extra: Record<string, unknown> = {}): TapeTrace {
  return {
    version: 1, tapeId: 1, label: 'tape 1', mode: 'tape', persistent: false, order: 0, childTapeIds: [],
    nodes: [], edges: [], gradientCalls: [], totalNodes: 0, truncated: false,
    tensors: [{ id: 1, shape: summary.shape, dtype: summary.dtype, kind: 'constant', isSource: false, isTarget: false, value: summary, ...extra }],
  } as TapeTrace;
}

const send = (trace: TapeTrace) => validateHostToInspector(JSON.parse(JSON.stringify({ type: 'tapes', run, tapes: [trace] })));

test('the heatmap the producer makes (the cap) passes; one cell row more is rejected with the cap named', () => {
  const summary = summarizeTensor(tf.ones([100, 50]));
  assert.equal(summary.heatmap!.rows, MAX_HEATMAP_SIDE);
  assert.doesNotThrow(() => send(traceWith(summary)));
  const side = MAX_HEATMAP_SIDE + 1;
  const tooBig = { ...summary, heatmap: { rows: side, cols: side, values: new Array(side * side).fill(0), sourceShape: [100, 100] as [number, number] } };
  assert.throws(() => send(traceWith(tooBig)), new RegExp(`at most ${MAX_HEATMAP_SIDE * MAX_HEATMAP_SIDE}\\)`));
});

test('every declared dtype, tensor kind and null reason is accepted, and a word outside them rejected', () => {
  for (const dtype of DTYPES) {
    const summary = summarizeTensor(tf.cast(tf.ones([2]), dtype));
    assert.doesNotThrow(() => send(traceWith(summary)), dtype);
  }
  const base = summarizeTensor(tf.ones([2]));
  for (const kind of TENSOR_KINDS) assert.doesNotThrow(() => send(traceWith(base, { kind })), kind);
  for (const nullReason of NULL_GRADIENT_REASONS) assert.doesNotThrow(() => send(traceWith(base, { nullReason })), nullReason);
  assert.throws(() => send(traceWith({ ...base, dtype: 'float16' as never })), /tensors\[0\]\.dtype is not a dtype/);
  assert.throws(() => send(traceWith(base, { kind: 'ghost' })), /kind "ghost" is unknown/);
  assert.throws(() => send(traceWith(base, { nullReason: 'because' })), /nullReason is unknown/);
});
