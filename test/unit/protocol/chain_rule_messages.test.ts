// The inspector protocol's chain-rule additions, checked by the validators both sides run: a trace's jacobianCalls
// (recorded by the real engine) pass and malformed ones are rejected with the reason; revealNode / nodeRevealed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture } from '../../../engine';
import type { TapeTrace } from '../../../engine/trace/trace_format';
import { validateHostToInspector, validateInspectorToHost } from '../../../src/protocol/inspector_messages';

function jacobianTrace(): TapeTrace {
  traceCapture.begin();
  let tapes: TapeTrace[] = [];
  try {
    const x = tf.constant([1, 2, 3]);
    const tape = new tf.GradientTape();
    tape.watch(x);
    tape.jacobian(tape.record(() => x.square().sum()), x);
  } finally {
    tapes = traceCapture.end();
  }
  return tapes[0];
}

const run = { runId: 1, cellTitle: 'c', file: '/f.ts', line: 1 };

test('a recorded jacobian call is in the trace as a [target elements, source elements] matrix and validates', () => {
  const trace = jacobianTrace();
  const call = trace.jacobianCalls?.[0];
  assert.equal(call?.kind, 'jacobian');
  assert.deepEqual(call?.targetShape, []);
  assert.deepEqual(call?.sourceShapes, [[3]]);
  assert.deepEqual(call?.results[0]?.value.shape, [1, 3]);
  assert.deepEqual(call?.results[0]?.value.values, [2, 4, 6], 'd(Σx²)/dx = 2x');
  assert.doesNotThrow(() => validateHostToInspector({ type: 'tapes', run, tapes: [trace] }));
});

test('malformed jacobian calls and reveal messages are rejected with the reason', () => {
  const trace = jacobianTrace();
  const bad = (change: (t: TapeTrace) => void): unknown => { const t = structuredClone(trace); change(t); return { type: 'tapes', run, tapes: [t] }; };
  assert.throws(() => validateHostToInspector(bad((t) => { (t.jacobianCalls![0] as { kind: string }).kind = 'hessian'; })), /known kind/);
  assert.throws(() => validateHostToInspector(bad((t) => { t.jacobianCalls![0].results = []; })), /one entry per source/);
  assert.throws(() => validateHostToInspector(bad((t) => { t.jacobianCalls![0].results[0]!.value.shape = [3]; })), /must be a matrix/);
  assert.doesNotThrow(() => validateHostToInspector({ type: 'revealNode', runId: 2, tapeId: 3, tensorId: 4 }));
  assert.throws(() => validateHostToInspector({ type: 'revealNode', runId: 2, tapeId: 'x', tensorId: 4 }), /tapeId and tensorId/);
  assert.doesNotThrow(() => validateInspectorToHost({ type: 'nodeRevealed', tapeId: 3, tensorId: 4, node: 'n1' }));
  assert.throws(() => validateInspectorToHost({ type: 'nodeRevealed', tapeId: 3, tensorId: 4, node: 7 }), /optional node id/);
});
