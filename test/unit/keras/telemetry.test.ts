// Training telemetry against numbers computed here, independently, from the same gradients and weights; and the
// flags on networks built to vanish, explode and die.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { tf, runtime, Tensor, Variable } from '../../../engine';
import { DISTRIBUTION_PERCENTILES, type StepTelemetry } from '../../../engine/trace/telemetry_format';

let records: StepTelemetry[] = [];
let printed: string[] = [];

beforeEach(() => {
  records = [];
  printed = [];
  runtime.setTelemetrySink((s) => records.push(s));
  runtime.setPrintSink((t) => printed.push(t));
  runtime.configureTelemetry({ detailEvery: 1, distributionEvery: 1 });
});

afterEach(() => {
  runtime.setTelemetrySink(null);
  runtime.setPrintSink(null);
  runtime.configureTelemetry({ detailEvery: 'auto', distributionEvery: 'auto' });
});

const norm = (a: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
const close = (actual: number | undefined, expected: number, what: string, rel = 1e-5): void => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= rel * Math.max(1e-30, Math.abs(expected)), `${what}: got ${actual}, expected ${expected}`);
};

function mlp(layers: Array<{ units: number; activation: string; kernelInitializer?: string | ((shape: readonly number[]) => Tensor); biasInitializer?: string | ((shape: readonly number[]) => Tensor) }>, inputs: number): ReturnType<typeof tf.keras.Sequential> {
  const model = tf.keras.Sequential([tf.keras.Input({ shape: [inputs] }), ...layers.map((l) => tf.keras.layers.Dense(l.units, l))]);
  return model;
}

test('a two-layer MLP: norms, ratios, zero fraction, Adam slots and step size match numbers computed from the same arrays', () => {
  tf.random.setSeed(7);
  const model = mlp([{ units: 5, activation: 'relu' }, { units: 3, activation: 'linear' }], 4);
  const x = tf.random.normal([6, 4]);
  const y = tf.random.normal([6, 3]);
  const optimizer = tf.keras.optimizers.Adam({ learningRate: 0.01 });
  const variables = model.trainableVariables;
  for (let step = 1; step <= 3; step++) {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.square(tf.sub(model.apply(x) as Tensor, y))));
    const grads = tape.gradient(loss, variables) as Tensor[];
    const before = variables.map((v) => Array.from(v.dataSync()));
    optimizer.applyGradients(grads, variables);
    const record = records.at(-1)!;
    assert.equal(record.step, step);
    assert.equal(record.optimizer.startsWith('Adam'), true);
    close(record.effectiveStepSize, 0.01 * Math.sqrt(1 - 0.999 ** step) / (1 - 0.9 ** step), 'effective step size');
    assert.deepEqual(record.variables.map((v) => v.variable), variables.map((v) => v.name), 'model order');
    variables.forEach((v, i) => {
      const t = record.variables[i];
      const g = Array.from(grads[i].dataSync());
      const after = Array.from(v.dataSync());
      const update = after.map((w, k) => w - before[i][k]);
      close(t.gradNorm, norm(g), `${v.name} gradNorm`);
      close(t.weightNorm, norm(after), `${v.name} weightNorm`);
      close(t.updateNorm, norm(update), `${v.name} updateNorm`);
      if (norm(before[i]) > 0) close(t.updateRatio, norm(update) / norm(before[i]), `${v.name} updateRatio`);
      assert.equal(t.zeroFraction, g.filter((e) => e === 0).length / g.length, `${v.name} zeroFraction`);
      assert.equal(t.nanCount, 0);
      close(t.slots!.m, norm(optimizer.getSlot(v, 'm')!.dataSync()), `${v.name} ‖m‖`);
      close(t.slots!.v, norm(optimizer.getSlot(v, 'v')!.dataSync()), `${v.name} ‖v‖`);
      if (step === 1) close(t.slots!.m, 0.1 * norm(g), `${v.name} ‖m‖ after one step is (1-β1)‖g‖`);
      const sorted = [...g].sort((a, b) => a - b);
      assert.equal(t.gradPercentiles!.length, DISTRIBUTION_PERCENTILES.length);
      close(t.gradPercentiles![0], sorted[0], `${v.name} min gradient`);
      close(t.gradPercentiles!.at(-1)!, sorted.at(-1)!, `${v.name} max gradient`);
      const mid = (sorted.length - 1) / 2;
      close(t.gradPercentiles![4], (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2, `${v.name} median gradient`);
      assert.equal(t.layer, v.name.slice(0, v.name.lastIndexOf('/')));
    });
  }
  assert.equal(records.length, 3);
});

test('SGD with momentum reports the momentum slot and its learning rate as the step size', () => {
  const w = new tf.Variable([3, 4], { name: 'w' });
  const optimizer = tf.keras.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 });
  optimizer.applyGradients([[tf.constant([1, 0]), w]]);
  const t = records[0].variables[0];
  close(t.slots!.momentum, 0.1, '‖velocity‖ = lr·‖g‖');
  close(t.updateNorm, 0.1, 'update');
  close(t.updateRatio, 0.1 / 5, 'update/weight');
  assert.equal(t.zeroFraction, 0.5);
  assert.equal(records[0].effectiveStepSize, 0.1);
  assert.equal(t.flag, undefined);
});

test('a deliberately deep sigmoid MLP (10 layers) is flagged as vanishing at its first layers, with one alert each', () => {
  tf.random.setSeed(3);
  // Glorot kernels, and a bias of +5 that pushes every sigmoid into saturation (σ' ≈ 0.007 per layer).
  const saturating = (shape: readonly number[]) => tf.fill(shape as number[], 5);
  const layers = Array.from({ length: 9 }, () => ({ units: 16, activation: 'sigmoid', biasInitializer: saturating }));
  const model = mlp([...layers, { units: 1, activation: 'linear' }], 8);
  model.compile({ optimizer: tf.keras.optimizers.SGD(0.01), loss: 'mse' });
  model.fit(tf.random.normal([32, 8]), tf.random.normal([32, 1]), { epochs: 2, batchSize: 32, verbose: 0 });
  const first = records[0];
  const flagOf = (name: string) => first.variables.find((v) => v.variable === name)!.flag;
  const kernels = model.trainableVariables.filter((v) => v.name.endsWith('/kernel'));
  assert.equal(kernels.length, 10);
  assert.equal(flagOf(kernels[0].name), 'vanishing', `first kernel: ${JSON.stringify(first.variables[0])}`);
  assert.equal(flagOf(kernels[1].name), 'vanishing', 'second kernel');
  assert.equal(flagOf(kernels[9].name), undefined, 'the output layer is not');
  assert.equal(flagOf(kernels[8].name), undefined, 'nor the last hidden layer');
  const largest = Math.max(...first.variables.map((v) => v.gradNorm));
  for (const v of first.variables) assert.equal(v.flag === 'vanishing', v.gradNorm < 1e-7 * largest, `${v.variable} flag follows the 1e-7 rule`);
  const alerts = records.flatMap((r) => r.alerts ?? []).filter((a) => a.variable === kernels[0].name);
  assert.deepEqual(alerts.map((a) => [a.flag, a.step]), [['vanishing', 1]], 'one alert, at the first step');
  assert.ok(printed.some((line) => line.includes(`'${kernels[0].name}' vanished at step 1`)), printed.join('\n'));
});

test('a learning rate of 1e3 is flagged as exploding at the first step whose gradient norm passes 1e3', () => {
  tf.random.setSeed(5);
  const model = mlp([{ units: 8, activation: 'tanh' }, { units: 1, activation: 'linear' }], 4);
  model.compile({ optimizer: tf.keras.optimizers.SGD(1e3), loss: 'mse' });
  model.fit(tf.random.normal([16, 4]), tf.random.normal([16, 1]), { epochs: 6, batchSize: 16, verbose: 0 });
  const explodingAt = records.find((r) => r.variables.some((v) => v.flag === 'exploding' || v.flag === 'nan'));
  assert.ok(explodingAt, `never flagged: ${records.map((r) => r.variables.map((v) => v.gradNorm.toExponential(1)).join(' ')).join(' | ')}`);
  const alert = records.flatMap((r) => r.alerts ?? []).find((a) => a.flag === 'exploding');
  assert.ok(alert, 'an exploding alert');
  const firstAbove = records.find((r) => r.variables.some((v) => v.gradNorm > 1e3))!;
  assert.equal(alert.step, firstAbove.step);
  assert.ok(alert.gradNorm > 1e3);
});

test('a ReLU layer forced dead reports zero-gradient fraction 1 (and vanishing)', () => {
  tf.random.setSeed(9);
  const model = mlp([{ units: 8, activation: 'relu', biasInitializer: (shape) => tf.fill(shape as number[], -100) }, { units: 2, activation: 'linear' }], 3);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  model.fit(tf.random.normal([10, 3]), tf.random.normal([10, 2]), { epochs: 1, batchSize: 10, verbose: 0 });
  const [kernel, bias, outKernel, outBias] = records[0].variables;
  assert.equal(kernel.zeroFraction, 1);
  assert.equal(bias.zeroFraction, 1);
  assert.equal(kernel.gradNorm, 0);
  assert.equal(kernel.flag, 'vanishing');
  assert.equal(outKernel.zeroFraction, 1, 'its inputs are all zero too');
  assert.ok(outBias.zeroFraction < 1, 'the output bias still learns');
});

test('a NaN gradient is counted and flagged nan', () => {
  const w = new tf.Variable([1, 2, 3], { name: 'w_nan' });
  tf.keras.optimizers.SGD(0.1).applyGradients([[tf.constant([NaN, Infinity, 1]), w]]);
  const t = records[0].variables[0];
  assert.equal(t.nanCount, 1);
  assert.equal(t.infCount, 1);
  assert.equal(t.flag, 'nan');
  assert.equal(records[0].alerts?.[0].flag, 'nan');
});

test('without a sink nothing is measured and updates are unchanged', () => {
  runtime.setTelemetrySink(null);
  const w = new Variable([1, 2]);
  tf.keras.optimizers.SGD(0.5).applyGradients([[tf.constant([1, 1]), w]]);
  assert.deepEqual(Array.from(w.dataSync()), [0.5, 1.5]);
  assert.equal(records.length, 0);
});

test('adaptive intervals: weights and distributions are measured on step 1 and then at power-of-two intervals', () => {
  runtime.configureTelemetry({ detailEvery: 4, distributionEvery: 8 });
  const w = new tf.Variable([1, 2], { name: 'w_rate' });
  const optimizer = tf.keras.optimizers.SGD(0.01);
  for (let i = 0; i < 16; i++) optimizer.applyGradients([[tf.constant([1, 1]), w]]);
  assert.deepEqual(records.filter((r) => r.variables[0].weightNorm !== undefined).map((r) => r.step), [1, 4, 8, 12, 16]);
  assert.deepEqual(records.filter((r) => r.variables[0].gradPercentiles !== undefined).map((r) => r.step), [1, 8, 16]);
  assert.ok(records.every((r) => typeof r.variables[0].gradNorm === 'number'), 'the gradient tier runs every step');
});
