// model.fit's callbacks as Keras calls them, EarlyStopping's rules, and the History it returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, runtime } from '../../../engine';
import type { FitProgress } from '../../../engine/trace/telemetry_format';

function regression(lr: number) {
  tf.random.setSeed(2);
  const model = tf.keras.Sequential([tf.keras.Input({ shape: [2] }), tf.keras.layers.Dense(1)]);
  model.compile({ optimizer: tf.keras.optimizers.SGD(lr), loss: 'mse' });
  const x = tf.random.normal([20, 2]);
  const y = tf.add(tf.matmul(x, tf.constant([[2], [-1]])), 0.5);
  return { model, x, y };
}

test('callbacks are called per batch and per epoch with the logs History keeps, val_* included', () => {
  const { model, x, y } = regression(0.1);
  const calls: string[] = [];
  const epochLosses: number[] = [];
  const history = model.fit(x, y, {
    epochs: 3, batchSize: 10, verbose: 0, validationData: [x, y],
    callbacks: [{
      onTrainBegin: () => calls.push('train'),
      onEpochBegin: (e) => calls.push(`epoch ${e}`),
      onBatchBegin: (b) => calls.push(`begin ${b}`),
      onBatchEnd: (b, logs) => calls.push(`end ${b} ${typeof logs.loss}`),
      onEpochEnd: (_e, logs) => { epochLosses.push(logs.loss); calls.push(`val ${typeof logs.val_loss}`); },
      onTrainEnd: () => calls.push('done'),
    }],
  });
  assert.deepEqual(calls.slice(0, 6), ['train', 'epoch 0', 'begin 0', 'end 0 number', 'begin 1', 'end 1 number']);
  assert.equal(calls.at(-1), 'done');
  assert.deepEqual(history.history.loss, epochLosses);
  assert.equal(history.history.val_loss.length, 3);
  assert.ok(history.history.val_loss[2] < history.history.val_loss[0], 'it learns');
  assert.deepEqual(history.epoch, [0, 1, 2]);
});

test('EarlyStopping stops once the monitored value has not improved for `patience` epochs', () => {
  const { model, x, y } = regression(0);
  const stop = tf.keras.callbacks.EarlyStopping({ monitor: 'loss', patience: 2 });
  const history = model.fit(x, y, { epochs: 50, batchSize: 20, verbose: 0, shuffle: false, callbacks: [stop] });
  // lr 0: epoch 0 sets the best, epochs 1 and 2 do not improve, so it stops after epoch 2 (Keras's rule).
  assert.deepEqual(history.epoch, [0, 1, 2]);
  assert.equal(stop.stoppedEpoch, 2);
});

test('EarlyStopping on val_loss keeps training while it improves and restores the best weights', () => {
  const { model, x, y } = regression(0.05);
  const stop = tf.keras.callbacks.EarlyStopping({ patience: 0, restoreBestWeights: true });
  const history = model.fit(x, y, { epochs: 5, batchSize: 20, verbose: 0, validationData: [x, y], callbacks: [stop] });
  assert.equal(history.epoch.length, 5, 'every epoch improved');
  const diverging = regression(5);
  const stop2 = tf.keras.callbacks.EarlyStopping({ patience: 0, restoreBestWeights: true });
  const h2 = diverging.model.fit(diverging.x, diverging.y, { epochs: 10, batchSize: 20, verbose: 0, validationData: [diverging.x, diverging.y], callbacks: [stop2] });
  assert.ok(h2.epoch.length < 10, 'a diverging fit stops early');
  const best = Math.min(...h2.history.val_loss);
  assert.equal(h2.history.val_loss[stop2.bestEpoch], best);
  const now = diverging.model.evaluate(diverging.x, diverging.y) as number;
  assert.ok(Math.abs(now - best) <= 1e-4 * Math.max(1, best), `restored weights give the best val_loss ${best}, got ${now}`);
  assert.throws(() => tf.keras.callbacks.EarlyStopping({ mode: 'sideways' as 'min' }), /mode must be 'min', 'max' or 'auto'/);
  assert.throws(() => regression(0.1).model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [tf.keras.callbacks.EarlyStopping()] }), /'val_loss' is not among the logged values/);
});

test('fit reports its progress (epoch, batch, ETA) and once more when done', () => {
  const progress: FitProgress[] = [];
  runtime.setFitProgressSink((p) => progress.push(p));
  try {
    const { model, x, y } = regression(0.1);
    model.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0 });
  } finally {
    runtime.setFitProgressSink(null);
  }
  assert.ok(progress.length >= 2);
  const last = progress.at(-1)!;
  assert.deepEqual([last.epoch, last.epochs, last.batch, last.batches, last.etaMs, last.done], [1, 2, 4, 4, 0, true]);
  assert.ok(progress.slice(0, -1).every((p) => !p.done));
});
