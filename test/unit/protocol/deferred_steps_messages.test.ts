// Backward steps sent on demand: the host holds a large tape's replay steps back (BackwardPass.deferredSteps) and
// answers the replay's requestSteps with backwardSteps. Checked on a loop the real engine records: the validators
// both sides run, the stripping the host does before posting, and its answer from the full tapes it keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture } from '../../../engine';
import type { Tensor } from '../../../engine';
import type { TapeTrace } from '../../../engine/trace/trace_format';
import { validateHostToInspector, validateInspectorToHost, type ShowTapesMessage } from '../../../src/protocol/inspector_messages';
import { answerStepsRequest, MAX_INLINE_STEPS, withDeferredSteps } from '../../../src/inspector/deferred_steps';

/** x ← x·0.999 + 0.001, `iterations` times: two backward steps per iteration. */
function loopTrace(iterations: number): TapeTrace {
  const x0 = new tf.Variable(1.0, { name: 'x0' });
  traceCapture.begin({ maxNodesPerTape: iterations * 4 });
  try {
    const tape = new tf.GradientTape();
    const y = tape.record(() => {
      let x: Tensor = x0;
      for (let i = 0; i < iterations; i++) x = x.mul(0.999).add(0.001);
      return x;
    });
    tape.gradient(y, x0);
  } finally {
    return traceCapture.end()[0];
  }
}

const run = { runId: 3, cellTitle: 'loop', file: '/f.ts', line: 1 };
const tapesMessage = (trace: TapeTrace): ShowTapesMessage => ({ type: 'tapes', run, tapes: [trace] });

test('a small tape is posted as recorded, its steps inline', () => {
  const message = tapesMessage(loopTrace(10));
  assert.equal(withDeferredSteps(message), message, 'the same object: nothing copied');
  assert.equal(message.tapes[0].gradientCalls[0].backward?.steps.length, 20);
  assert.equal(message.tapes[0].gradientCalls[0].backward?.deferredSteps, undefined);
});

test('a large tape is posted without its steps, a count in their place, and still validates', () => {
  const message = tapesMessage(loopTrace(MAX_INLINE_STEPS));
  const posted = withDeferredSteps(message);
  const pass = posted.tapes[0].gradientCalls[0].backward!;
  assert.deepEqual([pass.steps.length, pass.deferredSteps], [0, 2 * MAX_INLINE_STEPS]);
  assert.equal(pass.seeds.length, 1, 'the seeds (step 0) stay');
  assert.equal(message.tapes[0].gradientCalls[0].backward!.steps.length, 2 * MAX_INLINE_STEPS, 'the kept run is not changed');
  assert.ok(JSON.stringify(posted).length < JSON.stringify(message).length * 0.75, 'the steps were a large part of the message');
  assert.doesNotThrow(() => validateHostToInspector(JSON.parse(JSON.stringify(posted))));
});

test('a held-back count is a positive integer over empty steps', () => {
  const posted = withDeferredSteps(tapesMessage(loopTrace(MAX_INLINE_STEPS)));
  const withPass = (change: (pass: Record<string, unknown>) => void): unknown => {
    const copy = JSON.parse(JSON.stringify(posted));
    change(copy.tapes[0].gradientCalls[0].backward);
    return copy;
  };
  for (const [bad, change] of [
    ['zero', (p: Record<string, unknown>) => { p.deferredSteps = 0; }],
    ['a fraction', (p: Record<string, unknown>) => { p.deferredSteps = 1.5; }],
    ['a string', (p: Record<string, unknown>) => { p.deferredSteps = '1000'; }],
  ] as const) {
    assert.throws(() => validateHostToInspector(withPass(change)), /deferredSteps must be a positive count/, bad);
  }
  const tape = tapesMessage(loopTrace(3));
  const both = JSON.parse(JSON.stringify(tape));
  both.tapes[0].gradientCalls[0].backward.deferredSteps = 6;
  assert.throws(() => validateHostToInspector(both), /with steps left empty/);
});

test('requestSteps names a run, a tape and a call index', () => {
  assert.deepEqual(validateInspectorToHost({ type: 'requestSteps', runId: 3, tapeId: 7, call: 0 }), { type: 'requestSteps', runId: 3, tapeId: 7, call: 0 });
  assert.throws(() => validateInspectorToHost({ type: 'requestSteps', runId: -1, tapeId: 7, call: 0 }), /requestSteps\.runId/);
  assert.throws(() => validateInspectorToHost({ type: 'requestSteps', runId: 3, tapeId: 7 }), /call index/);
  assert.throws(() => validateInspectorToHost({ type: 'requestSteps', runId: 3, tapeId: '7', call: 0 }), /tapeId/);
  assert.throws(() => validateInspectorToHost({ type: 'requestSteps', runId: 3, tapeId: 7, call: -1 }), /call index >= 0/);
});

test('the host answers from the full tapes it kept, with steps that validate, or says the run is gone', () => {
  const kept = tapesMessage(loopTrace(MAX_INLINE_STEPS));
  const tapeId = kept.tapes[0].tapeId;
  const answer = answerStepsRequest({ type: 'requestSteps', runId: 3, tapeId, call: 0 }, kept);
  assert.equal(answer.steps, kept.tapes[0].gradientCalls[0].backward!.steps);
  assert.equal(answer.missing, undefined);
  const checked = validateHostToInspector(JSON.parse(JSON.stringify(answer)));
  assert.equal(checked.type === 'backwardSteps' && checked.steps?.length, 2 * MAX_INLINE_STEPS);

  const gone = answerStepsRequest({ type: 'requestSteps', runId: 9, tapeId, call: 0 }, undefined);
  assert.match(gone.missing!, /no longer kept.*run its cell again/);
  assert.doesNotThrow(() => validateHostToInspector(gone));
  const noCall = answerStepsRequest({ type: 'requestSteps', runId: 3, tapeId, call: 4 }, kept);
  assert.match(noCall.missing!, /no recorded backward pass for gradient call 5/);
});

test('a backwardSteps answer carries steps or a reason, and its steps are checked like a trace', () => {
  const steps = JSON.parse(JSON.stringify(loopTrace(2).gradientCalls[0].backward!.steps));
  const base = { type: 'backwardSteps', runId: 3, tapeId: 1, call: 0 };
  assert.doesNotThrow(() => validateHostToInspector({ ...base, steps }));
  assert.throws(() => validateHostToInspector(base), /either steps or missing/);
  assert.throws(() => validateHostToInspector({ ...base, steps, missing: 'gone' }), /either steps or missing/);
  assert.throws(() => validateHostToInspector({ ...base, missing: '' }), /missing must be a non-empty string/);
  assert.throws(() => validateHostToInspector({ ...base, steps: 'many' }), /steps must be an array/);
  assert.throws(() => validateHostToInspector({ ...base, call: 0.5, steps }), /call index/);
  const noIncoming = JSON.parse(JSON.stringify(steps));
  delete noIncoming[1].incoming;
  assert.throws(() => validateHostToInspector({ ...base, steps: noIncoming }), /backwardSteps\.steps\[1\]\.incoming/);
  const badSend = JSON.parse(JSON.stringify(steps));
  badSend[0].sends[0].count = 0;
  assert.throws(() => validateHostToInspector({ ...base, steps: badSend }), /backwardSteps\.steps\[0\]\.sends\[0\]/);
});
