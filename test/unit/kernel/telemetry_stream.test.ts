// Training telemetry and fit progress from a cell, through the real kernel worker and the host's validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, startKernel } from './kernel_fixture';
import type { TelemetryEvent } from '../../../src/kernel/kernel';
import { validateKernelToHost, MalformedMessageError } from '../../../src/protocol/kernel_messages';
import { validateHostToInspector } from '../../../src/protocol/inspector_messages';

test('a fit cell streams optimizer telemetry while it runs, then its progress to the end, and alerts in its output', async () => {
  const k = await startKernel({ metricFlushMs: 1 });
  const events: TelemetryEvent[] = [];
  let text = '';
  k.onTelemetry.event((e) => events.push(e));
  k.onStream.event((e) => { text += e.text; });
  try {
    const result = await k.run(cell([
      'const model = tf.keras.Sequential([tf.keras.Input({ shape: [3] }), tf.keras.layers.Dense(4, { activation: "relu", biasInitializer: (s) => tf.fill(s, -100) }), tf.keras.layers.Dense(1)]);',
      'model.compile({ optimizer: "sgd", loss: "mse" });',
      'const history = model.fit(tf.random.normal([40, 3]), tf.random.normal([40, 1]), { epochs: 3, batchSize: 10, verbose: 0 });',
      'history.epoch.length',
    ].join('\n')));
    assert.equal(result.outcome, 'ok', JSON.stringify(result.error));
    assert.equal(result.value, '3');
    const steps = events.flatMap((e) => e.steps);
    assert.deepEqual(steps.map((s) => s.step), Array.from({ length: 12 }, (_, i) => i + 1), 'every step, in order');
    assert.ok(events.filter((e) => e.steps.length > 0).length > 1, 'streamed in several messages while the cell ran');
    assert.deepEqual(steps[0].variables.map((v) => v.zeroFraction), [1, 1, 1, 0], 'the dead ReLU layer and the layer it feeds');
    const progress = events.map((e) => e.progress).filter((p) => p !== undefined);
    assert.ok(progress.length > 0);
    assert.deepEqual({ ...progress.at(-1)!, elapsedMs: 0, loss: 0 }, { model: progress.at(-1)!.model, epoch: 2, epochs: 3, batch: 4, batches: 4, elapsedMs: 0, etaMs: 0, loss: 0, done: true });
    assert.match(text, /the gradient of '[^']+\/kernel' vanished at step 1/);
    // What the host forwards passes the webview's deeper validation.
    validateHostToInspector({ type: 'telemetry', runId: result.runId, steps: JSON.parse(JSON.stringify(steps)), runLabel: 'fit · 00:00:00' });
  } finally {
    await k.dispose();
  }
});

test('malformed telemetry from a worker is rejected with the reason', () => {
  assert.throws(() => validateKernelToHost({ type: 'telemetry', runId: 1, steps: [{ step: 'x' }] }), MalformedMessageError);
  assert.throws(() => validateKernelToHost({ type: 'telemetry', runId: 1, steps: [], progress: { epoch: 1 } }), /progress must be FitProgress/);
  assert.throws(() => validateHostToInspector({ type: 'telemetry', runId: 1, steps: [{ optimizer: 'Adam', step: 1, wallTime: 1, learningRate: 1, effectiveStepSize: 1, variables: [{ variable: 'w', layer: '', size: 1, gradNorm: 1, zeroFraction: 0, nanCount: 0, infCount: 0, gradPercentiles: [1, 2] }] }] }), /gradPercentiles must hold 9 numbers/);
});
