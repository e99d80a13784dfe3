// The Gradients view's data logic in Node: the store's columns and layer grouping, its save/restore round trip,
// and the heatmap's binning (the worst-flagged step of a bin is the one shown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StepTelemetry, VariableTelemetry } from '../../engine/trace/telemetry_format';
import { TelemetryStore } from '../../webview/training/telemetry_store';
import { binHeatmap, columnOfStep } from '../../webview/training/heatmap_model';

const v = (variable: string, gradNorm: number, extra: Partial<VariableTelemetry> = {}): VariableTelemetry => ({
  variable, layer: variable.includes('/') ? variable.slice(0, variable.lastIndexOf('/')) : '', size: 4, gradNorm, zeroFraction: 0, nanCount: 0, infCount: 0, ...extra,
});
const step = (n: number, variables: VariableTelemetry[]): StepTelemetry => ({ optimizer: 'Adam', step: n, wallTime: n, learningRate: 0.1, effectiveStepSize: 0.05, variables });

test('series keep model order, rows of one layer together, and NaN for unmeasured tiers', () => {
  const store = new TelemetryStore();
  const run = store.add(1, [
    step(1, [v('a/kernel', 1, { weightNorm: 2, updateNorm: 0.1, updateRatio: 0.05, slots: { m: 1 } }), v('b/kernel', 2), v('a/bias', 3)]),
    step(2, [v('a/kernel', 4), v('b/kernel', 5), v('a/bias', 6)]),
  ], 'cell · 10:00:00');
  assert.deepEqual(run.series.map((s) => s.variable), ['a/kernel', 'a/bias', 'b/kernel']);
  const kernel = run.series[0];
  assert.deepEqual(kernel.gradNorm, [1, 4]);
  assert.deepEqual(kernel.weightNorm.map(String), ['2', 'NaN']);
  assert.deepEqual(kernel.slots.m.map(String), ['1', 'NaN']);
  assert.equal(run.label, 'cell · 10:00:00');
  assert.deepEqual([run.firstStep, run.lastStep], [1, 2]);
});

test('save then add rebuilds the same series, alerts and distributions (the webview state across a reload)', () => {
  const store = new TelemetryStore();
  const steps = [1, 2, 3].map((n) => step(n, [
    v('d/kernel', n === 2 ? 1e-12 : 1, { flag: n === 2 ? 'vanishing' : undefined, weightNorm: n, updateNorm: 0.1, updateRatio: 0.1 / n, slots: { v: n }, ...(n === 3 ? { gradPercentiles: [1, 2, 3, 4, 5, 6, 7, 8, 9], weightPercentiles: [0, 0, 0, 0, 1, 1, 1, 1, 1] } : {}) }),
  ]));
  steps[1].alerts = [{ variable: 'd/kernel', flag: 'vanishing', step: 2, gradNorm: 1e-12 }];
  const original = store.add(4, steps, 'x · 00:00:01');
  const copy = new TelemetryStore();
  const [saved] = JSON.parse(JSON.stringify(store.save(10)));
  const restored = copy.add(saved.runId, saved.steps, saved.label);
  for (const key of ['steps', 'gradNorm', 'weightNorm', 'updateRatio', 'flag', 'distributions', 'slots'] as const) {
    assert.deepEqual(restored.series[0][key], original.series[0][key], key);
  }
  assert.deepEqual(restored.alerts, original.alerts);
  assert.deepEqual(copy.add(5, store.save(2)[0].steps).series[0].steps, [2, 3], 'the latest steps are kept');
});

test('the heatmap bins steps into columns and shows the worst-flagged step of each bin', () => {
  const store = new TelemetryStore();
  const run = store.add(1, Array.from({ length: 10 }, (_, i) => step(i + 1, [
    v('w', i + 1 === 5 ? NaN : 10 ** -(i + 1), i + 1 === 5 ? { nanCount: 1, flag: 'nan' } : i + 1 === 2 ? { flag: 'vanishing' } : {}),
    v('u', 100, { updateRatio: i % 2 === 0 ? 1e-3 : undefined }),
  ])));
  const grid = binHeatmap(run.series, 'gradNorm', 4, 1, 10);
  assert.deepEqual([grid.columns, grid.stepsPerColumn], [4, 3]);
  // columns: steps 1-3, 4-6, 7-9, 10
  assert.deepEqual(Array.from(grid.flags.subarray(0, 4)), [1, 3, 0, 0]);
  assert.deepEqual(Array.from(grid.index.subarray(0, 4)), [1, 4, 8, 9], 'flagged step, NaN step, else the last of the bin');
  assert.ok(Math.abs(grid.values[0] - -2) < 1e-12 && Math.abs(grid.values[2] - -9) < 1e-12);
  assert.equal(columnOfStep(grid, 10), 3);
  const ratio = binHeatmap(run.series, 'updateRatio', 5, 1, 10);
  assert.equal(ratio.stepsPerColumn, 2);
  assert.ok(Math.abs(ratio.values[5 + 0] - -3) < 1e-12, 'step 2 (without the ratio tier) does not hide step 1 (with it)');
  assert.deepEqual(grid.extent, [-10, 2]);
});
